import * as assert from 'node:assert/strict';
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { TaskStatusUpdate } from '../../../../src/core/lifecycle/session';
import { callToolAsTask, type TaskCallDeps } from '../../../../src/node/tasks/taskCall';
import type { TaskRequests } from '../../../../src/node/tasks/taskRequests';
import { RecordingLogger } from '../../fakes';

/** A legacy server's tasks wire, scripted: each tasks/get answers the next status; what was sent is recorded. */
function scripted(statuses: Record<string, unknown>[], extra: Partial<TaskRequests> = {}) {
  const sent: string[] = [];
  let listener: ((params: unknown) => void) | undefined;
  const requests: TaskRequests = {
    call: async (params) => {
      sent.push(`tools/call ${JSON.stringify((params as { task?: unknown }).task)}`);
      return { task: { taskId: 't1', status: 'working', pollInterval: 50, statusMessage: 'starting' } };
    },
    get: async () => {
      sent.push('tasks/get');
      return { taskId: 't1', pollInterval: 50, ...(statuses.shift() ?? { status: 'working' }) };
    },
    result: async () => {
      sent.push('tasks/result');
      return { content: [{ type: 'text', text: 'the result' }] };
    },
    cancel: async () => {
      sent.push('tasks/cancel');
      return {};
    },
    update: async () => {
      sent.push('tasks/update');
      return {};
    },
    ...extra,
  };
  const deps: TaskCallDeps = {
    era: 'legacy',
    requests,
    onStatusNotification: (l) => {
      listener = l;
      return () => (listener = undefined);
    },
    answerInput: async () => ({}),
    logger: new RecordingLogger(),
  };
  return { sent, deps, notify: (params: unknown) => listener?.(params), listening: () => listener !== undefined };
}

describe('callToolAsTask: one call, followed to its end', function () {
  it('asks for a task with the ttl of the call bound, reports each new status once, and fetches the result', async function () {
    const { sent, deps, listening } = scripted([{ status: 'working', statusMessage: 'starting' }, { status: 'working', statusMessage: 'half' }, { status: 'completed' }]);
    const seen: TaskStatusUpdate[] = [];
    const result = await callToolAsTask(deps, { name: 'x' }, { timeoutMs: 1000, maxTotalMs: 60_000, onTaskStatus: (s) => seen.push(s) });
    assert.deepEqual(result, { content: [{ type: 'text', text: 'the result' }] });
    assert.deepEqual(sent, ['tools/call {"ttl":60000}', 'tasks/get', 'tasks/get', 'tasks/get', 'tasks/result']);
    assert.deepEqual(seen.map((s) => s.message), ['task working: starting', 'task working: half', 'task completed']);
    assert.equal(listening(), false, 'the status notifications are no longer listened to');
  });

  it('a status notification is reported at once and wakes the wait', async function () {
    const { sent, deps, notify } = scripted([{ status: 'completed' }]);
    const seen: string[] = [];
    const slow = { ...deps, requests: { ...deps.requests, call: async () => ({ task: { taskId: 't1', status: 'working', pollInterval: 30_000 } }) } };
    const call = callToolAsTask(slow, { name: 'x' }, { timeoutMs: 1000, onTaskStatus: (s) => seen.push(s.message) });
    await new Promise((r) => setTimeout(r, 20));
    notify({ taskId: 'other', status: 'failed' });
    notify({ taskId: 't1', status: 'working', statusMessage: 'from the notification' });
    await call;
    assert.deepEqual(seen, ['task working', 'task working: from the notification', 'task completed']);
    assert.deepEqual(sent, ['tasks/get', 'tasks/result']);
  });

  it('an abort cancels the task (tasks/cancel) and rejects with the abort', async function () {
    const { sent, deps } = scripted([]);
    const abort = new AbortController();
    const call = callToolAsTask(deps, { name: 'x' }, { timeoutMs: 1000, signal: abort.signal, onTaskStatus: () => setTimeout(() => abort.abort(new Error('user cancelled')), 10) });
    await assert.rejects(call, /user cancelled/);
    assert.equal(sent.at(-1), 'tasks/cancel');
    assert.equal(sent.filter((s) => s === 'tasks/cancel').length, 1);
  });

  it('a failed legacy task whose tasks/result errors fails the call with that error', async function () {
    const { deps } = scripted([{ status: 'failed' }], { result: () => Promise.reject(new Error('disk full')) });
    await assert.rejects(callToolAsTask(deps, { name: 'x' }, { timeoutMs: 1000 }), (e: Error) => e.name === 'TaskFailedError' && e.message === 'the task failed: disk full');
  });

  it('a legacy tasks/result that outwaits the call bound cancels the task and says why', async function () {
    const { sent, deps } = scripted([{ status: 'input_required' }], { result: () => Promise.reject(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out')) });
    await assert.rejects(callToolAsTask(deps, { name: 'x' }, { timeoutMs: 1000, maxTotalMs: 60_000 }), /the task ran longer than a call may \(mcpWarden.maxRequestSeconds\); it was cancelled/);
    assert.equal(sent.at(-1), 'tasks/cancel');
  });

  it('a task the server answers with a plain result needs no polling', async function () {
    const { sent, deps } = scripted([], { call: async () => ({ content: [] }) });
    assert.deepEqual(await callToolAsTask(deps, { name: 'x' }, { timeoutMs: 1000 }), { content: [] });
    assert.deepEqual(sent, []);
  });
});
