/**
 * What the OS sandbox lets one stdio server do: the configuration `@anthropic-ai/sandbox-runtime` takes, built by
 * MCP Warden from the server's grants (profileBuilder.ts). Pure data; the node layer hands it to the runtime.
 *
 * Reads: everything is denied (`denyRead: ['/']`) except `allowRead` (the baseline a server needs to run, plus
 * `fs.read` grants); `denyRead` entries more specific than an allowed folder stay denied (the user's secrets).
 * Writes: only `allowWrite` (the `fs.write` grants and the server's private temp folder), minus `denyWrite`.
 * Network: only `allowedDomains`, through the runtime's proxy; anything else reaches the ask-callback.
 */
export interface SandboxProfile {
  readonly filesystem: {
    readonly denyRead: readonly string[];
    readonly allowRead: readonly string[];
    readonly allowWrite: readonly string[];
    readonly denyWrite: readonly string[];
  };
  readonly network: {
    /** `host`, `host:port`, `*.example.com`; an IP literal only as granted. */
    readonly allowedDomains: readonly string[];
    readonly deniedDomains: readonly string[];
    /** Linux offers all Unix sockets or none: a `net` grant of `unix:*` allows them. */
    readonly allowAllUnixSockets: boolean;
  };
}

/** The configuration keys mcpWarden.sandbox.mode takes (machine scope: a workspace cannot turn it off). */
export type SandboxMode = 'required' | 'preferred' | 'off';
export const SANDBOX_MODES: readonly SandboxMode[] = ['required', 'preferred', 'off'];

/** Whether this machine can sandbox a server, probed once per extension host. */
export type SandboxAvailability =
  | { readonly available: true; readonly platform: string; /** Degradations the runtime reported, e.g. no seccomp helper. */ readonly warnings: readonly string[] }
  | { readonly available: false; /** Why not, e.g. "bubblewrap (bwrap) is not installed". */ readonly reason: string; /** What to do, e.g. "sudo apt install bubblewrap socat ripgrep". */ readonly remedy: string };

/** How one server run is contained, as the Servers and Permissions views show it. */
export type SandboxStatus =
  | { readonly kind: 'sandboxed'; readonly profile: SandboxProfile; /** The run's own writable temp folder (in `allowWrite`, granted by nobody). */ readonly privateTemp: string }
  | { readonly kind: 'unsandboxed'; /** Why: mode off, or no sandbox here (preferred mode). */ readonly reason: string }
  | { readonly kind: 'not-applicable' /* an HTTP server: nothing runs on this machine */ };
