// The stdio bridge: a real `node gateway-stdio.js` process (the compiled source of dist/gateway-stdio.js) between an
// SDK client speaking stdio and the gateway's Unix socket.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { FIXTURE, NODE } from './harness';
import { BRIDGE_ENV, bridgeArgs } from '../../src/core/gateway/agentConfigs/gatewayEntry';
import { tokenVariable } from '../../src/core/gateway/agentConfigs/agents';
import { LEGACY, MODERN, disposeGateways, sentTo, socketDirectory, startGateway, textOf } from './gatewayHarness';

const BRIDGE = join(__dirname, '../../src/gateway-stdio.js');

describe('gateway: the stdio bridge', function () {
  this.timeout(60_000);
  afterEach(disposeGateways);

  /** Runs the bridge alone and returns how it ended. */
  function runBridge(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number | null; stderr: string; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(NODE, [BRIDGE, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (code) => resolve({ code, stderr, stdout }));
      child.stdin.end(input);
    });
  }

  for (const era of [LEGACY, MODERN]) {
    it(`a ${era} agent lists and calls tools through the bridge`, async () => {
      const directory = socketDirectory();
      chmodSync(directory, 0o755);
      const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { start: { socketDirectory: directory } });
      const socketPath = run.endpoint.socketPath!;
      assert.equal(statSync(directory).mode & 0o777, 0o700, 'the directory is made private');
      const client = new Client({ name: 'cline-like', version: '1' }, { versionNegotiation: { mode: era === LEGACY ? 'legacy' : { pin: MODERN } } });
      await client.connect(new StdioClientTransport({ command: NODE, args: [BRIDGE, '--agent', 'cline'], env: { MCP_WARDEN_GATEWAY_SOCKET: socketPath, MCP_WARDEN_TOKEN: run.tokenOf['cursor']! } }));
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), era);
        const names = (await client.listTools()).tools.map((t) => t.name);
        assert.ok(names.includes('fixture__echo'), names.join());
        assert.equal(textOf(await client.callTool({ name: 'fixture__echo', arguments: { text: 'over the socket' } })), 'over the socket');
        assert.equal(sentTo(run.audited, 'fixture').filter((e) => e.type === 'request' && e.request.method === 'tools/call').length, 1);
      } finally {
        await client.close();
      }
    });
  }

  it('runs with exactly the entry Connect Another Agent… writes (socket and token variable named, no token in it)', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { start: { socketDirectory: socketDirectory() } });
    const entry = { transport: 'stdio' as const, command: NODE, bridgeScript: BRIDGE, socket: run.endpoint.socketPath! };
    const args = bridgeArgs('claude-code', entry);
    const token = run.tokenOf['claude-code']!;
    assert.ok(!args.some((a) => a.includes(token)), 'the token is not in the arguments');
    const client = new Client({ name: 'claude-code', version: '1' });
    await client.connect(new StdioClientTransport({ command: NODE, args, env: { ...BRIDGE_ENV, [tokenVariable('claude-code')]: token } }));
    try {
      assert.equal(textOf(await client.callTool({ name: 'fixture__echo', arguments: { text: 'as written' } })), 'as written');
      const call = sentTo(run.audited, 'fixture').find((e) => e.type === 'request' && e.request.method === 'tools/call');
      assert.equal(call?.type === 'request' && call.agent, 'claude-code', 'the audit names the agent of the token');
    } finally {
      await client.close();
    }
    // The variable the entry names is the one the bridge reads: without it, a clear refusal.
    const missing = await runBridge(args.slice(1), {});
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /set MCP_WARDEN_TOKEN_CLAUDE_CODE/);
  });

  it('a bad token is refused: the bridge says so and exits, and nothing reaches a server', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { start: { socketDirectory: socketDirectory() } });
    const before = run.audited.length;
    const initialize = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'x', version: '1' } } })}\n`;
    const refused = await runBridge([], { MCP_WARDEN_GATEWAY_SOCKET: run.endpoint.socketPath!, MCP_WARDEN_TOKEN: 'not-a-token' }, initialize);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /MCP Warden refused the connection: the token is not one MCP Warden issued/);
    assert.equal(refused.stdout, '', 'no MCP answer came back');
    assert.deepEqual(run.audited.slice(before), []);
  });

  it('a token file others can read is refused; a private one works; a missing socket is said plainly', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { start: { socketDirectory: socketDirectory() } });
    const file = join(socketDirectory(), 'token');
    writeFileSync(file, `${run.tokenOf['claude-code']}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    const open = await runBridge(['--token-file', file, '--socket', run.endpoint.socketPath!], {});
    assert.equal(open.code, 1);
    assert.match(open.stderr, /can be read by other users; make it private \(chmod 600/);

    chmodSync(file, 0o600);
    const client = new Client({ name: 'agent', version: '1' });
    await client.connect(new StdioClientTransport({ command: NODE, args: [BRIDGE, '--token-file', file, '--socket', run.endpoint.socketPath!], env: {} }));
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'fixture__echo'));
    await client.close();

    const gone = await runBridge([], { MCP_WARDEN_GATEWAY_SOCKET: join(socketDirectory(), 'gateway.sock'), MCP_WARDEN_TOKEN: 'x' });
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /gateway is not running at .*gateway\.sock \(is the editor with MCP Warden open\?\)/);
    const none = await runBridge([], { MCP_WARDEN_TOKEN: 'x' });
    assert.match(none.stderr, /no gateway socket: set MCP_WARDEN_GATEWAY_SOCKET/);
  });

  it('when the gateway stops, the bridge exits with a message instead of hanging', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { start: { socketDirectory: socketDirectory() } });
    const child = spawn(NODE, [BRIDGE], { env: { PATH: process.env['PATH'] ?? '', MCP_WARDEN_GATEWAY_SOCKET: run.endpoint.socketPath!, MCP_WARDEN_TOKEN: run.tokenOf['claude-code']! } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const answered = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'x', version: '1' } } })}\n`);
    await answered;
    await run.gateway.stop();
    assert.equal(await exited, 1);
    assert.match(stderr, /gateway closed the connection/);
  });
});
