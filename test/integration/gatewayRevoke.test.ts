// Two real clients, one grant set: the SDK client (agent claude-code, one session kept open) and the MCP
// Inspector's CLI (agent cursor, its own copy of the SDK, one connection per run) call through the gateway under the
// real gate and broker. A workspace grant covers both; revoking it applies to both at once; a grant naming one agent
// covers that agent only. Only the user's clicks are scripted.
import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { Grant } from '../../src/core/permissions/permission';
import { toolPin } from '../../src/core/permissions/definitionPins';
import { nodeHasher } from '../../src/node/permissions/hasher';
import { deny, scriptedPermissions, allow, type ScriptedPermissions } from '../support/scriptedPermissions';
import { FIXTURE, NODE, ROOT, running } from './harness';
import { LEGACY, MODERN, disposeGateways, runInspector, startGateway, textOf, type Era, type GatewayRun } from './gatewayHarness';

interface CallOutcome {
  readonly text: string;
  readonly isError: boolean;
}

/** One Inspector CLI run as agent cursor: one connection, one `tools/call` of fixture__echo. HOME is a fresh folder. */
async function inspectorEcho(run: GatewayRun, era: Era, text: string): Promise<CallOutcome> {
  const { code, stdout, stderr } = await runInspector(run, era, run.tokenOf['cursor']!, ['--method', 'tools/call', '--tool-name', 'fixture__echo', '--tool-arg', `text=${text}`]);
  // 0: a result; 5: a tool error, printed like a result (its code, `tool_is_error`, on stderr).
  if (code !== 0 && code !== 5) throw new Error(`the Inspector exited with ${code}: ${stderr}`);
  const result = (JSON.parse(stdout) as { result: { isError?: boolean } }).result;
  assert.equal(result.isError === true, code === 5, `exit code ${code} for ${stdout}`);
  return { text: textOf(result), isError: result.isError === true };
}

type RequestRecord = Extract<AuditInput, { type: 'request' }>;
const echoCalls = (run: GatewayRun) =>
  run.audited
    .filter((e): e is RequestRecord => e.type === 'request' && e.request.method === 'tools/call' && e.server === 'fixture')
    .map((e) => [e.agent, e.refused ?? false]);

const DENIED = /MCP Warden denied tools\/call of tool 'echo' of server 'fixture'/;

describe('gateway: two real clients, one grant set', function () {
  this.timeout(120_000);
  let p: ScriptedPermissions;
  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
  });
  afterEach(disposeGateways);

  async function start(): Promise<GatewayRun> {
    p.prompter.answer(allow('workspace'));
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { permissions: p.harness });
    await run.harness.waitFor('fixture', running, 'running');
    return run;
  }

  /** "Allow for Workspace" of fixture's echo as it stands in settings: sealed on this machine, pinned to the definition. */
  function echoGrant(run: GatewayRun, agents?: string[]): Grant {
    const echo = run.harness.server('fixture').catalog.tools.find((t) => t.name === 'echo')!;
    return p.sealer.seal({
      server: 'fixture',
      kind: 'tool',
      target: 'echo',
      decision: 'allow',
      scope: 'workspace',
      grantedAt: '2026-12-03T00:00:00.000Z',
      pin: toolPin(echo, nodeHasher),
      ...(agents && { agents }),
    });
  }

  for (const [sdkEra, inspectorEra] of [
    [MODERN, LEGACY],
    [LEGACY, MODERN],
  ] as [Era, Era][]) {
    it(`a grant for every agent covers the SDK client (${sdkEra}) and the Inspector (${inspectorEra}); its revoke applies to both at once`, async () => {
      const run = await start();
      const grant = echoGrant(run);
      p.writeSettings([grant]);
      const sdk = await run.agent(sdkEra, { agent: 'claude-code', clientName: 'claude-code' });
      const asked = p.prompter.questions.length;
      const session = sdk.transport?.sessionId;
      assert.equal(session !== undefined, sdkEra === LEGACY, 'a 2025 session has an id (a 2026-07-28 client has no session to keep)');

      assert.equal(textOf(await sdk.callTool({ name: 'fixture__echo', arguments: { text: 'sdk before' } })), 'sdk before');
      assert.deepEqual(await inspectorEcho(run, inspectorEra, 'inspector before'), { text: 'inspector before', isError: false });
      assert.equal(p.prompter.questions.length, asked, 'the grant answered both; nobody was asked');

      await p.broker.revoke([grant]);
      assert.deepEqual(p.store.grants, [], 'gone from settings');

      // The SDK client's session is the same one it used before the revoke; the Inspector connects anew.
      p.prompter.answer(deny('once'), deny('once'));
      const sdkAfter = await sdk.callTool({ name: 'fixture__echo', arguments: { text: 'sdk after' } });
      assert.equal(sdkAfter.isError, true);
      assert.match(textOf(sdkAfter), DENIED);
      assert.equal(sdk.transport?.sessionId, session, 'the same session');
      const inspectorAfter = await inspectorEcho(run, inspectorEra, 'inspector after');
      assert.equal(inspectorAfter.isError, true);
      assert.match(inspectorAfter.text, DENIED);
      assert.deepEqual(
        p.prompter.questions.slice(asked).map((q) => [q.request.agent, q.request.permission.target]),
        [
          ['claude-code', 'echo'],
          ['cursor', 'echo'],
        ],
        'after the revoke each agent is asked, under its own name',
      );
      assert.deepEqual(echoCalls(run), [
        ['claude-code', false],
        ['cursor', false],
        ['claude-code', true],
        ['cursor', true],
      ]);
    });
  }

  it('a grant naming only claude-code covers the SDK client and not the Inspector', async () => {
    const run = await start();
    p.writeSettings([echoGrant(run, ['claude-code'])]);
    const sdk = await run.agent(MODERN, { agent: 'claude-code' });
    const asked = p.prompter.questions.length;

    assert.equal(textOf(await sdk.callTool({ name: 'fixture__echo', arguments: { text: 'covered' } })), 'covered');
    assert.equal(p.prompter.questions.length, asked, 'the SDK client was not asked');

    p.prompter.answer(deny('once'));
    const inspector = await inspectorEcho(run, MODERN, 'not covered');
    assert.equal(inspector.isError, true);
    assert.match(inspector.text, DENIED);
    assert.deepEqual(
      p.prompter.questions.slice(asked).map((q) => q.request.agent),
      ['cursor'],
      'the Inspector was asked',
    );
    assert.deepEqual(echoCalls(run), [
      ['claude-code', false],
      ['cursor', true],
    ]);
  });
});
