import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import type { Grant, GrantStatus, PermissionRequest, UserAnswer } from '../../../../src/core/permissions/permission';
import { PermissionBroker, type PermissionQuestion } from '../../../../src/core/permissions/permissionBroker';
import { PermissionGate } from '../../../../src/core/permissions/permissionGate';
import { nullLogger } from '../../../../src/core/ports';
import { flush, ManualClock } from '../../fakes';

/** A prompter whose questions stay open until the test answers them. */
class HeldPrompter {
  readonly open: { question: PermissionQuestion; answer: (a: UserAnswer | undefined) => void; signal: AbortSignal }[] = [];
  ask(question: PermissionQuestion, signal: AbortSignal): Promise<UserAnswer | undefined> {
    return new Promise((resolve) => {
      this.open.push({ question, answer: resolve, signal });
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
  }
}

function setup(options: { storeFails?: boolean } = {}) {
  const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: ['/ws'], caseInsensitivePaths: false });
  const prompter = new HeldPrompter();
  const stored: Grant[] = [];
  const confirmed: Grant[] = [];
  const audited: AuditInput[] = [];
  const clock = new ManualClock();
  const broker = new PermissionBroker({
    gate,
    prompter,
    store: {
      add: async (grants) => {
        if (options.storeFails) throw new Error('the settings file is read-only');
        stored.push(...grants);
        // As the editor does: the written grants come back classified.
        gate.setWorkspaceGrants(stored.map((grant) => ({ grant, status: 'sealed' as GrantStatus })));
      },
      remove: async (grants) => {
        for (const g of grants) stored.splice(stored.indexOf(g), 1);
        gate.setWorkspaceGrants(stored.map((grant) => ({ grant, status: 'sealed' as GrantStatus })));
      },
      confirm: async (grants) => void confirmed.push(...grants),
    },
    sealer: { seal: (g) => ({ ...g, seal: 'hmac-sha256:0123456789abcdef:test-seal-xxxxxxxx' }), status: () => 'sealed' },
    audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) },
    clock,
    logger: nullLogger,
    askTimeoutMs: () => 60_000,
  });
  return { gate, prompter, stored, confirmed, audited, clock, broker };
}

const echo: PermissionRequest = { server: 'files', session: 's1', permission: { kind: 'tool', target: 'echo' }, pin: 'pin-1', method: 'tools/call' };

describe('PermissionBroker', () => {
  it('asks once for identical requests waiting together, and one answer settles them all', async () => {
    const { broker, prompter } = setup();
    const waiting: string[] = [];
    const first = broker.authorize(echo, { onWaiting: (m) => waiting.push(m) });
    const second = broker.authorize(echo, { onWaiting: (m) => waiting.push(m) });
    await flush();
    assert.equal(prompter.open.length, 1);
    assert.deepEqual(waiting, ["waiting for your permission: tool:echo of server 'files'", "waiting for your permission: tool:echo of server 'files'"]);
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'session' });
    assert.deepEqual([(await first).verdict, (await second).verdict], ['allow', 'allow']);
  });

  it('"Allow once" lets one of the requests waiting on a question through; the others are asked again', async () => {
    const { broker, prompter } = setup();
    const first = broker.authorize(echo);
    const second = broker.authorize(echo);
    await flush();
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'once' });
    assert.equal((await first).verdict, 'allow');
    await flush();
    assert.equal(prompter.open.length, 2, 'the second request gets a question of its own');
    prompter.open[1]?.answer({ verdict: 'deny', scope: 'once' });
    assert.equal((await second).verdict, 'deny');
  });

  it('a once answer is used up; a session answer decides the next request without asking', async () => {
    const { broker, prompter } = setup();
    const once = broker.authorize(echo);
    await flush();
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'once' });
    assert.equal((await once).rule, 'allowed by you this once');
    const again = broker.authorize(echo);
    await flush();
    assert.equal(prompter.open.length, 2, 'once was for that request only');
    prompter.open[1]?.answer({ verdict: 'deny', scope: 'session' });
    assert.equal((await again).verdict, 'deny');
    const decided = await broker.authorize(echo);
    assert.equal(decided.verdict, 'deny');
    assert.equal(prompter.open.length, 2);
  });

  it('denies, once, a request nobody answers in time, and one whose caller gave up', async () => {
    const { broker, prompter, clock, gate } = setup();
    const late = broker.authorize(echo);
    await flush();
    clock.advance(60_000);
    const decision = await late;
    assert.deepEqual([decision.verdict, decision.rule], ['deny', 'no answer within 60 s: denied this once']);
    assert.equal(prompter.open[0]?.signal.aborted, true, 'the question is withdrawn');
    assert.equal(gate.decide(echo).verdict, 'ask', 'nothing was remembered');

    const abort = new AbortController();
    const cancelled = broker.authorize(echo, { signal: abort.signal });
    await flush();
    abort.abort();
    assert.match((await cancelled).rule, /^the request was cancelled while waiting for your answer/);
  });

  it('seals a workspace answer into the store and honours it before the settings are read back', async () => {
    const { broker, prompter, stored, gate, audited } = setup();
    const asked = broker.authorize(echo);
    await flush();
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'workspace' });
    const decision = await asked;
    assert.equal(decision.verdict, 'allow');
    assert.equal(stored.length, 1);
    assert.deepEqual([stored[0]?.scope, stored[0]?.pin, stored[0]?.seal?.startsWith('hmac-sha256:')], ['workspace', 'pin-1', true]);
    assert.equal(gate.decide({ ...echo, session: 's2' }).verdict, 'allow', 'the workspace grant decides for another run');
    assert.equal(gate.decide({ ...echo, pin: 'pin-2' }).verdict, 'ask', 'pinned to the definition approved');
    assert.deepEqual(
      audited.filter((e) => e.type === 'permission').map((e) => e.type === 'permission' && [e.action, e.verdict, e.scope]),
      [
        ['granted', 'allow', 'workspace'],
        ['decided', 'allow', 'workspace'],
      ],
    );
  });

  it('keeps the answer for this request when the grant cannot be written, and says so', async () => {
    const { broker, prompter, gate } = setup({ storeFails: true });
    const asked = broker.authorize(echo);
    await flush();
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'workspace' });
    const decision = await asked;
    assert.equal(decision.verdict, 'allow');
    assert.match(decision.rule, /keeping the answer failed: the settings file is read-only/);
    assert.equal(gate.decide(echo).verdict, 'ask', 'what was not kept does not decide the next request');
  });

  it('passes risks only the caller knows into the question, so it is asked modally', async () => {
    const { broker, prompter } = setup();
    void broker.authorize({ ...echo, permission: { kind: 'launch', target: '' } }, { risks: ['downloads and runs a package (npx)'], launch: { summary: 'runs `npx x`', notes: [] } });
    await flush();
    assert.deepEqual(prompter.open[0]?.question.decision.risks, ['downloads and runs a package (npx)']);
    assert.equal(prompter.open[0]?.question.launch?.summary, 'runs `npx x`');
  });

  it('asks about a secret a broader grant covers when only a grant of that very path may decide', async () => {
    const { broker, prompter, gate } = setup();
    gate.setWorkspaceGrants([{ grant: { server: 'files', kind: 'fs.read', target: '/home/u', decision: 'allow', scope: 'workspace', grantedAt: '2026-12-03T00:00:00Z' }, status: 'sealed' }]);
    const key: PermissionRequest = { server: 'files', session: 's1', permission: { kind: 'fs.read', target: '/home/u/.ssh/id_rsa' }, method: 'sandbox' };
    assert.equal((await broker.authorize(key)).verdict, 'allow', 'the folder grant covers it for the gate');
    const asked = broker.authorize(key, { requireExactGrant: true, risks: ['holds secrets'] });
    await flush();
    assert.equal(prompter.open.length, 1);
    assert.deepEqual(prompter.open[0]?.question.decision.risks, ['holds secrets']);
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'session' });
    assert.equal((await asked).grant?.target, '/home/u/.ssh/id_rsa');
    assert.equal((await broker.authorize(key, { requireExactGrant: true })).verdict, 'allow', 'now a grant of the path itself decides');
    assert.equal(prompter.open.length, 1);
  });

  it('confirms a proposed grant on this machine instead of writing a new one', async () => {
    const { broker, prompter, gate, stored, confirmed } = setup();
    const proposed: Grant = { server: 'files', kind: 'tool', target: 'echo', decision: 'allow', scope: 'workspace', grantedAt: '2026-01-01T00:00:00.000Z', pin: 'pin-1' };
    gate.setWorkspaceGrants([{ grant: proposed, status: 'proposed' }]);
    const asked = broker.authorize(echo);
    await flush();
    assert.equal(prompter.open[0]?.question.decision.proposed, proposed);
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'workspace' });
    assert.equal((await asked).verdict, 'allow');
    assert.deepEqual(confirmed, [proposed]);
    assert.equal(stored.length, 0, 'the committed grant is left as it is');
  });

  it('revokes memory and workspace grants; the next request asks', async () => {
    const { broker, prompter, gate, stored } = setup();
    const asked = broker.authorize(echo);
    await flush();
    prompter.open[0]?.answer({ verdict: 'allow', scope: 'workspace' });
    await asked;
    await broker.revoke(gate.list('files').map((l) => l.grant));
    assert.equal(stored.length, 0);
    assert.equal(gate.decide(echo).verdict, 'ask');
  });

  it('a prompter that throws counts as a dismissed question, never as an allow', async () => {
    const { gate } = setup();
    const broker = new PermissionBroker({
      gate,
      prompter: { ask: () => Promise.reject(new Error('no window')) },
      store: { add: async () => undefined, remove: async () => undefined, confirm: async () => undefined },
      sealer: { seal: (g) => g, status: () => 'sealed' },
      audit: { record: () => undefined },
      clock: new ManualClock(),
      logger: nullLogger,
      askTimeoutMs: () => 1000,
    });
    const decision = await broker.authorize(echo);
    assert.deepEqual([decision.verdict, decision.rule], ['deny', 'the question was dismissed: denied this once']);
  });
});
