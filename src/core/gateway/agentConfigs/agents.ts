/** The agents `MCP Warden: Connect Another Agent…` can write the gateway entry for, in the order they are offered. */
export const AGENTS = [
  { id: 'claude-code', displayName: 'Claude Code' },
  { id: 'cursor', displayName: 'Cursor' },
  { id: 'cline', displayName: 'Cline' },
  { id: 'codex', displayName: 'Codex CLI' },
  { id: 'windsurf', displayName: 'Windsurf' },
  { id: 'gemini-cli', displayName: 'Gemini CLI' },
] as const;

export type AgentId = (typeof AGENTS)[number]['id'];

export function isAgentId(value: unknown): value is AgentId {
  return AGENTS.some((agent) => agent.id === value);
}

export function agentDisplayName(agent: AgentId): string {
  return AGENTS.find((a) => a.id === agent)!.displayName;
}

/** The name of the gateway's entry in every agent's server list. */
export const ENTRY_NAME = 'mcp-warden';

/** The gateway's HTTP path; an entry is ours only when its URL is a loopback URL with this path. */
export const GATEWAY_PATH = '/mcp';

/** The file name of the stdio bridge (`<extension>/dist/gateway-stdio.js`); an entry running it is ours. */
export const BRIDGE_SCRIPT_NAME = 'gateway-stdio.js';

/**
 * The environment variable an agent reads its gateway token from: one per agent, since each agent has its own
 * token (the audit names the agent from it) and two agents started from one shell must not share a value.
 */
export function tokenVariable(agent: AgentId): string {
  return `MCP_WARDEN_TOKEN_${agent.toUpperCase().replace(/-/g, '_')}`;
}

/** The commands that write and remove the gateway entry (contributed in package.json, registered by registerConnectAgentCommands). */
export const AgentCommands = {
  connectAgent: 'mcpWarden.connectAgent',
  disconnectAgent: 'mcpWarden.disconnectAgent',
} as const;
