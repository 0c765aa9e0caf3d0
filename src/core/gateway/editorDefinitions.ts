/**
 * What MCP Warden offers VS Code's own MCP client: the server definitions of the gateway, as plain data. The
 * provider in src/vscode/gateway turns them into `McpHttpServerDefinition`s; the token is added only when VS Code
 * starts one (VS Code caches provided definitions in workspace storage).
 */

/** `aggregate`: one definition with every server's tools (`<server>__<tool>`); `perServer`: one definition per server. */
export type EditorDefinitionMode = 'aggregate' | 'perServer';

/** A server the gateway offers, and a version that changes when its tools change. */
export interface OfferedServer {
  readonly name: string;
  readonly version: string;
}

export interface EditorDefinition {
  /** Shown by VS Code and part of its definition id; its first 13 characters prefix the tool names (`mcp_<label>_<tool>`). */
  readonly label: string;
  readonly url: string;
  /** Changes when the tools behind the definition change, so VS Code lists them again. */
  readonly version: string;
}

export const AGGREGATE_LABEL = 'MCP Warden';

/** Short, so the prefix VS Code gives tool names keeps the server's name. */
export function perServerLabel(server: string): string {
  return `Warden: ${server}`;
}

/** The definitions to offer while the gateway runs at `baseUrl`; none while it does not run. */
export function editorDefinitions(baseUrl: string | undefined, mode: EditorDefinitionMode, servers: readonly OfferedServer[]): EditorDefinition[] {
  if (baseUrl === undefined) return [];
  const base = baseUrl.replace(/\/+$/, '');
  if (mode === 'aggregate') return [{ label: AGGREGATE_LABEL, url: `${base}/mcp`, version: aggregateVersion(servers) }];
  return [...servers]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((server) => ({ label: perServerLabel(server.name), url: `${base}/servers/${encodeURIComponent(server.name)}/mcp`, version: server.version }));
}

/** The definition VS Code asks to start, by its label, as it is now (the port may have changed since VS Code cached it). */
export function currentDefinition(label: string, baseUrl: string | undefined, mode: EditorDefinitionMode, servers: readonly OfferedServer[]): EditorDefinition | undefined {
  return editorDefinitions(baseUrl, mode, servers).find((definition) => definition.label === label);
}

/**
 * One version for the aggregate: a digest of every server's name and version, so a server added, removed or with
 * changed tools changes it. 64 bits of FNV-1a: only compared for change, never trusted.
 */
export function aggregateVersion(servers: readonly OfferedServer[]): string {
  const text = [...servers]
    .map((server) => `${server.name}\u0000${server.version}`)
    .sort()
    .join('\u0001');
  return `${fnv1a(text, 0x811c9dc5)}${fnv1a(text, 0x050c5d1f)}`;
}

function fnv1a(text: string, seed: number): string {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
