// The gateway while things happen behind it: progress and cancellation between agent and server, lists that change,
// and a backing server that dies in the middle of a call while the agent's session carries on.
import * as assert from 'node:assert/strict';
import { EVERYTHING, FAST_RESTARTS, FIXTURE, NODE, pidOf, running, waitUntil } from './harness';
import { LEGACY, MODERN, disposeGateways, startGateway, textOf, type Era } from './gatewayHarness';

const LONG = 'everything__trigger-long-running-operation';

describe('gateway: progress, cancellation, list changes, restarts', function () {
  this.timeout(60_000);
  afterEach(disposeGateways);

  for (const era of [LEGACY, MODERN] as Era[]) {
    it(`progress of the server reaches a ${era} agent under its own token`, async () => {
      const run = await startGateway({ everything: { command: NODE, args: [EVERYTHING] } });
      const agent = await run.agent(era);
      const updates: { progress: number; total?: number }[] = [];
      const result = await agent.callTool({ name: LONG, arguments: { duration: 1, steps: 3 } }, { onprogress: (p) => updates.push({ progress: p.progress, ...(p.total !== undefined && { total: p.total }) }) });
      assert.match(textOf(result), /completed/i);
      assert.deepEqual(updates.slice(0, 2), [
        { progress: 1, total: 3 },
        { progress: 2, total: 3 },
      ]);
    });

    it(`a ${era} agent that cancels its call cancels the server's request`, async () => {
      const run = await startGateway({ everything: { command: NODE, args: [EVERYTHING] } });
      const agent = await run.agent(era);
      const abort = new AbortController();
      // The first progress report proves the request runs on the server: then cancel it.
      const call = agent.callTool({ name: LONG, arguments: { duration: 30, steps: 30 } }, { signal: abort.signal, onprogress: () => abort.abort() });
      await assert.rejects(call);
      await waitUntil(
        () => run.audited.some((e) => e.type === 'notification' && e.server === 'everything' && e.direction === 'to-server' && e.method === 'notifications/cancelled'),
        'notifications/cancelled to the server',
      );
      const calls = run.audited.filter((e) => e.type === 'request' && e.server === 'everything' && e.request.method === 'tools/call');
      assert.equal(calls.length, 1);
      assert.equal(calls[0]?.type === 'request' && calls[0].response.error?.message, 'cancelled by the client');
    });
  }

  it('when a server adds a tool, list_changed reaches a legacy and a modern agent, which then list it', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const seen: Record<string, string[]> = {};
    const legacy = await run.agent(LEGACY, { listChanged: { tools: (names) => (seen[LEGACY] = names) } });
    const modern = await run.agent(MODERN, { listChanged: { tools: (names) => (seen[MODERN] = names) } });
    assert.equal(textOf(await legacy.callTool({ name: 'fixture__add_tool', arguments: { name: 'extra' } })), 'added extra');
    await waitUntil(() => (seen[LEGACY] ?? []).includes('fixture__extra') && (seen[MODERN] ?? []).includes('fixture__extra'), `both agents to list fixture__extra: ${JSON.stringify(seen)}`);
    assert.equal(textOf(await modern.callTool({ name: 'fixture__extra', arguments: {} })), 'extra');
  });

  for (const era of [LEGACY, MODERN] as Era[]) {
    it(`a server killed mid-call: the ${era} agent's call fails naming the server, its session goes on, the next call works`, async () => {
      const run = await startGateway({ everything: { command: NODE, args: [EVERYTHING] } }, { restartPolicy: FAST_RESTARTS });
      const first = await run.harness.waitFor('everything', running, 'running');
      const pid = pidOf(first);
      const agent = await run.agent(era);
      let killed = false;
      const call = agent.callTool({ name: LONG, arguments: { duration: 30, steps: 30 } }, {
        onprogress: () => {
          if (!killed) process.kill(pid, 'SIGKILL');
          killed = true;
        },
      });
      await assert.rejects(call, (error: Error) => {
        assert.equal(error.message, "MCP Warden: server 'everything' stopped while 'trigger-long-running-operation' was running; MCP Warden is restarting it, so call again in a moment");
        return true;
      });
      await run.harness.waitFor('everything', (s) => running(s) && pidOf(s) !== pid, 'restarted');
      const again = await agent.callTool({ name: 'everything__echo', arguments: { message: 'still here' } });
      assert.match(textOf(again), /still here/);
    });
  }
});
