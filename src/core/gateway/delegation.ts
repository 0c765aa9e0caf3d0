// Delegation: a server with `delegate: true` calls other servers' tools through the gateway, as agent
// `server:<name>`, with a token that lives as long as its run. Here: what its run is given, and who a request it
// makes comes from (the chain), with the cycles and depths MCP Warden refuses.
import { callerLabel, delegatingServerAgent, delegatingServerOf, type Caller } from './caller';

/** The gateway's aggregate endpoint, `http://127.0.0.1:<port>/mcp`, in a delegating server's environment. */
export const GATEWAY_URL_VARIABLE = 'MCP_WARDEN_GATEWAY_URL';
/** The bearer token of this run of the server, in its environment. */
export const GATEWAY_TOKEN_VARIABLE = 'MCP_WARDEN_GATEWAY_TOKEN';

/**
 * The gateway's name for a sandboxed delegating server. On Linux the sandbox has a loopback of its own, and the
 * runtime's NO_PROXY sends 127.0.0.1 and localhost there directly; this name goes through the sandbox's proxy,
 * which maps it (in the sandbox's worker only) to 127.0.0.1, where the gateway listens. `.internal` is reserved
 * for private use: no public DNS answers for it.
 */
export const SANDBOXED_GATEWAY_HOST = 'mcp-warden-gateway.internal';

/** The gateway's URL as a sandboxed delegating server reaches it. */
export function sandboxedGatewayUrl(port: number): string {
  return `http://${SANDBOXED_GATEWAY_HOST}:${port}/mcp`;
}

/** The most callers a delegated request may have, the server making it included: an agent and three servers. */
export const MAX_DELEGATION_CHAIN = 4;

/** What one run of a delegating server is given to reach the gateway. */
export interface DelegationAccess {
  readonly url: string;
  readonly port: number;
  /** Honoured as `server:<name>` until `close` for this run. A secret: never logged, never audited. */
  readonly token: string;
}

/** The gateway as the supervisor sees it when a delegating server starts and stops. */
export interface DelegationPort {
  /** A token for this run of the server, or undefined when the gateway does not run (the server gets no variables). */
  open(server: string, session: string): DelegationAccess | undefined;
  /** The run ended: its token stops working. */
  close(server: string, session: string): void;
}

/** Who caused a call in flight on a server, as the start of the chain of any request the server makes during it. */
export function chainThrough(caller: Caller | undefined): readonly string[] {
  return caller ? [...(caller.chain ?? []), caller.agent] : [];
}

export interface DelegatedCaller {
  /** The caller with its chain filled in (the caller itself when it is not a delegating server). */
  readonly caller: Caller;
  /** Why MCP Warden refuses the request (a cycle, a chain too long), else undefined. */
  readonly refused?: string;
}

/**
 * The caller of a request to server `target`. A delegating server's request continues the chain of the call it is
 * serving: `inFlight` holds the callers of the calls running on that server now (undefined: MCP Warden's own UI).
 * Only one call in flight says which; with none or several the chain recorded is empty, but cycles and depth are
 * checked against every call in flight, so that no ambiguity lets a loop through.
 */
export function delegatedCaller(caller: Caller, target: string, inFlight: readonly (Caller | undefined)[]): DelegatedCaller {
  const from = delegatingServerOf(caller.agent);
  if (from === undefined) return { caller };
  const candidates = inFlight.map(chainThrough);
  const chain = candidates.length === 1 ? candidates[0]! : [];
  const delegated: Caller = { ...caller, chain };
  if (target === from) return { caller: delegated, refused: `MCP Warden refused: server '${from}' may not call its own tools through the gateway` };
  for (const candidate of candidates.length > 0 ? candidates : [[]]) {
    const whole = { agent: caller.agent, chain: candidate };
    const callers = [...candidate, caller.agent];
    if (callers.includes(delegatingServerAgent(target))) {
      return { caller: delegated, refused: `MCP Warden refused a delegation cycle: ${callerLabel(whole)} → server '${target}', which is already in the chain` };
    }
    if (callers.length > MAX_DELEGATION_CHAIN) {
      return { caller: delegated, refused: `MCP Warden refused: the delegation chain ${callerLabel(whole)} is longer than ${MAX_DELEGATION_CHAIN} callers` };
    }
  }
  return { caller: delegated };
}
