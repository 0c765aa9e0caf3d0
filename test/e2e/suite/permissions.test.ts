// Permissions in the real extension host: a new server waits for its launch to be approved; a tool call waits for
// an answer, and "allow for the workspace" keeps a sealed grant in .vscode/settings.json without losing its
// comments; a revocation makes the next call ask again; a sealed grant edited by hand is ignored. Questions are
// answered the way a notification button answers them (Answer Permission Request).
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { editSettingsText } from '../../../src/core/config/settingsEdit';
import { PermissionCommands } from '../../../src/core/ids';
import { toolPin } from '../../../src/core/permissions/definitionPins';
import type { Grant } from '../../../src/core/permissions/permission';
import { nodeHasher } from '../../../src/node/permissions/hasher';
import type { McpWardenApi } from '../../../src/vscode/api';
import { allowWhenAsked, answerWhenAsked, isRunning, needsApproval, pidOf, waitForServer, waitUntil, wardenApi } from './helpers';

const FIXTURE = join(__dirname, '../../../../test/fixtures/fixture-server.mjs');
const SERVER = 'guarded';
const COMMENT = '// Written by the e2e tests; comments like this one must survive edits.';

/** Processes whose environment holds `marker` (the fixture of this test carries a fresh one). */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`WARDEN_PROBE=${marker}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function grantsIn(text: string): Grant[] {
  const grants = (parse(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined)?.['mcpWarden.grants'];
  return Array.isArray(grants) ? (grants as Grant[]) : [];
}

/** Polls the audit log's segments until a record matches (records are written in batches, a moment after the event). */
async function auditRecord(folder: string, match: (record: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
        try {
          const record = line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
          if (record && match(record)) return record;
        } catch {
          // a line being written
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no matching audit record after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Permissions', function () {
  let api: McpWardenApi;
  let settingsFile: vscode.Uri;
  let workspaceServers: unknown;
  const marker = randomUUID();
  const read = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(settingsFile));
  const echoGrant = (text: string) => grantsIn(text).find((g) => g.server === SERVER && g.kind === 'tool' && g.target === 'echo');

  before(async function () {
    api = await wardenApi();
    settingsFile = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, '.vscode', 'settings.json');
    workspaceServers = vscode.workspace.getConfiguration('mcpWarden').inspect('servers')?.workspaceValue;
  });

  after(async function () {
    await vscode.workspace.getConfiguration('mcpWarden').update('servers', workspaceServers, vscode.ConfigurationTarget.Workspace);
    await waitUntil(api, () => api.getServer(SERVER) === undefined, `forgetting '${SERVER}'`);
  });

  it('runs a new server only once its exact launch is approved, and keeps the approval sealed in settings', async function () {
    const definition = { command: process.execPath, args: [FIXTURE], env: { MCP_WARDEN_E2E_SERVER: '1', WARDEN_PROBE: marker } };
    await vscode.workspace
      .getConfiguration('mcpWarden')
      .update('servers', { ...(workspaceServers as Record<string, unknown>), [SERVER]: definition }, vscode.ConfigurationTarget.Workspace);
    const waiting = await waitForServer(api, SERVER, needsApproval, 'waiting for launch approval');
    assert.ok(waiting.state.kind === 'needs-approval');
    assert.match(waiting.state.summary, /^runs `.*fixture-server\.mjs`$/);
    assert.deepEqual(processesWith(marker), [], 'no process runs before the launch is approved');

    await vscode.commands.executeCommand(PermissionCommands.approveLaunch, SERVER);
    const pid = pidOf(await waitForServer(api, SERVER, isRunning, 'running'));
    assert.ok(pid && processesWith(marker).includes(pid));
    const launch = grantsIn(await read()).find((g) => g.server === SERVER && g.kind === 'launch');
    assert.equal(launch?.decision, 'allow');
    assert.match(launch.seal ?? '', /^hmac-sha256:[0-9a-f]{16}:[A-Za-z0-9_-]+$/);
    assert.match(launch.pin ?? '', /^[0-9a-f]{64}$/);
  });

  it('holds a tool call until it is allowed; allowed for the workspace, the grant lands sealed in settings.json with its comments', async function () {
    assert.ok((await read()).startsWith(COMMENT));
    const call = api.callTool(SERVER, 'echo', { text: 'allowed by the user' });
    assert.equal(await allowWhenAsked(SERVER, 'tool', 'workspace', { until: call }), 1, 'the call asked before it ran');
    assert.deepEqual((await call).content, [{ type: 'text', text: 'allowed by the user' }]);

    const written = await read();
    const grant = echoGrant(written);
    assert.ok(grant, `no grant for tool echo in settings.json:\n${written}`);
    assert.equal(grant.decision, 'allow');
    assert.equal(grant.scope, 'workspace');
    assert.match(grant.seal ?? '', /^hmac-sha256:[0-9a-f]{16}:[A-Za-z0-9_-]+$/);
    assert.equal(grant.pin, toolPin(api.getServer(SERVER)!.tools.find((t) => t.name === 'echo')!, nodeHasher), 'pinned to the definition of echo');
    assert.ok(written.startsWith(COMMENT), `the comment of settings.json was lost:\n${written}`);

    const again = api.callTool(SERVER, 'echo', { text: 'no question this time' });
    assert.equal(await allowWhenAsked(SERVER, 'tool', 'once', { until: again }), 0, 'the grant decided the next call');
    assert.deepEqual((await again).content, [{ type: 'text', text: 'no question this time' }]);
  });

  it('asks again on the very next call after the grant is revoked', async function () {
    const grant = echoGrant(await read());
    assert.ok(grant);
    await vscode.commands.executeCommand(PermissionCommands.revoke, { kind: 'grant', listed: { grant, status: 'sealed' }, suspended: false });
    const call = api.callTool(SERVER, 'echo', { text: 'after the revocation' });
    assert.equal(await allowWhenAsked(SERVER, 'tool', 'once', { until: call }), 1, 'the call asked again');
    assert.deepEqual((await call).content, [{ type: 'text', text: 'after the revocation' }]);
    assert.equal(echoGrant(await read()), undefined, 'the revoked grant is gone from settings.json');
    const next = api.callTool(SERVER, 'echo', { text: 'allowed for the workspace again' });
    assert.equal(await allowWhenAsked(SERVER, 'tool', 'workspace', { until: next }), 1);
    await next;
    assert.ok(echoGrant(await read()), 'allowed for the workspace again');
  });

  it('never reads mcpWarden.grants from user settings, even a grant sealed on this machine', async function () {
    const sealed = echoGrant(await read());
    assert.ok(sealed, 'the workspace holds a sealed grant for echo');
    // Revoked from the workspace (the revoke resolves once the gate no longer holds it), then put into the user's
    // settings as it was, seal and all.
    await vscode.commands.executeCommand(PermissionCommands.revoke, { kind: 'grant', listed: { grant: sealed, status: 'sealed' }, suspended: false });
    await vscode.workspace.getConfiguration('mcpWarden').update('grants', [sealed], vscode.ConfigurationTarget.Global);
    try {
      // Another workspace grant makes the gate re-read its grants after the user setting was written.
      const sleep = api.callTool(SERVER, 'sleep', { ms: 1 });
      assert.equal(await allowWhenAsked(SERVER, 'tool', 'workspace', { until: sleep }), 1);
      await sleep;
      const call = api.callTool(SERVER, 'echo', { text: 'from user settings?' });
      assert.equal(await answerWhenAsked(SERVER, 'tool', 'deny', 'once', { until: call }), 1, 'the call asked: the grant in user settings decided nothing');
      await assert.rejects(call, /denied/);
    } finally {
      await vscode.workspace.getConfiguration('mcpWarden').update('grants', undefined, vscode.ConfigurationTarget.Global);
    }
    // The next test needs a workspace grant for echo again.
    const again = api.callTool(SERVER, 'echo', { text: 'allowed for the workspace once more' });
    assert.equal(await allowWhenAsked(SERVER, 'tool', 'workspace', { until: again }), 1);
    await again;
  });

  it('ignores a sealed grant edited by hand to allow another tool, and reports it', async function () {
    // A new session: the workspace answer also kept in memory for the old session goes with it.
    await api.restartServer(SERVER);
    const server = await waitForServer(api, SERVER, isRunning, 'running');
    const text = await read();
    const index = grantsIn(text).findIndex((g) => g.server === SERVER && g.kind === 'tool' && g.target === 'echo');
    assert.ok(index >= 0);
    // Everything a grant for `add` needs, pin included, but the seal made for `echo`.
    const forged = { ...grantsIn(text)[index]!, target: 'add', pin: toolPin(server.tools.find((t) => t.name === 'add')!, nodeHasher) };
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(editSettingsText(text, [{ path: ['mcpWarden.grants', index], value: forged }], false)));
    await auditRecord(api.auditLogFolder, (r) => r['type'] === 'permission' && r['action'] === 'tampered' && r['server'] === SERVER);

    const call = api.callTool(SERVER, 'add', { a: 1, b: 2 });
    assert.equal(await answerWhenAsked(SERVER, 'tool', 'deny', 'once', { until: call }), 1, 'the edited grant decided nothing: the call asked');
    await assert.rejects(call, /denied/);
  });

});
