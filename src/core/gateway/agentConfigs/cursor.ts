import { jsonAgentConfig } from './jsonAgentConfig';
import { BRIDGE_ENV } from './gatewayEntry';

const reference = (variable: string): string => `\${env:${variable}}`;

/**
 * Cursor: `~/.cursor/mcp.json`, project `.cursor/mcp.json`. `${env:NAME}` is expanded in url, headers, command, args
 * and env. Cursor ignores configured headers for a server that answers OAuth discovery, which the gateway does not.
 */
export const cursor = jsonAgentConfig({
  describe: {
    agent: 'cursor',
    userFile: { base: 'home', segments: ['.cursor', 'mcp.json'] },
    projectFile: ['.cursor', 'mcp.json'],
    syntax: 'json',
    entryPath: 'mcpServers.mcp-warden',
    tokenReference: reference,
    defaultTransport: 'http',
    transports: ['http', 'stdio'],
  },
  http: (url, variable) => ({ url, headers: { Authorization: `Bearer ${reference(variable)}` } }),
  stdio: (command, args, variable) => ({ command, args, env: { [variable]: reference(variable), ...BRIDGE_ENV } }),
});
