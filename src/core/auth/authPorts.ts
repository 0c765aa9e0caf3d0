// What the OAuth engine (src/node/auth) needs from the editor, and what it tells it. The engine is the MCP SDK's
// `auth()` behind an `OAuthClientProvider`; these ports keep VS Code out of it, so the conformance client and the
// integration tests run the same engine with a scripted user and a memory store.
import type { OAuthSettings } from './oauthSettings';

/**
 * Where tokens, client registrations and the account index live: VS Code SecretStorage in the extension, memory in
 * tests. Values are JSON text. Nothing the engine stores goes anywhere else (settings, logs, audit).
 */
export interface AuthSecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key this store holds (for Sign Out Everywhere). */
  keys(): Promise<readonly string[]>;
}

/** Why the user is asked to sign in. */
export type SignInReason = 'sign-in' | 'expired' | 'step-up';

export interface SignInRequest {
  readonly server: string;
  /** The authorization server's issuer, as its validated metadata states it. */
  readonly issuer: string;
  /** The scopes asked for (space-separated), if any. */
  readonly scope?: string;
  readonly reason: SignInReason;
}

/** The user's side of a browser sign-in. */
export interface SignInUser {
  /**
   * Asks "Server '<server>' needs you to sign in to <issuer>" (Sign In / Cancel). Resolves true when the user
   * chooses to sign in, false when they cancel or dismiss; rejects only when `signal` aborts.
   */
  confirm(request: SignInRequest, signal: AbortSignal): Promise<boolean>;
  /** Opens the URL in the system browser; false when it could not be opened. */
  openBrowser(url: string): Promise<boolean>;
  /**
   * Maps the loopback callback URL (http://127.0.0.1:<port>/callback) to one the user's browser reaches: VS Code's
   * `env.asExternalUri` (a forwarded port in a remote window or code-server). Identity when absent.
   */
  externalUrl?(url: string): Promise<string>;
  /**
   * The last way to identify MCP Warden (the spec's order: pre-registered, metadata document, dynamic registration,
   * then the user): the authorization server offers neither registration nor a metadata document MCP Warden can
   * use, so the user enters the client id registered there for it. Undefined: the user gave none.
   */
  askClientId?(request: { readonly server: string; readonly issuer: string }, signal: AbortSignal): Promise<string | undefined>;
}

/** What the supervisor gives a launch of an http/sse server that may need OAuth. */
export interface LaunchAuth {
  readonly settings: OAuthSettings;
  /** `${input:…}` answers for settings.clientSecret and settings.privateKey, resolved by the launch. */
  readonly clientSecret?: string;
  readonly privateKey?: string;
  /** The answer for settings.idp.clientSecret (`enterprise_managed`), resolved by the launch. */
  readonly idpClientSecret?: string;
  readonly store: AuthSecretStore;
  readonly user: SignInUser;
  /**
   * A sign-in waits for the user: during the start the state is `needs-sign-in` and the start deadline is paused
   * until `onResumed`; during a call the server stays `running` (its other calls go on).
   */
  readonly onWaiting: (request: SignInRequest) => void;
  readonly onResumed: () => void;
  /** Every auth event, for the audit log: never a token, code, verifier or secret. */
  readonly record: (event: AuthEvent) => void;
  /** Values to keep out of every log from now on (tokens as they arrive). */
  readonly addSecrets?: (values: readonly string[]) => void;
  /** How long the browser hand-off may take before it is given up (default 5 min). */
  readonly signInTimeoutMs?: number;
  /** MCP Warden's Client ID Metadata Document URL (`mcpWarden.oauth.clientMetadataUrl`), when one is set. */
  readonly clientMetadataUrl?: string;
}

export type AuthAction =
  | 'sign-in-needed'
  | 'signed-in'
  | 'sign-in-cancelled'
  | 'sign-in-failed'
  | 'refreshed'
  | 'refresh-failed'
  | 'step-up'
  | 'client-registered'
  | 'signed-out';

/** One auth event as the audit log keeps it. */
export interface AuthEvent {
  readonly server: string;
  readonly action: AuthAction;
  readonly issuer?: string;
  readonly resource?: string;
  readonly scope?: string;
  /** How the client identified itself: pre-registered, metadata-document, dynamic, entered (by the user), or the grant without a browser (client_credentials, jwt_bearer, enterprise_managed). */
  readonly client?: string;
  /** A failure's reason, with no token, code, verifier or secret in it. */
  readonly detail?: string;
}

/** What the Servers view shows of a signed-in account: no token. */
export interface AccountSummary {
  readonly issuer: string;
  readonly resource: string;
  readonly scope?: string;
  /** Epoch ms when the access token expires, if the server said. */
  readonly expiresAt?: number;
  readonly hasRefreshToken: boolean;
}

/**
 * What the extension (or a test) gives the supervisor so that http/sse servers can sign in: the supervisor turns it
 * into a `LaunchAuth` for each launch of a definition whose `oauth.enabled` is not false.
 */
export interface ServerAuthDeps {
  readonly store: AuthSecretStore;
  readonly user: SignInUser;
  /** `mcpWarden.oauth.clientMetadataUrl`: MCP Warden's Client ID Metadata Document URL, when the user set one. */
  readonly clientMetadataUrl?: () => string | undefined;
  /** How long a browser sign-in may take (default 5 min). */
  readonly signInTimeoutMs?: () => number;
}
