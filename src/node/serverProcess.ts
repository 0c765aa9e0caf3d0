import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import spawn from 'cross-spawn';
import type { Logger } from '../core/ports';
import { BWRAP_OPTIONS, resolveExecutable, type MachineContainment } from './containment';
import { signalProcessGroup } from './processGroup';
import { exitThroughInit, innermostPid, liveChildren, liveGroupMembers, pidNamespaceMembers, pidNamespaceOf, pollUntil, processAlive, processesWithEnvironment, signalPid } from './processes';
import { SandboxedServer } from './sandbox/sandboxedServer';
import type { SandboxedLaunch, SandboxSession } from './sandbox/sandboxSession';
import { forgetOnExit, reapOnExit } from './processReaper';

export interface ServerProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Carries a per-server marker into the environment of every process a server starts, where /proc can see it. */
export const SERVER_MARKER_VARIABLE = 'MCP_WARDEN_SERVER_MARKER';

/**
 * The processes of one stdio server, started so that all of them can be stopped together. `child` is what was
 * spawned (bubblewrap, or the server itself); it leads a process group, and its exit is the server's exit.
 */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** The server's stdin and stdout (JSON-RPC), and its stderr. */
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** What the stop signals reach, for the log: "its group", "its PID namespace". */
  readonly scope: string;
  /** The pid of the server itself (not bubblewrap's), once it runs. */
  serverPid(): number | undefined;
  /** SIGTERM to every process of the server (not to bubblewrap, which would answer with SIGKILL to all). */
  terminate(): void;
  /** SIGKILL to every process of the server. */
  kill(): void;
  /** Once `child` exited: ends what is left of the server (SIGTERM, then SIGKILL) and waits until it is gone. */
  reap(graceMs: number, logger: Logger): Promise<void>;
  /** How the server ended, from how `child` ended. */
  describeExit(code: number | null, signal: NodeJS.Signals | null): ProcessExit;
}

/**
 * Spawns a server inside the given containment; emits 'spawn' or 'error' on `child` like any spawn, so listeners
 * must be attached before the next tick. A sandboxed server needs the launch its session wrapped (`wrapForSandbox`).
 */
export function spawnServerProcess(options: ServerProcessOptions, containment: MachineContainment | { readonly kind: 'sandboxed'; readonly launch: SandboxedLaunch }): ServerProcess {
  switch (containment.kind) {
    case 'sandboxed':
      return new SandboxedServer(containment.launch, options.cwd ?? process.cwd());
    case 'pid-namespace':
      return new NamespacedServer(options, containment.bwrap);
    case 'process-group':
      return new GroupedServer(options);
  }
}

/** The launch a sandboxed server is spawned from (its session rejects if it failed). */
export function wrapForSandbox(options: ServerProcessOptions, session: SandboxSession): Promise<SandboxedLaunch> {
  return session.wrap(options.command, options.args, { ...options.env }, options.cwd ?? process.cwd());
}

/** The fallback: the server leads a process group; on Linux its processes also carry a marker in their environment. */
class GroupedServer implements ServerProcess {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly scope = 'its group';
  private readonly marker: string | undefined;

  constructor(options: ServerProcessOptions) {
    const value = randomBytes(8).toString('hex');
    this.marker = process.platform === 'linux' ? `${SERVER_MARKER_VARIABLE}=${value}` : undefined;
    const env = this.marker ? { ...options.env, [SERVER_MARKER_VARIABLE]: value } : options.env;
    this.child = spawn(options.command, [...options.args], {
      env,
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    this.stdin = this.child.stdin!;
    this.stdout = this.child.stdout!;
    this.stderr = this.child.stderr!;
    this.child.once('spawn', () => reapOnExit(this.child.pid!, this.marker));
  }

  serverPid(): number | undefined {
    return this.child.pid;
  }

  terminate(): void {
    this.signalAll('SIGTERM');
  }

  kill(): void {
    this.signalAll('SIGKILL');
  }

  async reap(graceMs: number, logger: Logger): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const left = () => [...new Set([...liveGroupMembers(pid), ...this.marked()])];
    if (left().length > 0) {
      logger.debug(`processes of server ${pid} outlived it: SIGTERM`);
      this.signalAll('SIGTERM');
      if (!(await pollUntil(() => left().length === 0, graceMs))) {
        logger.warn(`processes of server ${pid} ignored SIGTERM: SIGKILL`);
        this.signalAll('SIGKILL');
        await pollUntil(() => left().length === 0, 2000);
      }
    }
    forgetOnExit(pid);
  }

  describeExit(code: number | null, signal: NodeJS.Signals | null): ProcessExit {
    return { code, signal };
  }

  private signalAll(signal: 'SIGTERM' | 'SIGKILL'): void {
    if (this.child.pid === undefined) return;
    signalProcessGroup(this.child.pid, signal);
    for (const pid of this.marked()) signalPid(pid, signal);
  }

  /** Processes that left the group but carry the marker: a detached helper, a browser. */
  private marked(): number[] {
    return this.marker ? processesWithEnvironment(this.marker) : [];
  }
}

/**
 * A server in its own PID namespace: bubblewrap → its init (pid 1 inside) → the server (pid 2 inside) → whatever
 * the server starts. bubblewrap's processes keep their own copies of fds 0-2, so a server that closed its stdout
 * could not be told from one that did not; its stdin and stdout therefore travel as fds 3 and 4, which
 * bubblewrap leaves alone, and a shell moves them to 0 and 1 just before it becomes the server.
 */
class NamespacedServer implements ServerProcess {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly scope = 'its PID namespace';
  /** bubblewrap's init, pid 1 of the namespace: when it dies, the kernel kills everything in the namespace. */
  private init: number | undefined;
  private namespace: string | undefined;

  constructor(options: ServerProcessOptions, bwrap: string) {
    const cwd = options.cwd ?? process.cwd();
    const executable = resolveExecutable(options.command, options.env['PATH'] ?? process.env['PATH'], cwd);
    const shim = 'exec "$0" "$@" <&3 >&4 3<&- 4<&-';
    this.child = spawn(bwrap, [...BWRAP_OPTIONS, '--info-fd', '5', '--', '/bin/sh', '-c', shim, executable, ...options.args], {
      env: options.env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    const stdio = this.child.stdio as unknown as readonly (Readable & Writable)[];
    this.stdin = stdio[3]!;
    this.stdout = stdio[4]!;
    this.stderr = this.child.stderr!;
    this.readInfo(stdio[5]!);
    this.child.once('spawn', () => reapOnExit(this.child.pid!));
  }

  serverPid(): number | undefined {
    const init = this.init ?? (this.child.pid !== undefined ? liveChildren(this.child.pid)[0] : undefined);
    if (init === undefined) return undefined;
    const children = liveChildren(init);
    return children.find((pid) => innermostPid(pid) === 2) ?? children[0];
  }

  terminate(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const members = this.namespace ? pidNamespaceMembers(this.namespace) : liveGroupMembers(pid);
    for (const member of members) if (member !== this.init && member !== pid) signalPid(member, 'SIGTERM');
  }

  kill(): void {
    if (this.init !== undefined) signalPid(this.init, 'SIGKILL');
    if (this.child.pid !== undefined) signalProcessGroup(this.child.pid, 'SIGKILL');
  }

  async reap(graceMs: number, logger: Logger): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    // The init ends only after the kernel has killed and reaped everything else in the namespace.
    const init = this.init;
    if (init !== undefined && !(await pollUntil(() => !processAlive(init), 5000))) logger.warn(`the PID namespace of server ${pid} did not end`);
    if (liveGroupMembers(pid).length > 0) {
      signalProcessGroup(pid, 'SIGKILL');
      await pollUntil(() => liveGroupMembers(pid).length === 0, graceMs);
    }
    forgetOnExit(pid);
  }

  /** bubblewrap's init passes on the server's exit code, or 128 + the signal that killed it. */
  describeExit(code: number | null, signal: NodeJS.Signals | null): ProcessExit {
    return exitThroughInit(code, signal);
  }

  /** bubblewrap writes `{"child-pid": N, …}` (its init, as this side sees it) to fd 5, then closes it. */
  private readInfo(info: Readable): void {
    let text = '';
    info.on('data', (chunk: Buffer) => (text += chunk.toString()));
    info.on('error', () => undefined);
    info.once('end', () => {
      try {
        const pid = (JSON.parse(text) as { 'child-pid'?: unknown })['child-pid'];
        if (typeof pid === 'number') {
          this.init = pid;
          this.namespace = pidNamespaceOf(pid);
        }
      } catch {
        // bubblewrap failed before it started the namespace; its exit says why
      }
    });
  }
}
