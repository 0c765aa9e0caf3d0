import { canonicalJson } from '../../canonicalJson';
import { entryStateOf, unsupportedEntry, type AgentConfigDescription, type AgentConfigFormat, type EditResult, type EntryState } from './agentConfigFormat';
import { ENTRY_NAME, tokenVariable } from './agents';
import { BRIDGE_ENV, bridgeArgs, type GatewayEntry } from './gatewayEntry';
import { parseTomlTable, removeTomlTable, setTomlTable, TomlEditError, tomlValueAt } from './tomlEdit';

const PATH = ['mcp_servers', ENTRY_NAME];
const variable = tokenVariable('codex');

const describe: AgentConfigDescription = {
  agent: 'codex',
  userFile: { base: 'home', segments: ['.codex', 'config.toml'], overrideEnv: { name: 'CODEX_HOME', segments: ['config.toml'] } },
  projectFile: ['.codex', 'config.toml'],
  syntax: 'toml',
  entryPath: '[mcp_servers.mcp-warden]',
  // Codex names the variable (`bearer_token_env_var`); it rejects an inline `bearer_token`.
  tokenReference: (name) => name,
  defaultTransport: 'http',
  transports: ['http', 'stdio'],
};

function entryValue(entry: GatewayEntry): Record<string, unknown> {
  if (entry.transport === 'http') return { url: entry.url, bearer_token_env_var: variable };
  // A stdio server gets only HOME, PATH, USER… plus `env` and the variables `env_vars` names.
  return { command: entry.command, args: bridgeArgs('codex', entry), env: { ...BRIDGE_ENV }, env_vars: [variable] };
}

function read(text: string): { state: EntryState; current?: unknown } {
  try {
    const table = parseTomlTable(text);
    return entryStateOf(table['mcp_servers'], tomlValueAt(table, PATH), "its 'mcp_servers' is not a table");
  } catch (error) {
    if (error instanceof TomlEditError) return { state: { kind: 'invalid', message: error.message } };
    throw error;
  }
}

/**
 * Codex CLI (and its IDE extension and app): `[mcp_servers.<name>]` in `~/.codex/config.toml` (`$CODEX_HOME/config.toml`
 * when set); `.codex/config.toml` in a project is read only when the project is trusted.
 */
export const codex: AgentConfigFormat = {
  describe,
  entryValue,
  entryState: (text) => read(text).state,
  addEntry(text, entry): EditResult {
    const unsupported = unsupportedEntry(describe, entry);
    if (unsupported) return { kind: 'unsupported', message: unsupported };
    const { state, current } = read(text);
    if (state.kind === 'invalid' || state.kind === 'foreign') return state;
    const value = entryValue(entry);
    if (state.kind === 'ours' && canonicalJson(current) === canonicalJson(value)) return { kind: 'unchanged' };
    return edit(() => setTomlTable(text, PATH, value));
  },
  removeEntry(text): EditResult {
    const { state } = read(text);
    if (state.kind === 'absent') return { kind: 'unchanged' };
    if (state.kind !== 'ours') return state;
    return edit(() => removeTomlTable(text, PATH));
  },
};

function edit(change: () => string): EditResult {
  try {
    return { kind: 'changed', text: change() };
  } catch (error) {
    if (error instanceof TomlEditError) return { kind: 'invalid', message: error.message };
    throw error;
  }
}
