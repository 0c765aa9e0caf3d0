// The gateway with real servers and real agents (SDK clients over HTTP) in both protocol eras: one list of
// namespaced tools, calls through the registry, refusals at the door that never reach a server.
import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { EVERYTHING, FIXTURE, NODE } from './harness';
import { LEGACY, MODERN, disposeGateways, post, sentTo, startGateway, textOf, type Era } from './gatewayHarness';

/** What a call asked for, without the envelope MCP Warden adds on its way to the server. */
function nameAndArguments(event: AuditInput): unknown {
  const params = event.type === 'request' ? (event.request.params as { name?: unknown; arguments?: unknown }) : {};
  return { name: params.name, arguments: params.arguments };
}

const TWO_SERVERS = { fixture: { command: NODE, args: [FIXTURE] }, everything: { command: NODE, args: [EVERYTHING] } };

describe('gateway: agents in both eras', function () {
  this.timeout(60_000);
  afterEach(disposeGateways);

  for (const era of [LEGACY, MODERN] as Era[]) {
    it(`a ${era} agent lists the tools of two servers, namespaced, and calls one`, async () => {
      const run = await startGateway(TWO_SERVERS);
      await run.harness.waitFor('everything', (s) => s.state.kind === 'running', 'running');
      const agent = await run.agent(era);
      assert.equal(agent.getNegotiatedProtocolVersion(), era);
      const names = (await agent.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('fixture__echo'), names.join());
      assert.ok(names.includes('everything__echo'), names.join());
      assert.ok(names.includes('search_tools') && names.includes('call_tool'));
      assert.ok(!names.includes('echo'), 'no tool goes by its bare name in the aggregate');

      const result = await agent.callTool({ name: 'fixture__echo', arguments: { text: `hello ${era}` } });
      assert.equal(textOf(result), `hello ${era}`);
      const calls = sentTo(run.audited, 'fixture').filter((e) => e.type === 'request' && e.request.method === 'tools/call');
      assert.equal(calls.length, 1, 'the call went through the registry to the fixture, audited');
      assert.deepEqual(calls.map(nameAndArguments), [{ name: 'echo', arguments: { text: `hello ${era}` } }]);
      assert.equal(sentTo(run.audited, 'everything').filter((e) => e.type === 'request' && e.request.method === 'tools/call').length, 0);
      // 2025-era housekeeping, answered by the gateway itself (2026-07-28 has neither).
      if (era === LEGACY) {
        await agent.ping();
        await agent.setLoggingLevel('warning');
      }
    });
  }

  it("one server's own view: names as the server gives them, and only its tools", async () => {
    const run = await startGateway(TWO_SERVERS);
    await run.harness.waitFor('everything', (s) => s.state.kind === 'running', 'running');
    for (const era of [LEGACY, MODERN] as Era[]) {
      const agent = await run.agent(era, { url: run.endpoint.serverUrl('fixture') });
      const names = (await agent.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, run.harness.server('fixture').catalog.tools.map((t) => t.name).sort());
      assert.equal(textOf(await agent.callTool({ name: 'add', arguments: { a: 2, b: 3 } })), '5');
    }
  });

  it('prompts and resources of the servers, namespaced prompts, resources read from the server that lists them', async () => {
    const run = await startGateway(TWO_SERVERS);
    const agent = await run.agent(MODERN);
    const prompts = (await agent.listPrompts()).prompts.map((p) => p.name);
    assert.ok(prompts.includes('fixture__greet'), prompts.join());
    const prompt = await agent.getPrompt({ name: 'fixture__greet', arguments: { name: 'Ada' } });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'Hello Ada' });
    const resources = (await agent.listResources()).resources.map((r) => r.uri);
    assert.ok(resources.includes('fixture://readme'), resources.join());
    const read = await agent.readResource({ uri: 'fixture://readme' });
    assert.equal((read.contents[0] as { text?: string }).text, 'fixture readme');
  });

  it('a resource URI two servers list is published and read per server; the bare URI is refused as ambiguous', async () => {
    const run = await startGateway({ one: { command: NODE, args: [FIXTURE] }, two: { command: NODE, args: [FIXTURE] } });
    await run.harness.waitFor('two', (s) => s.state.kind === 'running', 'running');
    const agent = await run.agent(LEGACY);
    const uris = (await agent.listResources()).resources.map((r) => r.uri).sort();
    assert.deepEqual(uris, ['mcp-warden://one/fixture%3A%2F%2Freadme', 'mcp-warden://two/fixture%3A%2F%2Freadme']);
    const read = await agent.readResource({ uri: uris[1]! });
    assert.deepEqual(read.contents, [{ uri: uris[1], text: 'fixture readme' }], 'the contents name the URI the agent knows');
    const reads = run.audited.filter((e) => e.type === 'request' && e.request.method === 'resources/read' && !e.refused);
    assert.deepEqual(reads.map((e) => e.type === 'request' && [e.server, (e.request.params as { uri: string }).uri]), [['two', 'fixture://readme']]);
    await assert.rejects(agent.readResource({ uri: 'fixture://readme' }), /no running server offers the resource 'fixture:\/\/readme' \(or two do/);
  });

  it('search_tools finds a tool by what it does, and call_tool calls it through the registry as that tool', async () => {
    const run = await startGateway(TWO_SERVERS, { gateway: { exposedDirectly: (server) => server !== 'fixture' } });
    const agent = await run.agent(LEGACY);
    const names = (await agent.listTools()).tools.map((t) => t.name);
    assert.ok(!names.some((n) => n.startsWith('fixture__')), 'a server not exposed directly lists no tools');
    const found = await agent.callTool({ name: 'search_tools', arguments: { query: 'add two numbers', limit: 3 } });
    const hits = (found.structuredContent as { tools: { name: string; inputSchema: unknown }[] }).tools;
    assert.equal(hits[0]?.name, 'fixture__add', JSON.stringify(hits));
    assert.ok(hits[0]?.inputSchema, 'the schema comes with the hit');
    const result = await agent.callTool({ name: 'call_tool', arguments: { name: 'fixture__add', arguments: { a: 40, b: 2 } } });
    assert.equal(textOf(result), '42');
    const audited = sentTo(run.audited, 'fixture').filter((e) => e.type === 'request' && e.request.method === 'tools/call');
    assert.deepEqual(audited.map(nameAndArguments), [{ name: 'add', arguments: { a: 40, b: 2 } }], 'audited as the inner tool');
  });

  it('a call to an unknown or stopped server is an MCP error naming the server, audited as refused', async () => {
    const run = await startGateway(TWO_SERVERS);
    const agent = await run.agent(LEGACY);
    await assert.rejects(agent.callTool({ name: 'nothere__echo', arguments: {} }), /no server is named 'nothere'/);
    await run.harness.registry.stop('fixture');
    await assert.rejects(agent.callTool({ name: 'fixture__echo', arguments: { text: 'x' } }), /server 'fixture' is not running \(stopped\)/);
    const refused = run.audited.filter((e) => e.type === 'request' && e.refused);
    assert.deepEqual(refused.map((e) => e.type === 'request' && e.server), ['nothere', 'fixture']);
  });
});

describe('gateway: the door (Host, Origin, token)', function () {
  this.timeout(60_000);
  afterEach(disposeGateways);

  const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
  const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' } } } });

  it('no token, a wrong token, a foreign Origin or a foreign Host are refused, 401/401/403/403, and reach no server', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const before = run.audited.length;
    const good = `Bearer ${run.tokenOf['claude-code']}`;
    for (const body of [INITIALIZE, LIST]) {
      const none = await post(run, {}, body);
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer', 'a plain challenge: no resource_metadata that would start OAuth');
      assert.equal((await post(run, { authorization: 'Bearer not-a-token' }, body)).status, 401);
      assert.equal((await post(run, { authorization: good, origin: 'http://evil.example' }, body)).status, 403);
      assert.equal((await post(run, { authorization: good, host: 'evil.example' }, body)).status, 403);
      // A rebinding page has both a foreign Host and no token: refused before the token is looked at.
      assert.equal((await post(run, { host: `evil.example:${run.endpoint.port}` }, body)).status, 403);
    }
    assert.deepEqual(run.audited.slice(before), [], 'nothing reached the registry');
    // The same requests with the token and a loopback Origin get through.
    assert.equal((await post(run, { authorization: good, origin: 'http://localhost:5173' }, INITIALIZE)).status, 200);
    const listed = await post(run, { authorization: good, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' }, LIST);
    assert.equal(listed.status, 200, listed.body);
  });

  it('serves no OAuth discovery documents, and no path but /mcp and /servers/<name>/mcp', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const good = `Bearer ${run.tokenOf['claude-code']}`;
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource/mcp']) {
      const res = await fetch(`http://127.0.0.1:${run.endpoint.port}${path}`);
      assert.equal(res.status, 401, path);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      const authed = await fetch(`http://127.0.0.1:${run.endpoint.port}${path}`, { headers: { authorization: good } });
      assert.equal(authed.status, 404, path);
    }
  });

  it('a body over the limit is refused with 413', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { gateway: { limits: { maxBodyBytes: 1024 } } });
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fixture__echo', arguments: { text: 'x'.repeat(2048) } } });
    assert.equal((await post(run, { authorization: `Bearer ${run.tokenOf['claude-code']}` }, big)).status, 413);
  });

  it("an agent cannot use another agent's session", async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const first = await post(run, { authorization: `Bearer ${run.tokenOf['claude-code']}` }, INITIALIZE);
    const session = String(first.headers['mcp-session-id']);
    assert.ok(session.length > 10);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} });
    const other = await post(run, { authorization: `Bearer ${run.tokenOf['cursor']}`, 'mcp-session-id': session, 'mcp-protocol-version': LEGACY }, list);
    assert.equal(other.status, 403);
    const own = await post(run, { authorization: `Bearer ${run.tokenOf['claude-code']}`, 'mcp-session-id': session, 'mcp-protocol-version': LEGACY }, list);
    assert.equal(own.status, 200);
  });
});
