// The broker's plug-in points as DESIGN.md declares them for src/core/permissions/permissionBroker.ts, which the
// lead writes. Until it lands they are declared here with the same shape; once it does, these become re-exports.
import type { GateDecision, Grant, PermissionRequest, UserAnswer } from '../../core/permissions/permission';

/** One question for the user. */
export interface PermissionQuestion {
  readonly request: PermissionRequest;
  /** Verdict 'ask'; `risks` non-empty → modal; `suspended` → definition changed; `proposed` → confirm a teammate's grant. */
  readonly decision: GateDecision;
  /** For kind 'launch'. */
  readonly launch?: { readonly summary: string; readonly notes: readonly string[] };
  /** For tool/prompt: the current definition (for a diff against an approved one). */
  readonly definition?: unknown;
}

export interface PermissionPrompter {
  /** Resolves undefined when dismissed, timed out or `signal` aborted (treated as deny once). */
  ask(question: PermissionQuestion, signal: AbortSignal): Promise<UserAnswer | undefined>;
}

export interface GrantStore {
  /** Adds workspace grants (already sealed), replacing grants with the same server+kind+target. */
  add(grants: readonly Grant[]): Promise<void>;
  /** Removes these workspace grants (matched by server+kind+target+decision+grantedAt). */
  remove(grants: readonly Grant[]): Promise<void>;
}
