import { jsonAgentConfig } from './jsonAgentConfig';
import { BRIDGE_ENV } from './gatewayEntry';

const reference = (variable: string): string => `\${${variable}}`;

/**
 * Gemini CLI: `~/.gemini/settings.json` (every Gemini setting lives there too), project `.gemini/settings.json`.
 * `$VAR`/`${VAR}` is expanded in any string. The HTTP entry is `type: "http"` + `url`, as `gemini mcp add -t http`
 * writes it: `httpUrl` still works but warns as deprecated since 2026-03 (gemini-cli#20747). Versions before
 * `type` existed read a bare `url` as SSE: they need the stdio form.
 */
export const geminiCli = jsonAgentConfig({
  describe: {
    agent: 'gemini-cli',
    userFile: { base: 'home', segments: ['.gemini', 'settings.json'] },
    projectFile: ['.gemini', 'settings.json'],
    syntax: 'json',
    entryPath: 'mcpServers.mcp-warden',
    tokenReference: reference,
    defaultTransport: 'http',
    transports: ['http', 'stdio'],
  },
  http: (url, variable) => ({ type: 'http', url, headers: { Authorization: `Bearer ${reference(variable)}` } }),
  // Named in env explicitly: Gemini CLI strips variables that look like secrets (…TOKEN…) from a stdio server's
  // environment (gemini-cli#17311); some early-2026 builds stripped even these (#18302), hence HTTP by default.
  stdio: (command, args, variable) => ({ command, args, env: { [variable]: reference(variable), ...BRIDGE_ENV } }),
});
