import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionGate } from '../../../../src/core/permissions/permissionGate';
import { pathCovers, pathKey } from '../../../../src/core/permissions/pathTargets';

// Real symlinks, resolved by the realpath port the node layer passes (fs.realpathSync): a link inside the
// workspace that points outside it must not be covered by a grant on the workspace.
describe('path targets through real symlinks', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'warden-symlinks-')));
    workspace = join(root, 'ws');
    outside = join(root, 'secrets');
    mkdirSync(join(workspace, 'src'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'id_rsa'), 'key');
    symlinkSync(outside, join(workspace, 'link'), 'dir');
    symlinkSync(join(outside, 'id_rsa'), join(workspace, 'src', 'innocent.txt'), 'file');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const options = { caseInsensitive: false, realpath: (path: string) => realpathSync(path) };

  it('resolves a symlinked folder and a symlinked file to where they point', () => {
    assert.equal(pathKey(join(workspace, 'link', 'id_rsa'), options)?.key, join(outside, 'id_rsa'));
    assert.equal(pathKey(join(workspace, 'src', 'innocent.txt'), options)?.key, join(outside, 'id_rsa'));
    const folder = pathKey(workspace, options)!;
    assert.ok(!pathCovers(folder, pathKey(join(workspace, 'link', 'id_rsa'), options)!));
    assert.ok(pathCovers(folder, pathKey(join(workspace, 'src', 'real.ts'), options)!), 'a file not written yet, in a real folder');
    assert.ok(!pathCovers(folder, pathKey(join(workspace, 'link', 'new', 'file'), options)!), 'a file not written yet, below a link');
  });

  it('keeps the gate from honouring a workspace grant through a link', () => {
    const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: [workspace], caseInsensitivePaths: false, realpath: (p) => realpathSync(p) });
    gate.setWorkspaceGrants([
      { grant: { server: 's', kind: 'fs.read', target: workspace, decision: 'allow', scope: 'workspace', grantedAt: '2026-12-02T00:00:00Z' }, status: 'sealed' },
    ]);
    const read = (target: string) => gate.decide({ server: 's', session: '1', permission: { kind: 'fs.read', target } }).verdict;
    assert.equal(read(join(workspace, 'src', 'a.ts')), 'allow');
    assert.equal(read(join(workspace, 'link', 'id_rsa')), 'ask');
    assert.equal(read(join(workspace, 'src', 'innocent.txt')), 'ask');
    const write = gate.decide({ server: 's', session: '1', permission: { kind: 'fs.write', target: join(workspace, 'link', 'new.txt') } });
    assert.match(write.risks.join(), /outside every workspace folder/);
  });
});
