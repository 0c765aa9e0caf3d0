// The gateway under the real permission gate and broker (only the user's clicks are scripted): the agent is part of
// the subject of every question, grant and audit record, and a server's questions go to the agent that caused them
// when it said it can answer them.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { gatedClientRequests } from '../../src/core/permissions/clientRequestGate';
import type { ElicitationAnswer } from '../../src/core/clientFeatures/elicitation';
import { ScriptedElicitation } from '../support/scriptedElicitation';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { FIXTURE, NODE, ROOT, running } from './harness';
import { LEGACY, MODERN, disposeGateways, offerElicitation, startGateway, textOf, type Era, type GatewayRun } from './gatewayHarness';

const ELICITATION_SERVER = join(ROOT, 'test/fixtures/elicitation-server.mjs');

describe('gateway: permissions and questions, per agent', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
  });
  afterEach(disposeGateways);

  /** A gateway whose servers need approval, under the scripted user; launches are approved. */
  async function start(servers: Record<string, unknown>, elicitation?: ScriptedElicitation): Promise<GatewayRun> {
    for (let i = 0; i < Object.keys(servers).length; i++) p.prompter.answer(allow('workspace'));
    const clientRequests = gatedClientRequests(p.broker, { rootsOf: () => [], ...(elicitation && { elicitation }) });
    const run = await startGateway(servers, { permissions: { ...p.harness, clientRequests }, autostart: !elicitation });
    if (elicitation) {
      offerElicitation(run.harness);
      for (const name of Object.keys(servers)) await run.harness.registry.start(name);
    }
    for (const name of Object.keys(servers)) await run.harness.waitFor(name, running, 'running');
    return run;
  }

  it("the user's answer to one agent is that agent's: a deny for one agent refuses its call, as a tool error, not the other's", async () => {
    const run = await start({ fixture: { command: NODE, args: [FIXTURE] } });
    const claude = await run.agent(LEGACY, { agent: 'claude-code', clientName: 'claude-code' });
    const cursor = await run.agent(MODERN, { agent: 'cursor', clientName: 'cursor-vscode' });

    p.prompter.answer(allow('workspace'));
    assert.equal(textOf(await claude.callTool({ name: 'fixture__echo', arguments: { text: 'ok' } })), 'ok');
    const asked = p.prompter.questions.at(-1);
    assert.equal(asked?.request.agent, 'claude-code', 'the question names the agent, from its token');

    // (A session answer: test/support's MemoryGrantStore keeps one grant per server, kind and target, whatever the agents.)
    p.prompter.answer(deny('session'));
    const refused = await cursor.callTool({ name: 'fixture__echo', arguments: { text: 'no' } });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /MCP Warden denied tools\/call of tool 'echo' of server 'fixture' \(permission tool:echo\)/);
    assert.equal(p.prompter.questions.at(-1)?.request.agent, 'cursor');

    // Both answers stand: neither agent is asked again, and each gets its own answer.
    const questions = p.prompter.questions.length;
    assert.equal(textOf(await claude.callTool({ name: 'fixture__echo', arguments: { text: 'again' } })), 'again');
    assert.equal((await cursor.callTool({ name: 'fixture__echo', arguments: { text: 'again' } })).isError, true);
    assert.equal(p.prompter.questions.length, questions);
    assert.deepEqual(
      p.store.grants.filter((g) => g.kind === 'tool').map((g) => [g.decision, g.agents]),
      [['allow', ['claude-code']]],
      "the workspace grant covers the agent that was asked, and only it",
    );
    const calls = run.audited.filter((e): e is Extract<AuditInput, { type: 'request' }> => e.type === 'request' && e.request.method === 'tools/call');
    assert.deepEqual(
      calls.map((e) => [e.agent, e.refused ?? false]),
      [
        ['claude-code', false],
        ['cursor', true],
        ['claude-code', false],
        ['cursor', true],
      ],
      'the audit log names the agent of every call, from its token',
    );
  });

  for (const [era, backing] of [
    [LEGACY, LEGACY],
    [MODERN, LEGACY],
    [LEGACY, 'modern'],
    [MODERN, 'modern'],
  ] as [Era, string][]) {
    it(`a server's question (${backing} server) during a ${era} agent's call goes to that agent when it declared elicitation`, async () => {
      const warden = new ScriptedElicitation();
      const run = await start({ elicit: { command: NODE, args: [ELICITATION_SERVER, '--era', backing] } }, warden);
      const asked: unknown[] = [];
      const agent = await run.agent(era, {
        capabilities: { elicitation: { form: {} } },
        setup: (client) =>
          client.setRequestHandler('elicitation/create', async (request) => {
            asked.push(request.params);
            return { action: 'accept', content: { nickname: 'Ada', age: 36 } };
          }),
      });
      p.prompter.answer(allow('workspace'));
      const result = await agent.callTool({ name: 'elicit__profile', arguments: {} });
      const answer = JSON.parse(textOf(result)) as { action: string; content: Record<string, unknown> };
      assert.deepEqual([answer.action, answer.content['nickname'], answer.content['age']], ['accept', 'Ada', 36]);
      assert.equal(asked.length, 1, 'the agent answered the question');
      assert.equal((asked[0] as { message?: string }).message, 'Set up your profile');
      assert.equal(warden.requests.length, 0, "MCP Warden's own form was not shown");
    });
  }

  it("an agent that did not declare elicitation: MCP Warden's own form answers the server", async () => {
    const warden = new ScriptedElicitation();
    warden.answer({ action: 'accept', content: { nickname: 'Grace', age: 40 } } as ElicitationAnswer);
    const run = await start({ elicit: { command: NODE, args: [ELICITATION_SERVER] } }, warden);
    const agent = await run.agent(LEGACY);
    p.prompter.answer(allow('workspace'));
    const result = await agent.callTool({ name: 'elicit__profile', arguments: {} });
    assert.equal(warden.requests.length, 1);
    assert.equal((JSON.parse(textOf(result)) as { content?: { nickname?: string } }).content?.nickname, 'Grace');
  });
});
