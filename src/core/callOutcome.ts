import type { ServerStateKind } from './lifecycle/serverState';
import { errorMessage } from './ports';

/**
 * How a tool call that did not return ended, told the way a user would say it: they cancelled it, they
 * stopped its server, or it failed.
 */
export type CallOutcome =
  | { readonly kind: 'cancelled'; readonly message: string }
  | { readonly kind: 'stopped'; readonly message: string }
  | { readonly kind: 'denied'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface FailedCall {
  readonly serverName: string;
  readonly toolName: string;
  /** True when the user asked for this call to be cancelled (e.g. the Cancel button of its progress). */
  readonly cancelRequested?: boolean;
  /** The server's state when the call failed: `stopping` or `stopped` means MCP Warden ended its session. */
  readonly serverState?: ServerStateKind;
}

/**
 * Classifies the error a tool call was rejected with. Knows the errors the node layer names
 * (`CallCancelledError`, `SessionStoppedError`) and the SDK's raw shapes (an `AbortError`, which the SDK
 * wraps as a `REQUEST_TIMEOUT` SdkError; `CONNECTION_CLOSED`), so it reads either.
 */
export function callOutcome(error: unknown, call: FailedCall): CallOutcome {
  const server = `server '${call.serverName}'`;
  const tool = `'${call.toolName}'`;
  const chain = causes(error);
  const named = (name: string) => chain.some((e) => e.name === name);
  const sdkCode = (code: string) => chain.some((e) => e.name === 'SdkError' && e.code === code);

  if (call.cancelRequested || named('CallCancelledError') || named('AbortError') || (sdkCode(REQUEST_TIMEOUT) && chain.some((e) => e.message?.startsWith('AbortError')))) {
    return { kind: 'cancelled', message: `call to ${tool} on ${server} was cancelled` };
  }
  // The gate's message names the permission, the rule and how to grant it: it is the whole story.
  const denied = chain.find((e) => e.name === 'PermissionDeniedError');
  if (denied) return { kind: 'denied', message: denied.message ?? errorMessage(error) };
  const endedByWarden = call.serverState === 'stopping' || call.serverState === 'stopped';
  // A call made just as the session closed is refused by the SDK ("Not connected") or by the process transport.
  const sessionGone =
    sdkCode(CONNECTION_CLOSED) || sdkCode(NOT_CONNECTED) || chain.some((e) => e.message === 'Not connected' || e.message === PROCESS_GONE);
  if (named('SessionStoppedError') || (endedByWarden && sessionGone)) {
    const restart = chain.find((e) => typeof e.restartReason === 'string')?.restartReason;
    if (restart) return { kind: 'stopped', message: `${server} was restarted while ${tool} was running (${restart}); call it again` };
    return { kind: 'stopped', message: `${server} was stopped while ${tool} was running` };
  }
  if (sdkCode(REQUEST_TIMEOUT) && chain.some((e) => e.message?.includes('Maximum total timeout'))) {
    return { kind: 'failed', message: `call to ${tool} on ${server} ran longer than it may, even reporting progress (mcpWarden.maxRequestSeconds)` };
  }
  if (sdkCode(REQUEST_TIMEOUT)) {
    const ms = chain.map((e) => (isRecord(e.data) ? e.data['timeout'] : undefined)).find((t): t is number => typeof t === 'number');
    const after = ms === undefined ? '' : ms < 1000 ? ` after ${ms} ms` : ` after ${+(ms / 1000).toFixed(1)} s`;
    return { kind: 'failed', message: `call to ${tool} on ${server} timed out${after} (mcpWarden.requestTimeoutSeconds)` };
  }
  if (sdkCode(CONNECTION_CLOSED)) {
    return { kind: 'failed', message: `${server} closed the connection while ${tool} was running; see its output` };
  }
  return { kind: 'failed', message: `call to ${tool} on ${server} failed: ${errorMessage(error)}` };
}

// SdkErrorCode values of @modelcontextprotocol/client (core imports no SDK).
const REQUEST_TIMEOUT = 'REQUEST_TIMEOUT';
const CONNECTION_CLOSED = 'CONNECTION_CLOSED';
const NOT_CONNECTED = 'NOT_CONNECTED';
/** What src/node/processTransport.ts rejects a message with once the server process is gone. */
const PROCESS_GONE = 'the server process is not running';

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: string;
  readonly code?: unknown;
  readonly data?: unknown;
  readonly restartReason?: unknown;
}

/** The error and its `cause`s (a few levels: wrappers keep what they wrap there). */
function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (isRecord(current) && chain.length < 5) {
    chain.push({
      name: current['name'],
      ...(typeof current['message'] === 'string' && { message: current['message'] }),
      code: current['code'],
      data: current['data'],
      restartReason: current['restartReason'],
    });
    current = current['cause'];
  }
  return chain;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
