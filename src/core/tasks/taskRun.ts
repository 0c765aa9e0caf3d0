import type { ProtocolEra, ToolCallResult } from '../lifecycle/session';
import type { TaskInputRequest, TaskState, TaskStatus } from './taskWire';

/** How often to ask when the server suggests nothing, and the bounds a server's suggestion is kept within. */
export const DEFAULT_POLL_MS = 1000;
export const MIN_POLL_MS = 50;
export const MAX_POLL_MS = 30_000;
/** How long the task the client asks for is kept by a legacy server when no bound on the call is set (`task.ttl`). */
export const DEFAULT_TTL_MS = 60 * 60 * 1000;

/** Why the client stopped waiting for a task when the call's bound passed. */
export const OVER_CALL_BOUND = 'the task ran longer than a call may (mcpWarden.maxRequestSeconds); it was cancelled';

/** What the client does next for a task it runs. */
export type TaskStep =
  /** Ask for the status again (`tasks/get`) after `afterMs`. */
  | { readonly kind: 'poll'; readonly afterMs: number }
  /** 2025-11-25: `tasks/result`, which waits for the end and carries the server's requests (input_required) meanwhile. */
  | { readonly kind: 'fetchResult' }
  /** 2026-07-28: answer these (through the same handlers as any server request), then `tasks/update`. */
  | { readonly kind: 'answerInput'; readonly requests: Readonly<Record<string, TaskInputRequest>> }
  | { readonly kind: 'done'; readonly result: ToolCallResult }
  /** The task ended without a result; `message` says why, for the user. */
  | { readonly kind: 'fail'; readonly message: string }
  /** The client stops waiting (its bound or the task's ttl passed): cancel the task, then fail with `message`. */
  | { readonly kind: 'giveUp'; readonly message: string };

export interface TaskClock {
  /** When the task was created, by the client's clock (ms). */
  readonly startedAt: number;
  readonly now: number;
  /** The bound on the whole call (mcpWarden.maxRequestSeconds); undefined: none but the task's ttl. */
  readonly maxTotalMs?: number;
}

/** Decides what to do with a task in `state`: pure, so every branch is tested without a server. */
export function nextStep(era: ProtocolEra, state: TaskState, clock: TaskClock): TaskStep {
  switch (state.status) {
    case 'completed':
      if (era === 'legacy') return { kind: 'fetchResult' };
      return state.result ? { kind: 'done', result: state.result } : { kind: 'fail', message: `the task ${state.taskId} completed without a result` };
    case 'failed':
      // A legacy server keeps what the request ended with for tasks/result; a modern one inlines it.
      if (era === 'legacy') return { kind: 'fetchResult' };
      return { kind: 'fail', message: `the task failed: ${state.error ? `${state.error.message} (${state.error.code})` : (state.statusMessage ?? 'the server gave no reason')}` };
    case 'cancelled':
      return { kind: 'fail', message: `the server cancelled the task${state.statusMessage ? `: ${state.statusMessage}` : ''}` };
    case 'input_required':
      if (era === 'legacy') return { kind: 'fetchResult' };
      if (state.inputRequests && Object.keys(state.inputRequests).length > 0) return { kind: 'answerInput', requests: state.inputRequests };
      break;
    case 'working':
      break;
  }
  const elapsed = clock.now - clock.startedAt;
  if (clock.maxTotalMs !== undefined && elapsed >= clock.maxTotalMs) {
    return { kind: 'giveUp', message: OVER_CALL_BOUND };
  }
  if (typeof state.ttlMs === 'number' && elapsed >= state.ttlMs) {
    return { kind: 'giveUp', message: `the task outlived the ${Math.round(state.ttlMs / 1000)} s its server keeps it (ttl); it was cancelled` };
  }
  return { kind: 'poll', afterMs: pollDelay(state, clock) };
}

/** The server's suggested interval, within sane bounds, never past the call's bound. */
export function pollDelay(state: TaskState, clock: TaskClock): number {
  const suggested = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, state.pollIntervalMs ?? DEFAULT_POLL_MS));
  if (clock.maxTotalMs === undefined) return suggested;
  const left = clock.startedAt + clock.maxTotalMs - clock.now;
  return Math.max(0, Math.min(suggested, left));
}

/** The ttl a legacy client asks for: the call's bound (the task is of no use after it), or an hour. */
export function requestedTtlMs(maxTotalMs: number | undefined): number {
  return maxTotalMs ?? DEFAULT_TTL_MS;
}

/** "task working: Gathering sources..." — the line a user sees while the task runs. */
export function describeTask(state: Pick<TaskState, 'status' | 'statusMessage'>): string {
  const status = STATUS_WORDS[state.status];
  return state.statusMessage ? `task ${status}: ${state.statusMessage}` : `task ${status}`;
}

/** A status worth telling the user: the first one, or one whose status or message changed. */
export function isNews(before: TaskState | undefined, after: TaskState): boolean {
  return !before || before.status !== after.status || before.statusMessage !== after.statusMessage;
}

/** A status after which the task does not change. */
export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

const STATUS_WORDS: Record<TaskStatus, string> = {
  working: 'working',
  input_required: 'waiting for input',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};
