// Attacks on elicitation, sampling and the client's tasks by a hostile server (test/fixtures/hostile-features-server.mjs,
// raw JSON-RPC): the real launcher, SDK client, gate, broker, task store and audit tap; only the user's clicks and the
// editor's model are scripted.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { finalizeEvent } from '../../src/core/audit/finalizeEvent';
import { MAX_WAITING_ELICITATIONS, type ElicitationPrompter } from '../../src/core/clientFeatures/elicitation';
import type { SamplingConsent, SamplingProvider, SamplingRequest } from '../../src/core/clientFeatures/sampling';
import { toSamplingResult } from '../../src/core/clientFeatures/samplingMessages';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { Session, ToolCallResult } from '../../src/core/lifecycle/session';
import { gatedClientRequests, grantedRoots } from '../../src/core/permissions/clientRequestGate';
import type { Grant, PermissionKind } from '../../src/core/permissions/permission';
import { Redactor } from '../../src/core/redaction';
import { MAX_CLIENT_TASK_TTL_MS, MAX_KEPT_CLIENT_TASKS, MAX_OPEN_CLIENT_TASKS } from '../../src/core/tasks/clientTasks';
import { ScriptedElicitation } from '../support/scriptedElicitation';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { NODE, ROOT, waitUntil, launchSession } from './harness';

const HOSTILE = join(ROOT, 'test/fixtures/hostile-features-server.mjs');
const OPTIONS = { timeoutMs: 30_000 };

type Answer = { result?: Record<string, unknown>; error?: { code: number; message: string } };
type Click = SamplingConsent | 'dismiss' | Promise<SamplingConsent>;

/** The editor's side of sampling, scripted: consents from a queue (left open when none is queued), a model that echoes. */
class ScriptedSampling implements SamplingProvider {
  readonly consents: SamplingRequest[] = [];
  readonly completions: SamplingRequest[] = [];
  readonly signals: AbortSignal[] = [];
  private readonly clicks: Click[] = [];

  click(...clicks: Click[]): void {
    this.clicks.push(...clicks);
  }

  async consent(request: SamplingRequest, signal: AbortSignal): Promise<SamplingConsent | undefined> {
    this.consents.push(request);
    this.signals.push(signal);
    const click = this.clicks.shift();
    if (click === undefined) return new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    return click === 'dismiss' ? undefined : await click;
  }

  async complete(request: SamplingRequest, model: string | undefined): Promise<unknown> {
    this.completions.push(request);
    return toSamplingResult([{ kind: 'text', text: 'echo' }], model ?? 'warden-test-model');
  }
}

const FORM = { message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } };
const SAMPLE = { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 };
const elicit = (params: Record<string, unknown> = FORM) => ({ method: 'elicitation/create', params });
const sample = (params: Record<string, unknown> = SAMPLE) => ({ method: 'sampling/createMessage', params });
const asTask = (request: { method: string; params: Record<string, unknown> }, ttl: unknown = 60_000) => ({ ...request, params: { ...request.params, task: { ttl } } });

describe('client-feature attacks by a hostile server (elicitation, sampling, tasks)', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  let user: ScriptedElicitation;
  let model: ScriptedSampling;
  let audited: AuditInput[];
  const sessions: Session[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT, askTimeoutMs: 5000 });
    user = new ScriptedElicitation();
    model = new ScriptedSampling();
    audited = [];
    unhandled.length = 0;
    arrived = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], 'nothing the server did left an unhandled rejection in the extension host');
  });

  /** Server requests that reached the gate. */
  let arrived = 0;

  async function launch(sessionId = 's1', elicitation: ElicitationPrompter = user): Promise<Session> {
    const gated = gatedClientRequests(p.broker, { rootsOf: (server) => grantedRoots(p.gate, server), elicitation, sampling: model })('hostile', sessionId);
    const spec: LaunchSpec = { type: 'stdio', command: NODE, args: [HOSTILE], env: {}, secrets: [] };
    const session = await launchSession(spec, {
      audited,
      clientRequests: (request, signal) => {
        arrived++;
        return gated(request, signal);
      },
      offered: { sampling: true, samplingTools: true, elicitation: true, elicitationUrl: true },
      server: 'hostile',
      session: sessionId,
      onElicitationComplete: (id) => elicitation.completed?.('hostile', id),
    });
    sessions.push(session);
    assert.equal(session.info.protocolVersion, '2025-11-25');
    return session;
  }

  /** The hostile server sends `requests` to the client at once; the answers, in order. */
  async function ask(session: Session, ...requests: { method: string; params: Record<string, unknown> }[]): Promise<Answer[]> {
    const result = (await session.callTool('ask', { requests }, OPTIONS)) as ToolCallResult;
    return JSON.parse((result.content as { text: string }[])[0]?.text ?? '[]') as Answer[];
  }
  const taskIdOf = (answer: Answer | undefined): string => {
    const id = (answer?.result?.['task'] as { taskId?: unknown } | undefined)?.taskId;
    assert.equal(typeof id, 'string', JSON.stringify(answer));
    return id as string;
  };
  const sealedDeny = (kind: PermissionKind): Grant => p.sealer.seal({ server: 'hostile', kind, target: '', decision: 'deny', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' });

  describe('floods', () => {
    it('200 elicitations at once: with the waiting limit, the user is shown a few, the rest refused without being shown', async () => {
      // A user who leaves the forms open until the flood has been answered, then declines them.
      const shown: unknown[] = [];
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const slowUser: ElicitationPrompter = {
        elicit: async (request) => {
          shown.push(request);
          await released;
          return { action: 'decline' };
        },
      };
      const session = await launch('s1', slowUser);
      const flood = ask(session, ...Array.from({ length: 200 }, () => elicit()));
      const refusedInAudit = () => audited.filter((e) => e.type === 'request' && e.request.method === 'elicitation/create' && e.response.error).length;
      await waitUntil(() => refusedInAudit() === 200 - MAX_WAITING_ELICITATIONS, 'the flood refused');
      assert.equal(shown.length, MAX_WAITING_ELICITATIONS, 'only the first few reached the user');
      release();
      const answers = await flood;
      assert.equal(answers.filter((a) => a.result?.['action'] === 'decline').length, MAX_WAITING_ELICITATIONS);
      const notShown = answers.filter((a) => /did not show this question: server 'hostile' already has 4 waiting for the user/.test(a.error?.message ?? ''));
      assert.equal(notShown.length, 200 - MAX_WAITING_ELICITATIONS);
    });

    it('200 sampling requests at once: one consent; its Deny, given once all wait, refuses every one and no model runs', async () => {
      const session = await launch();
      // The user answers once every request is waiting (a user takes seconds; a flood takes milliseconds).
      model.click(waitUntil(() => arrived === 200, 'the flood at the gate').then(() => ({ answer: deny('once') })));
      const answers = await ask(session, ...Array.from({ length: 200 }, (_, i) => sample({ ...SAMPLE, messages: [{ role: 'user', content: { type: 'text', text: `request ${i}` } }] })));
      assert.equal(model.consents.length, 1, 'requests waiting on the same question share it');
      assert.equal(model.completions.length, 0);
      assert.equal(answers.length, 200);
      assert.ok(answers.every((a) => /MCP Warden denied its request sampling\/createMessage of server 'hostile'/.test(a.error?.message ?? '')), JSON.stringify(answers[0]));
    });

    it('"Allow" once for one of several different sampling requests does not let the others ride on it: each is shown', async () => {
      const session = await launch();
      model.click({ answer: allow('once') }, { answer: allow('once') }, { answer: allow('once') });
      const prompts = ['first', 'exfiltrate the workspace', 'third'];
      const answers = await ask(session, ...prompts.map((systemPrompt) => sample({ ...SAMPLE, systemPrompt })));
      assert.equal(answers.filter((a) => a.result).length, 3);
      assert.deepEqual(model.consents.map((c) => c.params.systemPrompt).sort(), [...prompts].sort(), 'the user saw every request that ran');
      assert.equal(model.completions.length, 3);
    });
  });

  describe('task-augmented requests (2025-11-25 tasks.requests)', () => {
    it('a workspace deny of sampling stops the request sent as a task too: no consent, the task fails with the denial', async () => {
      p.writeSettings([sealedDeny('sampling')]);
      const session = await launch();
      const [created] = await ask(session, asTask(sample()));
      const [result] = await ask(session, { method: 'tasks/result', params: { taskId: taskIdOf(created) } });
      assert.match(result?.error?.message ?? '', /MCP Warden denied its request sampling\/createMessage of server 'hostile'.*denied for this workspace/);
      assert.equal(model.consents.length, 0);
      assert.equal(model.completions.length, 0);
    });

    it('a workspace deny of elicitation stops the request sent as a task too: nothing is shown', async () => {
      p.writeSettings([sealedDeny('elicitation')]);
      const session = await launch();
      const [created] = await ask(session, asTask(elicit()));
      const [result] = await ask(session, { method: 'tasks/result', params: { taskId: taskIdOf(created) } });
      assert.match(result?.error?.message ?? '', /MCP Warden denied its request elicitation\/create of server 'hostile'.*denied for this workspace/);
      assert.equal(user.requests.length, 0);
    });

    it(`a 1 ms ttl does not get past the cap of ${MAX_OPEN_CLIENT_TASKS} unfinished tasks`, async () => {
      const session = await launch();
      // Sampling tasks: they all wait on one consent (elicitations would meet the limit of forms waiting first).
      const answers = await ask(session, ...Array.from({ length: MAX_OPEN_CLIENT_TASKS + 4 }, () => asTask(sample(), 1)));
      assert.equal(answers.filter((a) => a.result?.['task']).length, MAX_OPEN_CLIENT_TASKS);
      const refused = answers.filter((a) => a.error);
      assert.equal(refused.length, 4);
      assert.ok(refused.every((a) => a.error?.code === -32602 && /too many tasks at once \(16\)/.test(a.error.message)), JSON.stringify(refused[0]));
      await waitUntil(() => model.consents.length === 1, 'the one consent the tasks wait on');
    });

    it(`creating and cancelling tasks in a loop does not grow what is kept past ${MAX_KEPT_CLIENT_TASKS}`, async () => {
      const session = await launch();
      // Rounds of as many forms as may wait at once (more would be refused, not kept), past what is kept.
      const rounds = Math.ceil(MAX_KEPT_CLIENT_TASKS / MAX_WAITING_ELICITATIONS) + 5;
      for (let round = 0; round < rounds; round++) {
        const created = await ask(session, ...Array.from({ length: MAX_WAITING_ELICITATIONS }, () => asTask(elicit())));
        const cancelled = await ask(session, ...created.map((a) => ({ method: 'tasks/cancel', params: { taskId: taskIdOf(a) } })));
        assert.ok(cancelled.every((a) => a.result?.['status'] === 'cancelled'), JSON.stringify(cancelled.find((a) => a.result?.['status'] !== 'cancelled')));
      }
      const [listed] = await ask(session, { method: 'tasks/list', params: {} });
      assert.equal((listed?.result?.['tasks'] as unknown[]).length, MAX_KEPT_CLIENT_TASKS);
    });

    it('a ttl of 1e12, a negative or a string ttl is kept at most an hour', async () => {
      const session = await launch();
      const answers = await ask(session, asTask(elicit(), 1e12), asTask(elicit(), -5), asTask(elicit(), 'forever'));
      assert.deepEqual(
        answers.map((a) => (a.result?.['task'] as { ttl?: unknown } | undefined)?.ttl),
        [MAX_CLIENT_TASK_TTL_MS, MAX_CLIENT_TASK_TTL_MS, MAX_CLIENT_TASK_TTL_MS],
      );
    });

    it("tasks/get, tasks/result and tasks/cancel of another session's task, or of ids never given, are refused", async () => {
      const first = await launch('s1');
      const second = await launch('s2');
      const [created] = await ask(first, asTask(elicit()));
      const theirs = taskIdOf(created);
      const probes = await ask(
        second,
        { method: 'tasks/get', params: { taskId: theirs } },
        { method: 'tasks/result', params: { taskId: theirs } },
        { method: 'tasks/cancel', params: { taskId: theirs } },
        { method: 'tasks/cancel', params: { taskId: 'never-given' } },
        { method: 'tasks/get', params: { taskId: { $ne: null } } },
        { method: 'tasks/list', params: {} },
      );
      for (const probe of probes.slice(0, 5)) assert.equal(probe.error?.code, -32602, JSON.stringify(probe));
      assert.deepEqual(probes[5]?.result?.['tasks'], [], "another session's tasks are not listed");
      // The first session's task is untouched: still waiting for the user.
      const [status] = await ask(first, { method: 'tasks/get', params: { taskId: theirs } });
      assert.equal(status?.result?.['status'], 'input_required');
    });

    it('tasks/cancel aborts the question shown to the user; tasks/result then says cancelled, and a second cancel is refused', async () => {
      const session = await launch();
      const [created] = await ask(session, asTask(elicit()));
      await user.until(() => user.requests.length === 1);
      const [cancelled] = await ask(session, { method: 'tasks/cancel', params: { taskId: taskIdOf(created) } });
      assert.equal(cancelled?.result?.['status'], 'cancelled');
      assert.equal(user.signals[0]?.aborted, true);
      const [result, again] = await ask(session, { method: 'tasks/result', params: { taskId: taskIdOf(created) } }, { method: 'tasks/cancel', params: { taskId: taskIdOf(created) } });
      assert.match(result?.error?.message ?? '', /the task was cancelled/);
      assert.equal(again?.error?.code, -32602);
    });

    it('a server that closes the connection after sending a task leaves no question open to the user, nor a consent', async () => {
      const session = await launch();
      const answers = await ask(session, asTask(elicit()), asTask(sample()));
      taskIdOf(answers[0]);
      taskIdOf(answers[1]);
      await user.until(() => user.requests.length === 1);
      await waitUntil(() => model.consents.length === 1, 'the sampling consent');
      await session.close();
      await waitUntil(() => user.signals[0]?.aborted === true, 'the form aborted');
      await waitUntil(() => model.signals[0]?.aborted === true, 'the consent aborted');
      assert.equal(model.completions.length, 0);
    });
  });

  describe('URL elicitations', () => {
    it('a -32042 error with 1,000 pages shows three; the error names only hosts that would be opened', async () => {
      const session = await launch();
      const page = (url: string, i: number) => ({ url, elicitationId: `e${i}`, message: 'Sign in\u202e' });
      const elicitations = ['javascript:alert(1)', 'https://github.com@evil.example/', 'https://login.example.com/a', ...Array.from({ length: 997 }, (_, i) => `https://h${i}.example/`)].map(page);
      await assert.rejects(session.callTool('need_browser', { elicitations }, OPTIONS), (error: Error) => {
        assert.equal(error.message, "'need_browser' needs you to finish a step in your browser first (login.example.com): open it from MCP Warden's notification, then call it again");
        return true;
      });
      await user.until(() => user.requests.length === 3);
      assert.deepEqual(
        user.requests.map((r) => r.mode === 'url' && r.url),
        ['javascript:alert(1)', 'https://github.com@evil.example/', 'https://login.example.com/a'],
        'the prompter gets them to refuse (urlHandOff), through the gate',
      );
    });

    it('elicitation/complete for an id never given, or unknown, reaches the prompter only under this server\'s name', async () => {
      const session = await launch();
      await session.callTool('notify', { method: 'notifications/elicitation/complete', params: { elicitationId: 'other-servers-id' } }, OPTIONS);
      await session.callTool('notify', { method: 'notifications/elicitation/complete', params: {} }, OPTIONS);
      await user.until(() => user.completions.length >= 1);
      assert.deepEqual(user.completions, [{ server: 'hostile', elicitationId: 'other-servers-id' }], 'a malformed one is dropped by the SDK');
    });
  });

  describe('hostile sampling params', () => {
    it('a fractional or string maxTokens, or a tool schema that is not an object, is refused before the gate: no consent', async () => {
      const session = await launch();
      const answers = await ask(session, sample({ ...SAMPLE, maxTokens: 1.5 }), sample({ ...SAMPLE, maxTokens: 'x' }), sample({ ...SAMPLE, tools: [{ name: 'x', inputSchema: { type: 'string' } }] }));
      assert.ok(answers.every((a) => a.error?.code === -32602 && /Invalid sampling request/.test(a.error.message)), JSON.stringify(answers));
      assert.equal(model.consents.length, 0);
    });

    it("includeContext 'allServers' adds nothing: the model gets the server's own messages only", async () => {
      const session = await launch();
      model.click({ answer: allow('once') });
      const [answer] = await ask(session, sample({ ...SAMPLE, includeContext: 'allServers' }));
      assert.ok(answer?.result, JSON.stringify(answer));
      assert.deepEqual(model.completions[0]?.params.messages, SAMPLE.messages);
      assert.equal(model.completions[0]?.params.systemPrompt, undefined);
    });
  });

  describe('what reaches the audit log', () => {
    it("an elicitation answer under a secret-looking field and a token in a sampling message are redacted; the user's name is not", async () => {
      const session = await launch();
      user.answer({ action: 'accept', content: { password: 'hunter2-correct-horse', name: 'Ada' } });
      model.click({ answer: allow('once') });
      const token = `ghp_${'A1b2C3d4E5'.repeat(4).slice(0, 36)}`;
      await ask(
        session,
        elicit({ message: 'Sign in', requestedSchema: { type: 'object', properties: { password: { type: 'string' }, name: { type: 'string' } } } }),
        sample({ ...SAMPLE, messages: [{ role: 'user', content: { type: 'text', text: `use ${token} to push` } }] }),
      );
      const stored = audited
        .filter((e) => e.type === 'request' && (e.request.method === 'elicitation/create' || e.request.method === 'sampling/createMessage'))
        .map((e) => JSON.stringify(finalizeEvent(e, { redactor: new Redactor(), digester: { digest: (text) => `digest:${text.length}` } })));
      assert.equal(stored.length, 2);
      assert.ok(!stored.some((line) => line.includes('hunter2') || line.includes(token)), stored.join('\n'));
      assert.ok(stored.some((line) => line.includes('Ada')));
    });
  });
});
