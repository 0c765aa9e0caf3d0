// The messages between a SandboxSession (main thread) and its worker (sandboxWorker.ts).
import type { SandboxProfile } from '../../core/sandbox/sandboxProfile';

/** What the worker starts with (its workerData). */
export interface WorkerStart {
  readonly profile: SandboxProfile;
  /** Host-side sockets of the session (proxy bridge, violation monitor): the worker's TMPDIR. */
  readonly socketFolder: string;
  /** The sandboxed server's TMPDIR. */
  readonly tempFolder: string;
  /** The seccomp helper, when MCP Warden ships one (dist/vendor/seccomp/<arch>/apply-seccomp). */
  readonly applyPath?: string;
  readonly testHosts?: Readonly<Record<string, string>>;
}

/** workerData of a probe: only asks the runtime about this machine, then ends. */
export interface WorkerProbe {
  readonly probe: true;
}

export type ToWorkerMessage =
  | { readonly type: 'wrap'; readonly id: number; readonly command: string; readonly commandId: string }
  | { readonly type: 'update'; readonly id: number; readonly profile: SandboxProfile }
  | { readonly type: 'stop'; readonly id: number }
  | { readonly type: 'answer'; readonly id: number; readonly allow: boolean };

export type ToMainMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'probed'; readonly supported: boolean; readonly errors: readonly string[]; readonly warnings: readonly string[] }
  | { readonly type: 'reply'; readonly id: number; readonly argv?: string[]; readonly error?: string }
  | { readonly type: 'ask'; readonly id: number; readonly host: string; readonly port: number }
  | { readonly type: 'violation'; readonly line: string };
