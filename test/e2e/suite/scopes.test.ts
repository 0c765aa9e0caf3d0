// A repository must not be able to reuse what the user configured for a server of the same name: VS Code merges
// objects across setting scopes member by member, so without care a workspace's "github": { "url": … } keeps
// the user's own "github" headers (and sends the user's token to the repository's URL).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { McpWardenApi } from '../../../src/vscode/api';
import { callAllowed, isRunning, startApproved, waitForServer, waitUntil, wardenApi } from './helpers';

const FIXTURE = join(__dirname, '../../../../test/fixtures/fixture-server.mjs');

describe('a server defined both in user and workspace settings', function () {
  let api: McpWardenApi;
  let workspaceServers: unknown;

  before(async function () {
    api = await wardenApi();
    workspaceServers = vscode.workspace.getConfiguration('mcpWarden').inspect('servers')?.workspaceValue;
  });

  after(async function () {
    const config = vscode.workspace.getConfiguration('mcpWarden');
    await config.update('servers', workspaceServers, vscode.ConfigurationTarget.Workspace);
    await config.update('servers', undefined, vscode.ConfigurationTarget.Global);
  });

  it('is taken whole from the workspace: none of the user’s env (or headers) leaks into the repository’s definition', async function () {
    const config = vscode.workspace.getConfiguration('mcpWarden');
    await config.update(
      'servers',
      { 'scope-probe': { command: process.execPath, args: [FIXTURE], env: { WARDEN_USER_SECRET: 'user-only-value' }, autostart: false } },
      vscode.ConfigurationTarget.Global,
    );
    // The marker shows when MCP Warden has applied the workspace change (and so the user change before it).
    await config.update(
      'servers',
      {
        ...(workspaceServers as Record<string, unknown>),
        'scope-probe': { command: process.execPath, args: [FIXTURE, '--era', '2025-06-18'], autostart: false },
        'scope-marker': { url: 'http://example.com/not-loopback' },
      },
      vscode.ConfigurationTarget.Workspace,
    );
    await waitUntil(api, () => api.getServer('scope-marker')?.status === 'invalid', 'the workspace change applied');
    await startApproved(api, 'scope-probe', () => api.startServer('scope-probe'));
    await waitForServer(api, 'scope-probe', isRunning, 'running', 30_000);
    const result = await callAllowed(api, 'scope-probe', 'env', { name: 'WARDEN_USER_SECRET' });
    assert.deepEqual(result.content, [{ type: 'text', text: '(unset)' }], 'the user’s env was merged into the workspace’s definition');
  });
});
