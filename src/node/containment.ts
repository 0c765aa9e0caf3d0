import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import type { Logger } from '../core/ports';
import type { SandboxSession } from './sandbox/sandboxSession';

/** How the processes of a stdio server are held together, so that stopping the server stops every one of them. */
export type Containment =
  /**
   * Each server in a PID namespace of its own (bubblewrap). When the server ends, the namespace's init ends, and
   * the kernel ends every process left in it, whether it changed its process group, its session or its parent.
   */
  | { readonly kind: 'pid-namespace'; readonly bwrap: string }
  /**
   * The server's process group, and on Linux a marker in the environment of everything it starts. A process
   * that leaves the group (setsid) and drops the marker from its environment can outlive the server.
   */
  | { readonly kind: 'process-group'; readonly reason: string }
  /**
   * The OS sandbox of this server run (bubblewrap through `@anthropic-ai/sandbox-runtime`): its own PID namespaces,
   * filesystem view and network proxy. Stopping the server ends every process in it.
   */
  | { readonly kind: 'sandbox'; readonly session: SandboxSession; /** Variables the server gets in the sandbox (a launcher's own cache). */ readonly env?: Readonly<Record<string, string>> };

/**
 * The bubblewrap options: a new PID namespace with its own /proc (so pids the server sees and those in /proc
 * agree), the whole filesystem bound as it is, and everything killed if MCP Warden dies. No other restriction:
 * that is the sandbox's job.
 */
export const BWRAP_OPTIONS: readonly string[] = ['--unshare-pid', '--die-with-parent', '--dev-bind', '/', '/', '--proc', '/proc'];
/** What a machine offers without a sandbox: what `machineContainment` finds. */
export type MachineContainment = Exclude<Containment, { kind: 'sandbox' }>;

/** Set to `process-group` to run servers without a PID namespace (a server that misbehaves in one). */
export const CONTAINMENT_VARIABLE = 'MCP_WARDEN_CONTAINMENT';
const PROBE_TIMEOUT_MS = 5000;

let probed: Promise<MachineContainment> | undefined;
let partialReported = false;

/** The containment this machine offers; probed once per extension host. */
export function machineContainment(): Promise<MachineContainment> {
  probed ??= probeContainment(process.env);
  return probed;
}

/**
 * Finds out whether bubblewrap can give a server a PID namespace here: it must be installed, and allowed to
 * create namespaces (as root, or through unprivileged user namespaces, which some distributions and most
 * containers forbid). The probe runs exactly what a server start runs, with `/bin/sh -c 'exit 0'` as the server.
 */
export async function probeContainment(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<MachineContainment> {
  if (env[CONTAINMENT_VARIABLE] === 'process-group') return partial(`${CONTAINMENT_VARIABLE}=process-group is set`);
  if (platform !== 'linux') return partial(`PID namespaces exist only on Linux (this is ${platform})`);
  const bwrap = findExecutable('bwrap', env['PATH']);
  if (!bwrap) return partial('bubblewrap (bwrap) is not installed');
  const outcome = await run(bwrap, [...BWRAP_OPTIONS, '--', '/bin/sh', '-c', 'exit 0']);
  if (outcome === 'ok') return { kind: 'pid-namespace', bwrap };
  return partial(`bubblewrap cannot create a PID namespace here (${outcome})`);
}

/** Says once per extension host, in the log of the server that starts first, that containment is partial and why. */
export function reportPartialContainment(containment: Containment, logger: Logger): void {
  if (containment.kind !== 'process-group' || partialReported) return;
  partialReported = true;
  const linux = process.platform === 'linux';
  logger.warn(
    `processes a server starts in a session of their own (setsid, as a browser started by Playwright) may outlive it: ${containment.reason}. ` +
      `Stopping a server ends its process group${linux ? ' and every process still carrying its marker in its environment' : ''}.` +
      (linux ? ' Install bubblewrap (Debian/Ubuntu: apt install bubblewrap) for a PID namespace per server.' : ''),
  );
}

/**
 * Where `command` is, found the way execvp finds it: a name with a slash as it is (relative to `cwd`), any other
 * name on PATH. Throws an error with code ENOENT or EACCES, as spawn would, so it is reported the same way.
 */
export function resolveExecutable(command: string, path: string | undefined, cwd: string): string {
  if (command.includes('/')) {
    const file = isAbsolute(command) ? command : resolve(cwd, command);
    const problem = executableProblem(file);
    if (problem) throw spawnError(command, problem);
    return file;
  }
  const found = findExecutable(command, path, cwd);
  if (typeof found === 'string') return found;
  throw spawnError(command, found === false ? 'EACCES' : 'ENOENT');
}

/** The first executable `name` on PATH; false if only files that are not executable were found. */
function findExecutable(name: string, path: string | undefined, cwd = process.cwd()): string | false | undefined {
  let sawFile = false;
  for (const dir of (path ?? '').split(delimiter)) {
    const file = resolve(cwd, dir || '.', name);
    const problem = executableProblem(file);
    if (!problem) return file;
    if (problem === 'EACCES') sawFile = true;
  }
  return sawFile ? false : undefined;
}

function executableProblem(file: string): 'ENOENT' | 'EACCES' | undefined {
  try {
    if (!statSync(file).isFile()) return 'EACCES';
  } catch {
    return 'ENOENT';
  }
  try {
    accessSync(file, constants.X_OK);
    return undefined;
  } catch {
    return 'EACCES';
  }
}

function spawnError(command: string, code: 'ENOENT' | 'EACCES'): NodeJS.ErrnoException {
  return Object.assign(new Error(`spawn ${command} ${code}`), { code, path: command });
}

function partial(reason: string): MachineContainment {
  return { kind: 'process-group', reason };
}

/** Runs a probe: 'ok', or what went wrong (bwrap's own message when it gives one). */
function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((done) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: PROBE_TIMEOUT_MS });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.once('error', (error) => done(error.message));
    child.once('close', (code, signal) => {
      const message = stderr.trim().split('\n').at(-1);
      done(code === 0 ? 'ok' : message || (signal ? `killed by ${signal}` : `exit code ${code}`));
    });
  });
}
