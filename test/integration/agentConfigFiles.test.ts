// The agents' configuration files, written for real in a temporary home: atomic replacement, the backup, modes,
// symlinks, files that cannot be read, and where the token ends up (only Cline's token file).
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AGENTS, type AgentId } from '../../src/core/gateway/agentConfigs/agents';
import type { GatewayEntry } from '../../src/core/gateway/agentConfigs/gatewayEntry';
import { addAgentEntry, agentConfigTarget, readAgentEntryState, removeAgentEntry, type AgentConfigEnvironment, type AgentConfigTarget } from '../../src/node/gateway/agentConfigFiles';
import { agentTokenFilePath, removeAgentTokenFile, writeAgentTokenFile } from '../../src/node/gateway/agentTokenFile';
import { writeFileAtomically } from '../../src/node/gateway/privateFiles';
import { CODEX_FILE, CURSOR_FILE, FAKE_TOKEN, HTTP_ENTRY, JSON_FILES, STDIO_ENTRY } from '../unit/gateway/agentConfigFixtures';

const POSIX = process.platform !== 'win32';
const mode = (path: string): number => statSync(path).mode & 0o777;

/** Every file below `folder` whose content holds `needle`. */
function filesHolding(folder: string, needle: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => readFileSync(path, 'utf8').includes(needle));
}

describe('agent configuration files on disk', () => {
  let home: string;
  let environment: AgentConfigEnvironment;
  const target = (agent: AgentId): AgentConfigTarget => agentConfigTarget(agent, environment)!;

  beforeEach(() => {
    home = realpathSync(mkdtempSync(join(tmpdir(), 'warden-agents-')));
    environment = { homeDir: home, env: {}, platform: process.platform, globalStorageDir: join(home, '.config', 'Code', 'User', 'globalStorage', 'mcp-warden.mcp-warden') };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('creates a missing file 0600, its missing folders 0700, and keeps no backup of nothing', async () => {
    const outcome = await addAgentEntry(target('windsurf'), HTTP_ENTRY);
    const path = join(home, '.codeium', 'windsurf', 'mcp_config.json');
    assert.deepEqual(outcome, { kind: 'written', path });
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).mcpServers), ['mcp-warden']);
    assert.equal(existsSync(`${path}.bak`), false);
    if (POSIX) {
      assert.equal(mode(path), 0o600);
      assert.equal(mode(join(home, '.codeium')), 0o700);
      assert.equal(mode(join(home, '.codeium', 'windsurf')), 0o700);
    }
  });

  it('replaces the file in one rename, keeps its mode, and keeps the previous content in .bak', async () => {
    const path = join(home, '.cursor', 'mcp.json');
    mkdirSync(dirname(path));
    writeFileSync(path, CURSOR_FILE);
    chmodSync(path, 0o640);
    const inode = statSync(path).ino;
    const outcome = await addAgentEntry(target('cursor'), HTTP_ENTRY);
    assert.deepEqual(outcome, { kind: 'written', path, backup: `${path}.bak` });
    assert.notEqual(statSync(path).ino, inode, 'a new file renamed over the old one, not the old one rewritten');
    assert.equal(readFileSync(`${path}.bak`, 'utf8'), CURSOR_FILE);
    assert.deepEqual(readdirSync(dirname(path)).sort(), ['mcp.json', 'mcp.json.bak'], 'no temporary file left');
    if (POSIX) {
      assert.equal(mode(path), 0o640);
      assert.equal(mode(`${path}.bak`), 0o640);
    }
    assert.deepEqual(await readAgentEntryState(target('cursor')), { kind: 'ours', transport: 'http' });
    assert.deepEqual(await addAgentEntry(target('cursor'), HTTP_ENTRY), { kind: 'unchanged', path });
    assert.deepEqual(await removeAgentEntry(target('cursor')), { kind: 'written', path, backup: `${path}.bak` });
    assert.equal(readFileSync(path, 'utf8'), CURSOR_FILE);
  });

  it('a failed replacement leaves the file as it was and no temporary file', async () => {
    const folder = join(home, 'x');
    mkdirSync(join(folder, 'busy'), { recursive: true });
    writeFileSync(join(folder, 'busy', 'inside'), 'x');
    await assert.rejects(writeFileAtomically(join(folder, 'busy'), 'new', 0o600));
    assert.deepEqual(readdirSync(folder), ['busy']);
  });

  it('refuses a file that is not valid JSON, naming it, and writes nothing', async () => {
    const path = join(home, '.gemini', 'settings.json');
    mkdirSync(dirname(path));
    writeFileSync(path, '{ "theme": "x",, }');
    const outcome = await addAgentEntry(target('gemini-cli'), HTTP_ENTRY);
    assert.equal(outcome.kind, 'failed');
    assert.match((outcome as { message: string }).message, new RegExp(`^${path.replace(/[.\\]/g, '\\$&')}: not valid JSON with comments at line 1, column \\d+ \\(\\w+\\); nothing was written$`));
    assert.equal(readFileSync(path, 'utf8'), '{ "theme": "x",, }');
    assert.deepEqual(readdirSync(dirname(path)), ['settings.json']);
  });

  it('leaves a foreign mcp-warden entry alone and reports it', async () => {
    const path = join(home, '.claude.json');
    const foreign = `${JSON.stringify({ mcpServers: { 'mcp-warden': { type: 'http', url: 'https://warden.example.com/mcp' } } }, null, 2)}\n`;
    writeFileSync(path, foreign);
    assert.deepEqual(await addAgentEntry(target('claude-code'), HTTP_ENTRY), { kind: 'foreign', path });
    assert.deepEqual(await removeAgentEntry(target('claude-code')), { kind: 'foreign', path });
    assert.equal(readFileSync(path, 'utf8'), foreign);
    assert.equal(existsSync(`${path}.bak`), false);
  });

  describe('symlinks', () => {
    it('follows a link that stays in home (a dotfile manager), writing the target and keeping the link', async () => {
      const real = join(home, 'dotfiles', 'codex.toml');
      mkdirSync(dirname(real));
      mkdirSync(join(home, '.codex'));
      writeFileSync(real, CODEX_FILE);
      symlinkSync(real, join(home, '.codex', 'config.toml'));
      const outcome = await addAgentEntry(target('codex'), HTTP_ENTRY);
      assert.deepEqual(outcome, { kind: 'written', path: join(home, '.codex', 'config.toml'), backup: `${real}.bak` });
      assert.ok(lstatSync(join(home, '.codex', 'config.toml')).isSymbolicLink());
      assert.ok(readFileSync(real, 'utf8').startsWith(CODEX_FILE));
      assert.ok(readFileSync(real, 'utf8').includes('[mcp_servers.mcp-warden]'));
    });

    it('refuses a link that leads out of home, and writes nothing anywhere', async () => {
      const outside = realpathSync(mkdtempSync(join(tmpdir(), 'warden-outside-')));
      try {
        const victim = join(outside, 'settings.json');
        writeFileSync(victim, '{ "editor.fontSize": 14 }\n');
        mkdirSync(join(home, '.cursor'));
        symlinkSync(victim, join(home, '.cursor', 'mcp.json'));
        const outcome = await addAgentEntry(target('cursor'), HTTP_ENTRY);
        assert.equal(outcome.kind, 'failed');
        assert.match((outcome as { message: string }).message, /leads to .*settings\.json, outside .*: MCP Warden does not write through a link that leaves it; nothing was written/);
        assert.equal(readFileSync(victim, 'utf8'), '{ "editor.fontSize": 14 }\n');
        assert.deepEqual(readdirSync(outside), ['settings.json']);
        assert.deepEqual(readdirSync(join(home, '.cursor')), ['mcp.json']);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('refuses a linked folder that leads out of home, and a link to nothing', async () => {
      const outside = realpathSync(mkdtempSync(join(tmpdir(), 'warden-outside-')));
      try {
        symlinkSync(outside, join(home, '.gemini'));
        assert.equal((await addAgentEntry(target('gemini-cli'), HTTP_ENTRY)).kind, 'failed');
        assert.deepEqual(readdirSync(outside), []);
        symlinkSync(join(home, 'gone.json'), join(home, '.claude.json'));
        const dangling = await addAgentEntry(target('claude-code'), HTTP_ENTRY);
        assert.match((dangling as { message: string }).message, /symlink to a file that does not exist/);
        assert.equal(existsSync(join(home, 'gone.json')), false);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('refuses a project file linked out of the workspace folder', async () => {
      const project = join(home, 'src', 'app');
      mkdirSync(join(project, '.cursor'), { recursive: true });
      writeFileSync(join(home, 'private.json'), '{}\n');
      symlinkSync(join(home, 'private.json'), join(project, '.cursor', 'mcp.json'));
      const outcome = await addAgentEntry(agentConfigTarget('cursor', environment, project)!, HTTP_ENTRY);
      assert.equal(outcome.kind, 'failed');
      assert.equal(readFileSync(join(home, 'private.json'), 'utf8'), '{}\n');
    });
  });

  describe('the token', () => {
    it('a project file gets only references: an entry naming a token file is refused, and so is any text holding the token', async () => {
      const project = join(home, 'src', 'app');
      mkdirSync(project, { recursive: true });
      const cursorProject = agentConfigTarget('cursor', environment, project)!;
      const withFile: GatewayEntry = { ...STDIO_ENTRY, tokenFile: join(home, 't.token') };
      const refused = await addAgentEntry(cursorProject, withFile);
      assert.match((refused as { message: string }).message, /refused: the entry would hold a literal value at 'args \(--token-file\)'/);
      const leaked = await addAgentEntry(cursorProject, HTTP_ENTRY, { secrets: ['127.0.0.1:45123'] });
      assert.match((leaked as { message: string }).message, /refused: the new content would hold the token; nothing was written/);
      assert.equal(existsSync(join(project, '.cursor')), false);
      assert.equal((await addAgentEntry(cursorProject, HTTP_ENTRY, { secrets: [FAKE_TOKEN] })).kind, 'written');
      assert.ok(readFileSync(join(project, '.cursor', 'mcp.json'), 'utf8').includes('${env:MCP_WARDEN_TOKEN_CURSOR}'));
    });

    it('connecting all six agents puts the token in one file only, Cline’s 0600 token file; disconnecting takes everything back', async () => {
      const originals = new Map<AgentId, string>();
      for (const { id } of AGENTS) {
        const path = target(id).path;
        const text = id === 'codex' ? CODEX_FILE : JSON_FILES[id];
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
        originals.set(id, text);
      }
      for (const { id } of AGENTS) {
        const tokenFile = id === 'cline' ? await writeAgentTokenFile(environment.globalStorageDir, id, FAKE_TOKEN) : undefined;
        const entry: GatewayEntry = tokenFile ? { ...STDIO_ENTRY, tokenFile } : HTTP_ENTRY;
        assert.equal((await addAgentEntry(target(id), entry, { secrets: [FAKE_TOKEN] })).kind, 'written', id);
      }
      const tokenFile = agentTokenFilePath(environment.globalStorageDir, 'cline');
      assert.deepEqual(filesHolding(home, FAKE_TOKEN), [tokenFile]);
      assert.equal(readFileSync(tokenFile, 'utf8'), FAKE_TOKEN);
      if (POSIX) {
        assert.equal(mode(tokenFile), 0o600);
        assert.equal(mode(dirname(tokenFile)), 0o700);
      }
      for (const { id } of AGENTS) assert.deepEqual(await readAgentEntryState(target(id)), { kind: 'ours', transport: id === 'cline' ? 'stdio' : 'http' });

      for (const { id } of AGENTS) assert.equal((await removeAgentEntry(target(id))).kind, 'written', id);
      await removeAgentTokenFile(environment.globalStorageDir, 'cline');
      for (const { id } of AGENTS) assert.equal(readFileSync(target(id).path, 'utf8'), originals.get(id), id);
      assert.deepEqual(filesHolding(home, FAKE_TOKEN), []);
    });

    it('narrows a token folder left with a wider mode', async () => {
      if (!POSIX) return;
      const folder = dirname(agentTokenFilePath(environment.globalStorageDir, 'cline'));
      mkdirSync(folder, { recursive: true, mode: 0o755 });
      chmodSync(folder, 0o755);
      await writeAgentTokenFile(environment.globalStorageDir, 'cline', FAKE_TOKEN);
      assert.equal(mode(folder), 0o700);
    });
  });
});
