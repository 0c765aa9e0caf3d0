import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { callOutcome } from '../../core/callOutcome';
import type { ServerStateKind } from '../../core/lifecycle/serverState';
import type { ToolCallResult } from '../../core/lifecycle/session';
import { PERMISSION_DENIED_CODE } from '../../core/permissions/permissionDenied';
import { errorMessage } from '../../core/ports';

/** What the registry says when it refuses a request before any server sees it (see ServerRegistry.requestNow). */
const REFUSED_BEFORE_SENDING = /^(no server is named|server '[^']*' (is not running|has no tool named|cannot start|is only defined in))/;

export interface FailedRequest {
  readonly server: string;
  /** The tool, prompt or resource, as the server names it. */
  readonly what: string;
  /** The server's state right after the failure: a server MCP Warden is restarting says so. */
  readonly serverState: ServerStateKind | undefined;
}

/**
 * A tool call that did not return, told to the agent as the editor tells the user (callOutcome): a denial becomes a
 * tool result with `isError` so the model reads why; anything else is an MCP error naming the server.
 */
export function failedToolCall(error: unknown, call: FailedRequest): ToolCallResult {
  const outcome = callOutcome(error, { serverName: call.server, toolName: call.what, serverState: call.serverState });
  if (outcome.kind === 'denied') return { content: [{ type: 'text', text: outcome.message }], isError: true };
  throw protocolError(error, outcome.message, call);
}

/** A prompt, resource or completion request that failed: always an MCP error, a denial with MCP Warden's code. */
export function failedRequest(error: unknown, call: FailedRequest): never {
  const denied = isDenial(error);
  if (denied) throw new ProtocolError(PERMISSION_DENIED_CODE, errorMessage(error));
  throw protocolError(error, `request for '${call.what}' on server '${call.server}' failed: ${errorMessage(error)}`, call);
}

function protocolError(error: unknown, message: string, call: FailedRequest): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const text = errorMessage(error);
  if (REFUSED_BEFORE_SENDING.test(text)) return new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: ${text}`);
  // The server went away on its own (not stopped by the user): the supervisor restarts it, unless it gave up.
  if (connectionLost(error) && call.serverState !== 'stopping' && call.serverState !== 'stopped') {
    const next = call.serverState === 'error' ? 'MCP Warden gave up restarting it; see its output' : 'MCP Warden is restarting it, so call again in a moment';
    return new ProtocolError(ProtocolErrorCode.InternalError, `MCP Warden: server '${call.server}' stopped while '${call.what}' was running; ${next}`);
  }
  return new ProtocolError(ProtocolErrorCode.InternalError, `MCP Warden: ${message}`);
}

/** The SDK's words for a connection that closed under a request, or the process transport's for a dead server. */
function connectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === 'CONNECTION_CLOSED' || code === 'NOT_CONNECTED' || message === 'the server process is not running') return true;
  }
  return false;
}

function isDenial(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'PermissionDeniedError';
}
