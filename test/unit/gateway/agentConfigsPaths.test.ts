import * as assert from 'node:assert/strict';
import { AGENTS, type AgentId } from '../../../src/core/gateway/agentConfigs/agents';
import { agentConfigTarget, type AgentConfigEnvironment } from '../../../src/node/gateway/agentConfigFiles';

function paths(environment: AgentConfigEnvironment): Record<AgentId, string> {
  return Object.fromEntries(AGENTS.map((a) => [a.id, agentConfigTarget(a.id, environment)!.path])) as Record<AgentId, string>;
}

describe('agent configs: where each agent keeps its file', () => {
  it('on Linux', () => {
    assert.deepEqual(paths({ homeDir: '/home/dev', env: {}, platform: 'linux', globalStorageDir: '/home/dev/.config/Code/User/globalStorage/mcp-warden.mcp-warden' }), {
      'claude-code': '/home/dev/.claude.json',
      cursor: '/home/dev/.cursor/mcp.json',
      cline: '/home/dev/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      codex: '/home/dev/.codex/config.toml',
      windsurf: '/home/dev/.codeium/windsurf/mcp_config.json',
      'gemini-cli': '/home/dev/.gemini/settings.json',
    });
  });

  it('on macOS, Cline beside us in whichever editor runs (here VSCodium)', () => {
    const environment: AgentConfigEnvironment = { homeDir: '/Users/dev', env: {}, platform: 'darwin', globalStorageDir: '/Users/dev/Library/Application Support/VSCodium/User/globalStorage/mcp-warden.mcp-warden' };
    const target = agentConfigTarget('cline', environment)!;
    assert.equal(target.path, '/Users/dev/Library/Application Support/VSCodium/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json');
    assert.equal(target.root, '/Users/dev/Library/Application Support/VSCodium/User/globalStorage');
    assert.equal(paths(environment).cursor, '/Users/dev/.cursor/mcp.json');
  });

  it('on Windows, below %USERPROFILE% and %APPDATA%', () => {
    assert.deepEqual(paths({ homeDir: 'C:\\Users\\dev', env: {}, platform: 'win32', globalStorageDir: 'C:\\Users\\dev\\AppData\\Roaming\\Code\\User\\globalStorage\\mcp-warden.mcp-warden' }), {
      'claude-code': 'C:\\Users\\dev\\.claude.json',
      cursor: 'C:\\Users\\dev\\.cursor\\mcp.json',
      cline: 'C:\\Users\\dev\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
      codex: 'C:\\Users\\dev\\.codex\\config.toml',
      windsurf: 'C:\\Users\\dev\\.codeium\\windsurf\\mcp_config.json',
      'gemini-cli': 'C:\\Users\\dev\\.gemini\\settings.json',
    });
  });

  it('CLAUDE_CONFIG_DIR and CODEX_HOME move those files, and become the folder writes must stay in', () => {
    const environment: AgentConfigEnvironment = { homeDir: '/home/dev', env: { CLAUDE_CONFIG_DIR: '/srv/claude', CODEX_HOME: '/home/dev/work/codex' }, platform: 'linux', globalStorageDir: '/g/mcp-warden' };
    assert.deepEqual(agentConfigTarget('claude-code', environment), { agent: 'claude-code', scope: 'user', path: '/srv/claude/.claude.json', root: '/srv/claude' });
    assert.equal(agentConfigTarget('codex', environment)!.path, '/home/dev/work/codex/config.toml');
    const relative = agentConfigTarget('codex', { ...environment, env: { CODEX_HOME: 'codex' } })!;
    assert.equal(relative.path, '/home/dev/.codex/config.toml', 'a relative folder is ignored: it depends on where the agent starts');
  });

  it('project files only for the agents that have one, below the workspace folder', () => {
    const environment: AgentConfigEnvironment = { homeDir: '/home/dev', env: {}, platform: 'linux', globalStorageDir: '/g/mcp-warden' };
    const project = (agent: AgentId): string | undefined => agentConfigTarget(agent, environment, '/home/dev/src/app')?.path;
    assert.equal(project('claude-code'), '/home/dev/src/app/.mcp.json');
    assert.equal(project('cursor'), '/home/dev/src/app/.cursor/mcp.json');
    assert.equal(project('codex'), '/home/dev/src/app/.codex/config.toml');
    assert.equal(project('gemini-cli'), '/home/dev/src/app/.gemini/settings.json');
    assert.equal(project('cline'), undefined);
    assert.equal(project('windsurf'), undefined);
    assert.equal(agentConfigTarget('cursor', environment, '/home/dev/src/app')!.root, '/home/dev/src/app');
  });
});
