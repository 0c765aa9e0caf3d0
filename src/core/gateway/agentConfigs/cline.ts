import { jsonAgentConfig } from './jsonAgentConfig';
import { BRIDGE_ENV } from './gatewayEntry';

/**
 * Cline (the VS Code extension `saoudrizwan.claude-dev`): `settings/cline_mcp_settings.json` in its globalStorage,
 * beside ours. Cline reads it with JSON.parse (so no comments, no trailing commas) and expands no variables, and its
 * stdio servers get only PATH and the entry's `env`: the bridge reads the token from a 0600 file instead. An HTTP entry
 * would need the token written in the file, so there is none.
 */
export const cline = jsonAgentConfig({
  describe: {
    agent: 'cline',
    userFile: { base: 'editorGlobalStorage', segments: ['saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'] },
    syntax: 'strict-json',
    entryPath: 'mcpServers.mcp-warden',
    defaultTransport: 'stdio',
    transports: ['stdio'],
  },
  // `disabled` and `autoApprove` as Cline writes them itself, so its own rewrites of the file change nothing.
  stdio: (command, args) => ({ type: 'stdio', command, args, env: { ...BRIDGE_ENV }, disabled: false, autoApprove: [] }),
});
