import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { callOutcome } from '../../src/core/callOutcome';
import type { ProgressUpdate } from '../../src/core/lifecycle/session';
import { EVERYTHING, FAST_RESTARTS, FIXTURE, NODE, pidOf, processAlive, running, startServers, waitForExit, waitUntil, type Harness } from './harness';
import { reportedPid } from './processTree';

describe('server lifecycle with real processes', function () {
  let harness: Harness | undefined;

  it('starts, lists, calls, and stops server-everything leaving no process behind', async function () {
    harness = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } });
    const server = await harness.waitFor('everything', running, 'running');
    const pid = pidOf(server);
    const result = await harness.registry.callTool('everything', 'echo', { message: 'hello' });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Echo: hello' }]);
    await harness.registry.stop('everything');
    assert.equal(harness.server('everything').state.kind, 'stopped');
    assert.ok(await waitForExit(pid, 1000), `pid ${pid} outlived its server`);
  });

  it('makes its resource subscriptions again after a restart or a crash, and forgets them on stop', async function () {
    const audited: AuditInput[] = [];
    const audit = { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
    harness = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } }, { audit, restartPolicy: FAST_RESTARTS });
    await harness.waitFor('everything', running, 'running');
    const uri = 'demo://resource/dynamic/text/1';
    await harness.registry.request('everything', 'resources/subscribe', { uri });
    const subscribesIn = (session: string) =>
      audited.filter((e) => e.type === 'request' && e.session === session && e.request.method === 'resources/subscribe' && (e.request.params as { uri?: string }).uri === uri && e.response.result !== undefined);

    await harness.registry.restart('everything', 'a test');
    const restarted = await harness.waitFor('everything', running, 'running again');
    const session = audited.filter((e) => e.type === 'lifecycle' && e.action === 'ready').at(-1)!;
    await waitUntil(() => subscribesIn(session.type === 'lifecycle' ? session.session : '').length === 1, 'the subscription made again');

    process.kill(pidOf(restarted), 'SIGKILL');
    await harness.waitFor('everything', (s) => running(s) && pidOf(s) !== pidOf(restarted), 'restarted after the crash');
    const third = audited.filter((e) => e.type === 'lifecycle' && e.action === 'ready').at(-1)!;
    await waitUntil(() => subscribesIn(third.type === 'lifecycle' ? third.session : '').length === 1, 'the subscription made again after the crash');

    await harness.registry.stop('everything');
    await harness.registry.start('everything');
    await harness.waitFor('everything', running, 'started by the user');
    const fourth = audited.filter((e) => e.type === 'lifecycle' && e.action === 'ready').at(-1)!;
    await harness.registry.callTool('everything', 'echo', { message: 'settled' });
    assert.equal(subscribesIn(fourth.type === 'lifecycle' ? fourth.session : '').length, 0, 'a stop ends the subscriptions');
  });

  it('sends a progress token with every call: progress reaches the caller and keeps a long call alive, up to the maximum', async function () {
    harness = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } }, { requestTimeoutMs: 1000, maxRequestMs: 2500 });
    await harness.waitFor('everything', running, 'running');
    // 2 s of work reporting every 0.4 s: longer than the 1 s timeout, which each report starts again.
    const updates: ProgressUpdate[] = [];
    const done = await harness.registry.callTool('everything', 'trigger-long-running-operation', { duration: 2, steps: 5 }, { onProgress: (u) => updates.push(u) });
    assert.match(JSON.stringify(done.content), /Long running operation completed/);
    // The last report is sent just before the result, which may arrive first and end the listening.
    assert.deepEqual(updates.slice(0, 4).map((u) => [u.progress, u.total]), [[1, 5], [2, 5], [3, 5], [4, 5]]);
    // Without a listener the token still goes: progress still extends the timeout.
    const quiet = await harness.registry.callTool('everything', 'trigger-long-running-operation', { duration: 2, steps: 5 });
    assert.match(JSON.stringify(quiet.content), /completed/);
    // However much progress is reported, the call ends at the maximum.
    await assert.rejects(harness.registry.callTool('everything', 'trigger-long-running-operation', { duration: 4, steps: 10 }), (error: unknown) => {
      const outcome = callOutcome(error, { serverName: 'everything', toolName: 'trigger-long-running-operation' });
      assert.equal(outcome.kind, 'failed');
      assert.equal(outcome.message, "call to 'trigger-long-running-operation' on server 'everything' ran longer than it may, even reporting progress (mcpWarden.maxRequestSeconds)");
      return true;
    });
  });

  it('tells a 2026-07-28 server the log level with every request (that era has no logging/setLevel), and an older one once', async function () {
    const audited: AuditInput[] = [];
    const audit = { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
    harness = await startServers(
      { modern: { command: NODE, args: [FIXTURE, '--era', 'modern'] }, everything: { command: NODE, args: [EVERYTHING, 'stdio'] } },
      { audit },
    );
    await harness.waitFor('modern', running, 'running');
    await harness.waitFor('everything', running, 'running');
    await harness.registry.callTool('modern', 'echo', { text: 'hi' });
    await harness.registry.callTool('everything', 'echo', { message: 'hi' });
    const call = (server: string) => audited.find((e) => e.type === 'request' && e.server === server && e.request.method === 'tools/call');
    const metaOf = (server: string) => ((call(server) as { request: { params?: { _meta?: Record<string, unknown> } } } | undefined)?.request.params?._meta ?? {});
    assert.equal(metaOf('modern')['io.modelcontextprotocol/logLevel'], 'debug');
    assert.equal(metaOf('everything')['io.modelcontextprotocol/logLevel'], undefined);
    assert.ok(audited.some((e) => e.type === 'request' && e.server === 'everything' && e.request.method === 'logging/setLevel'), 'the older era is told once, at start');
  });

  it('tells a call cut off by a restart MCP Warden made why, and to call again', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } });
    await harness.waitFor('fixture', running, 'running');
    const call = harness.registry.callTool('fixture', 'sleep', { ms: 30_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The gate allows it at once: the request is on its way before the restart begins.
    await harness.registry.restart('fixture', 'its filesystem grants changed: restarting it with the new sandbox profile');
    const error = await call;
    const outcome = callOutcome(error, { serverName: 'fixture', toolName: 'sleep', serverState: harness.server('fixture').state.kind });
    assert.equal(outcome.kind, 'stopped');
    assert.equal(outcome.message, "server 'fixture' was restarted while 'sleep' was running (its filesystem grants changed: restarting it with the new sandbox profile); call it again");
  });

  it('recovers from kill -9: the server is restarted with a new process', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } }, { restartPolicy: FAST_RESTARTS });
    const first = pidOf(await harness.waitFor('fixture', running, 'running'));
    process.kill(first, 'SIGKILL');
    await harness.waitFor('fixture', (s) => s.state.kind === 'waiting', 'waiting to restart');
    const restarted = await harness.waitFor('fixture', (s) => running(s) && pidOf(s) !== first, 'restarted');
    assert.ok(processAlive(pidOf(restarted)));
    assert.ok(harness.log('fixture').some((l) => /session ended: the server process was killed by SIGKILL/.test(l)));
    const result = await harness.registry.callTool('fixture', 'echo', { text: 'alive again' });
    assert.deepEqual(result.content, [{ type: 'text', text: 'alive again' }]);
  });

  it('fails a call in flight when the server is killed, and still restarts it', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } }, { restartPolicy: FAST_RESTARTS, requestTimeoutMs: 60_000 });
    const pid = pidOf(await harness.waitFor('fixture', running, 'running'));
    const call = harness.registry.callTool('fixture', 'sleep', { ms: 50_000 });
    await new Promise((r) => setTimeout(r, 100));
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await assert.rejects(call, /closed|Connection/i);
    assert.ok(Date.now() - killedAt < 20_000, 'the pending call failed when the server died, not at its 60 s timeout');
    await harness.waitFor('fixture', (s) => running(s) && pidOf(s) !== pid, 'restarted');
  });

  it('a call the user cancels says so calmly, and so does a call running when the server is stopped', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } }, { requestTimeoutMs: 60_000 });
    await harness.waitFor('fixture', running, 'running');
    const abort = new AbortController();
    const cancelled = harness.registry.callTool('fixture', 'sleep', { ms: 50_000 }, { signal: abort.signal });
    abort.abort();
    await assert.rejects(cancelled, { name: 'CallCancelledError', message: "the call to 'sleep' was cancelled" });
    const inFlight = assert.rejects(harness.registry.callTool('fixture', 'sleep', { ms: 50_000 }), {
      name: 'SessionStoppedError',
      message: "server stopped while the call to 'sleep' was running",
    });
    await harness.registry.stop('fixture');
    await inFlight;
  });

  it('stops the whole process group: stdin, then SIGTERM, then SIGKILL, even for a helper that ignores SIGTERM', async function () {
    harness = await startServers({ stubborn: { command: NODE, args: [FIXTURE, '--spawn-child', '--ignore-sigterm'] } });
    const server = await harness.waitFor('stubborn', running, 'running');
    const leader = pidOf(server);
    const child = reportedPid(leader, harness.log('stubborn'), /\bchild pid (\d+)/);
    assert.ok(child > 0 && processAlive(child), 'the helper process runs');
    const started = Date.now();
    await harness.registry.stop('stubborn');
    const took = Date.now() - started;
    assert.ok(!processAlive(leader), `server ${leader} outlived stop`);
    assert.ok(!processAlive(child), `helper ${child} outlived stop`);
    const log = harness.log('stubborn').join('\n');
    assert.match(log, /still running 1000 ms after stdin closed: SIGTERM to its (group|PID namespace)/);
    assert.match(log, /ignored SIGTERM: SIGKILL to its (group|PID namespace)/);
    assert.ok(took >= 2900 && took < 15_000, `stop took ${took} ms: 1 s grace, 2 s after SIGTERM, then SIGKILL`);
  });

  it('ends helpers of a server that exits on its own, so a crash leaves no orphan', async function () {
    harness = await startServers({ crashy: { command: NODE, args: [FIXTURE, '--spawn-child'] } }, { restartPolicy: FAST_RESTARTS });
    const child = reportedPid(pidOf(await harness.waitFor('crashy', running, 'running')), harness.log('crashy'), /\bchild pid (\d+)/);
    assert.ok(processAlive(child));
    await harness.registry.callTool('crashy', 'crash', {});
    await harness.waitFor('crashy', (s) => s.state.kind === 'waiting' || (running(s) && s.state.kind === 'running'), 'restarting');
    assert.ok(await waitForExit(child, 5000), `helper ${child} of the crashed server is still alive`);
  });

  it('gives up on a server that keeps crashing, saying why', async function () {
    harness = await startServers({ dies: { command: NODE, args: ['-e', 'process.stderr.write("cannot open database\\n"); process.exit(3)'] } }, { restartPolicy: FAST_RESTARTS });
    const gaveUp: string[] = [];
    harness.registry.onDidGiveUp(({ name, message }) => gaveUp.push(`${name}: ${message}`));
    const server = await harness.waitFor('dies', (s) => s.state.kind === 'error', 'given up', 20_000);
    assert.ok(server.state.kind === 'error' && server.state.gaveUp);
    assert.match(gaveUp[0] ?? '', /^dies: the server process exited with code 3; its last stderr line: cannot open database, before the MCP handshake completed — it crashed 5 times in 3 minutes/);
    const starts = harness.log('dies').filter((l) => /restarting in \d+ ms/.test(l));
    assert.equal(starts.length, 4, 'four restarts, then it gives up at the fifth crash');
  });

  it('writes stderr, server log messages and lifecycle events to the server log, and follows list changes', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE, '--era', '2025-06-18', '--spawn-child'] } });
    await harness.waitFor('fixture', running, 'running');
    await harness.registry.callTool('fixture', 'log', { level: 'warning', message: 'disk almost full' });
    await harness.registry.callTool('fixture', 'add_tool', { name: 'late' });
    await harness.waitFor('fixture', (s) => s.catalog.tools.some((t) => t.name === 'late'), 'listing the new tool');
    const log = harness.log('fixture');
    assert.ok(log.some((l) => /^info \[stderr\] child pid \d+$/.test(l)), 'stderr lines');
    assert.ok(log.some((l) => l === 'warn [server log fixture] disk almost full'), 'server log at its level, marked as from the server');
    assert.ok(log.some((l) => /^info running: protocol 2025-06-18 \(legacy\) over stdio, server fixture 1\.0\.0, pid \d+, 8 tools, in \d+ ms$/.test(l)));
    assert.ok(log.some((l) => /^info tools changed: now 9$/.test(l)));
  });

  it('stops every server on shutdown (deactivation)', async function () {
    harness = await startServers({
      a: { command: NODE, args: [FIXTURE] },
      b: { command: NODE, args: [FIXTURE, '--era', 'modern'] },
      c: { command: NODE, args: [EVERYTHING, 'stdio'] },
    });
    const pids = await Promise.all(['a', 'b', 'c'].map(async (n) => pidOf(await harness!.waitFor(n, running, 'running'))));
    await harness.registry.stopAll();
    for (const pid of pids) assert.ok(!processAlive(pid), `pid ${pid} survived shutdown`);
    assert.deepEqual(harness.registry.servers.map((s) => s.state.kind), ['stopped', 'stopped', 'stopped']);
  });

  it('records trace-level JSON-RPC traffic only when trace is on', async function () {
    harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } }, { autostart: false });
    harness.logs.get('fixture')!.traceEnabled = true;
    await harness.registry.start('fixture');
    await harness.registry.callTool('fixture', 'echo', { text: 'traced' });
    const traces = harness.log('fixture').filter((l) => l.startsWith('trace '));
    assert.ok(traces.some((l) => /^trace → .*"method":"tools\/call".*"traced"/.test(l)));
    assert.ok(traces.some((l) => /^trace ← .*"result"/.test(l)));
  });
});

