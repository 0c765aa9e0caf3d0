// Where the OAuth engine keeps what it learns, as keys of the AuthSecretStore (SecretStorage in the editor). Tokens
// are keyed by issuer and resource (RFC 8707: a token is for one resource of one authorization server); client
// registrations by issuer and redirect URI (a registration lists its redirect URIs) or `m2m` for client credentials;
// the account index by resource, so the Servers view and Sign Out find what a server's URL signed in to.

export const AUTH_KEY_PREFIX = 'mcpWarden.oauth/';
const TOKENS = `${AUTH_KEY_PREFIX}tokens/`;
const CLIENT = `${AUTH_KEY_PREFIX}client/`;
const ACCOUNT = `${AUTH_KEY_PREFIX}account/`;

/** The client registration of machine-to-machine servers (no redirect URI). */
export const M2M_CLIENT = 'm2m';

/**
 * The resource a server URL stands for: the URL without its fragment (RFC 8707 §2 forbids one). Query and path
 * stay: two servers on one host are two resources.
 */
export function resourceOf(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hash = '';
  return url.href;
}

export function tokensKey(issuer: string, resource: string): string {
  return `${TOKENS}${issuer} ${resourceOf(resource)}`;
}

export function clientKey(issuer: string, redirectUri: string): string {
  return `${CLIENT}${issuer} ${redirectUri}`;
}

export function accountKey(resource: string): string {
  return `${ACCOUNT}${resourceOf(resource)}`;
}

/** What a key names, or undefined for a key that is not the engine's. */
export type ParsedAuthKey =
  | { readonly kind: 'tokens'; readonly issuer: string; readonly resource: string }
  | { readonly kind: 'client'; readonly issuer: string; readonly redirectUri: string }
  | { readonly kind: 'account'; readonly resource: string };

export function parseAuthKey(key: string): ParsedAuthKey | undefined {
  // An issuer is a URL and has no space; the part after the first space is the second half.
  const split = (rest: string): [string, string] | undefined => {
    const space = rest.indexOf(' ');
    return space > 0 && space < rest.length - 1 ? [rest.slice(0, space), rest.slice(space + 1)] : undefined;
  };
  if (key.startsWith(TOKENS)) {
    const parts = split(key.slice(TOKENS.length));
    return parts && { kind: 'tokens', issuer: parts[0], resource: parts[1] };
  }
  if (key.startsWith(CLIENT)) {
    const parts = split(key.slice(CLIENT.length));
    return parts && { kind: 'client', issuer: parts[0], redirectUri: parts[1] };
  }
  if (key.startsWith(ACCOUNT)) {
    const resource = key.slice(ACCOUNT.length);
    return resource ? { kind: 'account', resource } : undefined;
  }
  return undefined;
}

/** The account index entry of one resource: which issuer it signed in to, for which servers, with which redirect URI. */
export interface AccountIndex {
  readonly issuer: string;
  readonly servers: readonly string[];
  /** The loopback redirect URI the last browser sign-in used: reused so a dynamic registration is reused too. */
  readonly redirectUri?: string;
  /**
   * The loopback port behind it: in code-server or a remote window the redirect URI is a forwarded address that
   * does not show the port, and listening on the same one again keeps that address (and its registration).
   */
  readonly loopbackPort?: number;
  /** The authorization server's revocation endpoint (RFC 7009), when its metadata has one. */
  readonly revocationEndpoint?: string;
  /**
   * A pre-registered client (oauth.clientId and its secret), which no registration entry holds: Sign Out must
   * authenticate its revocation as the sign-in did. Kept, like everything here, in secret storage only.
   */
  readonly preRegisteredClient?: { readonly client_id: string; readonly client_secret?: string };
}

/** Tokens as stored: the SDK's fields plus `expires_at` (epoch ms), computed when they were saved. */
export interface StoredTokens {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in?: number;
  readonly refresh_token?: string;
  readonly scope?: string;
  readonly issuer?: string;
  readonly expires_at?: number;
  readonly [field: string]: unknown;
}

/** `tokens` with `expires_at` from `expires_in`, counted from `now`. */
export function withExpiry<T extends { expires_in?: number }>(tokens: T, now: number): T & { expires_at?: number } {
  return typeof tokens.expires_in === 'number' && Number.isFinite(tokens.expires_in) ? { ...tokens, expires_at: now + tokens.expires_in * 1000 } : tokens;
}

/** True when the access token expires within `marginMs` of `now` (never, without an expiry). */
export function expiresWithin(tokens: { readonly expires_at?: number } | undefined, now: number, marginMs: number): boolean {
  return typeof tokens?.expires_at === 'number' && tokens.expires_at - now <= marginMs;
}

/** Parses a stored JSON value; undefined for absent or unreadable text (a damaged entry is treated as missing). */
export function parseStored<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
