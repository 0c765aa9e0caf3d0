import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { processAlive, waitForExit } from './harness';

describe('when the extension host dies without deactivate()', function () {
  const started: number[] = [];
  afterEach(() => {
    // A failed run must not leave its processes to the next test.
    for (const pid of started.splice(0)) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  const cases = [
    { signal: 'SIGKILL', containment: 'the best this machine offers' },
    { signal: 'SIGTERM', containment: 'the best this machine offers' },
    // Without a PID namespace the reaper ends the group, and the detached process by the marker in its environment.
    { signal: 'SIGKILL', containment: 'process-group' },
    // In the OS sandbox: bubblewrap dies with the host; the runtime's socat bridges on this side by the reaper.
    { signal: 'SIGKILL', containment: 'sandbox' },
  ] as const;
  for (const { signal, containment } of cases) {
    it(`its servers and their helpers still end, even one in a session of its own (host killed by ${signal}; containment: ${containment})`, async function () {
      const env =
        containment === 'process-group'
          ? { ...process.env, MCP_WARDEN_CONTAINMENT: 'process-group' }
          : containment === 'sandbox'
            ? { ...process.env, MCP_WARDEN_TEST_SANDBOX: '1' }
            : process.env;
      const host = spawn(process.execPath, [join(__dirname, 'hostProcess.js')], { stdio: ['ignore', 'pipe', 'inherit'], env });
      const [server, helper, detached, ...bridges] = await new Promise<number[]>((resolve, reject) => {
        let out = '';
        host.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /ready (\d+) (\d+) (\d+) ([\d,]+|-)\n/.exec(out);
          if (match) resolve([Number(match[1]), Number(match[2]), Number(match[3]), ...(match[4] === '-' ? [] : match[4]!.split(',').map(Number))]);
        });
        host.once('exit', (code) => reject(new Error(`host exited early with ${code}`)));
      });
      started.push(server!, helper!, detached!, ...bridges);
      if (containment === 'sandbox') assert.ok(bridges.length > 0, 'the sandbox runs a socat bridge on this side');
      assert.ok(processAlive(server!) && processAlive(helper!) && processAlive(detached!));
      host.kill(signal);
      assert.ok(await waitForExit(server!, 5000), `server ${server} outlived its host`);
      assert.ok(await waitForExit(helper!, 5000), `helper ${helper} (ignores SIGTERM) outlived its host`);
      assert.ok(await waitForExit(detached!, 5000), `detached process ${detached} (own session, ignores SIGTERM) outlived its host`);
      for (const bridge of bridges) assert.ok(await waitForExit(bridge, 5000), `the sandbox's bridge ${bridge} outlived its host`);
    });
  }
});
