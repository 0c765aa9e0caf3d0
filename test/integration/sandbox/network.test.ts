import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { profileWith, requireSandboxTools, SANDBOX_FIXTURE, startSandboxed, type SandboxedRun } from './sandboxSupport';

/**
 * The fixture fetches http://fixture.test:<port>/ from a loopback HTTP server of the test. The name is mapped to
 * 127.0.0.1 in the session's worker only (testHosts), where the runtime's proxy dials. The runtime refuses a name
 * that resolves to loopback unless the IP literal and port are allowed too, so a grant is both entries.
 */
describe('the OS sandbox lets a server reach only the hosts it may, and asks about the others', function () {
  let web: http.Server;
  let port: number;
  let run: SandboxedRun | undefined;
  let answer = false;

  before(async () => {
    requireSandboxTools();
    // Connection: close, so that each fetch is a new connection through the proxy (an open one outlives a revocation).
    web = http.createServer((_request, response) => response.setHeader('connection', 'close').end('hello from the test'));
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');
    port = (web.address() as AddressInfo).port;
  });

  after(() => web.close());

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  const url = () => `http://fixture.test:${port}/`;
  const grant = () => [`fixture.test:${port}`, `127.0.0.1:${port}`];

  async function start(allowedDomains: string[] = []): Promise<SandboxedRun> {
    run = await startSandboxed([SANDBOX_FIXTURE], profileWith({ allowedDomains }), { answer: () => answer, testHosts: { 'fixture.test': '127.0.0.1' } });
    return run;
  }

  it('asks about a host the profile does not allow; No fails the fetch', async function () {
    answer = false;
    const server = await start();
    const result = await server.call('fetch_url', { url: url() });
    assert.equal(result.isError, true, result.text);
    assert.deepEqual(server.asks, [`fixture.test:${port}`]);
    assert.ok(server.violations.some((l) => l.includes('fixture.test')), `no violation reported: ${server.violations.join(' | ')}`);
  });

  it('asks; Yes lets that connection through (with the loopback address allowed, as a grant adds it)', async function () {
    answer = true;
    const server = await start([`127.0.0.1:${port}`]);
    const result = await server.call('fetch_url', { url: url() });
    assert.equal(result.text, 'ok 200 hello from the test');
    assert.deepEqual(server.asks, [`fixture.test:${port}`]);
  });

  it('a live update with the grant lets it through without asking; one without it asks again, same process', async function () {
    answer = false;
    const server = await start();
    const pid = server.transport.serverPid;
    assert.equal((await server.call('fetch_url', { url: url() })).isError, true);
    assert.equal(server.asks.length, 1);

    await server.session.update(profileWith({ allowedDomains: grant() }));
    const granted = await server.call('fetch_url', { url: url() });
    assert.equal(granted.text, 'ok 200 hello from the test');
    assert.equal(server.asks.length, 1, 'a granted host was asked about');

    await server.session.update(profileWith({}));
    const revoked = await server.call('fetch_url', { url: url() });
    assert.equal(revoked.isError, true, revoked.text);
    assert.equal(server.asks.length, 2, `a revoked host was not asked about again: ${revoked.text} ${server.violations.join(' | ')}`);
    assert.equal(server.transport.serverPid, pid, 'the server was restarted');
  });
});
