import * as assert from 'node:assert/strict';
import { ClientTaskError, ClientTaskStore, clientTaskOnWire, MAX_CLIENT_TASK_TTL_MS, MAX_OPEN_CLIENT_TASKS } from '../../../../src/core/tasks/clientTasks';

describe('client tasks: what MCP Warden runs for a server', function () {
  const store = () => {
    let next = 0;
    return new ClientTaskStore(() => `c${next++}`);
  };

  it('creates a working task with the ttl asked for, capped, and shows it in the 2025-11-25 wire form', function () {
    const tasks = store();
    const task = tasks.create(600_000, 1000);
    assert.deepEqual(clientTaskOnWire(task), { taskId: 'c0', status: 'working', ttl: 600_000, createdAt: new Date(1000).toISOString(), lastUpdatedAt: new Date(1000).toISOString(), pollInterval: 500 });
    assert.equal(tasks.create(10 * MAX_CLIENT_TASK_TTL_MS, 1000).ttlMs, MAX_CLIENT_TASK_TTL_MS);
    assert.equal(tasks.create(undefined, 1000).ttlMs, MAX_CLIENT_TASK_TTL_MS);
  });

  it('settles to completed or failed; waiting shows as input_required', function () {
    const tasks = store();
    const a = tasks.create(60_000, 0);
    tasks.waiting(a.taskId, true, 1);
    assert.equal(tasks.get(a.taskId, 2).status, 'input_required');
    tasks.settle(a.taskId, { result: { action: 'accept' } }, 3);
    assert.deepEqual(tasks.get(a.taskId, 4).outcome, { result: { action: 'accept' } });
    assert.equal(tasks.get(a.taskId, 4).status, 'completed');
    const b = tasks.create(60_000, 0);
    tasks.settle(b.taskId, { error: { code: -1, message: 'declined by the gate' } }, 3);
    assert.equal(tasks.get(b.taskId, 4).status, 'failed');
  });

  it('cancels an unfinished task, which then stays cancelled; a finished one cannot be cancelled (-32602)', function () {
    const tasks = store();
    const a = tasks.create(60_000, 0);
    assert.equal(tasks.cancel(a.taskId, 1).status, 'cancelled');
    tasks.settle(a.taskId, { result: {} }, 2);
    assert.equal(tasks.get(a.taskId, 3).status, 'cancelled');
    assert.throws(() => tasks.cancel(a.taskId, 3), (e: Error) => e instanceof ClientTaskError && e.code === -32602 && /already cancelled/.test(e.message));
  });

  it('forgets a finished task once its ttl has passed; an unknown task is -32602', function () {
    const tasks = store();
    const a = tasks.create(1000, 0);
    tasks.settle(a.taskId, { result: {} }, 10);
    assert.equal(tasks.list(999).length, 1);
    assert.throws(() => tasks.get(a.taskId, 1000), (e: Error) => e instanceof ClientTaskError && e.code === -32602);
    assert.deepEqual(tasks.list(1000), []);
    assert.throws(() => tasks.get(42, 0), /no task 42/);
  });

  it('refuses more unfinished tasks than a server may have at once', function () {
    const tasks = store();
    for (let i = 0; i < MAX_OPEN_CLIENT_TASKS; i++) tasks.create(60_000, 0);
    assert.throws(() => tasks.create(60_000, 0), /too many tasks at once/);
    tasks.settle('c0', { result: {} }, 1);
    assert.equal(tasks.create(60_000, 1).taskId, `c${MAX_OPEN_CLIENT_TASKS}`);
  });
});
