import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/ports';
import type { SandboxProfile } from '../../core/sandbox/sandboxProfile';
import { resolveExecutable } from '../containment';
import { liveChildren, processAlive, signalPid } from '../processes';
import { forgetPidOnExit, reapPidOnExit } from '../processReaper';
import type { ToMainMessage, ToWorkerMessage, WorkerStart } from './sandboxProtocol';

export interface SandboxSessionOptions {
  readonly profile: SandboxProfile;
  /** The run's private folder (created by the session, removed on stop): holds temp/ and sockets/. Keep it short: socket paths have 108 bytes. */
  readonly folder: string;
  /** A connection to a host the profile does not allow: resolve true to let it through (that connection only). */
  readonly onAsk: (host: string, port: number) => Promise<boolean>;
  /** A block the runtime reported (writes and network; reads and exec are silent). */
  readonly onViolation: (line: string) => void;
  readonly logger: Logger;
  /** Tests only (no setting or env var reaches it): names the worker's resolver maps, e.g. { 'fixture.test': '127.0.0.1' }. */
  readonly testHosts?: Readonly<Record<string, string>>;
  /** Where the runtime looks for bwrap, socat and rg (its PATH); by default this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/** What to spawn, from the main thread, to run a server in the sandbox. */
export interface SandboxedLaunch {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The server's TMPDIR (writable in its profile). */
  readonly tempFolder: string;
}

/**
 * The sandbox of one server run: a worker thread holding its own copy of the sandbox runtime (proxy, bridge
 * sockets, ask callback, violation store). The worker never takes the extension host down: when it fails, the
 * session says so in the log and `failure` is set; every later call rejects.
 */
export class SandboxSession {
  private nextId = 0;
  private readonly replies = new Map<number, { resolve: (argv: string[] | undefined) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private stopped: Promise<void> | undefined;
  private currentProfile: SandboxProfile;
  /** The runtime's socat bridges on this side (children of this process, listening in the run's sockets folder). */
  private bridges: readonly number[] = [];

  private constructor(
    private readonly worker: Worker,
    private readonly options: SandboxSessionOptions,
  ) {
    this.currentProfile = options.profile;
  }

  /** Starts the worker and its runtime (≈250 ms); rejects with the runtime's reason if it cannot. */
  static async start(options: SandboxSessionOptions): Promise<SandboxSession> {
    const tempFolder = join(options.folder, 'temp');
    const socketFolder = join(options.folder, 'sockets');
    mkdirSync(tempFolder, { recursive: true, mode: 0o700 });
    mkdirSync(socketFolder, { recursive: true, mode: 0o700 });
    const applyPath = shippedSeccompHelper();
    const start: WorkerStart = {
      profile: options.profile,
      socketFolder,
      tempFolder,
      ...(applyPath && { applyPath }),
      ...(options.testHosts && { testHosts: options.testHosts }),
    };
    let worker: Worker;
    try {
      worker = new Worker(workerFile(), { workerData: start, ...(options.env && { env: { ...options.env } }) });
    } catch (error) {
      rmSync(options.folder, { recursive: true, force: true });
      throw error;
    }
    const session = new SandboxSession(worker, options);
    try {
      await session.ready();
    } catch (error) {
      await worker.terminate().catch(() => undefined);
      rmSync(options.folder, { recursive: true, force: true });
      throw error;
    }
    // The runtime's socat bridges on this side have no death signal: the reaper ends them if the host dies.
    session.bridges = bridgeProcesses(socketFolder);
    for (const pid of session.bridges) reapPidOnExit(pid);
    return session;
  }

  /** The profile the sandbox enforces now. */
  get profile(): SandboxProfile {
    return this.currentProfile;
  }

  /** Why the session failed, if it did (the worker crashed or exited). */
  get failed(): Error | undefined {
    return this.failure;
  }

  /**
   * The argv that runs `command args` in the sandbox, with the server's stdin and stdout taken from fds 3 and 4
   * (bubblewrap's own processes keep their copies of fds 0-2). Spawn it with stdio ignore/ignore/pipe/pipe/pipe.
   */
  async wrap(command: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<SandboxedLaunch> {
    const executable = resolveExecutable(command, env['PATH'] ?? process.env['PATH'], cwd);
    const shell = `exec ${[executable, ...args].map(shellQuote).join(' ')} <&3 >&4 3<&- 4<&-`;
    const argv = await this.request({ type: 'wrap', id: 0, command: shell, commandId: randomBytes(16).toString('base64url') });
    if (!argv) throw new Error('the sandbox returned no command');
    const tempFolder = join(this.options.folder, 'temp');
    // Node's fetch uses HTTP(S)_PROXY only with NODE_USE_ENV_PROXY=1 (Node ≥ 22.21/24); other clients read them anyway.
    return { argv, env: { ...env, NODE_USE_ENV_PROXY: '1', TMPDIR: tempFolder }, tempFolder };
  }

  /** Applies a new profile: network lists at once (new connections), the filesystem at the next wrap. */
  async update(profile: SandboxProfile): Promise<void> {
    await this.request({ type: 'update', id: 0, profile });
    this.currentProfile = profile;
  }

  /** Ends the runtime (proxy, bridge), the worker and the run's folder. Safe to call twice. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (!this.failure) {
        await Promise.race([this.request({ type: 'stop', id: 0 }).catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
      }
      this.failure ??= new Error('the sandbox session was stopped');
      await this.worker.terminate().catch(() => undefined);
      for (const pid of this.bridges) {
        if (processAlive(pid)) signalPid(pid, 'SIGKILL');
        forgetPidOnExit(pid);
      }
      rmSync(this.options.folder, { recursive: true, force: true });
    })();
    return this.stopped;
  }

  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        if (!this.failure) {
          this.failure = error;
          this.options.logger.error(`the sandbox failed: ${error.message}`);
        }
        for (const waiter of this.replies.values()) waiter.reject(error);
        this.replies.clear();
        reject(error);
      };
      this.worker.on('message', (message: ToMainMessage) => {
        switch (message.type) {
          case 'ready':
            resolve();
            break;
          case 'failed':
            fail(new Error(message.message));
            break;
          case 'reply': {
            const waiter = this.replies.get(message.id);
            this.replies.delete(message.id);
            if (message.error !== undefined) waiter?.reject(new Error(message.error));
            else waiter?.resolve(message.argv);
            break;
          }
          case 'ask':
            void this.answer(message.id, message.host, message.port);
            break;
          case 'violation':
            this.report(message.line);
            break;
        }
      });
      this.worker.on('error', (error) => fail(error));
      this.worker.on('exit', (code) => fail(new Error(`the sandbox worker exited (code ${code})`)));
    });
  }

  private async answer(id: number, host: string, port: number): Promise<void> {
    let allow = false;
    try {
      allow = await this.options.onAsk(host, port);
    } catch (error) {
      this.options.logger.warn(`asking about ${host}:${port} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!this.failure) this.worker.postMessage({ type: 'answer', id, allow } satisfies ToWorkerMessage);
  }

  private report(line: string): void {
    try {
      this.options.onViolation(line);
    } catch (error) {
      this.options.logger.warn(`reporting a sandbox violation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private request(message: ToWorkerMessage): Promise<string[] | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}

/** This process's children whose command line names the run's sockets folder: the runtime's socat bridges. */
function bridgeProcesses(socketFolder: string): number[] {
  if (process.platform !== 'linux') return [];
  return liveChildren(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(socketFolder);
    } catch {
      return false;
    }
  });
}

/**
 * The worker script next to this module: dist/sandboxWorker.mjs in the extension's bundle, sandboxWorker.js in
 * tsc's output (tests).
 */
export function workerFile(): string {
  const candidates = [join(__dirname, 'sandboxWorker.mjs'), join(__dirname, 'sandboxWorker.js')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`the sandbox worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/**
 * The seccomp helper: the one the bundle ships (dist/vendor/seccomp/<arch>/apply-seccomp), else the installed
 * package's (tests). Passed explicitly so its folder can be made readable inside the sandbox.
 */
function shippedSeccompHelper(): string | undefined {
  const candidates = [join(__dirname, 'vendor', 'seccomp', process.arch, 'apply-seccomp')];
  try {
    const pkg = require.resolve('@anthropic-ai/sandbox-runtime/package.json');
    candidates.push(join(dirname(pkg), 'vendor', 'seccomp', process.arch, 'apply-seccomp'));
  } catch {
    // not installed: the bundle's copy or none
  }
  return candidates.find((file) => existsSync(file));
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
