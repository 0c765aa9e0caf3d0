import * as assert from 'node:assert/strict';
import { aggregateVersion, currentDefinition, editorDefinitions } from '../../../../src/core/gateway/editorDefinitions';

const BASE = 'http://127.0.0.1:41234';
const servers = [
  { name: 'files', version: 'v1' },
  { name: 'my notes/2', version: 'v7' },
];

describe('the gateway definitions offered to VS Code', () => {
  it('offers nothing while the gateway is not running', () => {
    assert.deepEqual(editorDefinitions(undefined, 'aggregate', servers), []);
    assert.deepEqual(editorDefinitions(undefined, 'perServer', servers), []);
  });

  it('offers one aggregate definition "MCP Warden" at <base>/mcp', () => {
    const [only, ...rest] = editorDefinitions(`${BASE}/`, 'aggregate', servers);
    assert.deepEqual(rest, []);
    assert.equal(only!.label, 'MCP Warden');
    assert.equal(only!.url, `${BASE}/mcp`);
  });

  it('offers one definition per server, labelled "Warden: <name>", at its URL-encoded path', () => {
    assert.deepEqual(editorDefinitions(BASE, 'perServer', [...servers].reverse()), [
      { label: 'Warden: files', url: `${BASE}/servers/files/mcp`, version: 'v1' },
      { label: 'Warden: my notes/2', url: `${BASE}/servers/my%20notes%2F2/mcp`, version: 'v7' },
    ]);
  });

  it('changes the aggregate version when a server is added, removed or its tools change, and only then', () => {
    const version = aggregateVersion(servers);
    assert.equal(aggregateVersion([...servers].reverse()), version, 'order does not matter');
    assert.notEqual(aggregateVersion([servers[0]!]), version);
    assert.notEqual(aggregateVersion([...servers, { name: 'web', version: 'v1' }]), version);
    assert.notEqual(aggregateVersion([servers[0]!, { name: 'my notes/2', version: 'v8' }]), version);
    // A name and a version cannot trade characters and keep the version.
    assert.notEqual(aggregateVersion([{ name: 'ab', version: 'c' }]), aggregateVersion([{ name: 'a', version: 'bc' }]));
    assert.match(version, /^[0-9a-f]{16}$/);
  });

  it('finds the definition VS Code starts by its label, at the current port, and none that is no longer offered', () => {
    assert.equal(currentDefinition('Warden: files', 'http://127.0.0.1:5000', 'perServer', servers)?.url, 'http://127.0.0.1:5000/servers/files/mcp');
    assert.equal(currentDefinition('Warden: gone', BASE, 'perServer', servers), undefined);
    assert.equal(currentDefinition('MCP Warden', BASE, 'perServer', servers), undefined, 'the mode changed since VS Code cached it');
    assert.equal(currentDefinition('MCP Warden', undefined, 'aggregate', servers), undefined);
  });
});
