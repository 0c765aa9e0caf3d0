import type { ServerRequest } from '../lifecycle/session';

/** The server→client requests a gateway agent may answer itself, when it declared the capability. */
export type ForwardableMethod = 'elicitation/create' | 'sampling/createMessage';

/** Answers one request a backing server made, through the agent that caused it. */
export type ForwardHandler = (request: ServerRequest, signal: AbortSignal) => Promise<unknown>;

/**
 * Who sends a request through the gateway: part of the subject of every permission decision and audit record.
 * A request without a caller comes from MCP Warden's own user interface.
 */
export interface Caller {
  /**
   * The agent's id, taken from the credential it presented (`claude-code`, `vscode`, …), or `server:<name>` for a
   * server calling another server's tools. Never from what the agent says about itself.
   */
  readonly agent: string;
  /** What the agent calls itself (`clientInfo.name`): shown next to the id, never trusted. */
  readonly clientName?: string;
  /**
   * Delegation: who caused this request before `agent`, outermost first, e.g. `['claude-code', 'server:notes']`
   * when an agent's call to server `notes` made `notes` call another server's tool.
   */
  readonly chain?: readonly string[];
  /** Where requests the backing server makes during this call go, by method; a method left out is answered by MCP Warden. */
  readonly forward?: Partial<Record<ForwardableMethod, ForwardHandler>>;
}

/** Agent ids of servers that delegate through the gateway. */
export const DELEGATING_SERVER_PREFIX = 'server:';

export function delegatingServerAgent(server: string): string {
  return `${DELEGATING_SERVER_PREFIX}${server}`;
}

export function isDelegatingServer(agent: string | undefined): boolean {
  return agent !== undefined && agent.startsWith(DELEGATING_SERVER_PREFIX);
}

/** The server behind a delegating agent id, else undefined. */
export function delegatingServerOf(agent: string | undefined): string | undefined {
  return isDelegatingServer(agent) ? agent!.slice(DELEGATING_SERVER_PREFIX.length) : undefined;
}

/** `claude-code`, or the chain `claude-code → server:notes` when the request was delegated. */
export function callerLabel(caller: { readonly agent: string; readonly chain?: readonly string[] }): string {
  return [...(caller.chain ?? []), caller.agent].join(' → ');
}
