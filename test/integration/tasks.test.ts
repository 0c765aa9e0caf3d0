// Tool calls that run as tasks, against real servers: server-everything's `simulate-research-query`
// (`taskSupport: 'required'`, 2025-11-25 task-augmented calls) and test/fixtures/tasks-server.mjs (the 2026-07-28
// io.modelcontextprotocol/tasks extension). The caller sees one call: statuses while it runs, then the result.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { ClientRequestHandler, LaunchRequest, ProgressUpdate, RequestOptions, ServerRequest, Session, TaskStatusUpdate, ToolCallResult } from '../../src/core/lifecycle/session';
import type { RequestAuthorizer } from '../../src/core/permissions/permissionBroker';
import { EVERYTHING, NODE, ROOT, running, startServers, type Harness, launchSession } from './harness';

const TASKS_FIXTURE = join(ROOT, 'test/fixtures/tasks-server.mjs');

type RequestRecord = Extract<AuditInput, { type: 'request' }>;

describe('tool calls that run as tasks', function () {
  const sessions: Session[] = [];
  let harness: Harness | undefined;
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
    await harness?.dispose();
    harness = undefined;
  });

  /** A session with an audit sink and a handler for the server's requests (elicitation offered). */
  async function launch(spec: LaunchSpec, handler: ClientRequestHandler = rootsOnly, offered: LaunchRequest['offered'] = { elicitation: true }) {
    const audited: AuditInput[] = [];
    const session = await launchSession(spec, { audited, clientRequests: handler, offered: offered ?? {}, server: 'tasks' });
    sessions.push(session);
    const requests = (method: string) => audited.filter((e): e is RequestRecord => e.type === 'request' && e.request.method === method);
    return { session, requests };
  }
  const stdio = (file: string, ...args: string[]): LaunchSpec => ({ type: 'stdio', command: NODE, args: [file, ...args], env: {}, secrets: [] });
  /** Answers roots (server-everything asks when it starts) and refuses anything else. */
  const rootsOnly: ClientRequestHandler = async (request) => {
    if (request.method === 'roots/list') return { roots: [] };
    throw new Error(`unexpected ${request.method}`);
  };
  const textOf = (result: unknown) => ((result as ToolCallResult).content as { text?: string }[]).map((c) => c.text ?? '').join('');
  /** Call options that collect the task statuses; `abortWhen` aborts the call at the first status it accepts. */
  function watched(extra: Partial<RequestOptions> = {}, abortWhen?: (update: TaskStatusUpdate) => boolean) {
    const statuses: TaskStatusUpdate[] = [];
    const abort = new AbortController();
    const options: RequestOptions = {
      timeoutMs: 20_000,
      signal: abort.signal,
      onTaskStatus: (update) => {
        statuses.push(update);
        if (abortWhen?.(update)) abort.abort();
      },
      ...extra,
    };
    return { statuses, options };
  }

  describe('2025-11-25: server-everything, task-augmented tools/call', function () {
    it('runs a tool that requires a task as one: statuses while it runs, then its result', async function () {
      const { session, requests } = await launch(stdio(EVERYTHING, 'stdio'));
      assert.equal(session.catalog.tools.find((t) => t.name === 'simulate-research-query')?.taskSupport, 'required');
      const { statuses, options } = watched();
      const result = await session.callTool('simulate-research-query', { topic: 'tides' }, options);
      assert.match(textOf(result), /# Research Report: tides/);
      const messages = statuses.map((s) => s.message);
      assert.equal(messages[0], 'task working: Gathering sources...');
      assert.ok(messages.includes('task working: Generating report...'), messages.join(' | '));
      const call = requests('tools/call')[0];
      assert.ok(((call?.request.params as { task?: { ttl?: unknown } }).task?.ttl as number) > 0, 'the call asks for a task, with a ttl');
      assert.ok(requests('tasks/get').length > 0, 'the status is asked for');
      assert.equal(requests('tasks/result').length, 1, 'the result is fetched once');
    });

    it("answers a task's question (input_required) through the same handler as any server request", async function () {
      const seen: ServerRequest[] = [];
      const handler: ClientRequestHandler = async (request) => {
        if (request.method === 'roots/list') return rootsOnly(request, new AbortController().signal);
        seen.push(request);
        return { action: 'accept', content: { interpretation: 'historical' } };
      };
      const { session } = await launch(stdio(EVERYTHING, 'stdio'), handler);
      const { statuses, options } = watched();
      const result = await session.callTool('simulate-research-query', { topic: 'tides', ambiguous: true }, options);
      assert.deepEqual(seen.map((r) => r.method), ['elicitation/create']);
      assert.match(textOf(result), /Research Report: tides \(historical\)/);
      assert.ok(statuses.some((s) => s.status === 'input_required'), 'the wait for input is shown');
    });

    it('a cancelled call cancels its task (tasks/cancel) and fails as cancelled', async function () {
      const { session, requests } = await launch(stdio(EVERYTHING, 'stdio'));
      const { options } = watched({}, (update) => update.statusMessage === 'Gathering sources...');
      await assert.rejects(session.callTool('simulate-research-query', { topic: 'tides' }, options), (error: Error) => error.name === 'CallCancelledError');
      const cancels = requests('tasks/cancel');
      assert.equal(cancels.length, 1);
      assert.equal((cancels[0]?.response.result as { status?: string }).status, 'cancelled', 'the server cancelled it');
      assert.equal(requests('tasks/result').length, 0);
    });

    it('runs what the server sends as a task (trigger-elicitation-request-async): one question, then tasks/get and tasks/result', async function () {
      const seen: ServerRequest[] = [];
      const handler: ClientRequestHandler = async (request) => {
        if (request.method === 'roots/list') return rootsOnly(request, new AbortController().signal);
        seen.push(request);
        return { action: 'accept', content: { name: 'Ada' } };
      };
      const { session, requests } = await launch(stdio(EVERYTHING, 'stdio'), handler, { elicitation: true });
      const result = await session.callTool('trigger-elicitation-request-async', {}, { timeoutMs: 30_000 });
      assert.match(textOf(result), /\[COMPLETED\] User provided the requested information!/);
      assert.match(textOf(result), /Name: Ada/);
      assert.deepEqual(seen.map((r) => r.method), ['elicitation/create'], 'asked once, without the task param');
      assert.equal((seen[0]?.params as { task?: unknown }).task, undefined);
      const created = requests('elicitation/create')[0];
      assert.equal(created?.direction, 'to-client');
      assert.equal(typeof (created?.response.result as { task?: { taskId?: unknown } }).task?.taskId, 'string', 'answered with a task');
      assert.ok(requests('tasks/get').some((r) => r.direction === 'to-client'), 'the server polled the task');
      const fetched = requests('tasks/result').filter((r) => r.direction === 'to-client');
      assert.equal(fetched.length, 1);
      assert.deepEqual((fetched[0]?.response.result as { content?: unknown }).content, { name: 'Ada' });
    });

    it('runs a sampling request the server sends as a task (trigger-sampling-request-async)', async function () {
      const handler: ClientRequestHandler = async (request) => {
        if (request.method === 'roots/list') return rootsOnly(request, new AbortController().signal);
        return { role: 'assistant', content: { type: 'text', text: 'sampled text' }, model: 'test-model', stopReason: 'endTurn' };
      };
      const { session } = await launch(stdio(EVERYTHING, 'stdio'), handler, { sampling: true });
      const result = await session.callTool('trigger-sampling-request-async', { prompt: 'hi' }, { timeoutMs: 30_000 });
      assert.match(textOf(result), /\[COMPLETED\] Async sampling completed!/);
      assert.match(textOf(result), /sampled text/);
    });

    it('through the registry: one gate decision for the call, the polling is not gated, and every tasks/* request is audited', async function () {
      const audited: AuditInput[] = [];
      const audit = { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
      const decided: string[] = [];
      const authorizer: RequestAuthorizer = {
        authorize: async (request) => {
          decided.push(`${request.method} ${request.permission.kind}`);
          return { verdict: 'allow', rule: 'the test allows it', risks: [] };
        },
      };
      harness = await startServers(
        { everything: { command: NODE, args: [EVERYTHING, 'stdio'] } },
        { audit, permissions: { authorizer, authorizeLaunch: async () => undefined } },
      );
      await harness.waitFor('everything', running, 'running');
      const statuses: string[] = [];
      const result = await harness.registry.callTool('everything', 'simulate-research-query', { topic: 'reefs' }, { onTaskStatus: (s) => statuses.push(s.message) });
      assert.match(textOf(result), /# Research Report: reefs/);
      assert.deepEqual(decided, ['tools/call tool'], 'one decision: the call');
      assert.ok(statuses.length > 1);
      const toServer = audited.filter((e): e is RequestRecord => e.type === 'request' && e.direction === 'to-server').map((e) => e.request.method);
      for (const method of ['tools/call', 'tasks/get', 'tasks/result']) assert.ok(toServer.includes(method), `${method} audited: ${toServer.join(', ')}`);
      assert.ok(!audited.some((e) => e.type === 'request' && e.refused), 'nothing refused');
    });
  });

  describe('2026-07-28: the io.modelcontextprotocol/tasks extension (fixture)', function () {
    const taskLog = async (session: Session) => JSON.parse(textOf(await session.callTool('task_log', {}, { timeoutMs: 20_000 }))) as { method: string; taskId: string }[];

    it('declares the extension, follows the task the server makes, and returns the inlined result', async function () {
      const { session, requests } = await launch(stdio(TASKS_FIXTURE));
      assert.equal(session.info.era, 'modern');
      const { statuses, options } = watched();
      // The fixture refuses a task tool (-32021) to a client that did not declare the extension.
      const result = await session.callTool('slow_compute', { steps: 3, label: 'L' }, options);
      assert.equal(textOf(result), 'done L');
      const messages = statuses.map((s) => s.message);
      assert.ok(messages.includes('task working: step 3/3'), messages.join(' | '));
      assert.equal(statuses[0]?.taskId, 'task-1');
      assert.ok(requests('tasks/get').length > 0);
      assert.equal(requests('tasks/result').length, 0, 'no tasks/result in 2026-07-28');
    });

    it('takes a plain answer to a call on the same path', async function () {
      const { session } = await launch(stdio(TASKS_FIXTURE));
      assert.equal(textOf(await session.callTool('greet', { name: 'W' }, { timeoutMs: 20_000 })), 'Hello, W!');
    });

    it('a plain answer after progress: the progress reaches the caller as for any call', async function () {
      const { session } = await launch(stdio(TASKS_FIXTURE));
      const progress: ProgressUpdate[] = [];
      const result = await session.callTool('report_progress', {}, { timeoutMs: 20_000, onProgress: (update) => progress.push(update) });
      assert.equal(textOf(result), 'reported');
      assert.deepEqual(progress, [{ progress: 1, total: 2, message: 'half' }, { progress: 2, total: 2, message: 'all' }]);
    });

    it('a tool error in a task is a result with isError; a failed task fails the call with its error', async function () {
      const { session } = await launch(stdio(TASKS_FIXTURE));
      const failed = await session.callTool('failing_job', {}, { timeoutMs: 20_000 });
      assert.equal(failed.isError, true);
      assert.equal(textOf(failed), 'the job failed');
      await assert.rejects(session.callTool('protocol_error_job', {}, { timeoutMs: 20_000 }), /the task failed: the worker crashed \(-32603\)/);
    });

    it('answers input_required through the handler and resumes the task with tasks/update', async function () {
      const seen: ServerRequest[] = [];
      const handler: ClientRequestHandler = async (request) => {
        seen.push(request);
        return { action: 'accept', content: { confirm: true } };
      };
      const { session } = await launch(stdio(TASKS_FIXTURE), handler);
      const { statuses, options } = watched();
      const result = await session.callTool('confirm_delete', { filename: 'a.txt' }, options);
      assert.equal(textOf(result), 'a.txt: {"action":"accept","content":{"confirm":true}}');
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.method, 'elicitation/create');
      assert.equal((seen[0]?.params as { message?: string }).message, 'Delete a.txt?');
      assert.ok(statuses.some((s) => s.message === 'task waiting for input: waiting for the user'));
      assert.ok((await taskLog(session)).some((r) => r.method === 'tasks/update'));
    });

    it('input the handler refuses (e.g. the gate denies it) cancels the task and says why', async function () {
      const { session } = await launch(stdio(TASKS_FIXTURE), async () => {
        throw new Error('denied by the test');
      });
      await assert.rejects(session.callTool('confirm_delete', { filename: 'b.txt' }, { timeoutMs: 20_000 }), /the task asked for input that was not given: .*denied by the test/);
      assert.deepEqual(
        (await taskLog(session)).filter((r) => r.method !== 'tasks/get'),
        [{ method: 'tasks/cancel', taskId: 'task-1' }],
      );
    });

    it('a cancelled call cancels its task (tasks/cancel) and fails as cancelled', async function () {
      const { session } = await launch(stdio(TASKS_FIXTURE));
      const { options } = watched({}, (update) => update.statusMessage === 'step 1/40');
      await assert.rejects(session.callTool('slow_compute', { steps: 40, label: 'long' }, options), (error: Error) => error.name === 'CallCancelledError');
      assert.ok((await taskLog(session)).some((r) => r.method === 'tasks/cancel' && r.taskId === 'task-1'));
    });

    it('a task that runs past the call bound (mcpWarden.maxRequestSeconds) is cancelled and the call says so', async function () {
      const { session } = await launch(stdio(TASKS_FIXTURE));
      await assert.rejects(session.callTool('slow_compute', { steps: 40, label: 'long' }, { timeoutMs: 20_000, maxTotalMs: 500 }), /the task ran longer than a call may \(mcpWarden.maxRequestSeconds\); it was cancelled/);
      assert.ok((await taskLog(session)).some((r) => r.method === 'tasks/cancel'));
    });
  });
});
