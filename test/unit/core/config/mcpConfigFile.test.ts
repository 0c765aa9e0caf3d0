import * as assert from 'node:assert/strict';
import { parseMcpConfigFile } from '../../../../src/core/config/mcpConfigFile';

describe('parseMcpConfigFile', () => {
  it("reads VS Code's .vscode/mcp.json with comments, trailing commas and inputs", () => {
    const text = `{
      // a comment
      "inputs": [{ "type": "promptString", "id": "gh", "description": "GitHub token", "password": true }],
      "servers": {
        "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "Authorization": "Bearer \${input:gh}" } },
        "files": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."], },
      },
    }`;
    const file = parseMcpConfigFile(text, '.vscode/mcp.json', 'vscode');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.servers.map((s) => [s.name, s.ok, s.keyPath]), [
      ['github', true, '.vscode/mcp.json: servers.github'],
      ['files', true, '.vscode/mcp.json: servers.files'],
    ]);
    assert.deepEqual(file.inputs, [{ id: 'gh', description: 'GitHub token', password: true }]);
    assert.deepEqual(file.servers[0]?.source, { kind: 'file', path: '.vscode/mcp.json', format: 'vscode' });
  });

  it('reads the mcpServers of .mcp.json', () => {
    const file = parseMcpConfigFile('{"mcpServers": {"db": {"command": "uvx", "args": ["mcp-db"], "env": {"PORT": 5432}}}}', '.mcp.json', 'claude');
    const db = file.servers[0];
    assert.ok(db?.ok && db.definition.type === 'stdio');
    assert.deepEqual(db.definition.env, { PORT: '5432' });
  });

  it('names the line and column of a syntax error', () => {
    const file = parseMcpConfigFile('{\n  "servers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}', '.vscode/mcp.json', 'vscode');
    assert.deepEqual(file.servers, []);
    assert.equal(file.problems.length > 0, true);
    assert.match(file.problems[0]?.message ?? '', /^syntax error at line 4, column 5: comma expected$/);
    assert.equal(file.problems[0]?.keyPath, '.vscode/mcp.json');
  });

  it('reports a file that is not an object', () => {
    assert.match(parseMcpConfigFile('[]', '.mcp.json', 'claude').problems[0]?.message ?? '', /must contain a JSON object/);
  });
});
