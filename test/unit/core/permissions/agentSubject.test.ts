import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import { GrantUsage } from '../../../../src/core/permissions/grantUsage';
import { grantCovers, type Grant, type GrantStatus, type PermissionRequest } from '../../../../src/core/permissions/permission';
import { PermissionBroker, type PermissionQuestion } from '../../../../src/core/permissions/permissionBroker';
import { PermissionGate } from '../../../../src/core/permissions/permissionGate';
import { nullLogger } from '../../../../src/core/ports';
import { flush, ManualClock } from '../../fakes';

const AT = '2026-12-03T10:00:00.000Z';
const call = (extra: Partial<PermissionRequest> = {}): PermissionRequest => ({
  server: 'files',
  session: 's1',
  permission: { kind: 'tool', target: 'search' },
  pin: 'pin-1',
  method: 'tools/call',
  ...extra,
});
const allow = (extra: Partial<Grant> = {}): Grant => ({ server: 'files', kind: 'tool', target: 'search', decision: 'allow', scope: 'workspace', grantedAt: AT, pin: 'pin-1', ...extra });

function gateWith(...grants: Grant[]): PermissionGate {
  const gate = new PermissionGate({ annotationDefaults: { readOnlyHint: 'allow' }, workspaceFolders: ['/ws'], caseInsensitivePaths: false });
  gate.setWorkspaceGrants(grants.map((grant) => ({ grant, status: 'sealed' as GrantStatus })));
  return gate;
}

describe('the calling agent as part of the subject', () => {
  it('a grant naming agents covers exactly those agents, not MCP Warden itself nor another agent', () => {
    const gate = gateWith(allow({ agents: ['claude-code'] }));
    assert.equal(gate.decide(call({ agent: 'claude-code' })).verdict, 'allow');
    assert.equal(gate.decide(call({ agent: 'claude-code' })).rule, 'allowed to claude-code for this workspace on 2026-12-03 (sealed grant)');
    assert.equal(gate.decide(call({ agent: 'cursor' })).verdict, 'ask');
    assert.equal(gate.decide(call()).verdict, 'ask');
  });

  it('a grant naming none covers MCP Warden and every agent, but not a server delegating through the gateway', () => {
    const gate = gateWith(allow());
    assert.equal(gate.decide(call()).verdict, 'allow');
    assert.equal(gate.decide(call({ agent: 'cursor' })).verdict, 'allow');
    const delegated = gate.decide(call({ agent: 'server:notes', chain: ['claude-code'] }));
    assert.equal(delegated.verdict, 'ask');
    assert.ok(delegated.risks.some((r) => r.includes("server 'notes' calls another server")), delegated.risks.join());
  });

  it('delegation is allowed only by a grant that names the calling server, and a deny naming nobody denies it too', () => {
    assert.equal(gateWith(allow({ agents: ['server:notes'] })).decide(call({ agent: 'server:notes' })).verdict, 'allow');
    assert.equal(gateWith(allow({ agents: ['server:notes'] })).decide(call({ agent: 'server:other' })).verdict, 'ask');
    assert.equal(gateWith(allow({ decision: 'deny' })).decide(call({ agent: 'server:notes' })).verdict, 'deny');
    assert.equal(grantCovers({ decision: 'deny' }, 'server:x'), true);
    assert.equal(grantCovers({ decision: 'allow' }, 'server:x'), false);
  });

  it("a tool's annotations never allow a delegated call (the user's defaults are for MCP Warden and agents)", () => {
    const gate = gateWith();
    const readOnly = { readOnlyHint: true };
    assert.equal(gate.decide(call({ agent: 'cursor', annotations: readOnly })).verdict, 'allow');
    assert.equal(gate.decide(call({ agent: 'server:notes', annotations: readOnly })).verdict, 'ask');
  });

  it('does not serve one agent the decision cached for another', () => {
    const gate = gateWith(allow({ agents: ['claude-code'] }));
    assert.equal(gate.decide(call({ agent: 'claude-code' })).verdict, 'allow');
    assert.equal(gate.decide(call({ agent: 'claude-code' })).verdict, 'allow'); // cached
    assert.equal(gate.decide(call({ agent: 'cursor' })).verdict, 'ask');
  });

  it("an answer to an agent's question is kept for that agent only, beside one for every caller", () => {
    const gate = gateWith();
    const kept = gate.remember(call({ agent: 'cursor' }), { verdict: 'allow', scope: 'session' }, AT);
    assert.deepEqual(kept.agents, ['cursor']);
    assert.equal(gate.decide(call({ agent: 'cursor' })).verdict, 'allow');
    assert.equal(gate.decide(call({ agent: 'gemini-cli' })).verdict, 'ask');
    gate.remember(call(), { verdict: 'deny', scope: 'session' }, AT);
    assert.equal(gate.decide(call({ agent: 'cursor' })).verdict, 'allow', "the agent's own session grant stays");
    assert.equal(gate.decide(call()).verdict, 'deny');
  });
});

describe('the broker with agents', () => {
  function setup() {
    const gate = gateWith();
    const audited: AuditInput[] = [];
    const questions: PermissionQuestion[] = [];
    const usage = new GrantUsage();
    const broker = new PermissionBroker({
      gate,
      prompter: {
        ask: (question) => {
          questions.push(question);
          return Promise.resolve({ verdict: 'allow', scope: 'session' });
        },
      },
      store: { add: async () => {}, remove: async () => {}, confirm: async () => {} },
      sealer: { seal: (g) => g, status: () => 'sealed' },
      audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) },
      clock: new ManualClock(),
      logger: nullLogger,
      askTimeoutMs: () => 60_000,
      usage,
    });
    return { gate, broker, audited, questions, usage };
  }

  it('asks each agent its own question, and the audit names the agent and the chain', async () => {
    const { broker, audited, questions } = setup();
    const waiting: string[] = [];
    const a = broker.authorize(call({ agent: 'cursor' }), { onWaiting: (m) => waiting.push(m) });
    const b = broker.authorize(call({ agent: 'server:notes', chain: ['claude-code'] }));
    await flush();
    assert.equal((await a).verdict, 'allow');
    assert.equal((await b).verdict, 'allow');
    assert.equal(questions.length, 2, 'two agents, two questions');
    assert.match(waiting[0]!, /asked by cursor/);
    const decided = audited.filter((e) => e.type === 'permission' && e.action === 'decided');
    assert.deepEqual(
      decided.map((e) => e.type === 'permission' && [e.agent, e.chain]),
      [
        ['cursor', undefined],
        ['server:notes', ['claude-code']],
      ],
    );
    const granted = audited.find((e) => e.type === 'permission' && e.action === 'granted');
    assert.ok(granted?.type === 'permission' && granted.agents?.[0] === 'cursor');
  });

  it('tells which agents used a grant, and keeps that across a restore', () => {
    const { broker, usage, gate } = setup();
    gate.setWorkspaceGrants([{ grant: allow(), status: 'sealed' }]);
    broker.decideWithoutAsking(call({ agent: 'cursor' }));
    broker.decideWithoutAsking(call({ agent: 'claude-code' }));
    broker.decideWithoutAsking(call());
    assert.deepEqual(usage.agentsOf(allow()), ['claude-code', 'cursor']);
    const again = new GrantUsage();
    again.restore(JSON.parse(JSON.stringify(usage.toJSON())));
    again.restore([['bad'], 7, null]);
    assert.deepEqual(again.agentsOf(allow()), ['claude-code', 'cursor']);
  });
});
