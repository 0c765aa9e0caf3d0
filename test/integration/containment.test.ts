import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { machineContainment, type Containment } from '../../src/node/containment';
import { ProcessTransport, type ProcessExit } from '../../src/node/processTransport';
import { pidNamespaceOf } from '../../src/node/processes';
import { serverEnvironment } from '../../src/node/serverEnvironment';
import { RecordingLogger } from '../unit/fakes';
import { FAST_RESTARTS, FIXTURE, NODE, pidOf, processAlive, running, startServers, type Harness } from './harness';
import { reportedPid } from './processTree';

const PROCESS_GROUP: Containment = { kind: 'process-group', reason: 'chosen by the test' };

/** A stdio server started by the transport alone, without MCP: enough to watch its processes. */
async function startTransport(args: string[], containment: Containment) {
  const logger = new RecordingLogger();
  const transport = new ProcessTransport({ command: NODE, args, env: serverEnvironment({}), maxMessageBytes: 1 << 20, logger, containment });
  const closed = new Promise<ProcessExit | undefined>((resolve) => (transport.onclose = () => resolve(transport.exit)));
  await transport.start();
  return { transport, logger, closed };
}

/** Waits until `condition` holds, for at most 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The session a process belongs to (field 6 of /proc/<pid>/stat). */
function sessionOfProcess(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}

describe('every process a server starts ends with it, even one in a session of its own', function () {
  let harness: Harness | undefined;
  const spawned: number[] = [];

  afterEach(() => {
    // A failing run must not leave its stray processes to the next test.
    for (const pid of spawned.splice(0)) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  /** Starts the fixture with a detached grandchild (setsid, ignores SIGTERM) and returns both pids. */
  async function startWithDetachedGrandchild(): Promise<{ server: number; grandchild: number }> {
    harness = await startServers({ browserish: { command: NODE, args: [FIXTURE, '--spawn-detached-grandchild'] } }, { restartPolicy: FAST_RESTARTS });
    const server = pidOf(await harness.waitFor('browserish', running, 'running'));
    const grandchild = reportedPid(server, harness.log('browserish'), /detached grandchild pid (\d+)/);
    spawned.push(grandchild);
    assert.ok(grandchild > 0 && processAlive(grandchild), 'the detached grandchild runs');
    assert.equal(sessionOfProcess(grandchild), grandchild, 'it leads a session of its own');
    assert.notEqual(sessionOfProcess(server), grandchild);
    return { server, grandchild };
  }

  it('Stop ends it, though it left the process group and ignores SIGTERM', async function () {
    const { server, grandchild } = await startWithDetachedGrandchild();
    await harness!.registry.stop('browserish');
    assert.ok(!processAlive(server), `server ${server} outlived Stop`);
    assert.ok(!processAlive(grandchild), `detached grandchild ${grandchild} outlived Stop`);
  });

  it('a crash of the server ends it', async function () {
    const { server, grandchild } = await startWithDetachedGrandchild();
    await harness!.registry.callTool('browserish', 'crash', {});
    await harness!.waitFor('browserish', (s) => s.state.kind === 'waiting', 'waiting to restart');
    assert.ok(!processAlive(server), `server ${server} still runs`);
    assert.ok(!processAlive(grandchild), `detached grandchild ${grandchild} of the crashed server still runs`);
  });

  it('runs each server in a PID namespace of its own where bubblewrap works, as it does on this machine', async function () {
    const containment = await machineContainment();
    harness = await startServers({ plain: { command: NODE, args: [FIXTURE] } });
    const server = pidOf(await harness.waitFor('plain', running, 'running'));
    assert.match(readFileSync(`/proc/${server}/cmdline`, 'utf8'), /fixture-server\.mjs/, 'the pid shown is the server, not bubblewrap');
    if (containment.kind === 'pid-namespace') {
      assert.notEqual(pidNamespaceOf(server), pidNamespaceOf(process.pid));
      assert.ok(harness.log('plain').includes('debug starting the server in a PID namespace of its own (bubblewrap)'));
    } else {
      assert.equal(pidNamespaceOf(server), pidNamespaceOf(process.pid));
      assert.ok(harness.log('plain').some((l) => l.startsWith(`debug starting the server in a process group of its own (${containment.reason})`)));
    }
  });

  it('without bubblewrap, Stop still ends a detached grandchild: it carries the server\'s marker (Linux)', async function () {
    const { transport, logger } = await startTransport([FIXTURE, '--spawn-detached-grandchild'], PROCESS_GROUP);
    await until(() => logger.lines.some((l) => /detached grandchild pid \d+/.test(l)), 'the detached grandchild');
    const server = transport.serverPid!;
    const grandchild = reportedPid(server, logger.lines, /detached grandchild pid (\d+)/);
    spawned.push(grandchild);
    assert.equal(sessionOfProcess(grandchild), grandchild, 'it leads a session of its own');
    assert.ok(logger.lines.some((l) => /^warn processes a server starts in a session of their own .* may outlive it: chosen by the test\./.test(l)));
    await transport.close();
    assert.ok(!processAlive(server), `server ${server} outlived close()`);
    assert.ok(!processAlive(grandchild), `detached grandchild ${grandchild} outlived close()`);
  });

  for (const mode of ['this machine', 'process group'] as const) {
    it(`describes how the server ended the same way, whatever holds it (${mode})`, async function () {
      const containment = mode === 'process group' ? PROCESS_GROUP : await machineContainment();
      const exited = await startTransport(['-e', 'process.exit(3)'], containment);
      assert.deepEqual(await exited.closed, { code: 3, signal: null });
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        const { transport, closed } = await startTransport(['-e', 'setInterval(() => {}, 1000)'], containment);
        await until(() => transport.serverPid !== undefined && /setInterval/.test(readFileSync(`/proc/${transport.serverPid}/cmdline`, 'utf8')), 'the server');
        process.kill(transport.serverPid!, signal);
        assert.deepEqual(await closed, { code: null, signal });
      }
    });
  }
});
