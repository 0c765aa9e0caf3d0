import type { Event } from '../events';
import type { LaunchSpec } from '../config/launchSpec';
import type { Logger } from '../ports';
import type { Caller } from '../gateway/caller';
import type { LaunchAuth } from '../auth/authPorts';

/** Which family of protocol versions a session speaks: the initialize handshake (2024–2025) or stateless discovery (2026-07-28). */
export type ProtocolEra = 'legacy' | 'modern';
export type TransportKind = 'stdio' | 'streamable-http' | 'sse';

/** What was agreed with a server when its session started. */
export interface SessionInfo {
  readonly protocolVersion: string;
  readonly era: ProtocolEra;
  readonly transport: TransportKind;
  readonly serverInfo: { readonly name: string; readonly version: string; readonly title?: string };
  readonly capabilities: Readonly<Record<string, unknown>>;
  /** What MCP Warden declared to this server (roots, sampling, elicitation, tasks, extensions). */
  readonly clientCapabilities?: Readonly<Record<string, unknown>>;
  /**
   * What the server declared it needs through the `io.github.mcp-warden/permissions` extension
   * (docs/permissions-extension.md): the payload's `permissions` array as sent, not validated here. A declaration
   * is a request, never a grant. Absent when the server declared nothing (or sent no array).
   */
  readonly declarations?: readonly ServerDeclaration[];
  readonly instructions?: string;
  /** Process id of a stdio server. */
  readonly pid?: number;
}

/** One entry of a server's declaration payload, as received: `kind` and `target` are strings, nothing more is checked. */
export interface ServerDeclaration {
  readonly kind: string;
  readonly target: string;
  readonly reason?: string;
}

/** A tool as the server lists it: every field a tool pin hashes (see definitionPins.ts). */
export interface ToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
  /**
   * `execution.taskSupport` as a 2025-11-25 server lists it: `required` means the tool runs only as a task (MCP
   * Warden then calls it as one); `optional` tools are called plainly. 2026-07-28 has no such field: the server decides.
   */
  readonly taskSupport?: string;
}

export interface PromptInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly { readonly name: string; readonly description?: string; readonly required?: boolean }[];
}

export interface ResourceInfo {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** A resource template (`resources/templates/list`): an RFC 6570 URI template the user fills in to read a resource. */
export interface ResourceTemplateInfo {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** What a server offers; refreshed when it sends a list-changed notification. */
export interface ServerCatalog {
  readonly tools: readonly ToolInfo[];
  readonly prompts: readonly PromptInfo[];
  readonly resources: readonly ResourceInfo[];
  /** Refreshed with the resources (`notifications/resources/list_changed` covers both); absent means none. */
  readonly resourceTemplates?: readonly ResourceTemplateInfo[];
}

export const EMPTY_CATALOG: ServerCatalog = { tools: [], prompts: [], resources: [], resourceTemplates: [] };

/** The result of `tools/call`, as the protocol defines it. */
export interface ToolCallResult {
  readonly content: readonly unknown[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  readonly [key: string]: unknown;
}

/** Why a session ended without being asked to. `fatal` ends are not retried (e.g. an oversized message). */
export interface SessionEnd {
  readonly reason: string;
  readonly fatal: boolean;
}

/** The requests a client sends a server that the permission gate decides: every one goes through `Session.request`. */
export type ClientRequestMethod = 'tools/call' | 'prompts/get' | 'resources/read' | 'resources/subscribe' | 'resources/unsubscribe' | 'completion/complete';

export const CLIENT_REQUEST_METHODS: readonly ClientRequestMethod[] = [
  'tools/call',
  'prompts/get',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'completion/complete',
];

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Without a word from the server for this long, the request times out; each progress report starts it again. */
  readonly timeoutMs: number;
  /** However much progress the server reports, the request ends after this long (default: no bound). */
  readonly maxTotalMs?: number;
  /** Told each progress report of the server (`notifications/progress`); a progress token goes with every request. */
  readonly onProgress?: (update: ProgressUpdate) => void;
  /** Told each new status of a `tools/call` that runs as a task (created, working, waiting for input…). */
  readonly onTaskStatus?: (update: TaskStatusUpdate) => void;
  /** The gateway agent the request comes from: the audit record of the request names it. */
  readonly caller?: Caller;
}

/** A status of a tool call that runs as a task, as the server last reported it. */
export interface TaskStatusUpdate {
  readonly taskId: string;
  readonly status: string;
  readonly statusMessage?: string;
  /** The line to show a user: "task working: Gathering sources..." */
  readonly message: string;
}

/** One `notifications/progress` of a request, as the server sent it. */
export interface ProgressUpdate {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/**
 * The requests a server makes of the client: as JSON-RPC requests in the initialize era, as `input_required`
 * input requests (multi-round-trip) in 2026-07-28. Both forms reach the same handler.
 */
export type ServerRequestMethod = 'roots/list' | 'sampling/createMessage' | 'elicitation/create';

export interface ServerRequest {
  readonly method: ServerRequestMethod;
  /** As the server sent them, after the SDK's schema validation. */
  readonly params: unknown;
}

/**
 * Answers a server→client request: resolves with the result the protocol defines for the method (e.g.
 * `{ roots: [...] }`), or rejects; the rejection's message reaches the server as an MCP error (initialize era) or
 * fails the client request that carried the input request (2026-07-28). `signal` aborts when the server cancels
 * or the originating call is cancelled.
 */
export type ClientRequestHandler = (request: ServerRequest, signal: AbortSignal, context?: ServerRequestContext) => Promise<unknown>;

/** What is known about why a server made a request of the client. */
export interface ServerRequestContext {
  /**
   * The gateway agent whose call the request belongs to, when that is certain enough: the only call in flight to
   * the server (a server's request names no call of ours). Absent: MCP Warden's own call, or nobody can tell.
   */
  readonly caller?: Caller;
}

/** A live connection to one server. */
export interface Session {
  readonly info: SessionInfo;
  readonly catalog: ServerCatalog;
  readonly onDidChangeCatalog: Event<ServerCatalog>;
  /** Fires once if the session ends on its own (crash, disconnect), never after `close()`. */
  readonly onDidEnd: Event<SessionEnd>;
  /** Fires with the URI of a subscribed resource the server says changed (`notifications/resources/updated`). */
  readonly onDidUpdateResource?: Event<string>;
  /**
   * Sends one request and returns the server's result (for `tools/call` a ToolCallResult). Rejects with
   * CallCancelledError when `signal` aborts, SessionStoppedError when the session is closed meanwhile.
   */
  request(method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<unknown>;
  /** `tools/call` through `request`. */
  callTool(name: string, args: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<ToolCallResult>;
  /**
   * Tells the server the roots changed (`notifications/roots/list_changed`, initialize era). A no-op in
   * 2026-07-28, which removed the notification: the server asks for roots with each request that needs them.
   */
  notifyRootsChanged(): void;
  /**
   * Ends the session gracefully; for stdio: close stdin, then SIGTERM, then SIGKILL to the process group.
   * `restartReason`: the session ends for a restart (e.g. a new sandbox profile); calls still running are told why.
   */
  close(restartReason?: string): Promise<void>;
}

export interface LaunchLimits {
  readonly startupTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly serverLogLevel: string;
  /** The lowest protocol version accepted (`mcpWarden.minProtocolVersion`); a server below it is refused. */
  readonly minProtocolVersion?: string;
}

export interface LaunchRequest {
  readonly serverName: string;
  /** Names this run of the server in the audit log. */
  readonly sessionId: string;
  /** Setting key of the definition, for messages that say where to fix something. */
  readonly keyPath: string;
  readonly spec: LaunchSpec;
  readonly limits: LaunchLimits;
  readonly logger: Logger;
  /** Aborted when the user stops the server while it is starting. */
  readonly signal: AbortSignal;
  /**
   * Answers every request the server makes of the client (roots, sampling, elicitation). Without it: roots/list
   * answers an empty list, sampling and elicitation are refused and not advertised.
   */
  readonly clientRequests?: ClientRequestHandler;
  /** Sampling and elicitation are advertised (and their handlers registered) only when offered here. */
  readonly offered?: OfferedFeatures;
  /** The server says a URL elicitation's out-of-band interaction finished (`notifications/elicitation/complete`). */
  readonly onElicitationComplete?: (elicitationId: string) => void;
  /** For http/sse servers: OAuth sign-in (src/node/auth). Absent: a 401 is a start error that says so. */
  readonly auth?: LaunchAuth;
}

/** Server→client features beyond roots that the client offers (advertised, with handlers registered). */
export interface OfferedFeatures {
  readonly sampling?: boolean;
  /** Sampling requests may carry tools for the model to use (`sampling.tools`). */
  readonly samplingTools?: boolean;
  /** Form mode; the SDK fills in the schema's defaults the user left out (`elicitation.form.applyDefaults`). */
  readonly elicitation?: boolean;
  /** URL mode: the server may send the user to a URL (shown in full, opened only on the user's click). */
  readonly elicitationUrl?: boolean;
}

/** Starts sessions; the node layer implements it with the MCP SDK. */
export interface SessionLauncher {
  launch(request: LaunchRequest): Promise<Session>;
}
