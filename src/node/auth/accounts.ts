// The accounts MCP Warden holds, as the Servers view shows them, and signing out: revoke at the authorization server
// when it offers revocation (RFC 7009, best effort), then forget. Nothing here returns or logs a token.
import { accountKey, AUTH_KEY_PREFIX, clientKey, parseAuthKey, parseStored, resourceOf, tokensKey, type AccountIndex, type StoredTokens } from '../../core/auth/authKeys';
import type { AccountSummary, AuthEvent, AuthSecretStore } from '../../core/auth/authPorts';
import { isLoopbackHost } from '../../core/config/serverUrl';

const REVOKE_TIMEOUT_MS = 5000;

export interface SignOutOptions {
  /** Told `signed-out` per account (the servers that used it), for the audit log. */
  readonly record?: (event: AuthEvent) => void;
  /** For tests; default the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The account a server URL is signed in with, or undefined when it has none. */
export async function accountOf(store: AuthSecretStore, resourceUrl: string): Promise<AccountSummary | undefined> {
  const resource = resourceOf(resourceUrl);
  const index = parseStored<AccountIndex>(await store.get(accountKey(resource)));
  if (!index) return undefined;
  const tokens = parseStored<StoredTokens>(await store.get(tokensKey(index.issuer, resource)));
  if (!tokens) return undefined;
  return {
    issuer: index.issuer,
    resource,
    ...(typeof tokens.scope === 'string' && tokens.scope && { scope: tokens.scope }),
    ...(typeof tokens.expires_at === 'number' && { expiresAt: tokens.expires_at }),
    hasRefreshToken: typeof tokens.refresh_token === 'string',
  };
}

/** Every signed-in account, by resource. */
export async function listAccounts(store: AuthSecretStore): Promise<AccountSummary[]> {
  const accounts: AccountSummary[] = [];
  for (const key of await store.keys()) {
    const parsed = parseAuthKey(key);
    if (parsed?.kind !== 'account') continue;
    const account = await accountOf(store, parsed.resource);
    if (account) accounts.push(account);
  }
  return accounts.sort((a, b) => a.resource.localeCompare(b.resource));
}

/**
 * Signs the resource out: its tokens are revoked where the authorization server allows (never waited on for long,
 * never a reason not to forget them) and deleted with the account entry. The client registration stays, so the
 * next sign-in does not register again. True when there was something to sign out.
 */
export async function signOut(store: AuthSecretStore, resourceUrl: string, options: SignOutOptions = {}): Promise<boolean> {
  const resource = resourceOf(resourceUrl);
  const index = parseStored<AccountIndex>(await store.get(accountKey(resource)));
  if (!index) return false;
  const key = tokensKey(index.issuer, resource);
  const tokens = parseStored<StoredTokens>(await store.get(key));
  if (!tokens) return false;
  let revoked = 'no revocation endpoint';
  if (index.revocationEndpoint) {
    const client =
      index.preRegisteredClient ?? (index.redirectUri ? parseStored<{ client_id?: string; client_secret?: string }>(await store.get(clientKey(index.issuer, index.redirectUri))) : undefined);
    revoked = await revoke(index.revocationEndpoint, tokens, client, options.fetch ?? fetch);
  }
  await store.delete(key);
  // The redirect URI stays: the client registration (or client id the user entered) is kept under it, so the next
  // sign-in uses it again instead of registering (or asking) once more.
  if (index.redirectUri) await store.set(accountKey(resource), JSON.stringify({ issuer: index.issuer, servers: [], redirectUri: index.redirectUri, ...(index.loopbackPort !== undefined && { loopbackPort: index.loopbackPort }) }));
  else await store.delete(accountKey(resource));
  for (const server of index.servers.length > 0 ? index.servers : ['(none)']) {
    options.record?.({ server, action: 'signed-out', issuer: index.issuer, resource, detail: `tokens deleted; revocation: ${revoked}` });
  }
  return true;
}

/** Signs every account out and forgets every client registration: MCP Warden keeps nothing of OAuth afterwards. */
export async function signOutEverywhere(store: AuthSecretStore, options: SignOutOptions = {}): Promise<number> {
  let count = 0;
  for (const key of await store.keys()) {
    const parsed = parseAuthKey(key);
    if (parsed?.kind === 'account' && (await signOut(store, parsed.resource, options))) count++;
  }
  for (const key of await store.keys()) if (key.startsWith(AUTH_KEY_PREFIX)) await store.delete(key);
  return count;
}

/**
 * RFC 7009: the refresh token, whose revocation ends the grant and its access tokens (§2.1); the access token only
 * when there is no refresh token or its revocation failed (authorization servers refuse to revoke JWT access
 * tokens with unsupported_token_type). What happened, in words.
 */
async function revoke(endpoint: string, tokens: StoredTokens, client: { client_id?: string; client_secret?: string } | undefined, fetchFn: typeof fetch): Promise<string> {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return 'skipped (the endpoint is not https)';
  const outcomes: string[] = [];
  for (const [hint, token] of [
    ['refresh_token', tokens.refresh_token],
    ['access_token', tokens.access_token],
  ] as const) {
    if (typeof token !== 'string') continue;
    if (hint === 'access_token' && outcomes[0] === 'refresh_token revoked') break;
    const body = new URLSearchParams({ token, token_type_hint: hint });
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (client?.client_secret && client.client_id) headers['Authorization'] = `Basic ${btoa(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`)}`;
    else if (client?.client_id) body.set('client_id', client.client_id);
    try {
      const response = await fetchFn(url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(REVOKE_TIMEOUT_MS) });
      outcomes.push(`${hint} ${response.ok ? 'revoked' : `HTTP ${response.status}`}`);
    } catch {
      outcomes.push(`${hint} not reached`);
    }
  }
  return outcomes.join(', ') || 'nothing to revoke';
}
