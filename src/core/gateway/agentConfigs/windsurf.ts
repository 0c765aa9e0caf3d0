import { jsonAgentConfig } from './jsonAgentConfig';
import { BRIDGE_ENV } from './gatewayEntry';

const reference = (variable: string): string => `\${env:${variable}}`;

/** Windsurf: `~/.codeium/windsurf/mcp_config.json`, no project file. `${env:NAME}` in serverUrl, headers, command, args, env. */
export const windsurf = jsonAgentConfig({
  describe: {
    agent: 'windsurf',
    userFile: { base: 'home', segments: ['.codeium', 'windsurf', 'mcp_config.json'] },
    syntax: 'json',
    entryPath: 'mcpServers.mcp-warden',
    tokenReference: reference,
    defaultTransport: 'http',
    transports: ['http', 'stdio'],
  },
  http: (url, variable) => ({ serverUrl: url, headers: { Authorization: `Bearer ${reference(variable)}` } }),
  stdio: (command, args, variable) => ({ command, args, env: { [variable]: reference(variable), ...BRIDGE_ENV } }),
});
