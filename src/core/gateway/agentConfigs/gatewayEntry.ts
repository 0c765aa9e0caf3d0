import { BRIDGE_SCRIPT_NAME, GATEWAY_PATH, tokenVariable, type AgentId } from './agents';

/**
 * How an agent reaches the gateway. Neither form carries the token: over HTTP the agent's entry refers to an
 * environment variable, and the stdio bridge reads the variable named by `--token-env`, or the 0600 file named by
 * `--token-file` for an agent that cannot refer to variables (Cline).
 */
export type GatewayEntry =
  | { readonly transport: 'http'; readonly url: string }
  | {
      readonly transport: 'stdio';
      /** An absolute path to node (or to the editor's Electron, which `ELECTRON_RUN_AS_NODE=1` turns into node). */
      readonly command: string;
      /** `<extension>/dist/gateway-stdio.js`. */
      readonly bridgeScript: string;
      /** The gateway's socket (a named pipe on Windows) the bridge connects to: the workspace's own, stable across reloads. */
      readonly socket?: string;
      /** Only for agents without environment references. */
      readonly tokenFile?: string;
    };

export type StdioGatewayEntry = Extract<GatewayEntry, { readonly transport: 'stdio' }>;

/** Why an entry cannot be written, in words a user can act on; undefined when it can. */
export function entryProblem(entry: GatewayEntry): string | undefined {
  if (entry.transport === 'http') {
    return isGatewayUrl(entry.url) ? undefined : `'${entry.url}' is not the gateway's address (http://127.0.0.1:<port>${GATEWAY_PATH})`;
  }
  if (!isAbsolutePath(entry.command)) return `the node command '${entry.command}' must be an absolute path`;
  if (!isAbsolutePath(entry.bridgeScript) || baseName(entry.bridgeScript) !== BRIDGE_SCRIPT_NAME) {
    return `'${entry.bridgeScript}' is not the absolute path of ${BRIDGE_SCRIPT_NAME}`;
  }
  if (entry.tokenFile !== undefined && !isAbsolutePath(entry.tokenFile)) return `the token file '${entry.tokenFile}' must be an absolute path`;
  return undefined;
}

/** The bridge's arguments: which agent it speaks for, and where it finds that agent's token. */
export function bridgeArgs(agent: AgentId, entry: StdioGatewayEntry): string[] {
  const token = entry.tokenFile !== undefined ? ['--token-file', entry.tokenFile] : ['--token-env', tokenVariable(agent)];
  return [entry.bridgeScript, '--agent', agent, ...(entry.socket !== undefined ? ['--socket', entry.socket] : []), ...token];
}

/**
 * The environment the stdio entry gives the bridge. `ELECTRON_RUN_AS_NODE` lets the command be the editor's own
 * Electron binary; plain node ignores it.
 */
export const BRIDGE_ENV: Readonly<Record<string, string>> = { ELECTRON_RUN_AS_NODE: '1' };

/** True for the gateway's URL: plain HTTP to 127.0.0.1, any port, the gateway's path. */
export function isGatewayUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname === GATEWAY_PATH && url.username === '' && url.password === '';
}

/**
 * True when a server entry (as the agent's file holds it) is MCP Warden's gateway: its URL is the gateway's, or it
 * runs the bridge script. A server the user happened to name `mcp-warden` is not ours, and is left alone.
 */
export function isGatewayEntryValue(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entry = value as Record<string, unknown>;
  if (['url', 'serverUrl', 'httpUrl'].some((key) => isGatewayUrl(entry[key]))) return true;
  const args = entry['args'];
  return Array.isArray(args) && args.some((arg) => typeof arg === 'string' && baseName(arg) === BRIDGE_SCRIPT_NAME);
}

/**
 * Where a written entry holds a value that could be a secret, as a dotted path; undefined when it holds none.
 * Headers and environment values must be references to variables (`${NAME}`, `${env:NAME}`), a bearer prefix
 * before one, or the constant `ELECTRON_RUN_AS_NODE`; a token may only be named (`bearer_token_env_var`), never
 * written (`bearer_token`), and no token file is named. Used before writing a file a repository can hold.
 */
export function literalSecretIn(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if ('bearer_token' in entry) return 'bearer_token';
  const args = Array.isArray(entry['args']) ? entry['args'] : [];
  if (args.includes('--token-file')) return 'args (--token-file)';
  for (const field of ['headers', 'http_headers', 'env']) {
    const map = entry[field];
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null) return field;
    for (const [name, text] of Object.entries(map)) {
      if (field === 'env' && name in BRIDGE_ENV && text === BRIDGE_ENV[name]) continue;
      if (typeof text !== 'string' || !REFERENCE_ONLY.test(text)) return `${field}.${name}`;
    }
  }
  return undefined;
}

/** A value that is nothing but a variable reference, optionally after `Bearer `. */
const REFERENCE_ONLY = /^(Bearer )?(\$\{(env:)?[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)$/;

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
