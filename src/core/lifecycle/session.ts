import type { Event } from '../events';
import type { LaunchSpec } from '../config/launchSpec';
import type { Logger } from '../ports';

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
  readonly instructions?: string;
  /** Process id of a stdio server. */
  readonly pid?: number;
}

export interface ToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
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

/** What a server offers; refreshed when it sends a list-changed notification. */
export interface ServerCatalog {
  readonly tools: readonly ToolInfo[];
  readonly prompts: readonly PromptInfo[];
  readonly resources: readonly ResourceInfo[];
}

export const EMPTY_CATALOG: ServerCatalog = { tools: [], prompts: [], resources: [] };

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

/** Requests a client sends a server; each passes the permission gate first (ServerRegistry.request). */
export type ClientRequestMethod = 'tools/call' | 'prompts/get' | 'resources/read' | 'resources/subscribe' | 'resources/unsubscribe' | 'completion/complete';

/** Requests a server makes of the client; the launcher routes each to this handler. */
export type ClientRequestHandler = (
  request: { readonly method: 'roots/list' | 'sampling/createMessage' | 'elicitation/create'; readonly params: unknown },
  signal: AbortSignal,
) => Promise<unknown>;

/** A live connection to one server. */
export interface Session {
  readonly info: SessionInfo;
  readonly catalog: ServerCatalog;
  readonly onDidChangeCatalog: Event<ServerCatalog>;
  /** Fires once if the session ends on its own (crash, disconnect), never after `close()`. */
  readonly onDidEnd: Event<SessionEnd>;
  callTool(name: string, args: Readonly<Record<string, unknown>>, options: { readonly signal?: AbortSignal; readonly timeoutMs: number }): Promise<ToolCallResult>;
  request(method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, options: { readonly signal?: AbortSignal; readonly timeoutMs: number }): Promise<unknown>;
  notifyRootsChanged(): void;
  /** Ends the session gracefully; for stdio: close stdin, then SIGTERM, then SIGKILL to the process group. */
  close(): Promise<void>;
}

export interface LaunchLimits {
  readonly startupTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly serverLogLevel: string;
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
  readonly clientRequests?: ClientRequestHandler;
}

/** Starts sessions; the node layer implements it with the MCP SDK. */
export interface SessionLauncher {
  launch(request: LaunchRequest): Promise<Session>;
}
