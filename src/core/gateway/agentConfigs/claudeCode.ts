import { jsonAgentConfig } from './jsonAgentConfig';
import { BRIDGE_ENV } from './gatewayEntry';

const reference = (variable: string): string => `\${${variable}}`;

/**
 * Claude Code: user scope is the top-level `mcpServers` of `~/.claude.json` (a large state file Claude Code rewrites
 * often; `$CLAUDE_CONFIG_DIR/.claude.json` when that is set); project scope is `.mcp.json`. `${VAR}` is expanded in
 * url, headers, command, args and env.
 */
export const claudeCode = jsonAgentConfig({
  describe: {
    agent: 'claude-code',
    userFile: { base: 'home', segments: ['.claude.json'], overrideEnv: { name: 'CLAUDE_CONFIG_DIR', segments: ['.claude.json'] } },
    projectFile: ['.mcp.json'],
    syntax: 'json',
    entryPath: 'mcpServers.mcp-warden',
    tokenReference: reference,
    defaultTransport: 'http',
    transports: ['http', 'stdio'],
  },
  http: (url, variable) => ({ type: 'http', url, headers: { Authorization: `Bearer ${reference(variable)}` } }),
  stdio: (command, args, variable) => ({ type: 'stdio', command, args, env: { [variable]: reference(variable), ...BRIDGE_ENV } }),
});
