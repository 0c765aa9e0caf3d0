import type { AgentId } from './agents';
import { entryProblem, isGatewayEntryValue, type GatewayEntry } from './gatewayEntry';

/** Where an agent's configuration lives and how the gateway entry is written in it. */
export interface AgentConfigDescription {
  readonly agent: AgentId;
  /**
   * The user-level file: path segments below `base`. `home` is the user's home (`%USERPROFILE%` on Windows);
   * `editorGlobalStorage` is the running editor's `<user dir>/globalStorage` (Cline keeps its file there).
   * When `overrideEnv` is set in the environment, the file is `segments` below that folder instead.
   */
  readonly userFile: {
    readonly base: 'home' | 'editorGlobalStorage';
    readonly segments: readonly string[];
    readonly overrideEnv?: { readonly name: 'CLAUDE_CONFIG_DIR' | 'CODEX_HOME'; readonly segments: readonly string[] };
  };
  /** The project-level file below a workspace folder, for agents that have one; such a file can sit in a repository. */
  readonly projectFile?: readonly string[];
  /** `json` files are edited keeping comments; `strict-json` ones are read with JSON.parse by the agent. */
  readonly syntax: 'json' | 'strict-json' | 'toml';
  /** Where the entry goes, for messages: `mcpServers.mcp-warden`, `[mcp_servers.mcp-warden]`. */
  readonly entryPath: string;
  /** How an entry refers to the token's variable (`${env:NAME}`…); undefined when the agent has no references. */
  readonly tokenReference?: (variable: string) => string;
  /** The form written unless the user picks the other one. */
  readonly defaultTransport: GatewayEntry['transport'];
  readonly transports: readonly GatewayEntry['transport'][];
}

/** What a file's text says about the gateway entry. */
export type EntryState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'ours'; readonly transport: GatewayEntry['transport'] }
  /** An entry named `mcp-warden` that does not point at the gateway: the user's own, left alone. */
  | { readonly kind: 'foreign' }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Where the gateway entry stands, from the servers table of a parsed file and the value under our entry's name;
 * `notATable` is the message when that table is something else. The same rules for every format.
 */
export function entryStateOf(servers: unknown, current: unknown, notATable: string): { state: EntryState; current?: unknown } {
  if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) {
    return { state: { kind: 'invalid', message: notATable } };
  }
  if (current === undefined) return { state: { kind: 'absent' } };
  if (!isGatewayEntryValue(current)) return { state: { kind: 'foreign' } };
  const transport = typeof (current as Record<string, unknown>)['command'] === 'string' ? 'stdio' : 'http';
  return { state: { kind: 'ours', transport }, current };
}

/** The outcome of an edit of a file's text. */
export type EditResult =
  | { readonly kind: 'changed'; readonly text: string }
  /** Nothing to do: the entry is already as asked, or there is none to remove. */
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'foreign' }
  /** The text is not a file of this format (a syntax error, a top level that is not a table/object). */
  | { readonly kind: 'invalid'; readonly message: string }
  /** The entry cannot be written for this agent (e.g. Cline over HTTP would need the token in the file). */
  | { readonly kind: 'unsupported'; readonly message: string };

/** One agent's configuration format: pure edits on the file's text. */
export interface AgentConfigFormat {
  readonly describe: AgentConfigDescription;
  /** The entry's value as it is written in the file. */
  entryValue(entry: GatewayEntry): Record<string, unknown>;
  entryState(text: string): EntryState;
  /** Adds the gateway entry, replacing our older one; keeps everything else in the text as it is. */
  addEntry(text: string, entry: GatewayEntry): EditResult;
  /** Removes the gateway entry if it is ours; keeps everything else in the text as it is. */
  removeEntry(text: string): EditResult;
}

/** Why this agent cannot take this entry; undefined when it can. */
export function unsupportedEntry(describe: AgentConfigDescription, entry: GatewayEntry): string | undefined {
  const problem = entryProblem(entry);
  if (problem) return problem;
  if (!describe.transports.includes(entry.transport)) {
    return entry.transport === 'http'
      ? `${describe.agent} cannot refer to an environment variable, so an HTTP entry would need the token in its file: use the stdio bridge`
      : `${describe.agent} cannot run the stdio bridge`;
  }
  if (entry.transport === 'stdio' && !describe.tokenReference && entry.tokenFile === undefined) {
    return `${describe.agent} cannot refer to an environment variable: the stdio bridge needs a token file`;
  }
  return undefined;
}
