// Test doubles for pure-logic unit tests of the core. Tests with real servers live in test/integration.
import type { Disposable } from '../../src/core/disposable';
import { Emitter } from '../../src/core/events';
import {
  EMPTY_CATALOG,
  type LaunchRequest,
  type ServerCatalog,
  type Session,
  type SessionEnd,
  type SessionInfo,
  type SessionLauncher,
  type ToolCallResult,
} from '../../src/core/lifecycle/session';
import { LaunchError } from '../../src/core/lifecycle/launchError';
import type { Clock, Logger } from '../../src/core/ports';

/** A clock whose time moves only when the test says so. */
export class ManualClock implements Clock {
  private time = 1_000_000;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return { dispose: () => (timer.cancelled = true) };
  }

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.cancelled = true;
      due.callback();
    }
    this.time = until;
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

export class FakeSession implements Session {
  readonly catalogEmitter = new Emitter<ServerCatalog>();
  readonly endEmitter = new Emitter<SessionEnd>();
  readonly onDidChangeCatalog = this.catalogEmitter.event;
  readonly onDidEnd = this.endEmitter.event;
  closed = false;
  catalog: ServerCatalog = { ...EMPTY_CATALOG, tools: [{ name: 'echo', inputSchema: { type: 'object' } }] };
  readonly info: SessionInfo;

  constructor(readonly launch: LaunchRequest) {
    this.info = {
      protocolVersion: '2025-11-25',
      era: 'legacy',
      transport: 'stdio',
      serverInfo: { name: launch.serverName, version: '1' },
      capabilities: { tools: {} },
    };
  }

  callTool(name: string, args: Readonly<Record<string, unknown>>): Promise<ToolCallResult> {
    return Promise.resolve({ content: [{ type: 'text', text: `${name} ${JSON.stringify(args)}` }] });
  }

  request(method: string, params: Readonly<Record<string, unknown>>): Promise<unknown> {
    return method === 'tools/call' ? this.callTool(String(params['name']), (params['arguments'] ?? {}) as Record<string, unknown>) : Promise.resolve({});
  }

  rootsChanged = 0;
  notifyRootsChanged(): void {
    this.rootsChanged++;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** The server goes away on its own. */
  crash(reason = 'the server process exited with code 1', fatal = false): void {
    this.endEmitter.fire({ reason, fatal });
  }
}

type LaunchBehaviour = 'succeed' | 'hang' | { fail: string; retryable: boolean };

/** A launcher that does what the test scripted, and remembers every launch. */
export class FakeLauncher implements SessionLauncher {
  readonly sessions: FakeSession[] = [];
  readonly requests: LaunchRequest[] = [];
  next: LaunchBehaviour[] = [];
  fallback: LaunchBehaviour = 'succeed';

  launch(request: LaunchRequest): Promise<Session> {
    this.requests.push(request);
    const behaviour = this.next.shift() ?? this.fallback;
    if (behaviour === 'hang') {
      return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    if (behaviour !== 'succeed') return Promise.reject(new LaunchError(behaviour.fail, behaviour.retryable));
    const session = new FakeSession(request);
    this.sessions.push(session);
    return Promise.resolve(session);
  }

  get last(): FakeSession {
    const session = this.sessions.at(-1);
    if (!session) throw new Error('nothing was launched');
    return session;
  }
}

/** A logger that keeps its lines, to assert on what a user would read. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  traceEnabled = false;
  trace(m: string) {
    this.lines.push(`trace ${m}`);
  }
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
