import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import type { AgentConfigFormat, EditResult } from '../../../src/core/gateway/agentConfigs/agentConfigFormat';
import { ENTRY_NAME, tokenVariable, type AgentId } from '../../../src/core/gateway/agentConfigs/agents';
import { agentConfigFormats } from '../../../src/core/gateway/agentConfigs/index';
import {
  assertOnlyInserted,
  claudeState,
  CLINE_FILE,
  CURSOR_FILE,
  defaultEntry,
  FAKE_TOKEN,
  GEMINI_FILE,
  HTTP_ENTRY,
  JSON_FILES,
  occurrences,
  STDIO_ENTRY,
  WINDSURF_FILE,
} from './agentConfigFixtures';

const JSON_AGENTS = Object.keys(JSON_FILES) as (keyof typeof JSON_FILES)[];

function changed(result: EditResult): string {
  assert.equal(result.kind, 'changed', JSON.stringify(result));
  return (result as { text: string }).text;
}

function servers(text: string): Record<string, unknown> {
  return (parse(text, [], { allowTrailingComma: true }) as { mcpServers: Record<string, unknown> }).mcpServers;
}

function withoutServers(text: string): unknown {
  const { mcpServers: _servers, ...rest } = parse(text, [], { allowTrailingComma: true }) as Record<string, unknown>;
  return rest;
}

describe('agent configs: the JSON agents', () => {
  for (const agent of JSON_AGENTS) {
    const format: AgentConfigFormat = agentConfigFormats[agent];
    const entry = defaultEntry(agent);
    const original = JSON_FILES[agent];

    describe(agent, () => {
      it('adds the entry to a missing or empty file', () => {
        for (const empty of ['', '\n', '{}', '{}\n', '{\n}\n']) {
          const text = changed(format.addEntry(empty, entry));
          assert.deepEqual(JSON.parse(text), { mcpServers: { [ENTRY_NAME]: format.entryValue(entry) } }, JSON.stringify(empty));
          assert.deepEqual(format.entryState(text), { kind: 'ours', transport: entry.transport });
        }
      });

      it('adds to an existing file keeping every other byte, and removing gives the file back', () => {
        const added = changed(format.addEntry(original, entry));
        assertOnlyInserted(original, added);
        assert.deepEqual(withoutServers(added), withoutServers(original));
        assert.deepEqual(servers(added), { ...servers(original), [ENTRY_NAME]: format.entryValue(entry) });
        assert.equal(changed(format.removeEntry(added)), original);
      });

      it('re-adding replaces the entry, never duplicates it', () => {
        const added = changed(format.addEntry(original, entry));
        assert.deepEqual(format.addEntry(added, entry), { kind: 'unchanged' });
        const moved = entry.transport === 'http' ? { ...entry, url: 'http://127.0.0.1:51000/mcp' } : { ...entry, bridgeScript: entry.bridgeScript.replace('0.6.0', '0.7.0') };
        const replaced = changed(format.addEntry(added, moved));
        assert.equal(occurrences(replaced, `"${ENTRY_NAME}"`), 1);
        assert.deepEqual(servers(replaced)[ENTRY_NAME], format.entryValue(moved));
        assert.equal(changed(format.removeEntry(replaced)), original);
      });

      it('leaves a foreign mcp-warden entry alone, and says so', () => {
        const foreign = changed(format.addEntry(original, entry)).replace(/"(url|serverUrl)": "http:\/\/127\.0\.0\.1:45123\/mcp"/, '"$1": "https://warden.example.com/mcp"').replace(/gateway-stdio\.js/g, 'other.js');
        assert.deepEqual(format.entryState(foreign), { kind: 'foreign' });
        assert.deepEqual(format.removeEntry(foreign), { kind: 'foreign' });
        assert.deepEqual(format.addEntry(foreign, entry), { kind: 'foreign' });
      });

      it('removing from a file without the entry changes nothing', () => {
        assert.deepEqual(format.removeEntry(original), { kind: 'unchanged' });
        assert.deepEqual(format.removeEntry(''), { kind: 'unchanged' });
        assert.deepEqual(format.entryState(original), { kind: 'absent' });
      });

      it('never writes the token, only where to find it', () => {
        const text = changed(format.addEntry(original, entry));
        assert.equal(text.includes(FAKE_TOKEN), false);
        assert.ok(text.includes(agent === 'cline' ? '--token-file' : tokenVariable(agent)));
      });

      it('reports a file that is not JSON, and does not edit it', () => {
        const result = format.addEntry('{ "mcpServers": { "a": 1 ', entry);
        assert.equal(result.kind, 'invalid');
        assert.match((result as { message: string }).message, /line 1, column \d+/);
        assert.deepEqual(format.entryState('[1, 2]'), { kind: 'invalid', message: 'its top level is not a JSON object' });
        assert.equal(format.addEntry('{ "mcpServers": [] }', entry).kind, 'invalid');
      });
    });
  }

  describe('entry shapes', () => {
    const { url } = HTTP_ENTRY;
    const shapes: [AgentId, Record<string, unknown>][] = [
      ['claude-code', { type: 'http', url, headers: { Authorization: 'Bearer ${MCP_WARDEN_TOKEN_CLAUDE_CODE}' } }],
      ['cursor', { url, headers: { Authorization: 'Bearer ${env:MCP_WARDEN_TOKEN_CURSOR}' } }],
      ['windsurf', { serverUrl: url, headers: { Authorization: 'Bearer ${env:MCP_WARDEN_TOKEN_WINDSURF}' } }],
      ['gemini-cli', { type: 'http', url, headers: { Authorization: 'Bearer ${MCP_WARDEN_TOKEN_GEMINI_CLI}' } }],
    ];
    for (const [agent, shape] of shapes) {
      it(`${agent} over HTTP refers to its own token variable`, () => {
        assert.deepEqual(agentConfigFormats[agent].entryValue(HTTP_ENTRY), shape);
      });
    }

    it('the stdio bridge entry passes the token variable by reference, never its value', () => {
      assert.deepEqual(agentConfigFormats['claude-code'].entryValue(STDIO_ENTRY), {
        type: 'stdio',
        command: '/usr/local/bin/node',
        args: [STDIO_ENTRY.bridgeScript, '--agent', 'claude-code', '--token-env', 'MCP_WARDEN_TOKEN_CLAUDE_CODE'],
        env: { MCP_WARDEN_TOKEN_CLAUDE_CODE: '${MCP_WARDEN_TOKEN_CLAUDE_CODE}', ELECTRON_RUN_AS_NODE: '1' },
      });
      assert.deepEqual(agentConfigFormats.cursor.entryValue(STDIO_ENTRY)['env'], { MCP_WARDEN_TOKEN_CURSOR: '${env:MCP_WARDEN_TOKEN_CURSOR}', ELECTRON_RUN_AS_NODE: '1' });
    });

    it('every JSON agent can also take the stdio bridge (Cline with a token file)', () => {
      for (const agent of JSON_AGENTS) {
        const entry = agent === 'cline' ? defaultEntry('cline') : STDIO_ENTRY;
        const text = changed(agentConfigFormats[agent].addEntry(JSON_FILES[agent], entry));
        assert.deepEqual(agentConfigFormats[agent].entryState(text), { kind: 'ours', transport: 'stdio' });
      }
    });
  });

  describe('Claude Code ~/.claude.json', () => {
    it('writes user scope (top-level mcpServers) and leaves every project, and its local servers, as it was', () => {
      for (const withServers of [true, false]) {
        const state = claudeState(withServers);
        const added = changed(agentConfigFormats['claude-code'].addEntry(state, HTTP_ENTRY));
        assertOnlyInserted(state, added);
        const before = JSON.parse(state);
        const after = JSON.parse(added);
        assert.deepEqual(after.projects, before.projects);
        assert.deepEqual(Object.keys(after.mcpServers), [...Object.keys(before.mcpServers ?? {}), ENTRY_NAME]);
        assert.equal(occurrences(added, `"${ENTRY_NAME}"`), 1);
      }
    });

    it('creates mcpServers at the end of the state file with its two-space indentation', () => {
      const state = claudeState(false);
      const added = changed(agentConfigFormats['claude-code'].addEntry(state, HTTP_ENTRY));
      assert.ok(added.endsWith('  "mcpServers": {\n    "mcp-warden": {\n      "type": "http",\n      "url": "http://127.0.0.1:45123/mcp",\n      "headers": {\n        "Authorization": "Bearer ${MCP_WARDEN_TOKEN_CLAUDE_CODE}"\n      }\n    }\n  }\n}\n'), added.slice(-300));
    });
  });

  describe('Cline (strict JSON)', () => {
    const cline = agentConfigFormats.cline;

    it('writes strict JSON that JSON.parse reads, as Cline does', () => {
      for (const before of ['', '{"mcpServers":{}}', CLINE_FILE]) {
        const text = changed(cline.addEntry(before, defaultEntry('cline')));
        const parsed = JSON.parse(text);
        assert.equal(parsed.mcpServers[ENTRY_NAME].type, 'stdio');
        assert.equal(parsed.mcpServers[ENTRY_NAME].disabled, false);
      }
    });

    it('refuses a file with comments or trailing commas: Cline could not read it either', () => {
      for (const bad of ['{\n  // mine\n  "mcpServers": {}\n}', '{ "mcpServers": {}, }']) {
        const result = cline.addEntry(bad, defaultEntry('cline'));
        assert.equal(result.kind, 'invalid');
        assert.match((result as { message: string }).message, /not valid JSON at line/);
      }
    });

    it('has no HTTP entry, which would need the token in the file, and needs a token file for the bridge', () => {
      assert.equal(cline.addEntry(CLINE_FILE, HTTP_ENTRY).kind, 'unsupported');
      assert.equal(cline.addEntry(CLINE_FILE, STDIO_ENTRY).kind, 'unsupported');
    });
  });

  describe('layouts kept', () => {
    it('a comment ending the previous line stays on that line', () => {
      const added = changed(agentConfigFormats.cursor.addEntry(CURSOR_FILE, HTTP_ENTRY));
      assert.match(added, /\] \/\* read-only would be nicer \*\/\n {4}\}, \/\/ the last one\n {4}"mcp-warden": \{\n/);
    });

    it('tabs, CRLF and a trailing comma (Windsurf file) stay as they are', () => {
      const added = changed(agentConfigFormats.windsurf.addEntry(WINDSURF_FILE, HTTP_ENTRY));
      assert.equal(added.replace(/\r\n/g, '').includes('\n'), false);
      assert.ok(added.includes('\t\t"docs": { "serverUrl": "https://docs.example.com/mcp" },\r\n\t\t"mcp-warden": {\r\n\t\t\t"serverUrl": "http://127.0.0.1:45123/mcp",'));
      assert.ok(added.includes('\t\t\t}\r\n\t\t},\r\n\t}\r\n}\r\n'));
    });

    it('an object on one line stays on one line', () => {
      const text = '{ "theme": "x", "mcpServers": { "a": { "command": "a" } } }';
      const added = changed(agentConfigFormats['gemini-cli'].addEntry(text, HTTP_ENTRY));
      assert.equal(added.includes('\n'), false);
      assert.equal(changed(agentConfigFormats['gemini-cli'].removeEntry(added)), text);
    });

    it('comments inside an empty mcpServers stay', () => {
      const text = '{\n  "mcpServers": {\n    // add servers here\n  }\n}\n';
      const added = changed(agentConfigFormats.cursor.addEntry(text, HTTP_ENTRY));
      assert.ok(added.includes('// add servers here'));
      assert.deepEqual(Object.keys(servers(added)), [ENTRY_NAME]);
    });

    it('removing the only server leaves an empty object, and the Gemini settings around it', () => {
      const text = '{\n  "theme": "x",\n  "mcpServers": {}\n}\n';
      const added = changed(agentConfigFormats['gemini-cli'].addEntry(text, HTTP_ENTRY));
      assert.equal(changed(agentConfigFormats['gemini-cli'].removeEntry(added)), text);
      const gemini = changed(agentConfigFormats['gemini-cli'].addEntry(GEMINI_FILE, HTTP_ENTRY));
      assert.ok(gemini.includes('"ui": { "hideBanner": true } // trailing comment\n}'));
    });

    it('removes our entry from the middle of the list with its own lines only', () => {
      const text = '{\n  "mcpServers": {\n    "a": { "command": "a" }, // about a\n    "mcp-warden": { "url": "http://127.0.0.1:9/mcp" }, // ours\n    // about b\n    "b": { "command": "b" }\n  }\n}\n';
      assert.equal(
        changed(agentConfigFormats.cursor.removeEntry(text)),
        '{\n  "mcpServers": {\n    "a": { "command": "a" }, // about a\n    // about b\n    "b": { "command": "b" }\n  }\n}\n',
      );
    });
  });
});
