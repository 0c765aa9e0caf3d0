import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../../core/ports';
import { signalProcessGroup } from '../processGroup';
import { exitThroughInit, innermostPid, liveChildren, liveDescendants, liveGroupMembers, pidNamespaceDepth, pidNamespaceMembers, pidNamespaceOf, pollUntil, processAlive, signalPid } from '../processes';
import { forgetOnExit, reapOnExit } from '../processReaper';
import type { ProcessExit, ServerProcess } from '../serverProcess';
import type { SandboxedLaunch } from './sandboxSession';

/**
 * A server in the OS sandbox, spawned from the main thread (bubblewrap's --die-with-parent follows the spawning
 * thread). The tree: bubblewrap → its init (pid 1 of the sandbox's PID namespace) → bash (the proxy relays) →
 * apply-seccomp → its init (pid 1 of a second, nested PID namespace) → the server (pid 2 there) → what it starts.
 * The server's stdin and stdout travel as fds 3 and 4 (the session's wrap moves them to 0 and 1).
 */
export class SandboxedServer implements ServerProcess {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly scope = 'its sandbox';
  private found: number | undefined;

  constructor(launch: SandboxedLaunch, cwd: string) {
    const [command, ...args] = launch.argv;
    this.child = spawn(command!, args, {
      env: launch.env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    const stdio = this.child.stdio as unknown as readonly (Readable & Writable)[];
    this.stdin = stdio[3]!;
    this.stdout = stdio[4]!;
    this.stderr = this.child.stderr!;
    this.child.once('spawn', () => reapOnExit(this.child.pid!));
  }

  /** bubblewrap's init: when it dies, the kernel kills everything in the sandbox, nested namespace included. */
  private init(): number | undefined {
    return this.child.pid === undefined ? undefined : liveChildren(this.child.pid)[0];
  }

  /** The server: pid 2 of the innermost namespace (with seccomp), else the relay shell's last child. */
  serverPid(): number | undefined {
    if (this.found !== undefined && processAlive(this.found)) return this.found;
    const init = this.init();
    if (init === undefined) return undefined;
    const descendants = liveDescendants(init).map((pid) => ({ pid, depth: pidNamespaceDepth(pid) }));
    const deepest = Math.max(0, ...descendants.map((d) => d.depth));
    const initDepth = pidNamespaceDepth(init);
    const server =
      deepest > initDepth
        ? descendants.find((d) => d.depth === deepest && innermostPid(d.pid) === 2)?.pid
        : liveChildren(liveChildren(init)[0] ?? -1).at(-1);
    if (server !== undefined) this.found = server;
    return server;
  }

  /** SIGTERM to the server and everything in its namespace, but not to the sandbox's own inits and relays. */
  terminate(): void {
    const server = this.serverPid();
    if (server === undefined) {
      if (this.child.pid !== undefined) signalProcessGroup(this.child.pid, 'SIGTERM');
      return;
    }
    const namespace = pidNamespaceOf(server);
    const members = namespace ? pidNamespaceMembers(namespace) : [server];
    for (const member of members) if (innermostPid(member) !== 1) signalPid(member, 'SIGTERM');
  }

  kill(): void {
    const init = this.init();
    if (init !== undefined) signalPid(init, 'SIGKILL');
    if (this.child.pid !== undefined) signalProcessGroup(this.child.pid, 'SIGKILL');
  }

  async reap(graceMs: number, logger: Logger): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    // bubblewrap exits after its init, and its init only after the kernel ended everything in the namespace.
    const init = this.init();
    if (init !== undefined && !(await pollUntil(() => !processAlive(init), 5000))) {
      logger.warn(`the sandbox of server ${pid} did not end: SIGKILL`);
      signalPid(init, 'SIGKILL');
    }
    if (liveGroupMembers(pid).length > 0) {
      signalProcessGroup(pid, 'SIGKILL');
      await pollUntil(() => liveGroupMembers(pid).length === 0, graceMs);
    }
    forgetOnExit(pid);
  }

  /** The shells and inits in between pass on the server's exit code, or 128 + the signal that killed it. */
  describeExit(code: number | null, signal: NodeJS.Signals | null): ProcessExit {
    return exitThroughInit(code, signal);
  }
}
