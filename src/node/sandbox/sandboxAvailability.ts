import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/ports';
import type { SandboxAvailability, SandboxProfile } from '../../core/sandbox/sandboxProfile';
import type { ToMainMessage, WorkerProbe } from './sandboxProtocol';
import { SandboxSession, workerFile } from './sandboxSession';

const REMEDY_PACKAGES = 'sudo apt install bubblewrap socat ripgrep (Fedora: sudo dnf install bubblewrap socat ripgrep)';
const REMEDY_NAMESPACES =
  'allow unprivileged user namespaces (Ubuntu 24.04: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0), or run VS Code where bubblewrap works';
const TRIAL_TIMEOUT_MS = 10_000;

/** The runtime's words for a missing dependency, and ours. */
const MISSING: readonly (readonly [RegExp, string])[] = [
  [/bubblewrap|bwrap/i, 'bubblewrap (bwrap) is not installed'],
  [/socat/i, 'socat is not installed'],
  [/ripgrep|\brg\b/i, 'ripgrep (rg) is not installed'],
];

/** Enough of a filesystem to run /bin/sh, nothing else. */
const TRIAL_PROFILE: SandboxProfile = {
  filesystem: { denyRead: ['/'], allowRead: ['/usr', '/bin', '/lib', '/lib64', '/sbin', '/etc/ld.so.cache'], allowWrite: [], denyWrite: [] },
  network: { allowedDomains: [], deniedDomains: [], allowAllUnixSockets: false },
};

/**
 * Whether this machine can sandbox a server: a supported platform, the runtime's dependencies (bwrap, socat, rg,
 * looked up on `env`'s PATH), and a real trial: `/bin/sh -c 'exit 0'` wrapped and run. The runtime is loaded in a
 * short-lived worker, never in the extension host's own module graph. A missing seccomp helper is a warning.
 */
export async function probeSandbox(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, logger: Logger = silent): Promise<SandboxAvailability> {
  if (platform !== 'linux') {
    return { available: false, reason: `MCP Warden's OS sandbox runs only on Linux (this is ${platform})`, remedy: 'set mcpWarden.sandbox.mode to preferred or off' };
  }
  let probed: Extract<ToMainMessage, { type: 'probed' }>;
  try {
    probed = await askRuntime(env);
  } catch (error) {
    return { available: false, reason: `the sandbox runtime could not be loaded (${message(error)})`, remedy: 'reinstall MCP Warden' };
  }
  if (!probed.supported) return { available: false, reason: 'the sandbox runtime does not support this platform', remedy: 'set mcpWarden.sandbox.mode to preferred or off' };
  if (probed.errors.length > 0) {
    const reasons = probed.errors.map((error) => MISSING.find(([pattern]) => pattern.test(error))?.[1] ?? error);
    const missing = reasons.some((reason) => reason.endsWith('is not installed'));
    return { available: false, reason: reasons.join('; '), remedy: missing ? REMEDY_PACKAGES : REMEDY_NAMESPACES };
  }
  const trial = await runTrial(env, logger);
  if (trial !== 'ok') return { available: false, reason: `bubblewrap cannot create a sandbox here (${trial})`, remedy: REMEDY_NAMESPACES };
  return { available: true, platform, warnings: probed.warnings.map((w) => (/seccomp/i.test(w) ? `${w}: Unix sockets are not blocked and blocked writes are not reported` : w)) };
}

function askRuntime(env: NodeJS.ProcessEnv): Promise<Extract<ToMainMessage, { type: 'probed' }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: { probe: true } satisfies WorkerProbe, env: { ...env } });
    const timer = setTimeout(() => reject(new Error('no answer in 10 s')), TRIAL_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.on('message', (m: ToMainMessage) => {
      if (m.type === 'probed') resolve(m);
      else if (m.type === 'failed') reject(new Error(m.message));
      done();
    });
    worker.on('error', (error) => {
      done();
      reject(error);
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      reject(new Error('the probe ended without an answer'));
    });
  });
}

/** Wraps and runs `/bin/sh -c 'exit 0'` as a server would be: 'ok', or what went wrong. */
async function runTrial(env: NodeJS.ProcessEnv, logger: Logger): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'mcpw-probe-'));
  let session: SandboxSession | undefined;
  try {
    session = await SandboxSession.start({ profile: TRIAL_PROFILE, folder, onAsk: async () => false, onViolation: () => undefined, logger, env });
    const launch = await session.wrap('/bin/sh', ['-c', 'exit 0'], { PATH: env['PATH'] ?? '/usr/bin:/bin' }, '/');
    return await new Promise<string>((resolve) => {
      const [command, ...args] = launch.argv;
      const child = spawn(command!, args, { env: launch.env, cwd: '/', stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], timeout: TRIAL_TIMEOUT_MS });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      child.once('error', (error) => resolve(error.message));
      child.once('close', (code, signal) => {
        const last = stderr.trim().split('\n').at(-1);
        resolve(code === 0 ? 'ok' : last || (signal ? `killed by ${signal}` : `exit code ${code}`));
      });
    });
  } catch (error) {
    return message(error);
  } finally {
    await session?.stop();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const silent: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, traceEnabled: false };
