import { SdkError, SdkErrorCode, type RequestOptions as SendOptions } from '@modelcontextprotocol/client';
import type { ProtocolEra, TaskStatusUpdate, ToolCallResult } from '../../core/lifecycle/session';
import { errorMessage, type Logger } from '../../core/ports';
import { describeTask, isNews, isTerminal, nextStep, requestedTtlMs, DEFAULT_TTL_MS, OVER_CALL_BOUND } from '../../core/tasks/taskRun';
import { readCallAnswer, readTask, readToolResult, type TaskInputRequest, type TaskState } from '../../core/tasks/taskWire';
import type { TaskRequests } from './taskRequests';

/** How long a tasks/cancel sent on the way out may take: the caller is already waiting to hear the call ended. */
const CANCEL_TIMEOUT_MS = 5000;

/** A task that ended without a result, or that MCP Warden stopped waiting for; the message says which and why. */
export class TaskFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'TaskFailedError';
  }
}

export interface TaskCallDeps {
  readonly era: ProtocolEra;
  readonly requests: TaskRequests;
  /** Subscribes to `notifications/tasks/status`; returns the unsubscribe. */
  readonly onStatusNotification: (listener: (params: unknown) => void) => () => void;
  /** Answers one input request of a 2026-07-28 task through the client's server-request handlers (and the gate). */
  readonly answerInput: (request: TaskInputRequest, signal: AbortSignal) => Promise<unknown>;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface TaskCallOptions {
  /** Each request of the task (tools/call, tasks/get, tasks/update) waits this long for its answer. */
  readonly timeoutMs: number;
  /** The whole call, however long the task runs; undefined: until the task's ttl. */
  readonly maxTotalMs?: number;
  readonly signal?: AbortSignal;
  readonly onTaskStatus?: (update: TaskStatusUpdate) => void;
  /**
   * How the `tools/call` itself is sent (progress handler, timeout restarted by progress, total bound), as for a
   * plain call: in 2026-07-28 the answer may be the result itself, after progress.
   */
  readonly callOptions?: SendOptions;
}

/**
 * Calls a tool that may run as a task and resolves with its final CallToolResult: creates the task, follows its
 * status (tasks/get at the server's poll interval, sooner on a status notification), answers its input requests,
 * and fetches the result. An abort of `signal`, or the call's bound passing, cancels the task (tasks/cancel).
 */
export async function callToolAsTask(deps: TaskCallDeps, params: Readonly<Record<string, unknown>>, options: TaskCallOptions): Promise<ToolCallResult> {
  const { era, requests } = deps;
  const now = deps.now ?? Date.now;
  const { signal, maxTotalMs } = options;
  const startedAt = now();
  const sendOptions = (timeout = options.timeoutMs): SendOptions => ({ timeout, ...(signal && { signal }) });
  let latest: TaskState | undefined;
  let wake: (() => void) | undefined;
  const observe = (state: TaskState): void => {
    if (latest && isTerminal(latest.status)) return;
    if (isNews(latest, state)) {
      options.onTaskStatus?.({ taskId: state.taskId, status: state.status, ...(state.statusMessage !== undefined && { statusMessage: state.statusMessage }), message: describeTask(state) });
    }
    latest = state;
  };
  const unsubscribe = deps.onStatusNotification((raw) => {
    try {
      const state = readTask(era, raw);
      if (state.taskId !== latest?.taskId) return;
      observe(state);
      wake?.();
    } catch (error) {
      deps.logger.debug(`ignored a task status notification: ${errorMessage(error)}`);
    }
  });
  const cancelTask = async (why: string): Promise<void> => {
    if (!latest || isTerminal(latest.status)) return;
    deps.logger.info(`cancelling task ${latest.taskId}: ${why}`);
    await requests.cancel(latest.taskId, { timeout: Math.min(options.timeoutMs, CANCEL_TIMEOUT_MS) }).catch((error: unknown) => deps.logger.debug(`tasks/cancel failed: ${errorMessage(error)}`));
  };
  try {
    // 2025-11-25: the client asks for a task; 2026-07-28: the server decides, so the call goes out as it is.
    const callParams = era === 'legacy' ? { ...params, task: { ttl: requestedTtlMs(maxTotalMs) } } : params;
    const answer = readCallAnswer(era, await requests.call(callParams, options.callOptions ?? sendOptions()));
    if (answer.kind === 'result') return answer.result;
    observe(answer.task);
    for (;;) {
      const task = latest as TaskState;
      const step = nextStep(era, task, { startedAt, now: now(), ...(maxTotalMs !== undefined && { maxTotalMs }) });
      switch (step.kind) {
        case 'done':
          return step.result;
        case 'fail':
          throw new TaskFailedError(step.message);
        case 'giveUp':
          await cancelTask(step.message);
          throw new TaskFailedError(step.message);
        case 'fetchResult': {
          // A server's ttl of 1e12 would overflow the timer (Node fires it at once): it waits no longer than the client asked.
          const left = maxTotalMs !== undefined ? startedAt + maxTotalMs - now() : Math.min(task.ttlMs ?? DEFAULT_TTL_MS, DEFAULT_TTL_MS);
          try {
            return readToolResult(await requests.result(task.taskId, sendOptions(Math.max(1, left))), 'tasks/result');
          } catch (error) {
            if (signal?.aborted) throw error;
            if (isTimeout(error)) {
              // tasks/result waited as long as the call may run (or the task is kept): the same bound as polling.
              const message = maxTotalMs !== undefined ? OVER_CALL_BOUND : 'the task gave no result within its ttl; it was cancelled';
              await cancelTask(message);
              throw new TaskFailedError(message, error);
            }
            if (task.status === 'failed') throw new TaskFailedError(`the task failed: ${errorMessage(error)}`, error);
            throw error;
          }
        }
        case 'answerInput': {
          const responses = await answerAll(deps, step.requests, signal).catch(async (error: unknown) => {
            await cancelTask('its input requests could not be answered');
            throw new TaskFailedError(`the task asked for input that was not given: ${errorMessage(error)}`, error);
          });
          await requests.update(task.taskId, responses, sendOptions());
          observe(readTask(era, await requests.get(task.taskId, sendOptions())));
          break;
        }
        case 'poll':
          await sleep(step.afterMs, signal, (wakeUp) => (wake = wakeUp));
          wake = undefined;
          observe(readTask(era, await requests.get(task.taskId, sendOptions())));
          break;
      }
    }
  } catch (error) {
    if (signal?.aborted) await cancelTask('the call was cancelled');
    throw error;
  } finally {
    unsubscribe();
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
}

async function answerAll(deps: TaskCallDeps, requests: Readonly<Record<string, TaskInputRequest>>, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
  const answering = new AbortController();
  const onAbort = () => answering.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const entries = await Promise.all(Object.entries(requests).map(async ([key, request]) => [key, await deps.answerInput(request, answering.signal)] as const));
    return Object.fromEntries(entries);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Waits `ms`, or less when woken (a status notification) or aborted (then rejects with the abort reason). */
function sleep(ms: number, signal: AbortSignal | undefined, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', aborted, { once: true });
    onWake(done);
  });
}
