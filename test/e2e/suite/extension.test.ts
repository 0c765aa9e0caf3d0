import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuthCommands, Commands, EXTENSION_ID, PermissionCommands } from '../../../src/core/ids';
import type { McpWardenApi, WardenServer } from '../../../src/vscode/api';
import { alive, allowWhenAsked, approveLaunch, callAllowed, isRunning, needsApproval, pidOf, waitForServer, wardenApi } from './helpers';
import { AgentCommands } from '../../../src/core/gateway/agentConfigs/agents';


function session(server: WardenServer) {
  assert.equal(server.state.kind, 'running', `${server.name} is ${server.state.kind}`);
  return server.state.kind === 'running' ? server.state.session : assert.fail('not running');
}

describe('MCP Warden in a real VS Code', function () {
  let api: McpWardenApi;

  before(async function () {
    api = await wardenApi();
  });

  it('activates from the installed .vsix and returns its API', function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension?.isActive);
    assert.equal(api.apiVersion, 1);
    assert.match(extension.extensionPath, /[\\/]exts[\\/]mcp-warden\.mcp-warden-/, 'runs from the extensions folder the .vsix was installed into');
    assert.ok(existsSync(join(extension.extensionPath, 'dist', 'extension.js')));
    assert.ok(existsSync(join(extension.extensionPath, 'dist', 'mcpClient.js')));
    for (const unwanted of ['src', 'node_modules', 'test', 'out', 'tsconfig.json']) {
      assert.ok(!existsSync(join(extension.extensionPath, unwanted)), `${unwanted} must not be in the .vsix`);
    }
    assert.ok(api.activationMs > 0 && api.activationMs < 1000, `activation took ${api.activationMs} ms`);
  });

  it('registers every command package.json contributes, and ids.ts names exactly those', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (extension?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...Object.values(Commands), ...Object.values(PermissionCommands), ...Object.values(AgentCommands), ...Object.values(AuthCommands)].sort(), contributed);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but not registered`);
  });

  it('starts no server of the workspace before its launch is approved, and each once approved', async function () {
    const launched = ['everything', 'modern', 'everything-http', 'helper', 'broken'];
    for (const name of launched) {
      const waiting = await waitForServer(api, name, needsApproval, 'waiting for launch approval');
      assert.ok(waiting.state.kind === 'needs-approval');
      assert.equal(waiting.tools.length, 0);
    }
    assert.match((api.getServer('everything')!.state as { summary: string }).summary, /^runs `.*server-everything.*stdio`/);
    for (const name of launched) await approveLaunch(api, name);
    await waitForServer(api, 'everything', isRunning, 'running');
  });

  it('starts server-everything over stdio and lists its tools', async function () {
    const server = await waitForServer(api, 'everything', isRunning, 'running');
    const info = session(server);
    assert.equal(info.protocolVersion, '2025-11-25');
    assert.equal(info.era, 'legacy');
    assert.equal(info.transport, 'stdio');
    assert.equal(info.serverInfo.name, 'mcp-servers/everything');
    assert.ok(server.tools.some((t) => t.name === 'echo'), 'echo tool listed');
    assert.ok(server.prompts.length > 0 && server.resources.length > 0, 'prompts and resources listed');
    assert.ok(info.pid && alive(info.pid));
  });

  it('negotiates 2026-07-28 with a modern server', async function () {
    const info = session(await waitForServer(api, 'modern', isRunning, 'running'));
    assert.equal(info.protocolVersion, '2026-07-28');
    assert.equal(info.era, 'modern');
  });

  it('speaks Streamable HTTP to server-everything', async function () {
    const info = session(await waitForServer(api, 'everything-http', isRunning, 'running'));
    assert.equal(info.transport, 'streamable-http');
    assert.equal(info.protocolVersion, '2025-11-25');
  });

  it('calls a tool through the Call Tool command and returns the result', async function () {
    await waitForServer(api, 'everything', isRunning, 'running');
    const call = Promise.resolve(
      vscode.commands.executeCommand<{ content: { type: string; text?: string }[] }>(Commands.callTool, 'everything', 'echo', { message: 'from the e2e test' }),
    );
    assert.equal(await allowWhenAsked('everything', 'tool', 'once', { until: call }), 1, 'the call asked for permission');
    const result = await call;
    assert.deepEqual(result.content, [{ type: 'text', text: 'Echo: from the e2e test' }]);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand(Commands.callTool, 'everything', 'no_such_tool', {})),
      /has no tool named 'no_such_tool'/,
    );
  });

  it('keeps an audit log of those calls that verifies, and ships the command-line verifier', async function () {
    const result = await vscode.commands.executeCommand<{ ok: boolean; keyed: boolean; records: number }>(Commands.verifyAuditLog);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.keyed, true, 'every MAC was checked with the key from SecretStorage');
    assert.ok(result.records > 10, `${result.records} records`);
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const cli = join(extension.extensionPath, 'dist', 'audit-cli.js');
    const verified = spawnSync(process.execPath, [cli, 'verify', api.auditLogFolder], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^ok: \d+ records in \d+ segments?, chain intact \(STRUCTURE ONLY/, 'without the key the CLI says what it could not check');
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.ok(!api.auditLogFolder.startsWith(workspace), `the log (${api.auditLogFolder}) is kept outside the repository`);
  });

  it('shows a missing command as an error naming its setting key, and the others keep running', async function () {
    const broken = await waitForServer(api, 'broken', (s) => s.state.kind === 'error', 'in error');
    assert.ok(broken.state.kind === 'error');
    assert.match(broken.state.message, /mcpWarden\.servers\.broken\.command: 'mcp-warden-no-such-command' was not found/);
    assert.ok(isRunning(api.getServer('everything')!));
  });

  it('reports an invalid definition with its key path and never starts it', function () {
    const invalid = api.getServer('invalid');
    assert.equal(invalid?.status, 'invalid');
    assert.equal(invalid.problems[0]?.keyPath, 'mcpWarden.servers.invalid.url');
    assert.match(invalid.problems[0]?.message ?? '', /plain http is only allowed to a loopback host/);
    assert.equal(invalid.state.kind, 'stopped');
  });

  it('lists servers of .vscode/mcp.json as discovered without starting them', function () {
    const discovered = api.getServer('from-mcp-json');
    assert.equal(discovered?.status, 'discovered');
    assert.equal(discovered.source, '.vscode/mcp.json');
    assert.equal(discovered.state.kind, 'stopped');
  });

  it('reports a syntax error in .mcp.json with its line, and picks up the file once it is fixed', async function () {
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, '.mcp.json');
    const problem = () => api.getConfigurationProblems().find((p) => p.keyPath === '.mcp.json');
    const changed = (condition: () => boolean) =>
      new Promise<void>((resolve) => {
        const subscription = api.onDidChangeServers(() => {
          if (condition()) {
            subscription.dispose();
            resolve();
          }
        });
      });
    const broken = changed(() => problem() !== undefined);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{\n  "mcpServers": {\n    "late": { "command": "x" }\n    "later": {}\n'));
    await broken;
    assert.match(problem()!.message, /^syntax error at line 4, column 5: comma expected$/);
    assert.ok(isRunning(api.getServer('everything')!), 'other servers keep running');
    const fixed = changed(() => problem() === undefined && api.getServer('late') !== undefined);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{ "mcpServers": { "late": { "command": "x" } } }'));
    await fixed;
    assert.equal(api.getServer('late')?.status, 'discovered');
    await vscode.workspace.fs.delete(file);
  });

  it('follows a tool list change of a running server', async function () {
    await callAllowed(api, 'modern', 'add_tool', { name: 'late_tool' });
    await waitForServer(api, 'modern', (s) => s.tools.some((t) => t.name === 'late_tool'), 'listing late_tool');
  });

  it('stops a server with its process, and starts it again, by command', async function () {
    const before = pidOf(await waitForServer(api, 'everything', isRunning, 'running'));
    assert.ok(before);
    await vscode.commands.executeCommand(Commands.stopServer, 'everything');
    assert.equal(api.getServer('everything')?.state.kind, 'stopped');
    assert.ok(!alive(before), `process ${before} outlived its server`);
    await vscode.commands.executeCommand(Commands.startServer, 'everything');
    const after = pidOf(api.getServer('everything'));
    assert.ok(after && after !== before && alive(after));
  });

  it('restarts only the server whose definition changed in settings', async function () {
    const everything = pidOf(await waitForServer(api, 'everything', isRunning, 'running'));
    const modern = pidOf(await waitForServer(api, 'modern', isRunning, 'running'));
    const config = vscode.workspace.getConfiguration('mcpWarden');
    const servers = config.get<Record<string, Record<string, unknown>>>('servers') ?? {};
    await config.update('servers', { ...servers, modern: { ...servers['modern'], env: { CHANGED: '1' } } }, vscode.ConfigurationTarget.Workspace);
    // Its launch changed (a new environment variable name): it is asked again.
    await approveLaunch(api, 'modern');
    const restarted = await waitForServer(api, 'modern', (s) => isRunning(s) && pidOf(s) !== modern, 'restarted');
    assert.ok(pidOf(restarted));
    assert.equal(pidOf(api.getServer('everything')), everything, 'an unchanged server keeps running in the same process');
    assert.ok(modern && !alive(modern), 'the old process of the changed server is gone');
  });
});
