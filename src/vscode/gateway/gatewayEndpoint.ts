import type * as vscode from 'vscode';

/** The running gateway as the editor's MCP client sees it; implemented by the gateway controller. */
export interface GatewayEndpoint {
  /** The gateway's HTTP base, e.g. http://127.0.0.1:41234 (aggregate at `${base}/mcp`, one server at `${base}/servers/<encodeURIComponent(name)>/mcp`); undefined while it is not running. */
  readonly baseUrl: string | undefined;
  /** Started, stopped, servers or their tools changed, or the mode changed. */
  readonly onDidChange: vscode.Event<void>;
  /** The bearer token of the agent id `vscode` (VS Code's own MCP client), from SecretStorage; minted on first use. */
  tokenFor(agent: 'vscode'): Promise<string>;
  /** Servers to offer one definition each (names), and a version string per server that changes when its tools change. */
  servers(): readonly { readonly name: string; readonly version: string }[];
  /** `aggregate` (one definition, every server, names `<server>__<tool>`) or `perServer`, from setting mcpWarden.gateway.editorDefinitions. */
  readonly mode: 'aggregate' | 'perServer';
}
