import type { Event } from '../events';
import type { AnnotationDefaults, GateDecision, Grant, GrantStatus, PermissionRequest, UserAnswer, WorkspaceGrant } from './permission';

export interface GateOptions {
  /** From user settings (`mcpWarden.permissions.annotationDefaults`); never from the workspace. */
  readonly annotationDefaults: AnnotationDefaults;
  /** Absolute paths of the workspace folders: writing outside them is high-risk. */
  readonly workspaceFolders: readonly string[];
  /** Compare paths without case (Windows, macOS default volumes). */
  readonly caseInsensitivePaths: boolean;
}

/** A grant as the Permissions view lists it. */
export interface ListedGrant {
  readonly grant: Grant;
  /** Workspace grants: their status; memory grants: `session` or `once`. */
  readonly status: GrantStatus | 'session' | 'once';
}

/**
 * Decides every request: allow, deny or ask, naming the rule. Holds the workspace grants (as classified by the
 * sealer) and the session and once grants in memory. Synchronous and indexed by server and kind: it runs on
 * every call.
 */
export declare class PermissionGate {
  constructor(options: GateOptions);
  readonly onDidChange: Event<void>;
  setOptions(options: GateOptions): void;
  /** In an untrusted workspace no workspace grant is honoured (they are listed, as `proposed`). */
  setTrusted(trusted: boolean): void;
  setWorkspaceGrants(grants: readonly WorkspaceGrant[]): void;
  get workspaceGrants(): readonly WorkspaceGrant[];
  decide(request: PermissionRequest): GateDecision;
  /** Keeps a `once` or `session` answer in memory and returns the grant. Workspace answers go through the GrantStore. */
  remember(request: PermissionRequest, answer: UserAnswer, grantedAt: string): Grant;
  /** A `once` grant is used up by the request it allowed. */
  consume(grant: Grant): void;
  /** The server's run ended: its session and once grants go. */
  endSession(server: string, session: string): void;
  /** Removes memory grants matching `match`; returns them. */
  revokeInMemory(match: (grant: Grant) => boolean): Grant[];
  /** Every grant of a server (workspace, session, once). */
  list(server?: string): ListedGrant[];
}
