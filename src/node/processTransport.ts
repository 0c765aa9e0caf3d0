import type { ChildProcess } from 'node:child_process';
import type { Stream } from 'node:stream';
import spawn from 'cross-spawn';
import { deserializeMessage, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import type { Logger } from '../core/ports';
import { LineFramer, MessageTooLargeError } from './lineFramer';
import { liveGroupMembers } from './processes';
import { forgetOnExit, reapOnExit } from './processReaper';
import { signalProcessGroup } from './processGroup';

export interface ProcessTransportOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly maxMessageBytes: number;
  readonly logger: Logger;
  /** Wait after closing stdin before SIGTERM; SIGKILL follows after twice this. */
  readonly graceMs?: number;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const MAX_REPORTED_GARBAGE_LINES = 10;
const STDERR_TAIL_LINES = 20;

/**
 * The stdio transport: spawns the server as the leader of its own process group and speaks newline-delimited
 * JSON-RPC over its stdin/stdout. Unlike the SDK's transport it enforces a message size limit, reports lines
 * that are not JSON-RPC instead of dropping them silently, and stops the whole process group, so no helper
 * process outlives its server. It exposes `pid` and `stderr` so the SDK treats it as a stdio transport.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly stdoutFramer: LineFramer;
  private readonly stderrFramer = new LineFramer(64 * 1024);
  private exitInfo: ProcessExit | undefined;
  private fatal: Error | undefined;
  private finished: Promise<void> | undefined;
  private readonly exitWaiters = new Set<() => void>();
  private readonly stderrLines: string[] = [];
  private garbageLines = 0;
  private readonly graceMs: number;

  constructor(private readonly options: ProcessTransportOptions) {
    this.stdoutFramer = new LineFramer(options.maxMessageBytes);
    this.graceMs = options.graceMs ?? 1000;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get stderr(): Stream | null {
    return this.child?.stderr ?? null;
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

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('the server process was already started'));
    const { command, args, env, cwd } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        env,
        ...(cwd !== undefined && { cwd }),
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
        shell: false,
      });
      this.child = child;
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        if (child.pid !== undefined) reapOnExit(child.pid);
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
      child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk));
      child.stdin?.on('error', (error) => {
        // EPIPE after the server died: its exit is reported through onclose.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') this.onerror?.(error);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || !stdin.writable || this.exitInfo) {
        reject(new Error('the server process is not running'));
        return;
      }
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Closes stdin, then sends SIGTERM and SIGKILL to the process group if it does not exit; resolves when it is gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    if (!this.exitInfo) {
      try {
        child.stdin?.end();
      } catch {
        // already closed
      }
      if (!(await this.waitForExit(this.graceMs))) {
        this.options.logger.debug(`process ${child.pid} still running ${this.graceMs} ms after stdin closed: SIGTERM to its group`);
        signalProcessGroup(child.pid, 'SIGTERM');
        if (!(await this.waitForExit(2 * this.graceMs))) {
          this.options.logger.warn(`process ${child.pid} ignored SIGTERM: SIGKILL to its group`);
          signalProcessGroup(child.pid, 'SIGKILL');
          await this.waitForExit(5000);
        }
      }
    }
    await this.finished;
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
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitInfo) return;
    this.exitInfo = { code, signal };
    for (const wake of this.exitWaiters) wake();
    this.exitWaiters.clear();
    this.finished = this.finish();
  }

  /** After the leader exits: end what is left of its group, release the pipes, report the close once. */
  private async finish(): Promise<void> {
    const pid = this.child?.pid;
    if (pid !== undefined) {
      await this.reapGroup(pid);
      forgetOnExit(pid);
    }
    for (const stream of [this.child?.stdin, this.child?.stdout, this.child?.stderr]) stream?.destroy();
    if (this.garbageLines > MAX_REPORTED_GARBAGE_LINES) {
      this.options.logger.warn(`${this.garbageLines} lines on stdout in all were not JSON-RPC`);
    }
    this.onclose?.();
  }

  private async reapGroup(pid: number): Promise<void> {
    if (liveGroupMembers(pid).length === 0) return;
    this.options.logger.debug(`processes of group ${pid} outlived the server: SIGTERM`);
    signalProcessGroup(pid, 'SIGTERM');
    if (await pollUntil(() => liveGroupMembers(pid).length === 0, this.graceMs)) return;
    this.options.logger.warn(`processes of group ${pid} ignored SIGTERM: SIGKILL`);
    signalProcessGroup(pid, 'SIGKILL');
    await pollUntil(() => liveGroupMembers(pid).length === 0, 2000);
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

async function pollUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return condition();
}
