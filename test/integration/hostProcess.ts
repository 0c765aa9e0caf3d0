// A stand-in extension host for hostDeath.test.ts: starts a server that leaves a helper process in its group and
// a detached one in a session of its own, prints "ready <server pid> <helper pid> <detached pid>", and waits to
// be killed.
import { FIXTURE, NODE, pidOf, running, startServers } from './harness';
import { reportedPid } from './processTree';

void (async () => {
  const harness = await startServers({ helper: { command: NODE, args: [FIXTURE, '--spawn-child', '--spawn-detached-grandchild'] } });
  const server = pidOf(await harness.waitFor('helper', running, 'running'));
  const logged = (pattern: RegExp) => reportedPid(server, harness.log('helper'), pattern);
  process.stdout.write(`ready ${server} ${logged(/\bchild pid (\d+)/)} ${logged(/detached grandchild pid (\d+)/)}\n`);
  setInterval(() => undefined, 60_000);
})();
