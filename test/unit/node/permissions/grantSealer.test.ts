import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import type { Grant } from '../../../../src/core/permissions/permission';
import { HmacGrantSealer } from '../../../../src/node/permissions/grantSealer';
import { nodeHasher } from '../../../../src/node/permissions/hasher';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);
const WORKSPACE = 'ws-1f3a';

const grant: Grant = {
  server: 'files',
  kind: 'tool',
  target: 'write_file',
  decision: 'allow',
  scope: 'workspace',
  grantedAt: '2026-12-02T10:00:00.000Z',
  pin: 'a'.repeat(64),
};

describe('HmacGrantSealer', () => {
  const sealer = new HmacGrantSealer(KEY, WORKSPACE);

  it('seals with hmac-sha256:<first 16 hex of sha256(key)>:<base64url HMAC of the canonical message>', () => {
    const sealed = sealer.seal(grant);
    const keyId = createHash('sha256').update(KEY).digest('hex').slice(0, 16);
    const message = canonicalJson({ v: 1, workspace: WORKSPACE, grant });
    const mac = createHmac('sha256', KEY).update(message).digest('base64url');
    assert.equal(sealed.seal, `hmac-sha256:${keyId}:${mac}`);
    assert.equal(sealer.keyId, keyId);
    assert.deepEqual({ ...sealed, seal: undefined }, { ...grant, seal: undefined }, 'nothing else changes');
  });

  it('calls a grant it sealed sealed, whatever the order of its keys (as read back from settings)', () => {
    const sealed = sealer.seal(grant);
    const reordered = Object.fromEntries(Object.entries(sealed).reverse()) as unknown as Grant;
    assert.equal(sealer.status(sealed), 'sealed');
    assert.equal(sealer.status(reordered), 'sealed');
    assert.equal(new HmacGrantSealer(Buffer.from(KEY), WORKSPACE).status(sealed), 'sealed', 'the same key in another window');
  });

  it('calls an unsealed grant, an unreadable seal and a seal of another key proposed', () => {
    assert.equal(sealer.status(grant), 'proposed');
    assert.equal(sealer.status({ ...grant, seal: 'looks sealed' }), 'proposed');
    assert.equal(sealer.status({ ...grant, seal: '' }), 'proposed');
    const teammate = new HmacGrantSealer(OTHER_KEY, WORKSPACE).seal(grant);
    assert.equal(sealer.status(teammate), 'proposed');
  });

  it('calls a sealed grant edited by hand tampered, whichever field changed', () => {
    const sealed = sealer.seal(grant);
    const edits: Partial<Record<keyof Grant, unknown>>[] = [
      { server: 'other' },
      { kind: 'prompt' },
      { target: 'Write_File' }, // case matters
      { target: 'write_file ' },
      { decision: 'deny' },
      { scope: 'session' },
      { grantedAt: '2026-12-02T10:00:00.001Z' },
      { pin: 'b'.repeat(64) },
      { pin: undefined },
    ];
    for (const edit of edits) {
      assert.equal(sealer.status({ ...sealed, ...edit } as Grant), 'tampered', JSON.stringify(edit));
    }
    const withExtraField = { ...sealed, note: 'added' } as unknown as Grant;
    assert.equal(sealer.status(withExtraField), 'tampered', 'an added field');
    const [, keyId, mac = ''] = (sealed.seal ?? '').split(':');
    const flipped = `${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    assert.equal(sealer.status({ ...grant, seal: `hmac-sha256:${keyId}:${flipped}` }), 'tampered', 'an edited MAC');
  });

  it('binds a seal to its workspace: the same grant copied into another workspace is not sealed there', () => {
    const sealed = sealer.seal(grant);
    // Sealed with this machine's key but its MAC does not cover this workspace: reported like a hand edit.
    assert.equal(new HmacGrantSealer(KEY, 'ws-other').status(sealed), 'tampered');
  });

  it("gives confirmations that cover exactly one grant in one workspace", () => {
    const teammate = new HmacGrantSealer(OTHER_KEY, WORKSPACE).seal(grant);
    const confirmation = sealer.confirmation(teammate);
    assert.ok(sealer.confirms(teammate, confirmation));
    assert.ok(!sealer.confirms({ ...teammate, target: 'delete_file' }, confirmation), 'another grant');
    assert.ok(!new HmacGrantSealer(KEY, 'ws-other').confirms(teammate, confirmation), 'another workspace');
    assert.ok(!new HmacGrantSealer(OTHER_KEY, WORKSPACE).confirms(teammate, confirmation), 'another machine');
    assert.ok(!sealer.confirms(teammate, ''));
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => new HmacGrantSealer(Buffer.alloc(16), WORKSPACE), /32 bytes/);
  });
});

describe('nodeHasher', () => {
  it('is sha256 of UTF-8 text in hex', () => {
    assert.equal(nodeHasher.sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(nodeHasher.sha256('é'), createHash('sha256').update(Buffer.from('é', 'utf8')).digest('hex'));
  });
});
