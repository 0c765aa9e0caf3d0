// Sampling with real servers, in both protocol eras: the real launcher, gate, broker and audit tap; the editor's
// language model and the user's click on the consent are a script (the model is outside the product). The model
// echoes the last user text through the real MCP ↔ chat mapping (samplingMessages.ts).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { SamplingConsent, SamplingProvider, SamplingRequest } from '../../src/core/clientFeatures/sampling';
import { toChatMessages, toSamplingResult } from '../../src/core/clientFeatures/samplingMessages';
import { samplingSummary } from '../../src/core/clientFeatures/samplingText';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { Session, ToolCallResult } from '../../src/core/lifecycle/session';
import { gatedClientRequests, grantedRoots } from '../../src/core/permissions/clientRequestGate';
import type { Grant } from '../../src/core/permissions/permission';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { EVERYTHING, launchSession, NODE, ROOT } from './harness';

const PERMISSIONS_FIXTURE = join(ROOT, 'test/fixtures/permissions-server.mjs');
const OPTIONS = { timeoutMs: 20_000 };
const SAMPLING_TOOL = 'trigger-sampling-request';

type Click = SamplingConsent | 'dismiss';

/** The editor's side, scripted: consent answers from a queue (what the user clicks), a model that echoes. */
class ScriptedSampling implements SamplingProvider {
  readonly consents: { request: SamplingRequest; summary: string }[] = [];
  readonly completions: { model: string | undefined }[] = [];
  private readonly clicks: Click[] = [];

  click(...clicks: Click[]): void {
    this.clicks.push(...clicks);
  }

  async consent(request: SamplingRequest): Promise<SamplingConsent | undefined> {
    this.consents.push({ request, summary: samplingSummary(request) });
    const click = this.clicks.shift();
    if (click === undefined) throw new Error('the test did not script this consent');
    return click === 'dismiss' ? undefined : click;
  }

  async complete(request: SamplingRequest, model: string | undefined): Promise<unknown> {
    this.completions.push({ model });
    const lastUser = toChatMessages(request.params).filter((m) => m.role === 'user').pop();
    const text = lastUser?.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') ?? '';
    return toSamplingResult([{ kind: 'text', text: `echo: ${text}` }], model ?? 'warden-test-model', { maxTokens: request.params.maxTokens, outputTokens: 3 });
  }
}

const textOf = (result: unknown) => ((result as ToolCallResult).content as { text?: string }[]).map((c) => c.text ?? '').join('');

describe('sampling with real servers through the gate (both eras)', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  let model: ScriptedSampling;
  let audited: AuditInput[];
  const sessions: Session[] = [];

  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
    model = new ScriptedSampling();
    audited = [];
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
  });

  async function launch(spec: LaunchSpec, offered: { sampling?: boolean; samplingTools?: boolean } = { sampling: true, samplingTools: true }): Promise<Session> {
    const clientRequests = gatedClientRequests(p.broker, { rootsOf: (server) => grantedRoots(p.gate, server), sampling: model })('srv', 's1');
    const session = await launchSession(spec, { audited, clientRequests, offered: offered });
    sessions.push(session);
    return session;
  }
  const stdio = (file: string, ...args: string[]): LaunchSpec => ({ type: 'stdio', command: NODE, args: [file, ...args], env: {}, secrets: [] });
  const everything = () => launch(stdio(EVERYTHING, 'stdio'));
  const trigger = (session: Session, prompt: string) =>
    session.request('tools/call', { name: SAMPLING_TOOL, arguments: { prompt, maxTokens: 64 } }, OPTIONS) as Promise<ToolCallResult>;
  const samplingAudits = () => audited.filter((e) => e.type === 'request' && e.request.method === 'sampling/createMessage');
  const sealedDeny = (): Grant => p.sealer.seal({ server: 'srv', kind: 'sampling', target: '', decision: 'deny', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' });

  describe('server-everything (initialize era, stdio)', () => {
    it(`lists ${SAMPLING_TOOL} only when sampling is offered`, async () => {
      const without = await launch(stdio(EVERYTHING, 'stdio'), {});
      assert.equal(without.info.era, 'legacy');
      assert.ok(!without.catalog.tools.some((t) => t.name === SAMPLING_TOOL));
      const withSampling = await everything();
      assert.ok(withSampling.catalog.tools.some((t) => t.name === SAMPLING_TOOL));
    });

    it("allowed in the consent: the server gets the model's text, and request and answer are audited", async () => {
      const session = await everything();
      model.click({ answer: allow('once'), model: 'echo-model' });
      const result = await trigger(session, 'name a colour');
      assert.notEqual(result.isError, true, textOf(result));
      assert.match(textOf(result), /"text": "echo: Resource trigger-sampling-request context: name a colour"/);
      assert.match(textOf(result), /"model": "echo-model"/);
      assert.match(textOf(result), /"stopReason": "endTurn"/);
      // What the user saw: the server, the message, the system prompt and the limit.
      assert.equal(
        model.consents[0]?.summary,
        'Server "srv" wants to use a language model: 1 message. Last user message: "Resource trigger-sampling-request context: name a colour". ' +
          'System prompt: "You are a helpful test server.". At most 64 tokens.',
      );
      assert.deepEqual(model.completions, [{ model: 'echo-model' }]);
      assert.equal(p.prompter.questions.length, 0, 'the consent is the question, not the permission notification');
      const [audit] = samplingAudits();
      assert.ok(audit?.type === 'request' && audit.direction === 'to-client');
      assert.match(JSON.stringify(audit.request.params), /name a colour/);
      assert.match(JSON.stringify(audit.response.result), /echo: Resource trigger-sampling-request context: name a colour/);
      // The broker audits the decision (its sink), the tap the traffic.
      assert.ok(p.audited.some((e) => e.type === 'permission' && e.action === 'decided' && e.permission === 'sampling' && e.verdict === 'allow'));
    });

    it('denied in the consent: the server gets the permission error, and no model runs', async () => {
      const session = await everything();
      model.click({ answer: deny('once') });
      const result = await trigger(session, 'anything');
      assert.equal(result.isError, true);
      assert.match(textOf(result), /MCP Warden denied its request sampling\/createMessage of server 'srv' \(permission sampling\): denied by you/);
      assert.equal(model.completions.length, 0);
      const [audit] = samplingAudits();
      assert.ok(audit?.type === 'request');
      assert.match(audit.response.error?.message ?? '', /MCP Warden denied/);
    });

    it('a dismissed consent is a deny, once: the next request asks again', async () => {
      const session = await everything();
      model.click('dismiss', { answer: allow('once') });
      assert.equal((await trigger(session, 'one')).isError, true);
      assert.match(textOf(await trigger(session, 'two')), /echo: .*two/);
      assert.equal(model.consents.length, 2);
    });

    it('allowed for the session: the second request is not asked and runs on the model the server was given', async () => {
      const session = await everything();
      model.click({ answer: allow('session'), model: 'chosen-model' });
      assert.match(textOf(await trigger(session, 'first')), /echo: .*first/);
      assert.match(textOf(await trigger(session, 'second')), /echo: .*second/);
      assert.equal(model.consents.length, 1);
      // The provider remembers the model per server; the gate hands it on only with a consent.
      assert.deepEqual(model.completions, [{ model: 'chosen-model' }, { model: undefined }]);
      assert.equal(samplingAudits().length, 2);
    });

    it('a workspace deny grant refuses with no consent shown', async () => {
      p.writeSettings([sealedDeny()]);
      const session = await everything();
      const result = await trigger(session, 'anything');
      assert.equal(result.isError, true);
      assert.match(textOf(result), /MCP Warden denied its request sampling\/createMessage of server 'srv' \(permission sampling\): denied for this workspace on 2026-12-03 \(sealed grant\)/);
      assert.equal(model.consents.length, 0);
      assert.equal(model.completions.length, 0);
    });
  });

  describe('the permissions fixture in 2026-07-28 (input_required)', () => {
    const modern = () => launch(stdio(PERMISSIONS_FIXTURE, '--era', 'modern'));

    it("allowed in the consent: the tool returns the model's text", async () => {
      const session = await modern();
      assert.equal(session.info.protocolVersion, '2026-07-28');
      model.click({ answer: allow('once') });
      const result = await session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS);
      assert.equal(textOf(result), 'echo: Say hello');
      assert.match(model.consents[0]?.summary ?? '', /1 message\. Last user message: "Say hello"\. At most 20 tokens\.$/);
      // The answer went back inside the retried call (input responses), and the audit has it there.
      assert.ok(audited.some((e) => e.type === 'request' && e.request.method === 'tools/call' && JSON.stringify(e.request.params).includes('echo: Say hello')));
    });

    it('denied in the consent: the call fails with the permission error', async () => {
      const session = await modern();
      model.click({ answer: deny('once') });
      await assert.rejects(session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS), /MCP Warden denied its request sampling\/createMessage of server 'srv'/);
      assert.equal(model.completions.length, 0);
    });

    it('allowed for the session: the second call is not asked', async () => {
      const session = await modern();
      model.click({ answer: allow('session') });
      for (let i = 0; i < 2; i++) assert.equal(textOf(await session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS)), 'echo: Say hello');
      assert.equal(model.consents.length, 1);
    });

    it('a workspace deny grant refuses with no consent shown', async () => {
      p.writeSettings([sealedDeny()]);
      const session = await modern();
      await assert.rejects(session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS), /MCP Warden denied .*denied for this workspace/);
      assert.equal(model.consents.length, 0);
    });
  });
});
