// Agent configuration files as users have them, for the agentConfigs tests, and the entries written into them.
import * as assert from 'node:assert/strict';
import type { AgentId } from '../../../src/core/gateway/agentConfigs/agents';
import type { GatewayEntry, StdioGatewayEntry } from '../../../src/core/gateway/agentConfigs/gatewayEntry';

/** Recognisable, so a test can show it is nowhere in what was written. */
export const FAKE_TOKEN = 'mwt_FAKE-TOKEN-4f1c9a7e-never-in-a-file';

export const HTTP_ENTRY = { transport: 'http', url: 'http://127.0.0.1:45123/mcp' } as const satisfies GatewayEntry;
export const BRIDGE = '/home/dev/.vscode/extensions/mcp-warden.mcp-warden-0.6.0/dist/gateway-stdio.js';
export const STDIO_ENTRY: StdioGatewayEntry = { transport: 'stdio', command: '/usr/local/bin/node', bridgeScript: BRIDGE };
export const TOKEN_FILE = '/home/dev/.config/Code/User/globalStorage/mcp-warden.mcp-warden/agent-tokens/cline.token';
export const CLINE_ENTRY: StdioGatewayEntry = { ...STDIO_ENTRY, tokenFile: TOKEN_FILE };

/** The entry Connect writes for an agent by default. */
export function defaultEntry(agent: AgentId): GatewayEntry {
  return agent === 'cline' ? CLINE_ENTRY : HTTP_ENTRY;
}

/** `~/.claude.json`: Claude Code's whole state, with local-scope servers under `projects` and `withUserServers` a user-scope one. */
export function claudeState(withUserServers: boolean): string {
  const projects = Object.fromEntries(
    Array.from({ length: 120 }, (_, i) => [
      `/home/dev/src/project-${i}`,
      {
        allowedTools: i % 3 === 0 ? ['Bash(npm test:*)', 'Edit'] : [],
        history: [{ display: `fix the flaky test in module ${i} — naïve “quotes”`, pastedContents: {} }],
        mcpContextUris: [],
        mcpServers: i % 10 === 0 ? { local: { type: 'stdio', command: 'npx', args: ['-y', `local-server-${i}`], env: {} } } : {},
        enabledMcpjsonServers: [],
        disabledMcpjsonServers: [],
        hasTrustDialogAccepted: i % 2 === 0,
        projectOnboardingSeenCount: 1,
        lastCost: 0.1234 + i,
        lastSessionId: `5b0c${String(i).padStart(4, '0')}-1d2e-4f3a-9b8c-7d6e5f4a3b2c`,
      },
    ]),
  );
  const state: Record<string, unknown> = {
    numStartups: 412,
    installMethod: 'native',
    autoUpdates: true,
    tipsHistory: { 'new-user-warmup': 7, 'memory-command': 12 },
    userID: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    firstStartTime: '2026-01-05T09:12:44.120Z',
    projects,
    hasCompletedOnboarding: true,
    oauthAccount: { accountUuid: '00000000-0000-4000-8000-000000000000', emailAddress: 'dev@example.com' },
  };
  if (withUserServers) state['mcpServers'] = { github: { type: 'http', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer ${GITHUB_PAT}' } } };
  return `${JSON.stringify(state, null, 2)}\n`;
}

export const CURSOR_FILE = `{
  // Servers for every project
  "mcpServers": {
    "github": {
      "url": "https://api.githubcopilot.com/mcp/",
      "headers": { "Authorization": "Bearer \${env:GITHUB_TOKEN}" }
    },
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/dev/src"] /* read-only would be nicer */
    } // the last one
  }
}
`;

/** Tabs and CRLF, as an editor on Windows leaves them. */
export const WINDSURF_FILE = [
  '{',
  '\t"mcpServers": {',
  '\t\t// web search',
  '\t\t"brave": {',
  '\t\t\t"command": "npx",',
  '\t\t\t"args": ["-y", "@modelcontextprotocol/server-brave-search"],',
  '\t\t\t"env": { "BRAVE_API_KEY": "${env:BRAVE_API_KEY}" }',
  '\t\t},',
  '\t\t"docs": { "serverUrl": "https://docs.example.com/mcp" },',
  '\t}',
  '}',
  '',
].join('\r\n');

export const GEMINI_FILE = `{
  "theme": "GitHub",
  "selectedAuthType": "oauth-personal",
  // keep the CLI quiet
  "general": { "disableAutoUpdate": true, "vimMode": false },
  "mcpServers": {
    "playwright": { "command": "npx", "args": ["@playwright/mcp@latest"], "trust": false }
  },
  "ui": { "hideBanner": true } // trailing comment
}
`;

/** As Cline writes it: JSON.stringify(…, null, 2), its own keys on every server. */
export const CLINE_FILE = `${JSON.stringify(
  {
    mcpServers: {
      'github.com/modelcontextprotocol/servers/tree/main/src/github': {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: '<redacted>' },
        disabled: false,
        autoApprove: [],
      },
    },
  },
  null,
  2,
)}`;

/** An existing file per JSON agent. */
export const JSON_FILES: Record<Exclude<AgentId, 'codex'>, string> = {
  'claude-code': claudeState(true),
  cursor: CURSOR_FILE,
  cline: CLINE_FILE,
  windsurf: WINDSURF_FILE,
  'gemini-cli': GEMINI_FILE,
};

export const CODEX_FILE = `# Codex configuration
model = "gpt-5-codex" # the default
approval_policy = "on-request"

[features]
web_search_request = true

[mcp_servers.context7]
command = "npx"
args = ["-y", "@upstash/context7-mcp"]

[mcp_servers.context7.env]
# the key comes from the shell
LOG_LEVEL = "warn"

# Profiles below
[profiles.fast]
model = "gpt-5-mini"
`;

/** Every character of `before`, in order, is in `after`: the edit only inserted. */
export function assertOnlyInserted(before: string, after: string): void {
  let i = 0;
  for (let j = 0; j < after.length && i < before.length; j++) if (after[j] === before[i]) i++;
  assert.equal(i, before.length, `the edit dropped or reordered text after offset ${i}: ${JSON.stringify(before.slice(i, i + 40))}`);
}

export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
