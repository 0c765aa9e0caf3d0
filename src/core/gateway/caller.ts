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
  /**
   * The elicitation modes the agent declared (`elicitation: {}` means form only): a form or URL request it cannot
   * show is answered by MCP Warden instead of failing.
   */
  readonly elicitationModes?: readonly ElicitationMode[];
}

export type ElicitationMode = 'form' | 'url';

/** The modes of an `elicitation` client capability, as the spec reads it: none named means form. */
export function elicitationModesOf(capability: unknown): ElicitationMode[] {
  if (typeof capability !== 'object' || capability === null) return [];
  const modes = (['form', 'url'] as const).filter((mode) => mode in capability);
  return modes.length > 0 ? modes : ['form'];
}

/** Whether the agent can answer this request itself, or MCP Warden must. */
export function canForward(caller: Caller | undefined, request: ServerRequest): ForwardHandler | undefined {
  if (request.method === 'roots/list') return undefined;
  const forward = caller?.forward?.[request.method];
  if (!forward || request.method !== 'elicitation/create') return forward;
  const mode = (request.params as { mode?: unknown } | undefined)?.mode === 'url' ? 'url' : 'form';
  return (caller?.elicitationModes ?? ['form']).includes(mode) ? forward : undefined;
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
