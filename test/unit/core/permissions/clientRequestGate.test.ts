import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import type { ElicitationRequest } from '../../../../src/core/clientFeatures/elicitation';
import type { SamplingRequest } from '../../../../src/core/clientFeatures/sampling';
import { gatedClientRequests, type ClientFeatures } from '../../../../src/core/permissions/clientRequestGate';
import type { Grant, GrantStatus, UserAnswer } from '../../../../src/core/permissions/permission';
import { PermissionBroker } from '../../../../src/core/permissions/permissionBroker';
import { PermissionGate } from '../../../../src/core/permissions/permissionGate';
import { nullLogger } from '../../../../src/core/ports';
import { ManualClock } from '../../fakes';

const signal = new AbortController().signal;

function setup(features: Omit<ClientFeatures, 'rootsOf'>, grants: Partial<Grant>[] = []) {
  const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: ['/ws'], caseInsensitivePaths: false });
  gate.setWorkspaceGrants(
    grants.map((g) => ({ grant: { server: 'srv', target: '', scope: 'workspace', grantedAt: '2026-12-03T00:00:00Z', ...g } as Grant, status: 'sealed' as GrantStatus })),
  );
  const asked: string[] = [];
  const audited: AuditInput[] = [];
  const broker = new PermissionBroker({
    gate,
    prompter: { ask: async (q) => (asked.push(q.request.permission.kind), { verdict: 'deny', scope: 'once' }) },
    store: { add: async () => undefined, remove: async () => undefined, confirm: async () => undefined },
    sealer: { seal: (g) => g, status: () => 'sealed' },
    audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) },
    clock: new ManualClock(),
    logger: nullLogger,
    askTimeoutMs: () => 60_000,
  });
  const handler = gatedClientRequests(broker, { rootsOf: () => [], ...features })('srv', 's1');
  return { handler, asked, audited, gate };
}

describe('gatedClientRequests', () => {
  describe('elicitation', () => {
    const params = { message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } };

    it('shows the form itself, with no permission question first, and returns its answer', async () => {
      const seen: ElicitationRequest[] = [];
      const { handler, asked } = setup({ elicitation: { elicit: async (r) => (seen.push(r), { action: 'accept', content: { name: 'Ada' } }) } });
      const result = await handler({ method: 'elicitation/create', params }, signal);
      assert.deepEqual(result, { action: 'accept', content: { name: 'Ada' } });
      assert.deepEqual(asked, []);
      assert.deepEqual(seen, [{ mode: 'form', server: 'srv', message: 'Your name?', requestedSchema: params.requestedSchema }]);
    });

    it('reads URL mode with its URL and id', async () => {
      const seen: ElicitationRequest[] = [];
      const { handler } = setup({ elicitation: { elicit: async (r) => (seen.push(r), { action: 'decline' }) } });
      await handler({ method: 'elicitation/create', params: { mode: 'url', message: 'Sign the terms', url: 'https://example.com/t', elicitationId: 'e1' } }, signal);
      assert.deepEqual(seen, [{ mode: 'url', server: 'srv', message: 'Sign the terms', url: 'https://example.com/t', elicitationId: 'e1' }]);
    });

    it('a deny grant refuses before the user sees anything, and the refusal is audited', async () => {
      let shown = 0;
      const { handler, audited } = setup({ elicitation: { elicit: async () => (shown++, { action: 'cancel' }) } }, [{ kind: 'elicitation', decision: 'deny' }]);
      await assert.rejects(handler({ method: 'elicitation/create', params }, signal), /denied its request elicitation\/create of server 'srv'/);
      assert.equal(shown, 0);
      assert.ok(audited.some((a) => a.type === 'permission' && a.action === 'decided' && a.verdict === 'deny'));
    });
  });

  describe('sampling', () => {
    const params = { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 50 };

    it('asks through the consent, runs on the model chosen there, and keeps a session answer', async () => {
      const ran: (string | undefined)[] = [];
      let consents = 0;
      const { handler, asked } = setup({
        sampling: {
          consent: async () => (consents++, { answer: { verdict: 'allow', scope: 'session' } as UserAnswer, model: 'model-b' }),
          complete: async (_r: SamplingRequest, model) => (ran.push(model), { role: 'assistant', content: { type: 'text', text: 'hello' }, model: model ?? '?' }),
        },
      });
      const first = await handler({ method: 'sampling/createMessage', params }, signal);
      assert.deepEqual(first, { role: 'assistant', content: { type: 'text', text: 'hello' }, model: 'model-b' });
      await handler({ method: 'sampling/createMessage', params }, signal);
      assert.equal(consents, 1, 'the session answer decides the second request');
      assert.deepEqual(ran, ['model-b', undefined]);
      assert.deepEqual(asked, [], 'the permission notification is not used for sampling');
    });

    it('a declined consent refuses the request with the rule, and nothing runs', async () => {
      let ran = 0;
      const { handler } = setup({
        sampling: { consent: async () => ({ answer: { verdict: 'deny', scope: 'once' } }), complete: async () => (ran++, {}) },
      });
      await assert.rejects(handler({ method: 'sampling/createMessage', params }, signal), /denied its request sampling\/createMessage.*denied by you/);
      assert.equal(ran, 0);
    });

    it('a consent that cannot be shown (no model) refuses with its reason, not as dismissed', async () => {
      let ran = 0;
      const { handler } = setup({
        sampling: {
          consent: async () => {
            throw new Error('no language model is available in this editor');
          },
          complete: async () => (ran++, {}),
        },
      });
      await assert.rejects(handler({ method: 'sampling/createMessage', params }, signal), /^Error: MCP Warden cannot sample for server 'srv': no language model is available in this editor$/);
      assert.equal(ran, 0);
    });

    it('refuses a request for fewer than one token before asking', async () => {
      let consents = 0;
      const { handler } = setup({ sampling: { consent: async () => (consents++, undefined), complete: async () => ({}) } });
      await assert.rejects(handler({ method: 'sampling/createMessage', params: { ...params, maxTokens: -5 } }, signal), /maxTokens must be at least 1 \(it is -5\)/);
      assert.equal(consents, 0);
    });

    it('after two Deny clicks in a run, the run is not asked again', async () => {
      let consents = 0;
      const { handler, audited } = setup({
        sampling: { consent: async () => (consents++, { answer: { verdict: 'deny', scope: 'once' } }), complete: async () => ({}) },
      });
      for (let i = 0; i < 4; i++) await assert.rejects(handler({ method: 'sampling/createMessage', params }, signal), /denied its request sampling\/createMessage/);
      assert.equal(consents, 2, 'asked twice, then refused without asking');
      assert.ok(audited.some((a) => a.type === 'permission' && a.action === 'granted' && /denied twice in this run/.test(a.rule)));
    });

    it('a workspace allow grant runs without asking', async () => {
      let consents = 0;
      const { handler } = setup(
        { sampling: { consent: async () => (consents++, undefined), complete: async () => ({ role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'm' }) } },
        [{ kind: 'sampling', decision: 'allow' }],
      );
      await handler({ method: 'sampling/createMessage', params }, signal);
      assert.equal(consents, 0);
    });
  });

  it('refuses a feature that is not offered, after the gate', async () => {
    const { handler, asked } = setup({});
    await assert.rejects(handler({ method: 'sampling/createMessage', params: {} }, signal), /denied its request sampling\/createMessage/);
    assert.deepEqual(asked, ['sampling']);
  });
});
