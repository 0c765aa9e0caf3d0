import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAST_RESTARTS, FIXTURE, NODE, pidOf, processAlive, running, sessionOf, startHttpFixture, startServers, waitForExit, type Harness } from './harness';

const errorOf = (h: Harness, name: string) => {
  const state = h.server(name).state;
  return state.kind === 'error' ? state.message : `(${state.kind})`;
};

describe('bad input gets a clear error and breaks nothing else', function () {
  let harness: Harness | undefined;

  it('a command that does not exist: an error naming the key, no retries, others unaffected', async function () {
    harness = await startServers({ missing: { command: 'mcp-warden-no-such-command' }, good: { command: NODE, args: [FIXTURE] } }, { restartPolicy: FAST_RESTARTS });
    await harness.waitFor('good', running, 'running');
    await harness.waitFor('missing', (s) => s.state.kind === 'error', 'in error');
    assert.equal(errorOf(harness, 'missing'), "mcpWarden.servers.missing.command: 'mcp-warden-no-such-command' was not found; install it or give its full path");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(harness.server('missing').state.kind, 'error', 'not retried');
  });

  it('a working folder that does not exist', async function () {
    harness = await startServers({ nowhere: { command: NODE, args: [FIXTURE], cwd: '/no/such/folder' } });
    await harness.waitFor('nowhere', (s) => s.state.kind === 'error', 'in error');
    assert.equal(errorOf(harness, 'nowhere'), "mcpWarden.servers.nowhere.cwd: the folder '/no/such/folder' does not exist");
  });

  it('garbage on stdout is reported and skipped; the session works', async function () {
    harness = await startServers({ noisy: { command: NODE, args: [FIXTURE, '--garbage'] } });
    await harness.waitFor('noisy', running, 'running');
    const result = await harness.registry.callTool('noisy', 'echo', { text: 'still fine' });
    assert.deepEqual(result.content, [{ type: 'text', text: 'still fine' }]);
    const log = harness.log('noisy');
    assert.ok(log.includes('warn ignored a line on stdout that is not JSON: this is not json'));
    assert.ok(log.includes('warn ignored a line on stdout that is not a JSON-RPC message: {"not":"json-rpc"}'));
  });

  it('a server that never answers the handshake times out, and holds back none of the others', async function () {
    const servers: Record<string, unknown> = { silent: { command: NODE, args: [FIXTURE, '--hang'] } };
    for (let i = 0; i < 4; i++) servers[`good${i}`] = { command: NODE, args: [FIXTURE] };
    harness = await startServers(servers, { startupTimeoutMs: 8000, autostart: false });
    const order: string[] = [];
    harness.registry.onDidChange((name) => {
      const state = name && harness!.registry.server(name)?.state.kind;
      if (name && (state === 'running' || state === 'error')) order.push(`${name} ${state}`);
    });
    await harness.registry.startAll();
    assert.equal(errorOf(harness, 'silent'), 'the server did not complete the MCP handshake within 8 s (mcpWarden.startupTimeoutSeconds)');
    // Every good server was running before the silent one gave up: none waited for it.
    assert.deepEqual(order.slice(-1), ['silent error']);
    assert.deepEqual(order.slice(0, -1).sort(), ['good0 running', 'good1 running', 'good2 running', 'good3 running']);
  });

  it('a stdio message over the size limit ends the session with an error and no restart', async function () {
    harness = await startServers({ big: { command: NODE, args: [FIXTURE] } }, { maxMessageBytes: 64 * 1024, restartPolicy: FAST_RESTARTS });
    const pid = pidOf(await harness.waitFor('big', running, 'running'));
    await assert.rejects(harness.registry.callTool('big', 'big', { bytes: 200 * 1024 }));
    await harness.waitFor('big', (s) => s.state.kind === 'error', 'in error');
    assert.equal(errorOf(harness, 'big'), 'the server sent a message larger than 64 KiB (mcpWarden.maxMessageSizeMiB)');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(harness.server('big').state.kind, 'error', 'not restarted');
    assert.ok(!processAlive(pid), 'the server process was stopped');
  });

  it('an HTTP message over the size limit ends the session with an error', async function () {
    const server = await startHttpFixture(['--era', 'modern']);
    harness = await startServers({ big: { url: server.url } }, { maxMessageBytes: 64 * 1024 });
    await harness.waitFor('big', running, 'running');
    await assert.rejects(harness.registry.callTool('big', 'big', { bytes: 200 * 1024 }));
    await harness.waitFor('big', (s) => s.state.kind === 'error', 'in error');
    assert.equal(errorOf(harness, 'big'), 'the server sent a message larger than 64 KiB (mcpWarden.maxMessageSizeMiB)');
  });

  it('an unreachable HTTP server is retried with backoff, then given up', async function () {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    harness = await startServers({ down: { url: `http://127.0.0.1:${port}/mcp` } }, { restartPolicy: FAST_RESTARTS });
    await harness.waitFor('down', (s) => s.state.kind === 'waiting', 'waiting to retry');
    const server = await harness.waitFor('down', (s) => s.state.kind === 'error', 'given up', 20_000);
    assert.ok(server.state.kind === 'error' && server.state.gaveUp);
    assert.match(errorOf(harness, 'down'), new RegExp(`^cannot connect to http://127\\.0\\.0\\.1:${port}/mcp: connection refused — it crashed 5 times in 3 minutes`));
  });

  it('an HTTP endpoint that is not MCP: both transports are tried, the answer is reported', async function () {
    const notMcp = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found'));
    await new Promise<void>((resolve) => notMcp.listen(0, '127.0.0.1', resolve));
    const port = (notMcp.address() as AddressInfo).port;
    try {
      harness = await startServers({ wrong: { url: `http://127.0.0.1:${port}/api` } });
      await harness.waitFor('wrong', (s) => s.state.kind === 'error', 'in error');
      assert.match(errorOf(harness, 'wrong'), new RegExp(`^the MCP handshake with http://127\\.0\\.0\\.1:${port}/api failed: .*404`));
      assert.ok(harness.log('wrong').some((l) => /Streamable HTTP was refused with HTTP 404: trying the legacy HTTP\+SSE transport/.test(l)));
    } finally {
      notMcp.close();
    }
  });

  it('inputs and env files reach the server, the editor\'s other variables do not; a cancelled input stops the start', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'warden-env-'));
    writeFileSync(join(dir, '.env'), '# comment\nFROM_FILE="file value"\nOVERRIDDEN=file\n');
    process.env['WARDEN_TEST_EDITOR_SECRET'] = 'must-not-leak';
    try {
      harness = await startServers(
        {
          env: { command: NODE, args: [FIXTURE], envFile: '${workspaceFolder}/.env', env: { OVERRIDDEN: 'env', TOKEN: '${input:token}' } },
          cancelled: { command: NODE, args: [FIXTURE], env: { KEY: '${input:never}' } },
        },
        { inputs: { token: 'tok-123' }, workspaceFolder: dir },
      );
      await harness.waitFor('env', running, 'running');
      const read = async (name: string) => JSON.stringify((await harness!.registry.callTool('env', 'env', { name })).content);
      assert.match(await read('FROM_FILE'), /"file value"/);
      assert.match(await read('OVERRIDDEN'), /"env"/);
      assert.match(await read('TOKEN'), /"tok-123"/);
      assert.match(await read('WARDEN_TEST_EDITOR_SECRET'), /\(unset\)/);
      assert.match(await read('PATH'), /bin/);
      await harness.waitFor('cancelled', (s) => s.state.kind === 'error', 'in error');
      assert.equal(errorOf(harness, 'cancelled'), 'no value was given for ${input:never}, so the server was not started');
    } finally {
      delete process.env['WARDEN_TEST_EDITOR_SECRET'];
    }
  });

  it('an envFile that is a FIFO or a device is refused at once, and holds back no other server', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'warden-fifo-'));
    const servers: Record<string, unknown> = { good: { command: NODE, args: [FIXTURE] }, zero: { command: NODE, args: [FIXTURE], envFile: '/dev/zero' } };
    const fifos: string[] = [];
    for (let i = 0; i < 4; i++) {
      const fifo = join(dir, `fifo${i}.env`);
      execFileSync('mkfifo', [fifo]);
      fifos.push(fifo);
      servers[`fifo${i}`] = { command: NODE, args: [FIXTURE], envFile: fifo };
    }
    harness = await startServers(servers, { startupTimeoutMs: 8000, autostart: false });
    try {
      const started = Date.now();
      const all = harness.registry.startAll();
      const outcome = await Promise.race([all.then(() => 'finished'), new Promise((r) => setTimeout(() => r('still starting'), 12_000).unref())]);
      assert.equal(outcome, 'finished', 'the start of all servers finished');
      assert.ok(Date.now() - started < 8000, `the start took ${Date.now() - started} ms, more than the 8 s startup timeout`);
      assert.equal(harness.server('good').state.kind, 'running');
      for (let i = 0; i < 4; i++) {
        assert.equal(errorOf(harness, `fifo${i}`), `mcpWarden.servers.fifo${i}.envFile: cannot read '${fifos[i]}': it is a FIFO (named pipe), not a regular file`);
      }
      assert.equal(errorOf(harness, 'zero'), "mcpWarden.servers.zero.envFile: cannot read '/dev/zero': it is a character device, not a regular file");
    } finally {
      // A reader stuck on a FIFO returns once a writer comes and goes.
      for (const fifo of fifos) closeSync(openSync(fifo, 'r+'));
    }
  });

  it('a server that closes its stdout but keeps running is stopped, and the call in flight fails at once', async function () {
    harness = await startServers({ mute: { command: NODE, args: [FIXTURE, '--close-stdout'] } }, { restartPolicy: FAST_RESTARTS, requestTimeoutMs: 60_000 });
    const pid = pidOf(await harness.waitFor('mute', running, 'running'));
    await harness.registry.callTool('mute', 'close_stdout', {});
    const call = harness.registry.callTool('mute', 'sleep', { ms: 50_000 });
    const closedAt = Date.now();
    await assert.rejects(call, /closed/i);
    assert.ok(Date.now() - closedAt < 15_000, 'the call failed when the output closed, not at its 60 s timeout');
    const ended = await harness.waitFor('mute', (s) => s.state.kind === 'waiting', 'waiting to restart', 15_000);
    assert.ok(ended.state.kind === 'waiting');
    assert.equal(ended.state.lastError, 'the server closed its output (stdout) but kept running: stopped it');
    assert.ok(await waitForExit(pid, 1000), `pid ${pid} still runs`);
  });

  it('a server that exits right after the handshake is a crash, never "running" with a dead pid', async function () {
    harness = await startServers({ quitter: { command: NODE, args: [FIXTURE, '--exit-after-handshake'] } }, { restartPolicy: FAST_RESTARTS });
    const states: string[] = [];
    harness.registry.onDidChange((name) => {
      if (name === 'quitter') states.push(harness!.server('quitter').state.kind);
    });
    const server = await harness.waitFor('quitter', (s) => s.state.kind === 'error', 'given up', 30_000);
    assert.ok(server.state.kind === 'error' && server.state.gaveUp);
    assert.match(server.state.message, /^the server process exited with code 4, right after the MCP handshake — it crashed 5 times in 3 minutes/);
    assert.ok(!states.includes('running'), `it was never running: ${states.join(' → ')}`);
  });

  it('keeps a server with an invalid definition out, and the rest running', async function () {
    harness = await startServers({ bad: { url: 'http://example.com/mcp' }, good: { command: NODE, args: [FIXTURE] } });
    assert.equal(harness.server('bad').status, 'invalid');
    assert.equal(harness.server('bad').problems[0]?.keyPath, 'mcpWarden.servers.bad.url');
    assert.equal(sessionOf(await harness.waitFor('good', running, 'running')).transport, 'stdio');
  });
});
