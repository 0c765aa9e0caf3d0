// One sandbox session per server run, in a worker thread of its own. `@anthropic-ai/sandbox-runtime` keeps one
// configuration, one proxy and one ask callback per module instance, and a worker has its own module graph: so
// each server gets its own proxy, bridge sockets, ask target and violation store. The worker only wraps; the main
// thread spawns (bubblewrap's --die-with-parent follows the spawning thread, and a worker may be terminated).
import dns from 'node:dns';
import { mkdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SANDBOXED_GATEWAY_HOST } from '../../core/gateway/delegation';
import type { SandboxProfile } from '../../core/sandbox/sandboxProfile';
import type { ToMainMessage, ToWorkerMessage, WorkerProbe, WorkerStart } from './sandboxProtocol';

type Runtime = typeof import('@anthropic-ai/sandbox-runtime');
type RuntimeConfig = import('@anthropic-ai/sandbox-runtime').SandboxRuntimeConfig;

const start = workerData as WorkerStart & Partial<WorkerProbe>;
const port = parentPort!;
const post = (message: ToMainMessage) => port.postMessage(message);

/** The runtime's configuration for a profile; the session's own sockets and the seccomp helper stay readable. */
function runtimeConfig(profile: SandboxProfile): RuntimeConfig {
  const own = [start.socketFolder, ...(start.applyPath ? [dirname(start.applyPath)] : [])];
  const config = {
    filesystem: {
      denyRead: [...profile.filesystem.denyRead],
      allowRead: [...new Set([...profile.filesystem.allowRead, ...own])],
      allowWrite: [...profile.filesystem.allowWrite],
      denyWrite: [...profile.filesystem.denyWrite],
    },
    network: {
      allowedDomains: [...profile.network.allowedDomains],
      deniedDomains: [...profile.network.deniedDomains],
      allowAllUnixSockets: profile.network.allowAllUnixSockets,
    },
    // The mandatory-deny scan runs ripgrep from this process's cwd (a worker cannot chdir): keep it shallow.
    // Warden adds its own denyWrite for dangerous names in every write root.
    mandatoryDenySearchDepth: 1,
    ...(start.applyPath && { seccomp: { applyPath: start.applyPath } }),
  };
  return runtime.SandboxRuntimeConfigSchema.parse(config) as RuntimeConfig;
}

/**
 * Names the proxy resolves to fixed addresses (the proxy dials from this thread): the gateway's name, and in tests
 * their own. A mapped name grants nothing: the profile must still allow it and the address it maps to.
 */
function mapHosts(hosts: Readonly<Record<string, string>>): void {
  const real = dns.lookup;
  const patched = (hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean };
    const address = hosts[hostname];
    if (address === undefined) return (real as (...args: unknown[]) => void)(hostname, options, callback);
    const family = address.includes(':') ? 6 : 4;
    return opts.all ? process.nextTick(cb, null, [{ address, family }]) : process.nextTick(cb, null, address, family);
  };
  (dns as { lookup: unknown }).lookup = patched;
  syncBuiltinESMExports();
}

let runtime: Runtime;
let nextAsk = 0;
const pendingAsks = new Map<number, (allow: boolean) => void>();

function ask({ host, port: targetPort }: { host: string; port?: number | undefined }): Promise<boolean> {
  return new Promise((resolve) => {
    const id = ++nextAsk;
    pendingAsks.set(id, resolve);
    post({ type: 'ask', id, host, port: targetPort ?? 0 });
  });
}

async function main(): Promise<void> {
  // The host side of the session (proxy bridge, violation monitor) binds its sockets in os.tmpdir(), which reads
  // this thread's own copy of process.env; the sandboxed server's TMPDIR comes from CLAUDE_CODE_TMPDIR.
  mkdirSync(start.socketFolder, { recursive: true });
  mkdirSync(start.tempFolder, { recursive: true });
  process.env['TMPDIR'] = start.socketFolder;
  process.env['CLAUDE_CODE_TMPDIR'] = start.tempFolder;
  mapHosts({ ...start.testHosts, [SANDBOXED_GATEWAY_HOST]: '127.0.0.1' });
  // A real dynamic import: tsc keeps import() in CommonJS output under nodenext, esbuild bundles it.
  runtime = await import('@anthropic-ai/sandbox-runtime');
  const manager = runtime.SandboxManager;
  await manager.initialize(runtimeConfig(start.profile), ask, true);
  const store = manager.getSandboxViolationStore();
  let seen = store.getTotalCount();
  store.subscribe((all) => {
    const total = store.getTotalCount();
    const fresh = all.slice(Math.max(0, all.length - (total - seen)));
    seen = total;
    for (const violation of fresh) post({ type: 'violation', line: violation.line });
  });
  port.on('message', (message: ToWorkerMessage) => void handle(message));
  post({ type: 'ready' });
}

async function handle(message: ToWorkerMessage): Promise<void> {
  const manager = runtime.SandboxManager;
  if (message.type === 'answer') {
    pendingAsks.get(message.id)?.(message.allow);
    pendingAsks.delete(message.id);
    return;
  }
  try {
    if (message.type === 'wrap') {
      const { argv } = await manager.wrapWithSandboxArgv(message.command, undefined, undefined, undefined, undefined, { commandId: message.commandId });
      post({ type: 'reply', id: message.id, argv });
    } else if (message.type === 'update') {
      manager.updateConfig(runtimeConfig(message.profile));
      post({ type: 'reply', id: message.id });
    } else if (message.type === 'stop') {
      for (const resolve of pendingAsks.values()) resolve(false);
      pendingAsks.clear();
      await manager.reset();
      manager.cleanupAfterCommand();
      post({ type: 'reply', id: message.id });
    }
  } catch (error) {
    post({ type: 'reply', id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
}

/** Probe mode: what the runtime says of this machine, looked up on this worker's PATH; no session. */
async function probe(): Promise<void> {
  runtime = await import('@anthropic-ai/sandbox-runtime');
  const manager = runtime.SandboxManager;
  const supported = manager.isSupportedPlatform();
  const { errors, warnings } = supported ? manager.checkDependencies() : { errors: ['Unsupported platform'], warnings: [] };
  post({ type: 'probed', supported, errors, warnings });
}

(start.probe ? probe() : main()).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
