import * as assert from 'node:assert/strict';
import { DEFAULT_POLL_MS, DEFAULT_TTL_MS, describeTask, isNews, MAX_POLL_MS, MIN_POLL_MS, nextStep, requestedTtlMs } from '../../../../src/core/tasks/taskRun';
import type { TaskState } from '../../../../src/core/tasks/taskWire';

describe('task run: what the client does next', function () {
  const clock = { startedAt: 1000, now: 1000 };
  const task = (fields: Partial<TaskState> = {}): TaskState => ({ taskId: 't', status: 'working', ...fields });
  const result = { content: [{ type: 'text', text: 'done' }] };

  it("polls a working task at the server's interval, within bounds, and at the default without one", function () {
    assert.deepEqual(nextStep('modern', task({ pollIntervalMs: 250 }), clock), { kind: 'poll', afterMs: 250 });
    assert.deepEqual(nextStep('modern', task(), clock), { kind: 'poll', afterMs: DEFAULT_POLL_MS });
    assert.deepEqual(nextStep('legacy', task({ pollIntervalMs: 1 }), clock), { kind: 'poll', afterMs: MIN_POLL_MS });
    assert.deepEqual(nextStep('legacy', task({ pollIntervalMs: 3_600_000 }), clock), { kind: 'poll', afterMs: MAX_POLL_MS });
  });

  it('never waits past the call bound', function () {
    assert.deepEqual(nextStep('modern', task({ pollIntervalMs: 1000 }), { startedAt: 0, now: 900, maxTotalMs: 1200 }), { kind: 'poll', afterMs: 300 });
  });

  it('gives up (to cancel the task) once the call bound or the task ttl has passed', function () {
    const bound = nextStep('modern', task(), { startedAt: 0, now: 1200, maxTotalMs: 1200 });
    assert.equal(bound.kind, 'giveUp');
    assert.match((bound as { message: string }).message, /mcpWarden.maxRequestSeconds/);
    const ttl = nextStep('legacy', task({ ttlMs: 5000 }), { startedAt: 0, now: 5000 });
    assert.equal(ttl.kind, 'giveUp');
    assert.match((ttl as { message: string }).message, /outlived the 5 s its server keeps it/);
    assert.equal(nextStep('legacy', task({ ttlMs: null }), { startedAt: 0, now: 10 ** 9 }).kind, 'poll', 'a null ttl never runs out');
  });

  it('2025-11-25: fetches the result (tasks/result) when completed, failed, or waiting for input', function () {
    for (const status of ['completed', 'failed', 'input_required'] as const) assert.deepEqual(nextStep('legacy', task({ status }), clock), { kind: 'fetchResult' });
  });

  it('2026-07-28: completes with the inlined result; a completed task without one fails', function () {
    assert.deepEqual(nextStep('modern', task({ status: 'completed', result }), clock), { kind: 'done', result });
    assert.deepEqual(nextStep('modern', task({ status: 'completed' }), clock), { kind: 'fail', message: 'the task t completed without a result' });
  });

  it('2026-07-28: a failed task fails with its error, else its status message', function () {
    assert.deepEqual(nextStep('modern', task({ status: 'failed', error: { code: -32603, message: 'crashed' } }), clock), { kind: 'fail', message: 'the task failed: crashed (-32603)' });
    assert.deepEqual(nextStep('modern', task({ status: 'failed', statusMessage: 'out of disk' }), clock), { kind: 'fail', message: 'the task failed: out of disk' });
  });

  it('2026-07-28: answers input requests; an input_required task without any is polled', function () {
    const requests = { ask: { method: 'elicitation/create', params: {} } };
    assert.deepEqual(nextStep('modern', task({ status: 'input_required', inputRequests: requests }), clock), { kind: 'answerInput', requests });
    assert.equal(nextStep('modern', task({ status: 'input_required', inputRequests: {} }), clock).kind, 'poll');
  });

  it('a task the server cancelled fails the call, in both eras', function () {
    for (const era of ['legacy', 'modern'] as const) {
      assert.deepEqual(nextStep(era, task({ status: 'cancelled', statusMessage: 'shutting down' }), clock), { kind: 'fail', message: 'the server cancelled the task: shutting down' });
    }
  });

  it('asks a legacy server to keep the task as long as the call may run, else an hour', function () {
    assert.equal(requestedTtlMs(600_000), 600_000);
    assert.equal(requestedTtlMs(undefined), DEFAULT_TTL_MS);
  });

  it('tells the user each new status, in words', function () {
    assert.equal(describeTask({ status: 'working', statusMessage: 'Gathering sources...' }), 'task working: Gathering sources...');
    assert.equal(describeTask({ status: 'input_required' }), 'task waiting for input');
    assert.equal(isNews(undefined, task()), true);
    assert.equal(isNews(task(), task()), false);
    assert.equal(isNews(task(), task({ statusMessage: 'step 2' })), true);
    assert.equal(isNews(task(), task({ status: 'completed' })), true);
  });
});
