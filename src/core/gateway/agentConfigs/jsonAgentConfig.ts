import { canonicalJson } from '../../canonicalJson';
import { entryStateOf, unsupportedEntry, type AgentConfigDescription, type AgentConfigFormat, type EditResult, type EntryState } from './agentConfigFormat';
import { ENTRY_NAME, tokenVariable } from './agents';
import { bridgeArgs, type GatewayEntry } from './gatewayEntry';
import { JsonEditError, jsonValueAt, parseJsonObject, removeJsonProperty, setJsonProperty } from './jsonEdit';

/** What differs between the JSON agents: where their file is, and how their entries look. */
export interface JsonAgentSpec {
  readonly describe: AgentConfigDescription & { readonly syntax: 'json' | 'strict-json' };
  /** The HTTP entry for the gateway URL, the token named by `variable`; absent when the agent cannot refer to one. */
  readonly http?: (url: string, variable: string) => Record<string, unknown>;
  /** The stdio entry running the bridge. */
  readonly stdio: (command: string, args: string[], variable: string) => Record<string, unknown>;
}

/** An agent whose servers are `mcpServers` in a JSON file. */
export function jsonAgentConfig(spec: JsonAgentSpec): AgentConfigFormat {
  const { describe } = spec;
  const strict = describe.syntax === 'strict-json';
  const path = ['mcpServers', ENTRY_NAME];
  const variable = tokenVariable(describe.agent);

  function entryValue(entry: GatewayEntry): Record<string, unknown> {
    if (entry.transport === 'stdio') return spec.stdio(entry.command, bridgeArgs(describe.agent, entry), variable);
    if (!spec.http) throw new Error(`${describe.agent} has no HTTP entry`);
    return spec.http(entry.url, variable);
  }

  function read(text: string): { state: EntryState; current?: unknown } {
    try {
      const root = parseJsonObject(text, strict);
      return entryStateOf(jsonValueAt(root, ['mcpServers']), jsonValueAt(root, path), "its 'mcpServers' is not an object");
    } catch (error) {
      if (error instanceof JsonEditError) return { state: { kind: 'invalid', message: error.message } };
      throw error;
    }
  }

  return {
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
      return { kind: 'changed', text: checked(setJsonProperty(text, path, value, strict)) };
    },
    removeEntry(text): EditResult {
      const { state } = read(text);
      if (state.kind === 'absent') return { kind: 'unchanged' };
      if (state.kind !== 'ours') return state;
      return { kind: 'changed', text: checked(removeJsonProperty(text, path, strict)) };
    },
  };

  /** The agent must be able to read what is written: strict JSON for an agent that parses with JSON.parse. */
  function checked(text: string): string {
    if (strict) JSON.parse(text);
    else parseJsonObject(text, false);
    return text;
  }
}
