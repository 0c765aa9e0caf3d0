import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { pidNamespaceDepth, processAlive } from '../../../src/node/processes';
import { probeSandbox } from '../../../src/node/sandbox/sandboxAvailability';
import { visiblePid } from '../processTree';
import { profileWith, requireSandboxTools, SANDBOX_FIXTURE, scratchFolder, startSandboxed, type SandboxedRun } from './sandboxSupport';

describe('the OS sandbox: processes, Unix sockets, availability', function () {
  let folder: ReturnType<typeof scratchFolder>;
  let run: SandboxedRun | undefined;
  const strays: number[] = [];

  before(() => requireSandboxTools());
  beforeEach(() => (folder = scratchFolder('mcpw-proc')));
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    for (const pid of strays.splice(0)) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    folder.remove();
  });

  it('a grandchild in a session of its own (setsid, ignores SIGTERM) ends when the server stops', async function () {
    run = await startSandboxed([SANDBOX_FIXTURE], profileWith({ write: [folder.path] }));
    const pidFile = join(folder.path, 'grandchild.pid');
    assert.equal((await run.call('spawn_detached', { pidFile })).isError, false);
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the grandchild pid');
    const server = run.transport.serverPid!;
    const grandchild = visiblePid(server, Number(readFileSync(pidFile, 'utf8')));
    strays.push(grandchild);
    assert.ok(processAlive(grandchild), 'the grandchild runs');
    assert.match(readFileSync(`/proc/${grandchild}/cmdline`, 'utf8'), /sleep/);
    assert.ok(pidNamespaceDepth(grandchild) > pidNamespaceDepth(process.pid), 'the grandchild runs in the sandbox');
    await run.stop();
    run = undefined;
    assert.ok(!processAlive(server), `server ${server} outlived stop`);
    assert.ok(!processAlive(grandchild), `grandchild ${grandchild} outlived stop`);
  });

  it('a server may not listen on a Unix socket, unless the profile allows all of them', async function () {
    run = await startSandboxed([SANDBOX_FIXTURE], profileWith({ write: [folder.path] }));
    const denied = await run.call('listen_unix', { path: join(folder.path, 'a.sock') });
    assert.equal(denied.isError, true, denied.text);
    assert.match(denied.text, /^error EPERM/);
    await run.stop();

    run = await startSandboxed([SANDBOX_FIXTURE], profileWith({ write: [folder.path], unixSockets: true }));
    const allowed = await run.call('listen_unix', { path: join(folder.path, 'b.sock') });
    assert.equal(allowed.text, `ok listened on ${join(folder.path, 'b.sock')}`);
  });

  it('describes how the server ended as it would unsandboxed: exit code, or the signal that killed it', async function () {
    run = await startSandboxed([SANDBOX_FIXTURE], profileWith({}));
    assert.ok(pidNamespaceDepth(run.transport.serverPid!) > pidNamespaceDepth(process.pid), 'the server runs in the sandbox');
    const closed = new Promise((resolve) => (run!.transport.onclose = () => resolve(run!.transport.exit)));
    process.kill(run.transport.serverPid!, 'SIGKILL');
    assert.deepEqual(await closed, { code: null, signal: 'SIGKILL' });
  });

  it('probeSandbox: available here; unavailable without bubblewrap on PATH, saying so and how to install it', async function () {
    const here = await probeSandbox(process.env);
    assert.equal(here.available, true, JSON.stringify(here));
    // A PATH with every tool the runtime looks for but bwrap.
    const bin = mkdtempSync(join(tmpdir(), 'mcpw-nobwrap-'));
    try {
      for (const tool of ['which', 'socat', 'rg']) symlinkSync(execFileSync('which', [tool]).toString().trim(), join(bin, tool));
      chmodSync(bin, 0o755);
      const without = await probeSandbox({ ...process.env, PATH: bin });
      assert.deepEqual(without, { available: false, reason: 'bubblewrap (bwrap) is not installed', remedy: without.available ? '' : without.remedy });
      assert.match(without.available ? '' : without.remedy, /sudo apt install bubblewrap socat ripgrep/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
