import { randomUUID } from 'node:crypto';
import { ProtocolError, RELATED_TASK_META_KEY, type Client } from '@modelcontextprotocol/client';
import type { ServerRequestMethod } from '../../core/lifecycle/session';
import { errorMessage } from '../../core/ports';
import { ClientTaskError, ClientTaskStore, clientTaskOnWire } from '../../core/tasks/clientTasks';

type StoredHandler = (request: { method: string; params?: Record<string, unknown> }, ctx: { mcpReq: { signal: AbortSignal } }) => Promise<unknown>;
interface HandlerAccess {
  _requestHandlers?: Map<string, StoredHandler>;
}

/**
 * Lets a 2025-11-25 server send `sampling/createMessage` / `elicitation/create` as tasks (`params.task`), as the
 * `tasks.requests` capability declares: the answer is a task at once; the request itself runs through the handler
 * registered for it (the gate, the prompt, the audit log, as ever) and its result is served by `tasks/result`.
 * `tasks/get`, `tasks/list` and `tasks/cancel` are served from the same store; anything else goes to the fallback
 * handler set before. The SDK wraps a registered sampling/elicitation handler with a check that its answer is a
 * result of the method, which a CreateTaskResult is not: so the task answer is given in front of that wrapper,
 * by replacing the stored handler with one that calls it. Returns false when this SDK build stores handlers
 * differently (then nothing is changed and `tasks.requests` must not be declared).
 */
export function serveTaskAugmentedRequests(client: Client, methods: readonly ServerRequestMethod[], now: () => number = Date.now): boolean {
  const handlers = (client as unknown as HandlerAccess)._requestHandlers;
  if (!(handlers instanceof Map) || methods.some((method) => typeof handlers.get(method) !== 'function')) return false;
  const store = new ClientTaskStore(() => randomUUID());
  const running = new Map<string, { readonly done: Promise<void>; readonly abort: AbortController }>();

  for (const method of methods) {
    const inner = handlers.get(method) as StoredHandler;
    handlers.set(method, async (request, ctx) => {
      const { task: requested, ...params } = request.params ?? {};
      if (requested === undefined) return inner(request, ctx);
      const task = wire(() => store.create((requested as { ttl?: unknown } | null)?.ttl, now()));
      // An elicitation waits for the user from the start; the server sees that as input_required.
      if (method === 'elicitation/create') store.waiting(task.taskId, true, now());
      const abort = new AbortController();
      const done = inner({ ...request, params }, { ...ctx, mcpReq: { ...ctx.mcpReq, signal: abort.signal } }).then(
        (result) => store.settle(task.taskId, { result }, now()),
        (error: unknown) => store.settle(task.taskId, { error: { code: typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -32603, message: errorMessage(error) } }, now()),
      );
      running.set(task.taskId, { done, abort });
      void done.finally(() => running.delete(task.taskId));
      return { task: clientTaskOnWire(store.get(task.taskId, now())) };
    });
  }

  // A task outlives the request that started it, so the SDK does not abort it when the connection closes: without
  // this, a server that exits right after sending one would leave its question open to the user (or its model run).
  const closed = client.onclose;
  client.onclose = () => {
    for (const { abort } of running.values()) abort.abort(new Error('the server closed the connection'));
    closed?.();
  };

  const previous = client.fallbackRequestHandler;
  client.fallbackRequestHandler = async (request, ctx) => {
    const taskId = (request.params as { taskId?: unknown } | undefined)?.taskId;
    switch (request.method) {
      case 'tasks/get':
        return wire(() => clientTaskOnWire(store.get(taskId, now()))) as never;
      case 'tasks/list':
        return { tasks: store.list(now()).map(clientTaskOnWire) } as never;
      case 'tasks/cancel': {
        const cancelled = wire(() => store.cancel(taskId, now()));
        running.get(cancelled.taskId)?.abort.abort(new Error('the server cancelled the task'));
        return clientTaskOnWire(cancelled) as never;
      }
      case 'tasks/result': {
        // Waits for the end, as the spec says tasks/result does.
        await running.get(wire(() => store.get(taskId, now())).taskId)?.done;
        const task = wire(() => store.get(taskId, now()));
        const meta = { [RELATED_TASK_META_KEY]: { taskId: task.taskId } };
        if (task.outcome && 'result' in task.outcome) return { ...(task.outcome.result as Record<string, unknown>), _meta: meta } as never;
        const error = task.outcome?.error ?? { code: -32603, message: `the task was ${task.status}` };
        throw new ProtocolError(error.code, error.message);
      }
      default:
        if (previous) return previous(request, ctx);
        throw new ProtocolError(-32601, `Method not found: ${request.method}`);
    }
  };
  return true;
}

/** Runs a store operation; its refusal reaches the server as the JSON-RPC error it names. */
function wire<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof ClientTaskError) throw new ProtocolError(error.code, error.message);
    throw error;
  }
}
