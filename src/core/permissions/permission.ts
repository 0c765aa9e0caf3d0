/**
 * The permission vocabulary: what a server may do or ask for, the decisions a user makes about it, and the
 * grants that keep those decisions. Pure data; the gate (permissionGate.ts) decides with it.
 */

import { isDelegatingServer } from '../gateway/caller';

export const PERMISSION_KINDS = [
  'launch',
  'fs.read',
  'fs.write',
  'net',
  'process.exec',
  'tool',
  'prompt',
  'resource',
  'sampling',
  'elicitation',
  'roots',
] as const;

/**
 * - `launch`: running one exact server definition (target `''`, pinned to the launch hash);
 * - `fs.read` / `fs.write`: an absolute path, a folder covering what is below it;
 * - `net`: `host`, `host:port` or `*.example.com`, or `unix:*` (every Unix socket: Linux allows all or none);
 * - `process.exec`: a program (a name or an absolute path);
 * - `tool` / `prompt`: one name of one server (pinned to the definition hash); `resource`: a URI pattern, `*` any run;
 * - `sampling` / `elicitation` / `roots`: requests a server makes of the client (target `''`).
 */
export type PermissionKind = (typeof PERMISSION_KINDS)[number];

export interface Permission {
  readonly kind: PermissionKind;
  readonly target: string;
}

export type Verdict = 'allow' | 'deny';
/** `once`: the next matching request only; `session`: until the server stops; `workspace`: kept in settings. */
export type GrantScope = 'once' | 'session' | 'workspace';

/** A decision the user made, as it is kept (workspace grants: in `mcpWarden.grants`). */
export interface Grant {
  readonly server: string;
  readonly kind: PermissionKind;
  readonly target: string;
  readonly decision: Verdict;
  readonly scope: GrantScope;
  /** ISO 8601 UTC. */
  readonly grantedAt: string;
  /**
   * sha256 (hex) of what was approved: the resolved launch for `launch`, the definition (name, title, description,
   * input and output schema, annotations) for `tool` and `prompt`. A grant whose pin differs from now is suspended.
   */
  readonly pin?: string;
  /** `hmac-sha256:<keyId>:<mac>`: set on grants made on a machine; see grantSeal.ts. */
  readonly seal?: string;
  /**
   * The gateway agents the grant covers (their ids, e.g. `claude-code`, `server:notes`); absent: every caller but a
   * delegating server, which only a grant naming it covers (a deny without `agents` denies every caller). See
   * `grantCovers`.
   */
  readonly agents?: readonly string[];
}

/**
 * Where a workspace grant stands on this machine:
 * - `sealed`: made here (its seal verifies with this machine's key) — honoured;
 * - `confirmed`: proposed by someone else and confirmed once by the user here — honoured;
 * - `proposed`: unsealed or sealed by another machine's key — not honoured until confirmed;
 * - `tampered`: sealed with this machine's key but changed since — rejected and reported.
 */
export type GrantStatus = 'sealed' | 'confirmed' | 'proposed' | 'tampered';

export interface WorkspaceGrant {
  readonly grant: Grant;
  readonly status: GrantStatus;
}

/** What a server declared it needs and why (settings `permissions` block or the protocol extension). */
export interface Declaration {
  readonly permission: Permission;
  readonly reason?: string;
  /** `settings`: the definition's `permissions` block; `server`: the server said so at negotiation. */
  readonly source: 'settings' | 'bundle' | 'server';
}

/** Tool annotations as the protocol defines them: hints a server makes about itself, never a grant. */
export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/** One thing to decide: a server wants `permission`, now. */
export interface PermissionRequest {
  readonly server: string;
  /** The server's current run, for session grants. */
  readonly session: string;
  readonly permission: Permission;
  /** The current pin of what is asked for (tool/prompt definition hash, launch hash). */
  readonly pin?: string;
  /** For `tool`: the annotations the server gave the tool. */
  readonly annotations?: ToolAnnotations;
  /** The protocol method that needs it, e.g. `tools/call`, `sampling/createMessage`. */
  readonly method?: string;
  /** Why the server says it needs it (from a declaration). */
  readonly reason?: string;
  /** The gateway agent the request comes from (see Caller); absent: MCP Warden's own user interface. */
  readonly agent?: string;
  /** Delegation: who caused the request before `agent`, outermost first. */
  readonly chain?: readonly string[];
}

/** The gate's answer, and the rule that gave it (shown to the user and written to the audit log). */
export interface GateDecision {
  readonly verdict: Verdict | 'ask';
  /** e.g. "workspace grant (2026-12-02T10:00:00Z)", "no grant: ask", "denied for this session". */
  readonly rule: string;
  /** The grant that decided, if one did. */
  readonly grant?: Grant;
  /** A grant that would have matched but is pinned to another definition: the definition changed since. */
  readonly suspended?: Grant;
  /** A workspace grant that would decide once the user confirms it. */
  readonly proposed?: Grant;
  /** Why asking must be modal: writing outside the workspace, process execution, a destructive tool… */
  readonly risks: readonly string[];
}

/** The answer a user gives to a question. `undefined` from a prompt: dismissed or timed out — treated as deny once. */
export interface UserAnswer {
  readonly verdict: Verdict;
  readonly scope: GrantScope;
}

/** `kind:target`, e.g. `tool:search`, `net:*.github.com`, `launch`. */
export function permissionLabel(permission: Permission): string {
  return permission.target === '' ? permission.kind : `${permission.kind}:${permission.target}`;
}

/** sha256 of text, hex: node's crypto behind a port, since the core has no crypto of its own. */
export interface Hasher {
  sha256(text: string): string;
}

/**
 * Seals grants made on this machine and tells where a workspace grant stands (see GrantStatus). The key lives
 * in SecretStorage; the core never sees it.
 */
export interface GrantSealer {
  seal(grant: Grant): Grant;
  status(grant: Grant): GrantStatus;
}

/** Per tool annotation that is `true`: what to do when no grant decides (user settings only, never a grant by itself). */
export type AnnotationDefaults = Readonly<Partial<Record<keyof ToolAnnotations, Verdict | 'ask'>>>;

/**
 * Whether a grant covers a request's caller. A grant naming agents covers exactly those. One naming none covers MCP
 * Warden's own user interface and every gateway agent, except a server delegating through the gateway: a server
 * calling another server's tools is a new subject, allowed only by a grant that names it. A deny naming none covers
 * every caller: deny when unsure.
 */
export function grantCovers(grant: Pick<Grant, 'agents' | 'decision'>, agent: string | undefined): boolean {
  if (grant.agents !== undefined) return agent !== undefined && grant.agents.includes(agent);
  return grant.decision === 'deny' || !isDelegatingServer(agent);
}
