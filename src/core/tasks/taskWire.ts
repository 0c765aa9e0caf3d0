import type { ProtocolEra, ToolCallResult } from '../lifecycle/session';

/**
 * The tasks wire of both eras, read into one shape. 2025-11-25 (SEP-1686): `tools/call` with `task: {ttl}` answers
 * `{task: Task}`; `tasks/get` answers a Task (`ttl`, `pollInterval`); the result comes from `tasks/result`.
 * 2026-07-28 (the `io.modelcontextprotocol/tasks` extension, SEP-2663): the server decides; `tools/call` answers
 * a flat `{resultType: 'task', taskId, status, ttlMs, pollIntervalMs…}`; `tasks/get` inlines `result`, `error` or
 * `inputRequests`.
 */

/** The extension a 2026-07-28 client and server declare under `capabilities.extensions`. */
export const TASKS_EXTENSION_ID = 'io.modelcontextprotocol/tasks';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';
const STATUSES: readonly string[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];

/** One request the server asks the client to answer before the task goes on (2026-07-28 `inputRequests` entry). */
export interface TaskInputRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** What a task is now, as the server last told it. */
export interface TaskState {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string;
  /** How often the server suggests asking; absent: the client's default. */
  readonly pollIntervalMs?: number;
  /** How long the server keeps the task after it was created; null: no limit. */
  readonly ttlMs?: number | null;
  /** 2026-07-28, `completed`: the tool's result, inlined. */
  readonly result?: ToolCallResult;
  /** 2026-07-28, `failed`: the JSON-RPC error the request ended with. */
  readonly error?: { readonly code: number; readonly message: string };
  /** 2026-07-28, `input_required`: what the server waits for, by its keys. */
  readonly inputRequests?: Readonly<Record<string, TaskInputRequest>>;
}

/** The answer to a `tools/call` that may run as a task: a task to follow, or the result itself. */
export type CallAnswer = { readonly kind: 'task'; readonly task: TaskState } | { readonly kind: 'result'; readonly result: ToolCallResult };

/** A message a server sent that does not read as the tasks wire says; the text says what is wrong. */
export class TaskWireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskWireError';
  }
}

/** Reads the answer to `tools/call`. A legacy server may answer a task-augmented call directly; that is a result. */
export function readCallAnswer(era: ProtocolEra, raw: unknown): CallAnswer {
  if (!isRecord(raw)) throw new TaskWireError('the answer to tools/call is not an object');
  if (era === 'modern' ? raw['resultType'] === 'task' : isRecord(raw['task'])) {
    return { kind: 'task', task: readTask(era, era === 'modern' ? raw : raw['task']) };
  }
  return { kind: 'result', result: readToolResult(raw, 'tools/call') };
}

/** Reads a task: a `tasks/get` answer, the `task` of a CreateTaskResult, or a `notifications/tasks/status`. */
export function readTask(era: ProtocolEra, raw: unknown): TaskState {
  if (!isRecord(raw)) throw new TaskWireError('a task is not an object');
  const { taskId, status, statusMessage } = raw;
  if (typeof taskId !== 'string' || taskId === '') throw new TaskWireError('a task has no taskId');
  if (typeof status !== 'string' || !STATUSES.includes(status)) throw new TaskWireError(`task ${taskId} has an unknown status ${JSON.stringify(status)}`);
  const poll = raw[era === 'modern' ? 'pollIntervalMs' : 'pollInterval'];
  const ttl = raw[era === 'modern' ? 'ttlMs' : 'ttl'];
  const task: TaskState = {
    taskId,
    status: status as TaskStatus,
    ...(typeof statusMessage === 'string' && { statusMessage }),
    ...(typeof poll === 'number' && poll > 0 && { pollIntervalMs: poll }),
    ...((ttl === null || (typeof ttl === 'number' && ttl > 0)) && { ttlMs: ttl }),
  };
  if (era !== 'modern') return task;
  if (status === 'completed' && raw['result'] !== undefined) return { ...task, result: readToolResult(raw['result'], `task ${taskId}`) };
  if (status === 'failed' && isRecord(raw['error'])) {
    const { code, message } = raw['error'];
    return { ...task, error: { code: typeof code === 'number' ? code : 0, message: typeof message === 'string' ? message : 'no message' } };
  }
  if (status === 'input_required' && isRecord(raw['inputRequests'])) return { ...task, inputRequests: readInputRequests(taskId, raw['inputRequests']) };
  return task;
}

/** Reads a CallToolResult (as the answer of tools/call, tasks/result or inlined in a task). */
export function readToolResult(raw: unknown, where: string): ToolCallResult {
  if (!isRecord(raw) || !Array.isArray(raw['content'])) throw new TaskWireError(`${where}: the result has no content array`);
  return raw as ToolCallResult;
}

function readInputRequests(taskId: string, raw: Record<string, unknown>): Record<string, TaskInputRequest> {
  const requests: Record<string, TaskInputRequest> = {};
  for (const [key, entry] of Object.entries(raw)) {
    if (!isRecord(entry) || typeof entry['method'] !== 'string') throw new TaskWireError(`task ${taskId}: input request '${key}' names no method`);
    requests[key] = { method: entry['method'], params: isRecord(entry['params']) ? entry['params'] : {} };
  }
  return requests;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
