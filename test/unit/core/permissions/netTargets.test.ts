import * as assert from 'node:assert/strict';
import { formatNetTarget, netSpecificity, parseNetTarget } from '../../../../src/core/permissions/netTargets';

function specificity(grant: string, request: string): number {
  const g = parseNetTarget(grant);
  const r = parseNetTarget(request);
  assert.ok(g && r, `${grant} and ${request} should parse`);
  return netSpecificity(g, r);
}
const matches = (grant: string, request: string) => specificity(grant, request) >= 0;

describe('net targets', () => {
  it('parses hosts, ports, wildcards and IPv6, in one canonical form', () => {
    assert.equal(formatNetTarget(parseNetTarget('API.GitHub.com')!), 'api.github.com');
    assert.equal(formatNetTarget(parseNetTarget('example.com.:443')!), 'example.com:443');
    assert.equal(formatNetTarget(parseNetTarget('*.Example.com')!), '*.example.com');
    assert.equal(formatNetTarget(parseNetTarget('[::1]:8080')!), '[::1]:8080');
    assert.equal(formatNetTarget(parseNetTarget('::1')!), '::1');
    assert.equal(formatNetTarget(parseNetTarget('*')!), '*');
    for (const bad of ['', 'a b', 'host:0', 'host:70000', 'host:http', '*example.com', 'a.*.com', '[zz]:1', 'exa$mple.com', '-bad.com']) {
      assert.equal(parseNetTarget(bad), undefined, bad);
    }
  });

  it('matches *.example.com below example.com at any depth, not example.com itself nor lookalikes', () => {
    assert.ok(matches('*.example.com', 'sub.example.com'));
    assert.ok(matches('*.example.com', 'a.b.example.com'));
    assert.ok(matches('*.example.com', 'Sub.EXAMPLE.com:8443'));
    assert.ok(!matches('*.example.com', 'example.com'));
    assert.ok(!matches('*.example.com', 'badexample.com'));
    assert.ok(!matches('*.example.com', 'example.com.evil.net'));
  });

  it('matches hosts without case, any port for a bare host, one port for host:port', () => {
    assert.ok(matches('api.github.com', 'API.github.com:443'));
    assert.ok(matches('api.github.com:443', 'api.github.com:443'));
    assert.ok(!matches('api.github.com:443', 'api.github.com:80'));
    assert.ok(!matches('api.github.com:443', 'api.github.com'));
    assert.ok(!matches('github.com', 'api.github.com'));
    assert.ok(matches('[::1]:8080', '[::1]:8080'));
    assert.ok(!matches('[::1]:8080', '[::1]:9090'));
    assert.ok(matches('::1', '[::1]:9090'));
  });

  it('lets * cover any host, and ranks host:port over host over *.domain over *', () => {
    assert.ok(matches('*', 'anything.example'));
    assert.ok(matches('*', '[::1]:1'));
    const ranked = ['api.example.com:443', 'api.example.com', '*.example.com', '*'];
    const values = ranked.map((g) => specificity(g, 'api.example.com:443'));
    assert.deepEqual([...values].sort((a, b) => b - a), values);
    assert.ok(specificity('*.api.example.com', 'x.api.example.com') > specificity('*.example.com', 'x.api.example.com'));
  });

  it('reads unix:* as Unix sockets, covered by unix:* alone and covering no host', () => {
    assert.equal(formatNetTarget(parseNetTarget('UNIX:*')!), 'unix:*');
    assert.equal(parseNetTarget('unix:*')!.type, 'unix');
    assert.ok(matches('unix:*', 'unix:*'));
    assert.ok(!matches('*', 'unix:*'), 'Unix sockets are local IPC, not a host * covers');
    assert.ok(!matches('unix:*', 'unix.example.com'));
    assert.ok(!matches('unix:*', 'example.com:80'));
    assert.ok(!matches('unix', 'unix:*'));
    // `unix` alone is still a host name, and other `unix:` forms are nothing (Linux allows all sockets or none).
    assert.equal(parseNetTarget('unix')!.type, 'host');
    assert.equal(parseNetTarget('unix:/run/docker.sock'), undefined);
  });
});
