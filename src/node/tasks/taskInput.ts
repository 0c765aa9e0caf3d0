import type { Client } from '@modelcontextprotocol/client';
import type { TaskInputRequest } from '../../core/tasks/taskWire';

type StoredHandler = (request: unknown, ctx: unknown) => Promise<unknown>;
interface HandlerAccess {
  _getRequestHandler?: (method: string) => StoredHandler | undefined;
  fallbackRequestHandler?: StoredHandler;
}

/**
 * Answers one input request of a 2026-07-28 task (`inputRequests` of tasks/get) exactly as the SDK answers the
 * input requests of an `input_required` result: through the handler registered for the method (so the SDK's
 * validation and elicitation defaults apply, and serverRequests.ts routes it to the gate, the prompter and the
 * audit log), else the fallback handler that refuses what was not offered.
 */
export function answerTaskInput(client: Client): (request: TaskInputRequest, signal: AbortSignal) => Promise<unknown> {
  const access = client as unknown as HandlerAccess;
  let next = 0;
  return async (request, signal) => {
    const handler = access._getRequestHandler?.call(client, request.method) ?? access.fallbackRequestHandler;
    if (!handler) throw new Error(`MCP Warden cannot answer ${request.method} for a task`);
    // The handler expects a JSON-RPC request; the id is local (never sent), like the SDK's own for input requests.
    const synthetic = { jsonrpc: '2.0', id: `task-input-${next++}`, method: request.method, params: { ...request.params } };
    return handler.call(client, synthetic, { mcpReq: { id: synthetic.id, method: request.method, signal, _meta: undefined } });
  };
}
