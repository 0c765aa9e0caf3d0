/**
 * Whether a kind of grant is enforced (nothing the server does gets past it) or advisory (MCP Warden only answers
 * what the server asks for), as the Permissions view labels it.
 */
import type { PermissionKind } from '../permissions/permission';
import type { SandboxStatus } from './sandboxProfile';

export type Enforcement = 'enforced' | 'advisory';

const SANDBOX_KINDS: ReadonlySet<PermissionKind> = new Set(['fs.read', 'fs.write', 'net']);

/**
 * fs.read, fs.write and net are enforced only while the server runs in the OS sandbox; process.exec never is (the
 * Linux sandbox limits programs to what is readable, nothing finer); every other kind passes the gate: enforced.
 */
export function enforcementOf(kind: PermissionKind, status: SandboxStatus['kind'] | undefined): Enforcement {
  if (kind === 'process.exec') return 'advisory';
  if (SANDBOX_KINDS.has(kind)) return status === 'sandboxed' ? 'enforced' : 'advisory';
  return 'enforced';
}

/** One line for a tooltip: why a grant of `kind` is enforced or advisory for a server in `status`. */
export function enforcementReason(kind: PermissionKind, status: SandboxStatus['kind'] | undefined): string {
  if (kind === 'process.exec') {
    return status === 'sandboxed'
      ? 'Advisory: the OS sandbox lets a server run any program it can read; MCP Warden only answers what the server asks for.'
      : 'Advisory: nothing stops a server from starting programs; MCP Warden only answers what the server asks for.';
  }
  if (!SANDBOX_KINDS.has(kind)) return 'Enforced: every such request passes through MCP Warden before it reaches the server or client.';
  switch (status) {
    case 'sandboxed':
      return 'Enforced by the OS sandbox: the server cannot reach what is not granted.';
    case 'not-applicable':
      return 'Advisory: a remote (HTTP) server runs elsewhere, where MCP Warden cannot see its files or network.';
    case 'unsandboxed':
      return 'Advisory: the server runs without the OS sandbox, so MCP Warden only answers what the server asks for.';
    case undefined:
      return 'Advisory until the server runs in the OS sandbox: MCP Warden only answers what the server asks for.';
  }
}
