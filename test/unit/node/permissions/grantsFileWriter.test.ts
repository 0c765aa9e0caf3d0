import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettingsValue } from '../../../../src/core/config/settingsEdit';
import type { Grant } from '../../../../src/core/permissions/permission';
import { editGrantsText, grantsLockDir, settingsFileOnDisk, updateGrantsFile, type SettingsText } from '../../../../src/node/permissions/grantsFileWriter';

const grant = (target: string, extra: Partial<Grant> = {}): Grant => ({
  server: 'files',
  kind: 'tool',
  target,
  decision: 'allow',
  scope: 'workspace',
  grantedAt: '2026-12-02T10:00:00.000Z',
  pin: 'a'.repeat(64),
  seal: `hmac-sha256:${'0'.repeat(16)}:mac-${target}`,
  ...extra,
});

const SETTINGS = `// my settings: keep this comment
{
  "mcpWarden.servers": { "files": { "command": "node" } }, // and this one
}
`;

describe('grantsFileWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-warden-grants-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const grantsIn = (text: string) => readSettingsValue(text, ['mcpWarden.grants'], false) as Grant[];

  it('adds grants as one line each, keeping the comments', () => {
    const text = editGrantsText(SETTINGS, false, { add: [grant('search'), grant('read')] });
    assert.deepEqual(grantsIn(text), [grant('search'), grant('read')]);
    assert.ok(text.includes('// my settings: keep this comment') && text.includes('// and this one'), text);
    assert.match(text, /\n {4}\{ "server": "files", "kind": "tool", "target": "search", "decision": "allow", "scope": "workspace", "grantedAt": "[^"]+", "pin": "a{64}", "seal": "[^"]+" \},?\n/);
  });

  it('replaces a grant of the same server, kind and target, and removes by server, kind, target, decision and grantedAt', () => {
    const first = editGrantsText(SETTINGS, false, { add: [grant('search'), grant('read')] });
    const denied = grant('search', { decision: 'deny', grantedAt: '2026-12-03T00:00:00.000Z' });
    const replaced = editGrantsText(first, false, { add: [denied] });
    assert.deepEqual(grantsIn(replaced), [denied, grant('read')]);
    assert.deepEqual(grantsIn(editGrantsText(replaced, false, { remove: [grant('search')] })), [denied, grant('read')], 'a different decision or time is another grant');
    assert.deepEqual(grantsIn(editGrantsText(replaced, false, { remove: [denied] })), [grant('read')]);
    assert.equal(editGrantsText(replaced, false, { remove: [grant('other')] }), replaced, 'nothing to change leaves the text as it is');
  });

  it('keeps the lock outside the workspace, one per settings file', () => {
    const a = grantsLockDir('/global', '/ws/a/.vscode/settings.json');
    assert.match(a, /^\/global\/grant-locks\/[0-9a-f]{16}$/);
    assert.notEqual(a, grantsLockDir('/global', '/ws/b/.vscode/settings.json'));
  });

  it('loses nothing when windows write at once: each re-reads the file under the lock', async () => {
    const path = join(dir, 'settings.json');
    await writeFile(path, SETTINGS);
    const lockDir = grantsLockDir(join(dir, 'global'), path);
    // A slow window: it reads, thinks, then writes. Without the lock every writer would start from the same text.
    const slow = (file: SettingsText): SettingsText => ({
      read: async () => {
        const text = await file.read();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return text;
      },
      write: (text) => file.write(text),
    });
    const targets = Array.from({ length: 12 }, (_, i) => `tool-${i}`);
    await Promise.all(targets.map((target) => updateGrantsFile(lockDir, slow(settingsFileOnDisk(path)), false, { add: [grant(target)] })));
    const text = await readFile(path, 'utf8');
    assert.deepEqual(grantsIn(text).map((g) => g.target).sort(), [...targets].sort());
    assert.ok(text.includes('// my settings: keep this comment'));
  });

  it('creates the settings file and its folder when there is none', async () => {
    const path = join(dir, 'ws', '.vscode', 'settings.json');
    await updateGrantsFile(grantsLockDir(join(dir, 'global'), path), settingsFileOnDisk(path), false, { add: [grant('search')] });
    assert.deepEqual(grantsIn(await readFile(path, 'utf8')), [grant('search')]);
  });
});
