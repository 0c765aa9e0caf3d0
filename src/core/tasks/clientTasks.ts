import type { TaskStatus } from './taskWire';

/**
 * The tasks MCP Warden runs for a server (2025-11-25): a server may send `sampling/createMessage` or
 * `elicitation/create` with `task: {ttl}`; the client answers at once with a task, runs the request (the same
 * handler, gate and prompt as always) and serves `tasks/get`, `tasks/result`, `tasks/list`, `tasks/cancel`. This
 * is the bookkeeping, with the clock passed in; the node layer does the I/O.
 */

/** The longest a finished task is kept for its server to fetch, whatever ttl it asks for. */
export const MAX_CLIENT_TASK_TTL_MS = 60 * 60 * 1000;
/** How many unfinished tasks one server may have at once: each may be a question to the user. */
export const MAX_OPEN_CLIENT_TASKS = 16;
export const CLIENT_TASK_POLL_MS = 500;
/**
 * How many tasks of one server are kept at all: finished ones are kept up to their ttl for the server to fetch,
 * and a server that creates and cancels tasks in a loop must not grow that for an hour. The oldest finished go first.
 */
export const MAX_KEPT_CLIENT_TASKS = 256;

export type ClientTaskOutcome = { readonly result: unknown } | { readonly error: { readonly code: number; readonly message: string } };

export interface ClientTask {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string;
  readonly ttlMs: number;
  readonly createdAt: number;
  readonly lastUpdatedAt: number;
  readonly outcome?: ClientTaskOutcome;
}

/** A request about a task that cannot be served; `code` is the JSON-RPC error to answer with. */
export class ClientTaskError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClientTaskError';
  }
}

const INVALID_PARAMS = -32602;

export class ClientTaskStore {
  private readonly tasks = new Map<string, ClientTask>();

  constructor(private readonly newId: () => string) {}

  /** A new working task; refused when the server already has too many unfinished. */
  create(requestedTtlMs: unknown, now: number): ClientTask {
    this.expire(now);
    const open = [...this.tasks.values()].filter(isOpen).length;
    if (open >= MAX_OPEN_CLIENT_TASKS) throw new ClientTaskError(INVALID_PARAMS, `too many tasks at once (${open}); finish or cancel some first`);
    for (const [id, task] of this.tasks) {
      if (this.tasks.size < MAX_KEPT_CLIENT_TASKS) break;
      if (!isOpen(task)) this.tasks.delete(id);
    }
    const ttlMs = typeof requestedTtlMs === 'number' && requestedTtlMs > 0 ? Math.min(requestedTtlMs, MAX_CLIENT_TASK_TTL_MS) : MAX_CLIENT_TASK_TTL_MS;
    const task: ClientTask = { taskId: this.newId(), status: 'working', ttlMs, createdAt: now, lastUpdatedAt: now };
    this.tasks.set(task.taskId, task);
    return task;
  }

  /** The request behind the task ended; a cancelled task stays cancelled. */
  settle(taskId: string, outcome: ClientTaskOutcome, now: number): void {
    const task = this.tasks.get(taskId);
    if (!task || task.status === 'cancelled') return;
    this.tasks.set(taskId, { ...task, status: 'result' in outcome ? 'completed' : 'failed', outcome, lastUpdatedAt: now });
  }

  /** Marks the task waiting for the user (shown to the server as `input_required`), or working again. */
  waiting(taskId: string, waiting: boolean, now: number): void {
    const task = this.tasks.get(taskId);
    if (!task || (task.status !== 'working' && task.status !== 'input_required')) return;
    this.tasks.set(taskId, { ...task, status: waiting ? 'input_required' : 'working', lastUpdatedAt: now });
  }

  get(taskId: unknown, now: number): ClientTask {
    this.expire(now);
    const task = typeof taskId === 'string' ? this.tasks.get(taskId) : undefined;
    if (!task) throw new ClientTaskError(INVALID_PARAMS, `no task ${JSON.stringify(taskId)}`);
    return task;
  }

  list(now: number): ClientTask[] {
    this.expire(now);
    return [...this.tasks.values()];
  }

  /** Cancels an unfinished task; a finished one cannot be (-32602, as the spec says). */
  cancel(taskId: unknown, now: number): ClientTask {
    const task = this.get(taskId, now);
    if (task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled') {
      throw new ClientTaskError(INVALID_PARAMS, `task ${task.taskId} is already ${task.status}`);
    }
    const cancelled: ClientTask = { ...task, status: 'cancelled', statusMessage: 'cancelled by the server', lastUpdatedAt: now };
    this.tasks.set(task.taskId, cancelled);
    return cancelled;
  }

  /**
   * Forgets finished tasks past their ttl (counted from creation, as the spec does). An unfinished one is kept, and
   * counted against the cap, until it ends: else a server asking for a 1 ms ttl would never reach the cap.
   */
  private expire(now: number): void {
    for (const [id, task] of this.tasks) if (!isOpen(task) && now - task.createdAt >= task.ttlMs) this.tasks.delete(id);
  }
}

function isOpen(task: ClientTask): boolean {
  return task.status === 'working' || task.status === 'input_required';
}

/** The 2025-11-25 wire form of a task (`tasks/get`, `tasks/list`, the CreateTaskResult's `task`). */
export function clientTaskOnWire(task: ClientTask): Record<string, unknown> {
  return {
    taskId: task.taskId,
    status: task.status,
    ...(task.statusMessage !== undefined && { statusMessage: task.statusMessage }),
    ttl: task.ttlMs,
    createdAt: new Date(task.createdAt).toISOString(),
    lastUpdatedAt: new Date(task.lastUpdatedAt).toISOString(),
    pollInterval: CLIENT_TASK_POLL_MS,
  };
}
