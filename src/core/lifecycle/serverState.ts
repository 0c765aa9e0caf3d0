import type { SignInReason } from '../auth/authPorts';
import type { SessionInfo } from './session';

/** The lifecycle state of one server, shown in the view and returned by the API. */
export type ServerState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting'; readonly since: number }
  /** Waiting for the user to approve this exact launch; `summary` says what would run. */
  | { readonly kind: 'needs-approval'; readonly since: number; readonly summary: string }
  /** Waiting for the user to sign in to `issuer` in the browser (OAuth); the start deadline does not run meanwhile. */
  | { readonly kind: 'needs-sign-in'; readonly since: number; readonly issuer: string; readonly reason: SignInReason }
  | { readonly kind: 'running'; readonly since: number; readonly session: SessionInfo }
  | { readonly kind: 'stopping' }
  | { readonly kind: 'waiting'; readonly retryAt: number; readonly attempt: number; readonly lastError: string }
  | { readonly kind: 'error'; readonly message: string; readonly gaveUp: boolean };

export type ServerStateKind = ServerState['kind'];

export namespace ServerState {
  export const stopped: ServerState = { kind: 'stopped' };

  /** True while the server holds or is acquiring resources: it must be stopped before it is forgotten. */
  export function isActive(state: ServerState): boolean {
    return state.kind === 'starting' || state.kind === 'needs-approval' || state.kind === 'needs-sign-in' || state.kind === 'running' || state.kind === 'waiting';
  }

  /** A short label for a status line, e.g. "waiting to restart (attempt 2)". */
  export function label(state: ServerState): string {
    switch (state.kind) {
      case 'stopped':
        return 'stopped';
      case 'starting':
        return 'starting';
      case 'needs-approval':
        return 'needs approval';
      case 'needs-sign-in':
        return 'needs sign-in';
      case 'running':
        return 'running';
      case 'stopping':
        return 'stopping';
      case 'waiting':
        return `waiting to restart (attempt ${state.attempt})`;
      case 'error':
        return state.gaveUp ? 'gave up' : 'error';
    }
  }
}
