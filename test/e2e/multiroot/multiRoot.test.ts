import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { editSettingsText } from '../../../src/core/config/settingsEdit';
import type { McpWardenApi } from '../../../src/vscode/api';
import { approveLaunch, isRunning, pidOf, waitForServer, waitUntil, wardenApi } from '../suite/helpers';

const FIXTURE = join(__dirname, '../../../../test/fixtures/fixture-server.mjs');

describe('A multi-root workspace', function () {
  let api: McpWardenApi;

  before(async function () {
    api = await wardenApi();
  });

  it('keeps its servers while its .code-workspace file has a syntax error, and names that file', async function () {
    const workspaceFile = vscode.workspace.workspaceFile;
    assert.ok(workspaceFile?.scheme === 'file', 'the editor was opened on a .code-workspace file');
    const name = workspaceFile.path.slice(workspaceFile.path.lastIndexOf('/') + 1);
    const problem = () => api.getConfigurationProblems().find((p) => p.keyPath === name);
    const read = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile));
    const write = (text: string) => vscode.workspace.fs.writeFile(workspaceFile, new TextEncoder().encode(text));
    const before = await read();
    // In a multi-root workspace, workspace settings live in the .code-workspace file, under "settings".
    const mr = { command: process.execPath, args: [FIXTURE], env: { MCP_WARDEN_E2E_SERVER: '1' } };
    const original = editSettingsText(before, [{ path: ['mcpWarden.servers'], value: { mr } }], true);
    await write(original);
    try {
      await approveLaunch(api, 'mr');
      const pid = pidOf(await waitForServer(api, 'mr', isRunning, 'running'));
      assert.ok(pid);
      // The approval is kept, sealed, in the workspace file's settings: the file as it is now is the good one.
      const approved = await read();
      assert.match(approved, /"mcpWarden\.grants"/);
      const broken = approved.replace('{\n', '{\n  "extensions": { "recommendations": ["x"\n');
      await write(broken);
      await waitUntil(api, () => problem() !== undefined, `reporting the syntax error in ${name}`);
      assert.match(problem()!.message, /^syntax error at 3:3 \(CommaExpected\): servers keep their last good definitions until it is fixed$/);
      assert.equal(pidOf(api.getServer('mr')), pid, 'mr keeps running in the same process');
      await write(approved);
      await waitUntil(api, () => problem() === undefined, 'clearing the syntax error');
      assert.equal(pidOf(api.getServer('mr')), pid, `mr: ${JSON.stringify(api.getServer('mr')?.state)}`);
    } finally {
      await write(before);
    }
    await waitUntil(api, () => api.getServer('mr') === undefined, 'forgetting mr');
  });
});
