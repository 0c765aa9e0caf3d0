import * as assert from 'node:assert/strict';
import { AGENTS, isAgentId, tokenVariable } from '../../../src/core/gateway/agentConfigs/agents';
import { entryProblem, isGatewayEntryValue, isGatewayUrl, literalSecretIn } from '../../../src/core/gateway/agentConfigs/gatewayEntry';
import { agentConfigFormats } from '../../../src/core/gateway/agentConfigs/index';
import { BRIDGE, CLINE_ENTRY, HTTP_ENTRY, STDIO_ENTRY } from './agentConfigFixtures';

describe('agent configs: the gateway entry', () => {
  it('lists the six agents, each with a token variable of its own', () => {
    assert.deepEqual(
      AGENTS.map((a) => a.id),
      ['claude-code', 'cursor', 'cline', 'codex', 'windsurf', 'gemini-cli'],
    );
    const variables = AGENTS.map((a) => tokenVariable(a.id));
    assert.equal(new Set(variables).size, AGENTS.length);
    assert.equal(tokenVariable('gemini-cli'), 'MCP_WARDEN_TOKEN_GEMINI_CLI');
    assert.ok(isAgentId('codex'));
    assert.ok(!isAgentId('vscode'));
  });

  it('knows the gateway URL: plain HTTP to 127.0.0.1, any port, path /mcp', () => {
    assert.ok(isGatewayUrl('http://127.0.0.1:45123/mcp'));
    for (const other of ['https://127.0.0.1:45123/mcp', 'http://localhost:45123/mcp', 'http://127.0.0.2:1/mcp', 'http://127.0.0.1:1/other', 'http://u:p@127.0.0.1:1/mcp', 'not a url', 42]) {
      assert.equal(isGatewayUrl(other), false, String(other));
    }
  });

  it('calls an entry ours only when it points at the gateway or runs the bridge', () => {
    assert.ok(isGatewayEntryValue({ url: 'http://127.0.0.1:1/mcp' }));
    assert.ok(isGatewayEntryValue({ serverUrl: 'http://127.0.0.1:1/mcp' }));
    assert.ok(isGatewayEntryValue({ httpUrl: 'http://127.0.0.1:1/mcp' }));
    assert.ok(isGatewayEntryValue({ command: 'node', args: [BRIDGE] }));
    assert.ok(isGatewayEntryValue({ command: 'node.exe', args: ['C:\\Users\\dev\\.vscode\\extensions\\mcp-warden\\dist\\gateway-stdio.js'] }));
    for (const foreign of [{ url: 'https://warden.example.com/mcp' }, { command: 'npx', args: ['mcp-warden'] }, { command: 'node', args: ['/x/gateway-stdio.js.bak'] }, 'x', null, []]) {
      assert.equal(isGatewayEntryValue(foreign), false, JSON.stringify(foreign));
    }
  });

  it('refuses entries that are not the gateway: another URL, a relative node, another script', () => {
    assert.equal(entryProblem(HTTP_ENTRY), undefined);
    assert.equal(entryProblem(STDIO_ENTRY), undefined);
    assert.match(entryProblem({ transport: 'http', url: 'http://127.0.0.1:1/sse' })!, /not the gateway's address/);
    assert.match(entryProblem({ ...STDIO_ENTRY, command: 'node' })!, /absolute path/);
    assert.match(entryProblem({ ...STDIO_ENTRY, bridgeScript: '/x/evil.js' })!, /gateway-stdio\.js/);
    assert.match(entryProblem({ ...STDIO_ENTRY, tokenFile: 'cline.token' })!, /absolute path/);
    for (const format of Object.values(agentConfigFormats)) {
      assert.equal(format.addEntry('', { transport: 'http', url: 'http://evil.example/mcp' }).kind, 'unsupported');
    }
  });

  it('finds no literal value in any entry a project file can get, and finds one where there is', () => {
    for (const format of Object.values(agentConfigFormats)) {
      for (const transport of format.describe.transports) {
        const entry = transport === 'http' ? HTTP_ENTRY : format.describe.tokenReference ? STDIO_ENTRY : CLINE_ENTRY;
        const literal = literalSecretIn(format.entryValue(entry));
        assert.equal(literal, entry === CLINE_ENTRY ? 'args (--token-file)' : undefined, `${format.describe.agent} ${transport}`);
      }
    }
    assert.equal(literalSecretIn({ url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer mwt_abc' } }), 'headers.Authorization');
    assert.equal(literalSecretIn({ url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer ${X} extra' } }), 'headers.Authorization');
    assert.equal(literalSecretIn({ url: 'x', bearer_token: 'mwt_abc' }), 'bearer_token');
    assert.equal(literalSecretIn({ url: 'x', http_headers: { 'X-Token': 'mwt_abc' } }), 'http_headers.X-Token');
    assert.equal(literalSecretIn({ command: 'node', env: { MCP_WARDEN_TOKEN_CURSOR: 'mwt_abc' } }), 'env.MCP_WARDEN_TOKEN_CURSOR');
    assert.equal(literalSecretIn({ command: 'node', env: { ELECTRON_RUN_AS_NODE: '0' } }), 'env.ELECTRON_RUN_AS_NODE');
  });

  it('defaults to HTTP with a variable reference, and to the stdio bridge for Cline, which has no references', () => {
    for (const format of Object.values(agentConfigFormats)) {
      const expected = format.describe.agent === 'cline' ? 'stdio' : 'http';
      assert.equal(format.describe.defaultTransport, expected, format.describe.agent);
      assert.equal(format.describe.tokenReference === undefined, format.describe.agent === 'cline');
    }
  });
});
