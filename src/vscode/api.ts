import type * as vscode from 'vscode';
import type { ConfigProblem } from '../core/config/serverDefinition';
import type { ServerStatus } from '../core/lifecycle/serverRegistry';
import type { ServerState } from '../core/lifecycle/serverState';
import type { PromptInfo, ResourceInfo, ToolCallResult, ToolInfo } from '../core/lifecycle/session';

export type { ServerState, ToolCallResult, ToolInfo, PromptInfo, ResourceInfo, ConfigProblem, ServerStatus };

/**
 * What `activate()` returns: drive MCP Warden from another extension (or a test), as the built-in Git
 * extension's API allows. Get it with
 * `vscode.extensions.getExtension<McpWardenApi>('mcp-warden.mcp-warden')?.activate()`.
 */
export interface McpWardenApi {
  /** Raised when an incompatible change is made to this interface. */
  readonly apiVersion: 1;
  /** Resolves once the workspace configuration has been read for the first time. */
  readonly ready: Promise<void>;
  /** Fires with a server's name when its state or tools changed, or undefined when the set of servers changed. */
  readonly onDidChangeServers: vscode.Event<string | undefined>;
  /** Every server: configured ones, invalid ones with their problems, and those found in mcp.json files. */
  getServers(): readonly WardenServer[];
  getServer(name: string): WardenServer | undefined;
  /** Problems with the configuration as a whole, e.g. a syntax error in `.vscode/mcp.json`. */
  getConfigurationProblems(): readonly ConfigProblem[];
  /** Calls a tool through the same path as every other call. Rejects if the server is not running or has no such tool. */
  callTool(serverName: string, toolName: string, args?: Readonly<Record<string, unknown>>): Promise<ToolCallResult>;
  startServer(name: string): Promise<void>;
  stopServer(name: string): Promise<void>;
  restartServer(name: string): Promise<void>;
  /** How long `activate()` took, in milliseconds. */
  readonly activationMs: number;
  /** Where this workspace's audit log is kept: `node dist/audit-cli.js verify <folder>` checks it. */
  readonly auditLogFolder: string;
}

export interface WardenServer {
  readonly name: string;
  readonly status: ServerStatus;
  /** `settings`, or the file it was found in, e.g. `.vscode/mcp.json`. */
  readonly source: string;
  /** Setting key of the definition, e.g. `mcpWarden.servers.files`. */
  readonly keyPath: string;
  /** For a running server, `state.session` holds the negotiated protocol version, capabilities and server info. */
  readonly state: ServerState;
  readonly problems: readonly ConfigProblem[];
  readonly tools: readonly ToolInfo[];
  readonly prompts: readonly PromptInfo[];
  readonly resources: readonly ResourceInfo[];
}
