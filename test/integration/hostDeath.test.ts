import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { processAlive, waitForExit } from './harness';

describe('when the extension host dies without deactivate()', function () {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`its servers and their helpers still end (host killed by ${signal})`, async function () {
      const host = spawn(process.execPath, [join(__dirname, 'hostProcess.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
      const [server, helper] = await new Promise<number[]>((resolve, reject) => {
        let out = '';
        host.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /ready (\d+) (\d+)/.exec(out);
          if (match) resolve([Number(match[1]), Number(match[2])]);
        });
        host.once('exit', (code) => reject(new Error(`host exited early with ${code}`)));
      });
      assert.ok(processAlive(server!) && processAlive(helper!));
      host.kill(signal);
      assert.ok(await waitForExit(server!, 5000), `server ${server} outlived its host`);
      assert.ok(await waitForExit(helper!, 5000), `helper ${helper} (ignores SIGTERM) outlived its host`);
    });
  }
});
