// A large fleet through the gateway: 10 real servers × 20 tools, started through the registry under the real
// permission gate; an agent sees only the servers exposed directly, finds the others' tools with search_tools and
// calls one with call_tool, which the gate asks about and the audit log records as the inner tool, under the agent.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { allow, scriptedPermissions } from '../support/scriptedPermissions';
import { fleet } from '../unit/gateway/fleet';
import { NODE, ROOT, running } from './harness';
import { LEGACY, MODERN, disposeGateways, startGateway, textOf, type Era } from './gatewayHarness';

const FLEET_SERVER = join(ROOT, 'test/fixtures/gateway-fleet-server.mjs');
const EXPOSED = new Set(['github', 'slack']);

/** What an agent looking for a tool would ask, and the hidden server's tool it needs. */
const SEARCHES: [string, string][] = [
  ['commit staged changes', 'git__commit'],
  ['restart a container', 'docker__restart_container'],
  ['run a sql query', 'postgres__query'],
  ['schedule a meeting with attendees', 'calendar__create_event'],
  ['move jira ticket to done status', 'jira__transition_ticket'],
  ['take a screenshot of the page', 'browser__screenshot'],
];

type RequestRecord = Extract<AuditInput, { type: 'request' }>;

describe('gateway: 200 tools across 10 servers', function () {
  this.timeout(120_000);
  afterEach(disposeGateways);

  for (const era of [LEGACY, MODERN] as Era[]) {
    it(`are searchable by a ${era} agent that lists only the servers exposed directly, and call_tool passes the gate`, async () => {
      const servers = fleet();
      const p = scriptedPermissions({ workspaceFolder: ROOT });
      for (let i = 0; i < servers.length; i++) p.prompter.answer(allow('workspace'));
      const run = await startGateway(Object.fromEntries(servers.map(({ name }) => [name, { command: NODE, args: [FLEET_SERVER, '--theme', name] }])), {
        permissions: p.harness,
        gateway: { exposedDirectly: (server) => EXPOSED.has(server) },
      });
      for (const { name } of servers) await run.harness.waitFor(name, running, 'running');
      assert.equal(
        servers.reduce((sum, { name }) => sum + run.harness.server(name).catalog.tools.length, 0),
        200,
        'every server runs with its 20 tools',
      );
      const agent = await run.agent(era, { agent: 'claude-code' });

      const listed = (await agent.listTools()).tools.map((t) => t.name).sort();
      const expected = servers
        .filter(({ name }) => EXPOSED.has(name))
        .flatMap(({ name, tools }) => tools.map((t) => `${name}__${t.name}`))
        .concat(['call_tool', 'search_tools'])
        .sort();
      assert.deepEqual(listed, expected, 'the exposed servers’ 40 tools and the two meta tools, nothing of the hidden eight');

      for (const [query, wanted] of SEARCHES) {
        const found = await agent.callTool({ name: 'search_tools', arguments: { query } });
        const hits = (found.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name);
        assert.ok(hits.slice(0, 3).includes(wanted), `"${query}" should find ${wanted} in the top 3: ${hits.join(', ')}`);
      }

      const questionsBefore = p.prompter.questions.length;
      p.prompter.answer(allow('once'));
      const result = await agent.callTool({ name: 'call_tool', arguments: { name: 'git__commit', arguments: { repo_path: '/repo', message: 'fix' } } });
      assert.equal(textOf(result), 'git.commit {"repo_path":"/repo","message":"fix"}', 'the hidden server answered');

      const question = p.prompter.questions[questionsBefore];
      assert.ok(question, 'the gate asked about the call');
      assert.deepEqual([question.request.server, question.request.permission, question.request.agent], ['git', { kind: 'tool', target: 'commit' }, 'claude-code']);
      const calls = run.audited.filter((e): e is RequestRecord => e.type === 'request' && e.request.method === 'tools/call');
      assert.deepEqual(
        calls.map((e) => [e.server, (e.request.params as { name?: string }).name, e.agent, e.refused ?? false]),
        [['git', 'commit', 'claude-code', false]],
        'one audited call: the inner tool of the hidden server, under the agent — not call_tool',
      );
    });
  }
});
