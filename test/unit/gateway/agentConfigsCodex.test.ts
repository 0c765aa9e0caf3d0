import * as assert from 'node:assert/strict';
import { parse as parseToml } from '@decimalturn/toml-patch';
import type { EditResult } from '../../../src/core/gateway/agentConfigs/agentConfigFormat';
import { codex } from '../../../src/core/gateway/agentConfigs/codex';
import { assertOnlyInserted, BRIDGE, CODEX_FILE, FAKE_TOKEN, HTTP_ENTRY, occurrences, STDIO_ENTRY } from './agentConfigFixtures';

function changed(result: EditResult): string {
  assert.equal(result.kind, 'changed', JSON.stringify(result));
  return (result as { text: string }).text;
}

/** A parsed config.toml with its servers: toml-patch's tables have no prototype, so plain objects, to compare. */
interface CodexToml {
  readonly mcp_servers: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
}

function parse(text: string): CodexToml {
  return JSON.parse(JSON.stringify(parseToml(text))) as CodexToml;
}

const OURS_HTTP = { url: 'http://127.0.0.1:45123/mcp', bearer_token_env_var: 'MCP_WARDEN_TOKEN_CODEX' };

describe('agent configs: Codex config.toml', () => {
  it('adds a [mcp_servers.mcp-warden] table to a missing or empty file', () => {
    assert.equal(changed(codex.addEntry('', HTTP_ENTRY)), '[mcp_servers.mcp-warden]\nurl = "http://127.0.0.1:45123/mcp"\nbearer_token_env_var = "MCP_WARDEN_TOKEN_CODEX"\n');
    assert.deepEqual(parse(changed(codex.addEntry('\n', HTTP_ENTRY))), { mcp_servers: { 'mcp-warden': OURS_HTTP } });
  });

  it('appends to an existing file keeping its comments and tables, and removing gives the file back', () => {
    const added = changed(codex.addEntry(CODEX_FILE, HTTP_ENTRY));
    assert.ok(added.startsWith(CODEX_FILE), 'the file before the new table is unchanged');
    assertOnlyInserted(CODEX_FILE, added);
    const before = parse(CODEX_FILE);
    assert.deepEqual(parse(added), { ...before, mcp_servers: { ...before.mcp_servers, 'mcp-warden': OURS_HTTP } });
    assert.equal(changed(codex.removeEntry(added)), CODEX_FILE);
  });

  it('uses bearer_token_env_var, never a bearer_token Codex would reject, and never the token', () => {
    const added = changed(codex.addEntry(CODEX_FILE, HTTP_ENTRY));
    assert.equal(/^\s*bearer_token\s*=/m.test(added), false);
    assert.equal(added.includes(FAKE_TOKEN), false);
  });

  it('re-adding replaces the table, never duplicates it', () => {
    const added = changed(codex.addEntry(CODEX_FILE, HTTP_ENTRY));
    assert.deepEqual(codex.addEntry(added, HTTP_ENTRY), { kind: 'unchanged' });
    const replaced = changed(codex.addEntry(added, { transport: 'http', url: 'http://127.0.0.1:51000/mcp' }));
    assert.equal(occurrences(replaced, '[mcp_servers.mcp-warden]'), 1);
    assert.equal(parse(replaced).mcp_servers['mcp-warden']!['url'], 'http://127.0.0.1:51000/mcp');
    assert.equal(changed(codex.removeEntry(replaced)), CODEX_FILE);
  });

  it('writes the stdio bridge with the token variable forwarded by name (env_vars)', () => {
    const added = changed(codex.addEntry(CODEX_FILE, STDIO_ENTRY));
    assert.deepEqual(parse(added).mcp_servers['mcp-warden'], {
      command: '/usr/local/bin/node',
      args: [BRIDGE, '--agent', 'codex', '--token-env', 'MCP_WARDEN_TOKEN_CODEX'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      env_vars: ['MCP_WARDEN_TOKEN_CODEX'],
    });
    assert.deepEqual(codex.entryState(added), { kind: 'ours', transport: 'stdio' });
    assert.equal(changed(codex.removeEntry(added)), CODEX_FILE);
  });

  it('removes our table from the middle with its sub-tables, keeping the comment above the next table', () => {
    const text = [
      'model = "o3"',
      '',
      '[mcp_servers.mcp-warden]',
      'command = "/usr/bin/node" # ours',
      `args = ["${BRIDGE}", "--agent", "codex"]`,
      '',
      '[mcp_servers.mcp-warden.env]',
      'ELECTRON_RUN_AS_NODE = "1"',
      '',
      '# about the other server',
      '[mcp_servers.other]',
      'command = "npx"',
      '',
    ].join('\n');
    assert.equal(changed(codex.removeEntry(text)), 'model = "o3"\n\n# about the other server\n[mcp_servers.other]\ncommand = "npx"\n');
  });

  it('handles the inline forms: a key in [mcp_servers], and mcp_servers written as one inline table', () => {
    const keyed = '[mcp_servers]\nother = { command = "npx" }\nmcp-warden = { url = "http://127.0.0.1:9/mcp", bearer_token_env_var = "X" } # ours\n';
    assert.equal(changed(codex.removeEntry(keyed)), '[mcp_servers]\nother = { command = "npx" }\n');
    const inline = 'mcp_servers = { other = { command = "npx" } }\n';
    const added = changed(codex.addEntry(inline, HTTP_ENTRY));
    assert.deepEqual(parse(added).mcp_servers, { other: { command: 'npx' }, 'mcp-warden': OURS_HTTP });
    assert.deepEqual(parse(changed(codex.removeEntry(added))), parse(inline));
  });

  it('keeps CRLF line breaks', () => {
    const crlf = CODEX_FILE.replace(/\n/g, '\r\n');
    const added = changed(codex.addEntry(crlf, HTTP_ENTRY));
    assert.equal(added.replace(/\r\n/g, '').includes('\n'), false);
    assert.equal(changed(codex.removeEntry(added)), crlf);
  });

  it('leaves a foreign mcp-warden table alone, and says so', () => {
    const foreign = `${CODEX_FILE}\n[mcp_servers.mcp-warden]\ncommand = "mcp-warden-cli"\n`;
    assert.deepEqual(codex.entryState(foreign), { kind: 'foreign' });
    assert.deepEqual(codex.removeEntry(foreign), { kind: 'foreign' });
    assert.deepEqual(codex.addEntry(foreign, HTTP_ENTRY), { kind: 'foreign' });
  });

  it('reports a file that is not TOML, or whose mcp_servers is not a table', () => {
    const result = codex.addEntry('model = "o3"\n[mcp_servers\n', HTTP_ENTRY);
    assert.equal(result.kind, 'invalid');
    assert.match((result as { message: string }).message, /^not valid TOML at line 2, column \d+/);
    assert.equal(codex.addEntry('mcp_servers = 3\n', HTTP_ENTRY).kind, 'invalid');
    assert.deepEqual(codex.removeEntry(CODEX_FILE), { kind: 'unchanged' });
  });
});
