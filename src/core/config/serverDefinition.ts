import { canonicalJson } from '../canonicalJson';
import type { OAuthSettings } from '../auth/oauthSettings';
import type { DeclaredPermission } from '../permissions/declarations';

/** Where a server definition was found. */
export type ConfigSource =
  | { readonly kind: 'settings' }
  | { readonly kind: 'file'; readonly path: string; readonly format: McpFileFormat };

/** `vscode`: VS Code's `.vscode/mcp.json` (`servers`, `inputs`); `claude`: `.mcp.json` (`mcpServers`). */
export type McpFileFormat = 'vscode' | 'claude';

interface DefinitionBase {
  readonly name: string;
  readonly autostart: boolean;
  readonly disabled: boolean;
  /** The `permissions` block: what the server needs and why. A request, never a grant; not part of the launch. */
  readonly declarations?: readonly DeclaredPermission[];
}

export interface StdioServerDefinition extends DefinitionBase {
  readonly type: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** `null` removes a variable the process would otherwise inherit. */
  readonly env: Readonly<Record<string, string | null>>;
  readonly envFile?: string;
  readonly cwd?: string;
  /**
   * `delegate: true`: each run gets the gateway's URL and a token of its own (MCP_WARDEN_GATEWAY_URL/_TOKEN), so it
   * may call other servers' tools through MCP Warden, as agent `server:<name>`. Present only when true, so the
   * fingerprint and launch pin of every other definition stay what they were.
   */
  readonly delegate?: true;
}

export interface HttpServerDefinition extends DefinitionBase {
  /** `http` is Streamable HTTP with a fallback to legacy SSE; `sse` is legacy SSE only. */
  readonly type: 'http' | 'sse';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** How MCP Warden signs in to this server (OAuth); absent: the defaults, when the server asks. */
  readonly oauth?: OAuthSettings;
}

export type ServerDefinition = StdioServerDefinition | HttpServerDefinition;

/** Something wrong with a definition, and the setting key that holds it. */
export interface ConfigProblem {
  readonly keyPath: string;
  readonly message: string;
}

/** One server as configured: a usable definition, or the problems that keep it from being one. */
export type ServerEntry = {
  readonly name: string;
  readonly source: ConfigSource;
  /** Key path of the whole definition, e.g. `mcpWarden.servers.github`. */
  readonly keyPath: string;
} & (
  | { readonly ok: true; readonly definition: ServerDefinition }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] }
);

/** An `${input:id}` definition from `mcpWarden.inputs` or an mcp.json `inputs` array. */
export interface InputDefinition {
  readonly id: string;
  readonly description?: string;
  readonly password: boolean;
  readonly default?: string;
}

export const SERVER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Fields that decide how a server is launched; a change to any of them restarts a running server. Declarations
 * are not among them: changing what a server asks for needs no restart.
 */
export function definitionFingerprint(definition: ServerDefinition): string {
  const { name: _name, autostart: _autostart, declarations: _declarations, ...launch } = definition;
  return canonicalJson(launch);
}

/** Every string of a definition that may hold variables. */
export function definitionStrings(definition: ServerDefinition): string[] {
  if (definition.type === 'stdio') {
    return [
      definition.command,
      ...definition.args,
      ...Object.values(definition.env).filter((v): v is string => v !== null),
      ...(definition.envFile ? [definition.envFile] : []),
      ...(definition.cwd ? [definition.cwd] : []),
    ];
  }
  return [
    definition.url,
    ...Object.values(definition.headers),
    ...(definition.oauth?.clientSecret ? [definition.oauth.clientSecret] : []),
    ...(definition.oauth?.privateKey ? [definition.oauth.privateKey] : []),
  ];
}
