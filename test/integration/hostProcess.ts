// A stand-in extension host for hostDeath.test.ts: starts a server that leaves a helper process, prints
// "ready <server pid> <helper pid>", and waits to be killed.
import { FIXTURE, NODE, pidOf, running, startServers } from './harness';

void (async () => {
  const harness = await startServers({ helper: { command: NODE, args: [FIXTURE, '--spawn-child'] } });
  const server = await harness.waitFor('helper', running, 'running');
  const helper = /child pid (\d+)/.exec(harness.log('helper').find((l) => /child pid/.test(l)) ?? '')?.[1];
  process.stdout.write(`ready ${pidOf(server)} ${helper}\n`);
  setInterval(() => undefined, 60_000);
})();
