import * as assert from 'node:assert/strict';
import { EVERYTHING, FIXTURE, NODE, running, sessionOf, startEverythingHttp, startHttpFixture, startServers, type Harness } from './harness';

describe('capability negotiation across every protocol era', function () {
  let harness: Harness | undefined;

  it('negotiates down to each dated version a stdio server speaks, and up to 2026-07-28', async function () {
    const eras = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'];
    const servers = Object.fromEntries([
      ...eras.map((era) => [`v${era}`, { command: NODE, args: [FIXTURE, '--era', era] }]),
      ['modern', { command: NODE, args: [FIXTURE, '--era', 'modern'] }],
      ['both', { command: NODE, args: [FIXTURE, '--era', 'both'] }],
    ]);
    harness = await startServers(servers);
    for (const era of eras) {
      const info = sessionOf(await harness.waitFor(`v${era}`, running, 'running'));
      assert.equal(info.protocolVersion, era);
      assert.equal(info.era, 'legacy');
    }
    for (const name of ['modern', 'both']) {
      const info = sessionOf(await harness.waitFor(name, running, 'running'));
      assert.equal(info.protocolVersion, '2026-07-28', `${name} prefers the newest version both sides speak`);
      assert.equal(info.era, 'modern');
    }
  });

  it('records server info, capabilities, instructions, and lists tools, prompts and resources', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE, '--era', 'modern'] } });
    const server = await harness.waitFor('fixture', running, 'running');
    const info = sessionOf(server);
    assert.deepEqual(info.serverInfo, { name: 'fixture', version: '1.0.0', title: 'Fixture Server' });
    assert.equal(info.instructions, 'A fixture for MCP Warden tests.');
    assert.ok(info.capabilities['tools'] && info.capabilities['prompts'] && info.capabilities['resources']);
    assert.equal(info.transport, 'stdio');
    assert.deepEqual(server.catalog.tools.map((t) => t.name).sort(), ['add', 'add_tool', 'big', 'crash', 'echo', 'env', 'log', 'sleep']);
    assert.deepEqual(server.catalog.prompts.map((p) => p.name), ['greet']);
    assert.deepEqual(server.catalog.resources.map((r) => r.uri), ['fixture://readme']);
  });

  it('speaks 2026-07-28 over HTTP to a v2 server that refuses older versions', async function () {
    const modern = await startHttpFixture(['--era', 'modern']);
    harness = await startServers({ modern: { url: modern.url } });
    const server = await harness.waitFor('modern', running, 'running');
    assert.deepEqual([sessionOf(server).protocolVersion, sessionOf(server).era, sessionOf(server).transport], ['2026-07-28', 'modern', 'streamable-http']);
    const result = await harness.registry.callTool('modern', 'add', { a: 2, b: 3 });
    assert.deepEqual(result.structuredContent, { sum: 5 });
  });

  it('speaks Streamable HTTP to server-everything, and legacy SSE to its SSE endpoint', async function () {
    const streamable = await startEverythingHttp('streamableHttp');
    const sse = await startEverythingHttp('sse');
    harness = await startServers({
      streamable: { url: streamable.url },
      'sse-explicit': { type: 'sse', url: sse.url },
      // An http definition pointed at an SSE-only endpoint: Streamable HTTP is refused, SSE is used instead.
      'sse-fallback': { url: sse.url },
    });
    for (const [name, transport] of [['streamable', 'streamable-http'], ['sse-explicit', 'sse'], ['sse-fallback', 'sse']] as const) {
      const info = sessionOf(await harness.waitFor(name, running, 'running'));
      assert.equal(info.transport, transport, name);
      assert.equal(info.protocolVersion, '2025-11-25', name);
      const result = await harness.registry.callTool(name, 'echo', { message: name });
      assert.deepEqual(result.content, [{ type: 'text', text: `Echo: ${name}` }]);
    }
    assert.ok(harness.log('sse-fallback').some((l) => /Streamable HTTP was refused with HTTP 404: trying the legacy HTTP\+SSE transport/.test(l)));
  });

  it('starts a server that exits when probed with server/discover, with the initialize handshake', async function () {
    harness = await startServers({ picky: { command: NODE, args: [FIXTURE, '--exit-on-probe', '--era', '2025-06-18'] } });
    const info = sessionOf(await harness.waitFor('picky', running, 'running'));
    assert.equal(info.protocolVersion, '2025-06-18');
    assert.ok(harness.log('picky').some((l) => /exited when probed with server\/discover/.test(l)));
  });

  it('runs server-everything over stdio: list and call', async function () {
    harness = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } });
    const server = await harness.waitFor('everything', running, 'running');
    assert.equal(sessionOf(server).serverInfo.name, 'mcp-servers/everything');
    assert.ok(server.catalog.tools.length >= 10);
    const sum = await harness.registry.callTool('everything', 'get-sum', { a: 40, b: 2 });
    assert.match(JSON.stringify(sum.content), /42/);
  });

  it('refuses a server below mcpWarden.minProtocolVersion, naming the setting, and starts the ones at or above it', async function () {
    harness = await startServers(
      {
        old: { command: NODE, args: [FIXTURE, '--era', '2025-06-18'] },
        current: { command: NODE, args: [FIXTURE, '--era', '2025-11-25'] },
        modern: { command: NODE, args: [FIXTURE, '--era', 'modern'] },
      },
      { minProtocolVersion: '2025-11-25' },
    );
    const old = await harness.waitFor('old', (s) => s.state.kind === 'error', 'in error');
    assert.ok(old.state.kind === 'error');
    assert.match(
      old.state.message,
      /mcpWarden\.servers\.old: the server speaks MCP 2025-06-18, below the lowest version accepted \(mcpWarden\.minProtocolVersion is 2025-11-25\); update the server, or lower/,
    );
    assert.equal(old.state.gaveUp, false, 'refused at once, not retried as a crash');
    assert.equal(sessionOf(await harness.waitFor('current', running, 'running')).protocolVersion, '2025-11-25');
    assert.equal(sessionOf(await harness.waitFor('modern', running, 'running')).protocolVersion, '2026-07-28');
  });

  it('records what MCP Warden declared to the server next to what the server declared', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE, '--era', 'modern'] } });
    const info = sessionOf(await harness.waitFor('fixture', running, 'running'));
    assert.deepEqual(info.clientCapabilities?.['roots'], { listChanged: true });
    assert.ok(info.clientCapabilities?.['extensions'], 'the permissions extension is declared');
  });
});
