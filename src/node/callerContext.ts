import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from '../core/gateway/caller';

/**
 * The gateway agent a request is being sent for, carried along the SDK's call into the transport: the audit tap
 * sees only JSON-RPC messages, and the message must not carry the agent's name to the server.
 */
export const callerContext = new AsyncLocalStorage<Caller>();

/** Runs `send` with `caller` as the current caller (no context at all for MCP Warden's own requests). */
export function sendingFor<T>(caller: Caller | undefined, send: () => T): T {
  return caller ? callerContext.run(caller, send) : send();
}
