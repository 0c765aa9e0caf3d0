// Attacks on the sealed grants of `mcpWarden.grants` as a hostile repository would make them (the real HMAC
// sealer, the real setting parser, jsonc-parser as the settings file is read), and on path grants through real
// symlinks. Each test names the protection it checks; without it the test fails.
import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettingsValue } from '../../../../src/core/config/settingsEdit';
import { formatSeal, sealMessage } from '../../../../src/core/permissions/grantSeal';
import type { Grant } from '../../../../src/core/permissions/permission';
import { PermissionGate } from '../../../../src/core/permissions/permissionGate';
import { HmacGrantSealer } from '../../../../src/node/permissions/grantSealer';
import { MAX_WORKSPACE_GRANTS, parseGrants } from '../../../../src/node/permissions/grantsSetting';

const KEY = Buffer.alloc(32, 7);
const WORKSPACE = 'file:///home/me/project';
const sealer = new HmacGrantSealer(KEY, WORKSPACE);
const grant: Grant = {
  server: 'files',
  kind: 'tool',
  target: 'write_file',
  decision: 'allow',
  scope: 'workspace',
  grantedAt: '2026-12-02T10:00:00.000Z',
  pin: 'a'.repeat(64),
};
const sealed = sealer.seal(grant);

/** Reads `mcpWarden.grants` from settings text the way the editor's WorkspacePermissions does. */
function grantsIn(text: string): { grants: Grant[]; problems: string[] } {
  const problems: string[] = [];
  const grants = parseGrants(readSettingsValue(text, ['mcpWarden.grants'], false), (p) => problems.push(p));
  return { grants, problems };
}

describe('attacks on workspace grants', () => {
  describe('seals', () => {
    it('a grant without a seal, or with an unreadable one, is only proposed', () => {
      const { seal: _seal, ...unsealed } = sealed;
      assert.equal(sealer.status(unsealed), 'proposed');
      for (const seal of ['', 'sealed', 'hmac-sha256::', `HMAC-SHA256:${sealer.keyId}:${sealed.seal!.split(':')[2]}`, `${sealed.seal} `, `hmac-sha1:${sealer.keyId}:abcdefabcdefabcdef`]) {
        assert.equal(sealer.status({ ...grant, seal }), 'proposed', seal);
      }
    });

    it('a seal copied from another workspace on this machine does not hold here', () => {
      const fromElsewhere = new HmacGrantSealer(KEY, 'file:///home/me/other-project').seal(grant);
      assert.equal(sealer.status(fromElsewhere), 'tampered');
    });

    it("a seal made with another machine's key is a teammate's proposal", () => {
      const teammate = new HmacGrantSealer(Buffer.alloc(32, 9), WORKSPACE).seal(grant);
      assert.equal(sealer.status(teammate), 'proposed');
    });

    it("this machine's key id with a MAC forged without the key (another key, a hash, a replayed MAC) is tampered", () => {
      const message = sealMessage(grant, WORKSPACE);
      const forged = [
        createHmac('sha256', Buffer.alloc(32, 1)).update(message).digest('base64url'),
        createHash('sha256').update(message).digest('base64url'),
        createHash('sha256').update(Buffer.concat([KEY.subarray(0, 0), Buffer.from(message)])).digest('base64url'),
        sealer.seal({ ...grant, target: 'read_file' }).seal!.split(':')[2]!,
        'A'.repeat(43),
      ];
      for (const mac of forged) assert.equal(sealer.status({ ...grant, seal: formatSeal(sealer.keyId, mac) }), 'tampered', mac);
    });

    it('a sealed grant edited in any field is tampered', () => {
      const { pin: _pin, ...unpinned } = sealed;
      const edits: Grant[] = [
        { ...sealed, server: 'files2' },
        { ...sealed, kind: 'prompt' },
        { ...sealed, target: 'Write_file' },
        { ...sealed, target: 'write_fіle' /* Cyrillic і */ },
        { ...sealed, target: 'write_file ' },
        { ...sealed, target: 'write_file/' },
        { ...sealed, target: 'write_file/..' },
        { ...sealed, target: '*' },
        { ...sealed, decision: 'deny' },
        { ...sealed, grantedAt: '2099-01-01T00:00:00.000Z' },
        { ...sealed, pin: 'b'.repeat(64) },
        unpinned,
      ];
      for (const edited of edits) assert.equal(sealer.status(edited), 'tampered', JSON.stringify(edited));
      assert.equal(sealer.status(sealed), 'sealed');
    });

    it('a path grant edited to a lookalike of its folder (trailing slash, `..`, case) is tampered', () => {
      const { pin: _pin, ...unpinned } = grant;
      const folder = sealer.seal({ ...unpinned, kind: 'fs.write', target: '/home/me/project/build' });
      for (const target of ['/home/me/project/build/', '/home/me/project/build/..', '/home/me/project/Build', '/home/me/project']) {
        assert.equal(sealer.status({ ...folder, target }), 'tampered', target);
      }
    });
  });

  describe('the setting as a repository writes it', () => {
    it('only a workspace-scoped grant with every field of the right type is read', () => {
      const entries = [
        42,
        'grant',
        null,
        [],
        [sealed],
        { ...sealed, scope: 'session' },
        { ...sealed, scope: 'once' },
        { ...sealed, decision: 'ask' },
        { ...sealed, decision: true },
        { ...sealed, kind: 'everything' },
        { ...sealed, kind: 'toString' },
        { ...sealed, server: 7 },
        { ...sealed, target: null },
        { ...sealed, pin: 1 },
        { ...sealed, seal: ['x'] },
        sealed,
      ];
      const { grants, problems } = grantsIn(JSON.stringify({ 'mcpWarden.grants': entries }));
      assert.deepEqual(grants, [sealed]);
      assert.equal(problems.length, entries.length - 1);
      assert.deepEqual(grantsIn('{"mcpWarden.grants": {"0": {}}}').problems, ['must be an array of grants']);
    });

    it('fields inherited through a `__proto__` member are no fields of the grant', () => {
      // jsonc-parser sets a `__proto__` member as the object's prototype.
      const text = `{"mcpWarden.grants": [{"__proto__": ${JSON.stringify(sealed)}}, {"__proto__": {"scope": "workspace"}, ${JSON.stringify(sealed).slice(1, -1).replace('"scope":"workspace",', '')}}]}`;
      const { grants, problems } = grantsIn(text);
      assert.deepEqual(grants, []);
      assert.equal(problems.length, 2);
    });

    it('prototype names as servers and targets are kept as plain names', () => {
      const names = ['__proto__', 'constructor', 'prototype'];
      const entries = names.map((name) => sealer.seal({ ...grant, server: name, target: name }));
      const { grants } = grantsIn(JSON.stringify({ 'mcpWarden.grants': entries }));
      assert.deepEqual(grants, entries);
      assert.deepEqual(
        grants.map((g) => sealer.status(g)),
        names.map(() => 'sealed'),
      );
    });

    it('a flood of entries is read only so far, and problems are reported a few at a time', () => {
      const entries = Array.from({ length: MAX_WORKSPACE_GRANTS + 50_000 }, (_, i) => (i % 2 === 0 ? { ...grant, target: `t${i}` } : 'junk'));
      const { grants, problems } = grantsIn(JSON.stringify({ 'mcpWarden.grants': entries }));
      assert.equal(grants.length, MAX_WORKSPACE_GRANTS / 2);
      assert.ok(problems.length <= 22, `${problems.length} problems reported`);
      assert.match(problems[0] ?? '', /only the first 5000 are read/);
      assert.match(problems.at(-1) ?? '', /more entries are not workspace grants/);
    });
  });

  describe('path grants and real symlinks', () => {
    let root: string;
    let workspace: string;
    let gate: PermissionGate;
    const decide = (target: string) => gate.decide({ server: 'files', session: 's', permission: { kind: 'fs.write', target } }).verdict;

    beforeEach(() => {
      root = realpathSync(mkdtempSync(join(tmpdir(), 'warden-attack-')));
      workspace = join(root, 'ws');
      mkdirSync(join(workspace, 'build'), { recursive: true });
      mkdirSync(join(root, 'secrets'));
      gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: [workspace], caseInsensitivePaths: false, realpath: realpathSync });
      const { pin: _pin, ...unpinned } = grant;
      gate.setWorkspaceGrants([{ grant: { ...unpinned, kind: 'fs.write', target: join(workspace, 'build') }, status: 'sealed' }]);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('a link inside a granted folder that points outside it is not covered, even for a file not yet written', () => {
      symlinkSync(join(root, 'secrets'), join(workspace, 'build', 'out'));
      assert.equal(decide(join(workspace, 'build', 'site.html')), 'allow');
      assert.equal(decide(join(workspace, 'build', 'out', 'id_rsa')), 'ask');
      assert.equal(decide(join(workspace, 'build', 'out', 'new', 'deeper', 'file')), 'ask');
      assert.match(gate.decide({ server: 'files', session: 's', permission: { kind: 'fs.write', target: join(workspace, 'build', 'out', 'x') } }).risks.join(), /outside every workspace folder/);
    });

    it('a link swapped between two requests is looked at again', () => {
      const link = join(workspace, 'build', 'cache');
      symlinkSync(join(workspace, 'build'), link);
      assert.equal(decide(join(link, 'x')), 'allow');
      unlinkSync(link);
      symlinkSync(join(root, 'secrets'), link);
      assert.equal(decide(join(link, 'x')), 'ask');
    });

    it('`link/..` is resolved as the OS resolves it: through the link', () => {
      symlinkSync(join(root, 'secrets'), join(workspace, 'build', 'up'));
      // Textually build/up/../x is build/x; the OS opens secrets/../x, i.e. <root>/x.
      assert.equal(decide(join(workspace, 'build', 'up') + '/../x'), 'ask');
    });
  });
});
