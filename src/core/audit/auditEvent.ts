/** What the audit log records: the events producers hand in, and the records it stores. */
import type { AuthEvent } from '../auth/authPorts';

export type AuditOutcome = 'ok' | 'error' | 'info';
/** `to-server`: the client asked the server; `to-client`: the server asked the client. */
export type AuditDirection = 'to-server' | 'to-client';
export type LifecycleAction = 'start' | 'ready' | 'start-failed' | 'stop' | 'crash' | 'restart' | 'give-up';
export type PermissionAuditAction = 'decided' | 'granted' | 'revoked' | 'suspended' | 'tampered' | 'confirmed' | 'blocked';
/**
 * Records about the log itself. `cleared`, `pruned`, `rekeyed`, `lost` and `tamper-suspected` are anchors: they
 * account for records that are no longer in the log, and are MACed and chained like every other record.
 */
export type AuditMetaAction = 'opened' | 'repaired' | 'cleared' | 'pruned' | 'lost' | 'exported' | 'tamper-suspected' | 'rekeyed';

/** Server and session names of records that belong to no server session. */
export const AUDIT_LOG_SERVER = '(audit log)';
export const SETTINGS_SESSION = 'settings';
export const AUDIT_SESSION = 'audit';

/**
 * An event as a producer reports it, with raw arguments and results. Producers stay cheap: digests,
 * previews, redaction and byte counts are computed later, off the call path, by `finalizeEvent`.
 */
export type AuditInput =
  | {
      readonly type: 'lifecycle';
      readonly server: string;
      readonly session: string;
      readonly action: LifecycleAction;
      readonly detail?: string;
      /** For `ready`: what was negotiated. */
      readonly negotiated?: {
        readonly protocolVersion: string;
        readonly era: string;
        readonly transport: string;
        readonly serverInfo: unknown;
        readonly capabilities: unknown;
        readonly pid?: number;
        readonly tools: number;
      };
    }
  | {
      readonly type: 'config';
      readonly server: string;
      readonly action: 'added' | 'changed' | 'removed';
      readonly keyPath: string;
      readonly definition?: unknown;
    }
  | {
      readonly type: 'request';
      readonly server: string;
      readonly session: string;
      readonly direction: AuditDirection;
      readonly request: { readonly method: string; readonly params?: unknown };
      /** The whole response message, or why there was none (the connection closed). */
      readonly response: { readonly result?: unknown; readonly error?: { readonly code?: number; readonly message: string } };
      readonly startedAt: number;
      readonly endedAt: number;
      readonly requestMessage?: unknown;
      readonly responseMessage?: unknown;
      /** The call never reached the server: MCP Warden refused it (e.g. the server was restarting). */
      readonly refused?: boolean;
      /** The gateway agent the request came from, and who caused it before (delegation). */
      readonly agent?: string;
      readonly chain?: readonly string[];
    }
  | {
      readonly type: 'notification';
      readonly server: string;
      readonly session: string;
      readonly direction: AuditDirection;
      readonly method: string;
      readonly params?: unknown;
    }
  | {
      readonly type: 'server-log';
      readonly server: string;
      readonly session: string;
      readonly level: string;
      readonly logger?: string;
      readonly data: unknown;
    }
  | {
      readonly type: 'permission';
      readonly server: string;
      readonly session: string;
      /**
       * `decided`: a request was allowed or denied (by a grant, a default or the user's answer); the others: a grant
       * was made, revoked, suspended (its definition changed), found tampered with, or a proposed one confirmed;
       * `blocked`: the OS sandbox stopped a server from doing something (the rule quotes the runtime's report).
       */
      readonly action: PermissionAuditAction;
      /** `kind:target`, e.g. `tool:search`. */
      readonly permission: string;
      readonly verdict?: 'allow' | 'deny';
      /** The rule that decided, as the user is told. */
      readonly rule: string;
      readonly scope?: string;
      /** The request that needed the permission, e.g. `tools/call`. */
      readonly method?: string;
      /** True when the user was asked; `waitedMs`: how long the request waited for the answer. */
      readonly asked?: boolean;
      readonly waitedMs?: number;
      /** The gateway agent the request came from (see Caller), and who caused it before (delegation). */
      readonly agent?: string;
      readonly chain?: readonly string[];
      /** Grant events: the agents the grant covers. */
      readonly agents?: readonly string[];
    }
  /** An OAuth event (AuthEvent): sign-in, refresh, step-up, registration, sign-out; never a token or a secret. */
  | (AuthEvent & { readonly type: 'auth'; readonly session: string })
  | {
      readonly type: 'audit';
      readonly action: AuditMetaAction;
      readonly detail: string;
      readonly data?: Readonly<Record<string, unknown>>;
    };

/** The one pipeline every audit event goes through (later issues add auth and signature events). */
export interface AuditSink {
  /** Takes an event, or a function that builds it later (so a call path never pays for building it). */
  record(event: AuditInput | (() => AuditInput)): void;
}

/** A request MCP Warden refused before it reached the server (no such server, not running, denied by the gate). */
export function refusedRequest(
  server: string,
  session: string,
  method: string,
  params: Readonly<Record<string, unknown>>,
  reason: string,
  now: number,
  caller?: { readonly agent: string; readonly chain?: readonly string[] },
): AuditInput {
  return {
    type: 'request',
    server,
    session,
    direction: 'to-server',
    request: { method, params },
    response: { error: { message: `refused by MCP Warden: ${reason}` } },
    startedAt: now,
    endedAt: now,
    refused: true,
    ...(caller && { agent: caller.agent }),
    ...(caller?.chain?.length && { chain: caller.chain }),
  };
}

/** An AuthEvent as the audit log takes it, for the run `session` of its server (`none` outside a run). */
export function authAuditInput(event: AuthEvent, session: string): AuditInput {
  return {
    type: 'auth',
    server: event.server,
    session,
    action: event.action,
    ...(event.issuer !== undefined && { issuer: event.issuer }),
    ...(event.resource !== undefined && { resource: event.resource }),
    ...(event.scope !== undefined && { scope: event.scope }),
    ...(event.client !== undefined && { client: event.client }),
    ...(event.detail !== undefined && { detail: event.detail }),
  };
}

/** Discards everything: for when auditing is off, and for tests that do not look at it. */
export const nullAuditSink: AuditSink = { record() {} };

/**
 * A stored record: one line of the log, its fields redacted, chained to the one before by `prev`, and
 * authenticated by `mac`, an HMAC-SHA-256 (keyed per workspace) over the record's canonical form without `mac`
 * (which includes `prev`). docs/audit-log-format.md specifies it for verifiers other than ours.
 */
export interface AuditRecord {
  /** Position in the whole log, from 1; never reused, also across segments. */
  readonly seq: number;
  /** ISO 8601, UTC, milliseconds. */
  readonly time: string;
  /** The `mac` of the previous record, or GENESIS_HASH for the very first. */
  readonly prev: string;
  /** HMAC-SHA-256 (hex) of this record's canonical JSON without `mac`. */
  readonly mac: string;
  readonly type: AuditInput['type'];
  readonly server: string;
  readonly session: string;
  readonly outcome: AuditOutcome;
  readonly [field: string]: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Keyed digests of values (HMAC-SHA-256 in src/node, with a key derived from the workspace's audit key): a
 * digest tells that a value is the same as another without letting anyone guess a short secret from it. The
 * core only ever sees this port, never the key.
 */
export interface ValueDigester {
  /** Hex digest of `text`. */
  digest(text: string): string;
}
