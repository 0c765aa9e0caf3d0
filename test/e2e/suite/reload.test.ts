// A start that waits on the user (an ${input:…} prompt nobody answers yet) must not hold back the next change of
// settings: reloads used to wait for every start, so one open prompt froze the configuration.
import * as vscode from 'vscode';
import type { McpWardenApi } from '../../../src/vscode/api';
import { approveLaunch, waitForServer, waitUntil, wardenApi } from './helpers';

describe('a settings change while a server waits for an input prompt', function () {
  let api: McpWardenApi;
  let servers: unknown;
  let inputs: unknown;

  before(async function () {
    api = await wardenApi();
    const config = vscode.workspace.getConfiguration('mcpWarden');
    servers = config.inspect('servers')?.workspaceValue;
    inputs = config.inspect('inputs')?.workspaceValue;
  });

  after(async function () {
    const config = vscode.workspace.getConfiguration('mcpWarden');
    await config.update('servers', servers, vscode.ConfigurationTarget.Workspace);
    await config.update('inputs', inputs, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('is applied while the prompt is still open', async function () {
    const config = vscode.workspace.getConfiguration('mcpWarden');
    await config.update('inputs', [{ id: 'never-answered', type: 'promptString', description: 'Nobody types this', password: true }], vscode.ConfigurationTarget.Workspace);
    await config.update(
      'servers',
      { ...(servers as Record<string, unknown>), 'waits-for-input': { command: process.execPath, args: ['-e', ''], env: { TOKEN: '${input:never-answered}' } } },
      vscode.ConfigurationTarget.Workspace,
    );
    await approveLaunch(api, 'waits-for-input');
    await waitForServer(api, 'waits-for-input', (s) => s.state.kind === 'starting', 'starting (its prompt open)');
    await config.update(
      'servers',
      {
        ...(servers as Record<string, unknown>),
        'waits-for-input': { command: process.execPath, args: ['-e', ''], env: { TOKEN: '${input:never-answered}' } },
        'after-the-prompt': { url: 'http://example.com/not-loopback' },
      },
      vscode.ConfigurationTarget.Workspace,
    );
    await waitUntil(api, () => api.getServer('after-the-prompt')?.status === 'invalid', 'the later change applied');
  });
});
