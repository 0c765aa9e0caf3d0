import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { editSettingsText, type SettingsEdit } from '../../../src/core/config/settingsEdit';
import type { McpWardenApi } from '../../../src/vscode/api';
import { alive, callAllowed, isRunning, pidOf, waitForServer, waitUntil, wardenApi } from './helpers';


/** Resolves when the process has exited (its server is stopped with stdin, SIGTERM, SIGKILL); polls its state. */
async function processGone(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs ${timeoutMs} ms after its server was removed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first diagnostic VS Code puts on the line of `key` in a settings file, once it is there. */
function diagnosticOn(uri: vscode.Uri, key: string): Promise<vscode.Diagnostic> {
  const find = async () => {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const line = text.slice(0, text.indexOf(`"${key}"`)).split('\n').length - 1;
    return vscode.languages.getDiagnostics(uri).find((d) => d.range.start.line === line);
  };
  return new Promise((resolve, reject) => {
    const check = () =>
      void find().then((found) => {
        if (!found) return;
        done();
        resolve(found);
      }, reject);
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no diagnostic on ${key} after 30 s: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`));
    }, 30_000);
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

function configurationChanged(section: string): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(section)) return;
      subscription.dispose();
      resolve();
    });
  });
}

describe('Workspace settings a repository writes', function () {
  let api: McpWardenApi;
  let settingsFile: vscode.Uri;
  let original: string;
  const write = (text: string) => vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(text));
  const settingsProblem = () => api.getConfigurationProblems().find((p) => p.keyPath === '.vscode/settings.json');

  before(async function () {
    api = await wardenApi();
    settingsFile = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, '.vscode', 'settings.json');
    original = new TextDecoder().decode(await vscode.workspace.fs.readFile(settingsFile));
  });

  afterEach(async function () {
    const now = new TextDecoder().decode(await vscode.workspace.fs.readFile(settingsFile));
    if (now !== original) await write(original);
  });

  it('keep their servers running while .vscode/settings.json has a syntax error, say where it is, and apply the file once fixed', async function () {
    const modern = pidOf(await waitForServer(api, 'modern', isRunning, 'running'));
    const everything = pidOf(await waitForServer(api, 'everything', isRunning, 'running'));
    assert.ok(modern && everything);
    // An array left open before the servers: VS Code's lenient parser swallows every setting after it.
    const broken = original.replace('{\n', '{\n  "editor.rulers": [80\n');
    const line = broken.slice(0, broken.indexOf('"editor.rulers"')).split('\n').length + 1;
    await write(broken);
    await waitUntil(api, () => settingsProblem() !== undefined, 'reporting the syntax error');
    assert.equal(
      settingsProblem()?.message,
      `syntax error at ${line}:3 (CommaExpected): servers keep their last good definitions until it is fixed`,
    );
    assert.equal(api.getServer('modern')?.state.kind, 'running');
    assert.equal(pidOf(api.getServer('modern')), modern, 'modern keeps running in the same process');
    assert.equal(pidOf(api.getServer('everything')), everything, 'everything keeps running in the same process');
    assert.ok(alive(modern));

    await write(original);
    await waitUntil(api, () => settingsProblem() === undefined, 'clearing the syntax error');
    assert.equal(pidOf(api.getServer('modern')), modern, 'an unchanged definition is not restarted once the file parses');
    assert.equal(pidOf(api.getServer('everything')), everything);
  });

  it('still stop a server whose definition is deliberately removed from a file that parses', async function () {
    const modern = pidOf(await waitForServer(api, 'modern', isRunning, 'running'));
    assert.ok(modern);
    await write(editSettingsText(original, [{ path: ['mcpWarden.servers', 'modern'], value: undefined }], false));
    await waitUntil(api, () => api.getServer('modern') === undefined, 'forgetting the removed server');
    assert.equal(settingsProblem(), undefined);
    await processGone(modern);
    await write(original);
    await waitForServer(api, 'modern', isRunning, 'running again');
  });

  it('cannot turn the OS sandbox off: mcpWarden.sandbox.mode is the machine’s, and a server restarted meanwhile runs sandboxed', async function () {
    const config = () => vscode.workspace.getConfiguration('mcpWarden');
    const read = configurationChanged('editor.tabSize');
    await write(editSettingsText(original, [{ path: ['mcpWarden.sandbox.mode'], value: 'off' }, { path: ['editor.tabSize'], value: 5 }], false));
    await read;
    assert.equal(config().inspect('sandbox.mode')?.workspaceValue, undefined, 'VS Code ignores the workspace value');
    assert.equal(config().get('sandbox.mode'), 'preferred');
    await api.restartServer('modern');
    await waitForServer(api, 'modern', isRunning, 'running');
    // The runtime marks the environment of what it runs; a server outside the sandbox would say "(unset)".
    const marker = await callAllowed(api, 'modern', 'env', { name: 'SANDBOX_RUNTIME' });
    assert.deepEqual(marker.content, [{ type: 'text', text: '1' }]);
    const proxy = await callAllowed(api, 'modern', 'env', { name: 'NODE_USE_ENV_PROXY' });
    assert.deepEqual(proxy.content, [{ type: 'text', text: '1' }]);
  });

  it('cannot raise the message size limit or the request timeout: only the user’s own values count', async function () {
    const config = () => vscode.workspace.getConfiguration('mcpWarden');
    try {
      await config().update('maxMessageSizeMiB', 0.0625, vscode.ConfigurationTarget.Global);
      await config().update('requestTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
      // What a hostile repository would write; VS Code's own API refuses to write these to the workspace.
      const raised: SettingsEdit[] = [
        { path: ['mcpWarden.maxMessageSizeMiB'], value: 1000 },
        { path: ['mcpWarden.requestTimeoutSeconds'], value: 3600 },
        { path: ['editor.tabSize'], value: 7 }, // a change VS Code reports, so the test knows the file was read
      ];
      const read = configurationChanged('editor.tabSize');
      await write(editSettingsText(original, raised, false));
      await read;
      assert.equal(config().inspect('maxMessageSizeMiB')?.workspaceValue, undefined, 'VS Code ignores the workspace value');
      assert.equal(config().get('maxMessageSizeMiB'), 0.0625);
      // ...and says so, faded, where the file is edited.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(settingsFile));
      const hint = await diagnosticOn(settingsFile, 'mcpWarden.maxMessageSizeMiB');
      assert.match(hint.message, /application scope/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

      // Limits are read at each start: a 100 KiB answer is over the user's 64 KiB, far under the workspace's 1000 MiB.
      await api.restartServer('modern');
      await waitForServer(api, 'modern', isRunning, 'running');
      await assert.rejects(callAllowed(api, 'modern', 'big', { bytes: 100 * 1024 }));
      const stopped = await waitForServer(api, 'modern', (s) => s.state.kind === 'error' || s.state.kind === 'waiting', 'stopped for the large message');
      const reason = stopped.state.kind === 'error' ? stopped.state.message : stopped.state.kind === 'waiting' ? stopped.state.lastError : '';
      assert.match(reason, /larger than 64 KiB \(mcpWarden\.maxMessageSizeMiB\)/);

      await api.restartServer('modern');
      await waitForServer(api, 'modern', isRunning, 'running');
      // Under the workspace's hour this call would return after 30 s; the user's 2 s end it first.
      await assert.rejects(callAllowed(api, 'modern', 'sleep', { ms: 30_000 }), /timed out/);
    } finally {
      await config().update('maxMessageSizeMiB', undefined, vscode.ConfigurationTarget.Global);
      await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await write(original);
      await api.restartServer('modern');
      await waitForServer(api, 'modern', isRunning, 'running');
    }
  });
});
