// A stand-in extension host for hostDeath.test.ts: starts a server that leaves a helper process in its group and
// a detached one in a session of its own, prints "ready <server pid> <helper pid> <detached pid> <bridge pids>",
// and waits to be killed. With MCP_WARDEN_TEST_SANDBOX=1 the server runs in the OS sandbox, whose socat bridges
// (children of this process, comma-separated in the last field) must end with it too.
import { mkdtempSync, readFileSync } from 'node:fs';
import { nullLogger } from '../../src/core/ports';
import { liveChildren } from '../../src/node/processes';
import { SandboxSession } from '../../src/node/sandbox/sandboxSession';
import { FIXTURE, NODE, pidOf, running, startServers } from './harness';
import { reportedPid } from './processTree';
import { profileWith } from './sandbox/sandboxSupport';

void (async () => {
  const sandboxed = process.env['MCP_WARDEN_TEST_SANDBOX'] === '1';
  const session = sandboxed
    ? await SandboxSession.start({ profile: profileWith({}), folder: mkdtempSync('/tmp/mcpw-host-'), onAsk: async () => false, onViolation: () => undefined, logger: nullLogger })
    : undefined;
  const harness = await startServers(
    { helper: { command: NODE, args: [FIXTURE, '--spawn-child', '--spawn-detached-grandchild'] } },
    session ? { containmentFor: async () => ({ kind: 'sandbox', session }) } : {},
  );
  const server = pidOf(await harness.waitFor('helper', running, 'running'));
  const logged = (pattern: RegExp) => reportedPid(server, harness.log('helper'), pattern);
  const bridges = liveChildren(process.pid).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('socat'));
  process.stdout.write(`ready ${server} ${logged(/\bchild pid (\d+)/)} ${logged(/detached grandchild pid (\d+)/)} ${bridges.join(',') || '-'}\n`);
  setInterval(() => undefined, 60_000);
})();
