// Who a gateway request comes from, as the registry's permission gate and audit log see it. The core type
// (src/core/gateway/caller.ts) is on its way to main; until it lands, its shape is restated here and everything
// passes it through `withCaller`, the one place that knows how the registry takes it.
import type { RequestOptions } from '../../core/lifecycle/serverRegistry';
import type { ServerRequest } from '../../core/lifecycle/session';

export type ForwardableMethod = 'elicitation/create' | 'sampling/createMessage';
export type ForwardHandler = (request: ServerRequest, signal: AbortSignal) => Promise<unknown>;

export interface Caller {
  /** The id the agent's token maps to: never what the agent says about itself. */
  readonly agent: string;
  /** The agent's `clientInfo.name`: shown next to the id, never trusted. */
  readonly clientName?: string;
  readonly chain?: readonly string[];
  /** Requests the backing server makes during the call that go to the agent, by method; the rest go to MCP Warden's UI. */
  readonly forward?: Partial<Record<ForwardableMethod, ForwardHandler>>;
}

/** The registry's request options with the caller added. */
export function withCaller(options: RequestOptions, caller: Caller): RequestOptions {
  const withIt: RequestOptions & { readonly caller: Caller } = { ...options, caller };
  return withIt;
}
