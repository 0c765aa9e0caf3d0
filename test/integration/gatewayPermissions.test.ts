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
import type { Client, InputRequiredResult } from '@modelcontextprotocol/client';
import type { GatewayLimits } from '../../src/node/gateway/gateway';
import { FIXTURE, NODE, ROOT, running, waitUntil } from './harness';
import { LEGACY, MODERN, disposeGateways, startGateway, textOf, type Era, type GatewayRun } from './gatewayHarness';

const ELICITATION_SERVER = join(ROOT, 'test/fixtures/elicitation-server.mjs');
const PERMISSIONS_SERVER = join(ROOT, 'test/fixtures/permissions-server.mjs');

describe('gateway: permissions and questions, per agent', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
  });
  afterEach(disposeGateways);

  /** A gateway whose servers need approval, under the scripted user; launches are approved. */
  /** With `elicitation`, MCP Warden offers servers elicitation (answered by that script unless an agent answers) and sampling. */
  async function start(servers: Record<string, unknown>, elicitation?: ScriptedElicitation, limits?: Partial<GatewayLimits>): Promise<GatewayRun> {
    for (let i = 0; i < Object.keys(servers).length; i++) p.prompter.answer(allow('workspace'));
    const clientRequests = gatedClientRequests(p.broker, { rootsOf: () => [], ...(elicitation && { elicitation }) });
    const run = await startGateway(servers, {
      permissions: { ...p.harness, clientRequests },
      ...(elicitation && { offered: { elicitation: true, elicitationUrl: true, sampling: true } }),
      ...(limits && { gateway: { limits } }),
    });
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

  for (const era of [LEGACY, MODERN] as Era[]) {
    it(`a server's sampling request during a ${era} agent's call goes to that agent's model when it declared sampling`, async () => {
      const run = await start({ perms: { command: NODE, args: [PERMISSIONS_SERVER] } }, new ScriptedElicitation());
      const asked: unknown[] = [];
      const agent = await run.agent(era, {
        capabilities: { sampling: {} },
        setup: (client) =>
          client.setRequestHandler('sampling/createMessage', async (request) => {
            asked.push(request.params);
            return { role: 'assistant', content: { type: 'text', text: "the agent's model says hello" }, model: 'agent-model' };
          }),
      });
      p.prompter.answer(allow('workspace'));
      const result = await agent.callTool({ name: 'perms__sample', arguments: {} });
      assert.equal(textOf(result), "the agent's model says hello");
      assert.deepEqual((asked[0] as { messages?: unknown }).messages, [{ role: 'user', content: { type: 'text', text: 'Say hello' } }]);
    });
  }

  it("a 2026-07-28 agent's answers resume only its own parked call: a forged state or another agent's is refused", async () => {
    const run = await start({ elicit: { command: NODE, args: [ELICITATION_SERVER] } }, new ScriptedElicitation());
    const manual = { capabilities: { elicitation: { form: {} } }, inputRequired: { autoFulfill: false } } as const;
    const cursor = await run.agent(MODERN, { agent: 'cursor', ...manual });
    const claude = await run.agent(MODERN, { agent: 'claude-code', ...manual });
    p.prompter.answer(allow('workspace'));
    const first = (await cursor.callTool({ name: 'elicit__profile', arguments: {} }, { allowInputRequired: true })) as unknown as InputRequiredResult;
    assert.equal(first.resultType, 'input_required');
    const [key, question] = Object.entries(first.inputRequests ?? {})[0]!;
    assert.equal(question.method, 'elicitation/create');
    const answers = { [key]: { action: 'accept', content: { nickname: 'Ada', age: 36 } } };
    const retry = (client: Client, requestState: string) =>
      client.callTool({ name: 'elicit__profile', arguments: {}, inputResponses: answers, requestState } as never, { allowInputRequired: true });

    await assert.rejects(retry(cursor, 'v1.forged.state'), /a request state MCP Warden did not issue, or it expired/);
    await assert.rejects(retry(claude, first.requestState!), /no longer waiting/);
    const done = await retry(cursor, first.requestState!);
    assert.equal((JSON.parse(textOf(done)) as { content: { nickname: string } }).content.nickname, 'Ada');
    // Resumed once: the same state cannot resume it again.
    await assert.rejects(retry(cursor, first.requestState!), /no longer waiting/);
  });

  it("a parked call the agent never comes back for is cancelled after the input timeout", async () => {
    const run = await start({ elicit: { command: NODE, args: [ELICITATION_SERVER] } }, new ScriptedElicitation(), { inputTimeoutMs: 300 });
    const agent = await run.agent(MODERN, { capabilities: { elicitation: { form: {} } }, inputRequired: { autoFulfill: false } });
    p.prompter.answer(allow('workspace'));
    const first = (await agent.callTool({ name: 'elicit__profile', arguments: {} }, { allowInputRequired: true })) as unknown as InputRequiredResult;
    await waitUntil(
      () => run.audited.some((e) => e.type === 'request' && e.server === 'elicit' && e.request.method === 'tools/call' && e.response.error !== undefined),
      'the backing call to end',
    );
    await assert.rejects(agent.callTool({ name: 'elicit__profile', arguments: {}, inputResponses: {}, requestState: first.requestState } as never, { allowInputRequired: true }), /no longer waiting|expired/);
  });

  it("a URL request to an agent that declared only forms goes to MCP Warden's own hand-off, not to the agent", async () => {
    const warden = new ScriptedElicitation();
    warden.answer({ action: 'accept' } as ElicitationAnswer);
    const run = await start({ elicit: { command: NODE, args: [ELICITATION_SERVER] } }, warden);
    const asked: unknown[] = [];
    const agent = await run.agent(LEGACY, {
      capabilities: { elicitation: { form: {} } },
      setup: (client) =>
        client.setRequestHandler('elicitation/create', async (request) => {
          asked.push(request.params);
          return { action: 'decline' };
        }),
    });
    p.prompter.answer(allow('workspace'));
    await agent.callTool({ name: 'elicit__open_page', arguments: { url: 'https://example.com/sign-in' } });
    assert.equal(asked.length, 0, 'the agent was not sent what it cannot show');
    assert.deepEqual(warden.requests.map((r) => r.mode), ['url']);
  });

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
