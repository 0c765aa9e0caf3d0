import * as assert from 'node:assert/strict';
import { readCallAnswer, readTask, TaskWireError } from '../../../../src/core/tasks/taskWire';

describe('tasks wire: both eras read into one shape', function () {
  const result = { content: [{ type: 'text', text: 'done' }] };

  it('2025-11-25: a CreateTaskResult wraps the task under `task`, with ttl and pollInterval', function () {
    const answer = readCallAnswer('legacy', { task: { taskId: 't1', status: 'working', ttl: 300000, pollInterval: 1000, statusMessage: 'Gathering sources...' } });
    assert.deepEqual(answer, { kind: 'task', task: { taskId: 't1', status: 'working', statusMessage: 'Gathering sources...', pollIntervalMs: 1000, ttlMs: 300000 } });
  });

  it('2025-11-25: a server that answers a task-augmented call directly gives a result', function () {
    assert.deepEqual(readCallAnswer('legacy', result), { kind: 'result', result });
  });

  it("2026-07-28: a flat resultType 'task' answer, with ttlMs and pollIntervalMs; the v1 names are not read", function () {
    const answer = readCallAnswer('modern', { resultType: 'task', taskId: 't2', status: 'working', ttlMs: 60000, pollIntervalMs: 100, ttl: 5, pollInterval: 5 });
    assert.deepEqual(answer, { kind: 'task', task: { taskId: 't2', status: 'working', pollIntervalMs: 100, ttlMs: 60000 } });
    assert.deepEqual(readCallAnswer('modern', { ...result }), { kind: 'result', result });
  });

  it('2026-07-28: tasks/get inlines the result, the error or the input requests by status', function () {
    assert.deepEqual(readTask('modern', { taskId: 't', status: 'completed', result }).result, result);
    assert.deepEqual(readTask('modern', { taskId: 't', status: 'failed', error: { code: -32603, message: 'crashed' } }).error, { code: -32603, message: 'crashed' });
    const waiting = readTask('modern', { taskId: 't', status: 'input_required', inputRequests: { ask: { method: 'elicitation/create', params: { message: 'Sure?' } } } });
    assert.deepEqual(waiting.inputRequests, { ask: { method: 'elicitation/create', params: { message: 'Sure?' } } });
  });

  it('a legacy task carries no inlined result (it comes from tasks/result)', function () {
    assert.equal(readTask('legacy', { taskId: 't', status: 'completed', result }).result, undefined);
  });

  it('a null ttl means no limit; a non-positive interval is ignored', function () {
    const task = readTask('modern', { taskId: 't', status: 'working', ttlMs: null, pollIntervalMs: 0 });
    assert.equal(task.ttlMs, null);
    assert.equal(task.pollIntervalMs, undefined);
  });

  it('refuses what does not read as a task, saying what is wrong', function () {
    assert.throws(() => readTask('modern', { status: 'working' }), (e: Error) => e instanceof TaskWireError && /no taskId/.test(e.message));
    assert.throws(() => readTask('modern', { taskId: 't', status: 'sleeping' }), /unknown status "sleeping"/);
    assert.throws(() => readTask('modern', { taskId: 't', status: 'completed', result: { text: 'x' } }), /no content array/);
    assert.throws(() => readTask('modern', { taskId: 't', status: 'input_required', inputRequests: { a: { params: {} } } }), /input request 'a' names no method/);
    assert.throws(() => readCallAnswer('modern', 'task'), /not an object/);
  });
});
