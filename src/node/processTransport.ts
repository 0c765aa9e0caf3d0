import type { Stream } from 'node:stream';
import { deserializeMessage, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import type { Logger } from '../core/ports';
import { machineContainment, reportPartialContainment, type Containment } from './containment';
import { LineFramer, MessageTooLargeError } from './lineFramer';
import { spawnServerProcess, wrapForSandbox, type ProcessExit, type ServerProcess } from './serverProcess';

export type { ProcessExit } from './serverProcess';

export interface ProcessTransportOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly maxMessageBytes: number;
  readonly logger: Logger;
  /** Wait after closing stdin before SIGTERM; SIGKILL follows after twice this. */
  readonly graceMs?: number;
  /** How the server's processes are held together (or the OS sandbox of this run); by default the best this machine offers. */
  readonly containment?: Containment;
  /** Sees each stderr line (after it is logged): the sandbox looks there for paths it hid. */
  readonly onStderrLine?: (line: string) => void;
}

/** Why a session ends when the server closes its stdout but does not exit. */
export const OUTPUT_CLOSED_REASON = 'the server closed its output (stdout) but kept running: stopped it';

const MAX_REPORTED_GARBAGE_LINES = 10;
const STDERR_TAIL_LINES = 20;

/**
 * The stdio transport: spawns the server in a PID namespace of its own where bubblewrap can make one (else as the
 * leader of its own process group) and speaks newline-delimited JSON-RPC over its stdin/stdout. Unlike the SDK's
 * transport it enforces a message size limit, reports lines that are not JSON-RPC instead of dropping them
 * silently, ends the session when the server closes its stdout, and stops every process of the server, so no
 * helper outlives it. It exposes `pid` and `stderr` so the SDK treats it as a stdio transport.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private server: ServerProcess | undefined;
  private readonly stdoutFramer: LineFramer;
  private readonly stderrFramer = new LineFramer(64 * 1024);
  private exitInfo: ProcessExit | undefined;
  private fatal: Error | undefined;
  private finished: Promise<void> | undefined;
  private readonly exitWaiters = new Set<() => void>();
  private readonly stderrLines: string[] = [];
  private garbageLines = 0;
  private readonly graceMs: number;
  private closing = false;
  private starting = false;
  private outputEnded = false;
  private outputClosed = false;

  constructor(private readonly options: ProcessTransportOptions) {
    this.stdoutFramer = new LineFramer(options.maxMessageBytes);
    this.graceMs = options.graceMs ?? 1000;
  }

  /** The spawned process: bubblewrap for a server in a PID namespace, else the server itself. */
  get pid(): number | null {
    return this.server?.child.pid ?? null;
  }

  /** The server's own process id, as the user would look for it (not bubblewrap's). */
  get serverPid(): number | undefined {
    return this.server?.serverPid();
  }

  get stderr(): Stream | null {
    return this.server?.stderr ?? null;
  }

  /** True when the server closed its stdout without exiting, and was stopped for it. */
  get closedOutput(): boolean {
    return this.outputClosed;
  }

  /** How the process ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** The error that made the transport close the connection itself, e.g. an oversized message. */
  get fatalError(): Error | undefined {
    return this.fatal;
  }

  /** The last lines the server wrote to stderr, to explain a crash. */
  get recentStderr(): readonly string[] {
    return this.stderrLines;
  }

  async start(): Promise<void> {
    if (this.starting) throw new Error('the server process was already started');
    this.starting = true;
    const containment = this.options.containment ?? (await machineContainment());
    reportPartialContainment(containment, this.options.logger);
    this.options.logger.debug(startMessage(containment));
    // Wrapped first: between the spawn and the listeners below there must be no await (spawn/error come next tick).
    const server =
      containment.kind === 'sandbox'
        ? spawnServerProcess(this.options, { kind: 'sandboxed', launch: await wrapForSandbox({ ...this.options, env: { ...this.options.env, ...containment.env } }, containment.session) })
        : spawnServerProcess(this.options, containment);
    this.server = server;
    // close() during the wrap found nothing to stop: stop what was just spawned.
    if (this.closing) server.kill();
    const { child } = server;
    return new Promise((resolve, reject) => {
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        resolve();
      });
      child.on('error', (error) => {
        if (!spawned) {
          reject(error);
          this.onExit(null, null);
        } else {
          this.onerror?.(error);
        }
      });
      child.once('exit', (code, signal) => this.onExit(code, signal));
      server.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
      server.stdout.once('end', () => void this.onOutputEnd());
      server.stdout.once('close', () => void this.onOutputEnd());
      server.stdout.on('error', (error) => this.options.logger.debug(`stdout: ${error.message}`));
      server.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk));
      server.stdin.on('error', (error) => {
        // EPIPE after the server died: its exit is reported through onclose.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') this.onerror?.(error);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.server?.stdin;
      if (!stdin || !stdin.writable || this.exitInfo) {
        reject(new Error('the server process is not running'));
        return;
      }
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Closes stdin, then sends SIGTERM and SIGKILL to every process of the server if it does not exit; resolves when all are gone. */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    if (!server?.child.pid) return;
    if (!this.exitInfo) {
      try {
        server.stdin.end();
      } catch {
        // already closed
      }
      if (!(await this.waitForExit(this.graceMs))) {
        const pid = server.serverPid() ?? server.child.pid;
        this.options.logger.debug(`process ${pid} still running ${this.graceMs} ms after stdin closed: SIGTERM to ${server.scope}`);
        server.terminate();
        if (!(await this.waitForExit(2 * this.graceMs))) {
          this.options.logger.warn(`process ${pid} ignored SIGTERM: SIGKILL to ${server.scope}`);
          server.kill();
          await this.waitForExit(5000);
        }
      }
    }
    await this.finished;
  }

  /**
   * stdout ended. A server that exits closes it too; one that closed it and keeps running can never answer
   * again, and every call would wait for its timeout: stop it, and end the session saying why.
   */
  private async onOutputEnd(): Promise<void> {
    if (this.outputEnded) return;
    this.outputEnded = true;
    if (this.closing || this.exitInfo || (await this.waitForExit(this.graceMs)) || this.closing) return;
    this.outputClosed = true;
    this.options.logger.warn('the server closed its output (stdout) but kept running: stopping it');
    await this.close();
  }

  private onStdout(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.stdoutFramer.push(chunk);
    } catch (error) {
      if (error instanceof MessageTooLargeError && !this.fatal) {
        this.fatal = error;
        this.options.logger.error(error.message);
        this.onerror?.(error);
        void this.close();
      }
      return;
    }
    for (const line of lines) {
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch (error) {
        this.reportGarbage(line, error);
        continue;
      }
      this.onmessage?.(message);
    }
  }

  private reportGarbage(line: string, error: unknown): void {
    this.garbageLines++;
    if (this.garbageLines <= MAX_REPORTED_GARBAGE_LINES) {
      const what = error instanceof SyntaxError ? 'is not JSON' : 'is not a JSON-RPC message';
      const preview = line.length > 200 ? `${line.slice(0, 200)}… (${line.length} chars)` : line;
      this.options.logger.warn(`ignored a line on stdout that ${what}: ${preview}`);
      if (this.garbageLines === MAX_REPORTED_GARBAGE_LINES) {
        this.options.logger.warn('further lines on stdout that are not JSON-RPC are only counted');
      }
    }
  }

  private onStderr(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.stderrFramer.push(chunk);
    } catch {
      lines = ['(a stderr line over 64 KiB was dropped)'];
    }
    for (const line of lines) {
      this.options.logger.info(`[stderr] ${line}`);
      this.options.onStderrLine?.(line);
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitInfo) return;
    this.exitInfo = this.server ? this.server.describeExit(code, signal) : { code, signal };
    for (const wake of this.exitWaiters) wake();
    this.exitWaiters.clear();
    this.finished = this.finish();
  }

  /** After the server exits: end whatever of it is left, release the pipes, report the close once. */
  private async finish(): Promise<void> {
    const server = this.server;
    if (server) {
      await server.reap(this.graceMs, this.options.logger);
      for (const stream of [server.stdin, server.stdout, server.stderr]) stream.destroy();
    }
    if (this.garbageLines > MAX_REPORTED_GARBAGE_LINES) {
      this.options.logger.warn(`${this.garbageLines} lines on stdout in all were not JSON-RPC`);
    }
    this.onclose?.();
  }

  private waitForExit(ms: number): Promise<boolean> {
    if (this.exitInfo) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.exitWaiters.delete(wake);
        resolve(false);
      }, ms);
      this.exitWaiters.add(wake);
    });
  }
}

function startMessage(containment: Containment): string {
  switch (containment.kind) {
    case 'sandbox':
      return 'starting the server in its OS sandbox (bubblewrap)';
    case 'pid-namespace':
      return 'starting the server in a PID namespace of its own (bubblewrap)';
    case 'process-group':
      return `starting the server in a process group of its own (${containment.reason})`;
  }
}
