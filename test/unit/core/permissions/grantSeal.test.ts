import * as assert from 'node:assert/strict';
import { formatSeal, parseSeal, sealMessage } from '../../../../src/core/permissions/grantSeal';
import type { Grant } from '../../../../src/core/permissions/permission';

const grant: Grant = { server: 'files', kind: 'net', target: 'api.github.com', decision: 'allow', scope: 'workspace', grantedAt: '2026-12-02T10:00:00.000Z' };

describe('grant seals', () => {
  it('build a stable message: canonical JSON, version, workspace, the grant without its seal', () => {
    const message = sealMessage(grant, 'ws-1');
    assert.equal(
      message,
      '{"grant":{"decision":"allow","grantedAt":"2026-12-02T10:00:00.000Z","kind":"net","scope":"workspace","server":"files","target":"api.github.com"},"v":1,"workspace":"ws-1"}',
    );
    const reordered: Grant = { target: grant.target, scope: grant.scope, grantedAt: grant.grantedAt, decision: grant.decision, kind: grant.kind, server: grant.server };
    assert.equal(sealMessage({ ...reordered, seal: formatSeal('0123456789abcdef', 'A'.repeat(43)) }, 'ws-1'), message);
  });

  it('change with any field of the grant, a pin, an unknown key or the workspace', () => {
    const message = sealMessage(grant, 'ws-1');
    assert.notEqual(sealMessage({ ...grant, target: '*' }, 'ws-1'), message);
    assert.notEqual(sealMessage({ ...grant, decision: 'deny' }, 'ws-1'), message);
    assert.notEqual(sealMessage({ ...grant, pin: 'abc' }, 'ws-1'), message);
    assert.notEqual(sealMessage({ ...grant, extra: true } as Grant, 'ws-1'), message);
    assert.notEqual(sealMessage(grant, 'ws-2'), message);
  });

  it('format and parse `hmac-sha256:<keyId>:<mac>`', () => {
    const seal = formatSeal('0123456789abcdef', 'abcDEF012-_abcDEF012-_abcDEF012-_abcDEF0123');
    assert.equal(seal, 'hmac-sha256:0123456789abcdef:abcDEF012-_abcDEF012-_abcDEF012-_abcDEF0123');
    assert.deepEqual(parseSeal(seal), { keyId: '0123456789abcdef', mac: 'abcDEF012-_abcDEF012-_abcDEF012-_abcDEF0123' });
    for (const bad of [undefined, 42, '', 'hmac-sha256:0123:abc', 'hmac-sha1:0123456789abcdef:abcDEF012-_abcDEF012-_', 'hmac-sha256:0123456789ABCDEF:abcDEF012-_abcDEF012-_', 'hmac-sha256:0123456789abcdef:a+b/c=abcDEF012-_abc']) {
      assert.equal(parseSeal(bad), undefined, String(bad));
    }
  });
});
