// Real servers for integration tests: the launcher, registry and supervisor of src/ driving real MCP servers
// (server-everything, server-filesystem and the v2 fixture), with real processes and sockets. No editor.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AuditInput, AuditSink } from '../../src/core/audit/auditEvent';
import type { ServerAuthDeps } from '../../src/core/auth/authPorts';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { ClientRequestHandler, OfferedFeatures, Session } from '../../src/core/lifecycle/session';
import { resolveLaunchSpec } from '../../src/core/config/launchSpec';
import { parseServers } from '../../src/core/config/parseServers';
import type { RestartPolicyOptions } from '../../src/core/lifecycle/restartPolicy';
import { ServerRegistry, type ServerSnapshot } from '../../src/core/lifecycle/serverRegistry';
import { systemClock, type Logger } from '../../src/core/ports';
import { LogLineRedactor, redactingLogger } from '../../src/core/logRedaction';
import type { Redactor } from '../../src/core/redaction';
import { loadEnvFile } from '../../src/node/envFile';
import { McpLauncher, type McpLauncherOptions } from '../../src/node/mcpLauncher';
import { processAlive } from '../../src/node/processes';
import type { SupervisorDeps } from '../../src/core/lifecycle/serverSupervisor';
import type { RequestAuthorizer } from '../../src/core/permissions/permissionBroker';
import { nodeHasher } from '../../src/node/permissions/hasher';
import { approveEverything, approveEveryLaunch } from '../support/approveEverything';
import { RecordingLogger } from '../unit/fakes';

export const ROOT = join(__dirname, '../../..');
export const NODE = process.execPath;
export const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FILESYSTEM = join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
export const FIXTURE = join(ROOT, 'test/fixtures/fixture-server.mjs');

const cleanups: (() => Promise<void>)[] = [];

/** Stops every harness and HTTP server a test started; called after each test by setup.test.ts. */
export async function cleanUpServers(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup().catch(() => undefined)));
}

export const FAST_RESTARTS: RestartPolicyOptions = { maxCrashes: 5, windowMs: 180_000, initialDelayMs: 50, maxDelayMs: 400 };

export interface Harness {
  readonly registry: ServerRegistry;
  readonly logs: Map<string, RecordingLogger>;
  log(server: string): string[];
  server(name: string): ServerSnapshot;
  waitFor(name: string, condition: (s: ServerSnapshot) => boolean, what: string, timeoutMs?: number): Promise<ServerSnapshot>;
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  readonly autostart?: boolean;
  readonly startupTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  readonly requestTimeoutMs?: number;
  readonly maxRequestMs?: number;
  readonly restartPolicy?: RestartPolicyOptions;
  readonly inputs?: Record<string, string>;
  readonly workspaceFolder?: string;
  readonly audit?: AuditSink;
  /** How stdio servers are contained (the OS sandbox); by default the machine's PID namespace or process group. */
  readonly containmentFor?: McpLauncherOptions['containmentFor'];
  readonly onServerFailure?: McpLauncherOptions['onServerFailure'];
  /** The permission gate; by default one that approves everything (for tests about something else). */
  readonly permissions?: {
    readonly authorizer: RequestAuthorizer;
    readonly authorizeLaunch: SupervisorDeps['authorizeLaunch'];
    readonly clientRequests?: SupervisorDeps['clientRequests'];
    readonly onSessionEnd?: SupervisorDeps['onSessionEnd'];
  };
  /** `mcpWarden.minProtocolVersion`. */
  readonly minProtocolVersion?: string;
  /** OAuth for http servers (SupervisorDeps.auth): a store and a user, as the editor gives them. */
  readonly auth?: ServerAuthDeps;
  /** waitFor fails at once when the server lands in an error state (it stays there until the next start). */
  readonly failWaitOnError?: boolean;
  /** More to say when a waitFor fails (appended to the server's log lines). */
  readonly explainWait?: (name: string) => string;
  /** What the registry offers servers besides roots (the editor offers everything). */
  readonly offered?: OfferedFeatures;
  /** The gateway as delegating servers reach it (the editor's GatewayController). */
  readonly delegation?: SupervisorDeps['delegation'];
  /** Learns each launch's secrets and hides them in every server's log lines, as the editor's output channels do. */
  readonly redactor?: Redactor;
}

/** A registry with the real launcher, configured like `mcpWarden.servers`, applied and (by default) autostarted. */
export async function startServers(servers: Record<string, unknown>, options: HarnessOptions = {}): Promise<Harness> {
  const logs = new Map<string, RecordingLogger>();
  const loggers = new Map<string, Logger>();
  const loggerFor = (name: string): Logger => {
    let logger = loggers.get(name);
    if (!logger) {
      const recorded = new RecordingLogger();
      logs.set(name, recorded);
      logger = options.redactor ? redactingLogger(recorded, new LogLineRedactor((t) => options.redactor!.text(t))) : recorded;
      loggers.set(name, logger);
    }
    return logger;
  };
  const registry = new ServerRegistry({
    supervisor: {
      launcher: new McpLauncher({
        clientInfo: { name: 'mcp-warden-tests', version: '0.0.0' },
        ...(options.audit && { audit: options.audit }),
        ...(options.containmentFor && { containmentFor: options.containmentFor }),
        ...(options.onServerFailure && { onServerFailure: options.onServerFailure }),
      }),
      resolveSpec: (definition, keyPath) =>
        resolveLaunchSpec(definition, keyPath, {
          variables: { workspaceFolders: [{ name: 'ws', path: options.workspaceFolder ?? ROOT }], userHome: '/home/test', env: process.env, pathSeparator: '/' },
          askInput: async (id) => options.inputs?.[id],
          loadEnvFile,
        }),
      limits: () => ({
        startupTimeoutMs: options.startupTimeoutMs ?? 20_000,
        maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024,
        serverLogLevel: 'debug',
        ...(options.minProtocolVersion && { minProtocolVersion: options.minProtocolVersion }),
      }),
      clock: systemClock,
      ...(options.offered && { offered: options.offered }),
      ...(options.restartPolicy && { restartPolicy: options.restartPolicy }),
      ...(options.audit && { audit: options.audit }),
      authorizeLaunch: options.permissions?.authorizeLaunch ?? approveEveryLaunch,
      ...(options.permissions?.clientRequests && { clientRequests: options.permissions.clientRequests }),
      ...(options.permissions?.onSessionEnd && { onSessionEnd: options.permissions.onSessionEnd }),
      ...(options.delegation && { delegation: options.delegation }),
      ...(options.redactor && { addSecrets: (values: readonly string[]) => options.redactor!.addSecrets(values), redact: (t: string) => options.redactor!.text(t) }),
      ...(options.auth && { auth: options.auth }),
    },
    loggerFor,
    logger: loggerFor('(registry)'),
    requestTimeoutMs: () => options.requestTimeoutMs ?? 20_000,
    ...(options.maxRequestMs !== undefined && { maxRequestMs: () => options.maxRequestMs! }),
    authorizer: options.permissions?.authorizer ?? approveEverything,
    hasher: nodeHasher,
  });
  const snapshot = { servers: parseServers(servers, 'mcpWarden.servers', { kind: 'settings' }, { strict: true }), discovered: [], problems: [] };
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await registry.stopAll();
    registry.dispose();
  };
  cleanups.push(dispose);
  await registry.applyConfiguration(snapshot, { autostart: options.autostart ?? true });
  const server = (name: string) => {
    const found = registry.server(name);
    if (!found) throw new Error(`no server ${name}`);
    return found;
  };
  return {
    registry,
    logs,
    log: (name) => logs.get(name)?.lines ?? [],
    server,
    waitFor: (name, condition, what, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const explain = () => `\n${(logs.get(name)?.lines ?? []).join('\n')}${options.explainWait?.(name) ?? ''}`;
        const check = () => {
          const s = registry.server(name);
          if (s && condition(s)) {
            cleanup();
            resolve(s);
          } else if (options.failWaitOnError && s?.state.kind === 'error') {
            cleanup();
            reject(new Error(`'${name}' failed instead of being ${what}: ${s.state.message}${explain()}`));
          }
        };
        const subscription = registry.onDidChange(check);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`'${name}' is not ${what} after ${timeoutMs} ms: ${JSON.stringify(registry.server(name)?.state)}${explain()}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          subscription.dispose();
        };
        check();
      }),
    dispose,
  };
}

export const running = (s: ServerSnapshot) => s.state.kind === 'running';

export function sessionOf(s: ServerSnapshot) {
  if (s.state.kind !== 'running') throw new Error(`${s.name} is ${s.state.kind}: ${JSON.stringify(s.state)}`);
  return s.state.session;
}

export function pidOf(s: ServerSnapshot): number {
  const pid = sessionOf(s).pid;
  if (!pid) throw new Error(`${s.name} has no pid`);
  return pid;
}

export { processAlive };

/** Polls a condition a test waits for (a state, not a time), failing with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until a process is gone (or a zombie), for at most `ms`. */
export async function waitForExit(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !processAlive(pid);
}

/** An HTTP MCP server in a child process, started on a free port; its start-up (only) is retried. */
export interface HttpServer {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export async function startHttpFixture(args: string[], path = '/mcp'): Promise<HttpServer> {
  return startWithRetry(async () => {
    const child = spawn(NODE, [FIXTURE, '--transport', 'http', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening on (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
      setTimeout(() => reject(new Error('fixture did not listen')), 15_000);
    });
    cleanups.push(() => stopChild(child));
    return { url: `http://127.0.0.1:${port}${path}`, process: child, stop: () => stopChild(child) };
  });
}

/** server-everything over `streamableHttp` or `sse`, on a free port. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse'): Promise<HttpServer> {
  const { createServer } = await import('node:net');
  return startWithRetry(async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const child = spawn(NODE, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`;
    for (let i = 0; i < 150; i++) {
      if (child.exitCode !== null) throw new Error(`server-everything exited with ${child.exitCode}`);
      try {
        await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
        cleanups.push(() => stopChild(child));
        return { url, process: child, stop: () => stopChild(child) };
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await stopChild(child);
    throw new Error('server-everything did not listen');
  });
}

async function startWithRetry<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * One session straight from the real launcher (server `srv`, run `s1` unless named), for tests of what a server asks
 * of the client: the registry does not take `offered` (the editor offers everything).
 */
export function launchSession(
  spec: LaunchSpec,
  options: {
    readonly audited?: AuditInput[];
    readonly clientRequests: ClientRequestHandler;
    readonly offered: OfferedFeatures;
    readonly server?: string;
    readonly session?: string;
    readonly onElicitationComplete?: (elicitationId: string) => void;
  },
): Promise<Session> {
  const { audited } = options;
  const launcher = new McpLauncher({
    clientInfo: { name: 'mcp-warden-tests', version: '0.0.0' },
    ...(audited && { audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) } }),
  });
  const server = options.server ?? 'srv';
  return launcher.launch({
    serverName: server,
    sessionId: options.session ?? 's1',
    keyPath: `mcpWarden.servers.${server}`,
    spec,
    limits: { startupTimeoutMs: 20_000, maxMessageBytes: 16 * 1024 * 1024, serverLogLevel: 'info' },
    logger: new RecordingLogger(),
    signal: new AbortController().signal,
    clientRequests: options.clientRequests,
    offered: options.offered,
    ...(options.onElicitationComplete && { onElicitationComplete: options.onElicitationComplete }),
  });
}
