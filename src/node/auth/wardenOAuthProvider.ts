// MCP Warden's side of the SDK's OAuth client: where tokens, registrations and the flow's short-lived values live,
// and what the client says about itself. The SDK's `auth()` does the protocol (discovery, PKCE, resource, iss,
// refresh, step-up); this class only stores and reports. Nothing here sends a token anywhere.
import { randomBytes } from 'node:crypto';
import { DpopSession } from '@modelcontextprotocol/client';
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { accountKey, clientKey, parseStored, resourceOf, tokensKey, withExpiry, type AccountIndex, type StoredTokens } from '../../core/auth/authKeys';
import type { AuthEvent, AuthSecretStore, SignInReason } from '../../core/auth/authPorts';
import type { OAuthSettings } from '../../core/auth/oauthSettings';

export const CLIENT_NAME = 'MCP Warden';

export interface WardenOAuthProviderOptions {
  readonly server: string;
  /** The MCP server's URL: the resource every token here is for. */
  readonly serverUrl: string;
  readonly store: AuthSecretStore;
  readonly settings: OAuthSettings;
  readonly clientSecret?: string;
  /** MCP Warden's Client ID Metadata Document URL (used when no client id is configured). */
  readonly clientMetadataUrl?: string;
  /** The redirect URI to start with (the last one used for this resource, or a fresh loopback one). */
  readonly redirectUri: string;
  readonly record?: (event: AuthEvent) => void;
  readonly addSecrets?: (values: readonly string[]) => void;
  readonly now?: () => number;
}

/** How the client identified itself to the authorization server, as the audit log says it. */
export type ClientIdentity = 'pre-registered' | 'metadata-document' | 'dynamic' | 'entered';

export class WardenOAuthProvider implements OAuthClientProvider {
  private redirectUri: string;
  private verifier: string | undefined;
  private currentState: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  /** The issuer of the last discovery or saved tokens: tokens() without a context reads its entry. */
  private currentIssuer: string | undefined;
  private cachedTokens: StoredTokens | undefined;
  /** Set while a code is exchanged: the tokens saved then are a sign-in, any others a refresh. */
  private exchangingCode = false;
  /** The authorization URL of a flow that needs the user (with its PKCE verifier), until the hand-off takes it. */
  private pending: { readonly url: URL; readonly verifier: string | undefined } | undefined;
  /**
   * The verifier of the authorization URL the user signs in with. Another request refused meanwhile makes the SDK
   * start a flow of its own (a new verifier); the code the browser brings back still belongs to this one.
   */
  private handOffVerifier: string | undefined;
  /** One DPoP key for the provider's life (the SDK wants the same session across calls), made on first use. */
  private dpopSession: Promise<DpopSession> | undefined;
  /** Why the next sign-in is needed, for the user's notification. */
  nextReason: SignInReason = 'sign-in';
  readonly resource: string;

  constructor(private readonly options: WardenOAuthProviderOptions) {
    this.redirectUri = options.redirectUri;
    this.resource = resourceOf(options.serverUrl);
  }

  get server(): string {
    return this.options.server;
  }

  get redirectUrl(): string {
    return this.redirectUri;
  }

  /** A new loopback receiver took over: registrations are per redirect URI, so this may register again. */
  setRedirectUri(uri: string, loopbackPort?: number): void {
    this.redirectUri = uri;
    if (loopbackPort !== undefined) this.loopbackPort = loopbackPort;
  }

  /** The local port the redirect URI leads to (see AccountIndex.loopbackPort). */
  loopbackPort: number | undefined;

  get clientMetadataUrl(): string | undefined {
    return this.options.settings.clientId ? undefined : this.options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const { settings } = this.options;
    return {
      client_name: CLIENT_NAME,
      redirect_uris: [this.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A desktop app that cannot keep a secret (RFC 8252): loopback redirects, PKCE.
      application_type: 'native',
      ...(settings.clientAuth && { token_endpoint_auth_method: settings.clientAuth }),
      ...(settings.scopes?.length && { scope: settings.scopes.join(' ') }),
    };
  }

  state(): string {
    this.currentState = randomBytes(16).toString('base64url');
    return this.currentState;
  }

  /** The issuer of the authorization server in use, once discovery ran. */
  get issuer(): string | undefined {
    return this.currentIssuer;
  }

  /** The revocation endpoint of the authorization server in use, when its metadata names one. */
  get revocationEndpoint(): string | undefined {
    const endpoint = (this.discovery?.authorizationServerMetadata as { revocation_endpoint?: unknown } | undefined)?.revocation_endpoint;
    return typeof endpoint === 'string' ? endpoint : undefined;
  }

  /** How this client identifies itself: a configured id, the metadata document URL, or a registration. */
  identityOf(clientId: string | undefined): ClientIdentity {
    if (this.options.settings.clientId) return 'pre-registered';
    return clientId !== undefined && clientId === this.options.clientMetadataUrl ? 'metadata-document' : 'dynamic';
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    const { settings, clientSecret } = this.options;
    if (settings.clientId) {
      return {
        client_id: settings.clientId,
        ...(clientSecret !== undefined && { client_secret: clientSecret }),
        ...(settings.clientAuth && { token_endpoint_auth_method: settings.clientAuth }),
        ...(ctx && { issuer: ctx.issuer }),
      };
    }
    const issuer = ctx?.issuer ?? this.currentIssuer;
    if (!issuer) return undefined;
    const stored = parseStored<StoredOAuthClientInformation>(await this.options.store.get(clientKey(issuer, this.redirectUri)));
    return stored ?? this.enteredClient(issuer);
  }

  /**
   * The spec's last resort: an authorization server with neither dynamic registration nor a metadata document MCP
   * Warden can use. Notes it (the launcher asks the user outside the start deadline, then connects again) and
   * returns nothing, so this attempt fails as the SDK says it.
   */
  private enteredClient(issuer: string): undefined {
    const metadata = this.discovery?.authorizationServerMetadata as
      | { issuer?: unknown; registration_endpoint?: unknown; client_id_metadata_document_supported?: unknown }
      | undefined;
    if (!metadata || metadata.issuer !== issuer || typeof metadata.registration_endpoint === 'string') return undefined;
    if (metadata.client_id_metadata_document_supported === true && this.options.clientMetadataUrl) return undefined;
    this.clientIdNeededFor = issuer;
    return undefined;
  }

  /** The issuer whose client id only the user can give (see enteredClient), until one is saved. */
  clientIdNeededFor: string | undefined;

  /**
   * Keeps the client id the user entered like a registration (a public client: no secret is asked; a confidential
   * one belongs in oauth.clientId / clientSecret), so it is asked once.
   */
  async saveEnteredClient(issuer: string, clientId: string): Promise<void> {
    const info = { client_id: clientId, token_endpoint_auth_method: 'none', redirect_uris: [this.redirectUri] };
    await this.options.store.set(clientKey(issuer, this.redirectUri), JSON.stringify(info));
    this.clientIdNeededFor = undefined;
    this.options.record?.({ server: this.server, action: 'client-registered', issuer, resource: this.resource, client: 'entered' });
  }

  async saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): Promise<void> {
    // A configured client id is the settings' to keep; the SDK only stamps it with the issuer.
    if (this.options.settings.clientId) return;
    const issuer = ctx?.issuer ?? info.issuer ?? this.currentIssuer;
    if (!issuer) return;
    const key = clientKey(issuer, this.redirectUri);
    const before = parseStored<StoredOAuthClientInformation>(await this.options.store.get(key));
    await this.options.store.set(key, JSON.stringify(info));
    const secret = (info as { client_secret?: unknown }).client_secret;
    if (typeof secret === 'string') this.options.addSecrets?.([secret]);
    if (before?.client_id !== info.client_id) {
      this.options.record?.({ server: this.server, action: 'client-registered', issuer, resource: this.resource, client: this.identityOf(info.client_id) });
    }
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    const issuer = ctx?.issuer ?? this.currentIssuer ?? (await this.account())?.issuer;
    if (!issuer) return undefined;
    if (this.cachedTokens && this.cachedTokens.issuer === issuer) return this.cachedTokens as StoredOAuthTokens;
    const stored = parseStored<StoredTokens>(await this.options.store.get(tokensKey(issuer, this.resource)));
    if (stored) {
      this.currentIssuer ??= issuer;
      this.cachedTokens = stored.issuer === undefined ? { ...stored, issuer } : stored;
      this.options.addSecrets?.(secretsOf(stored));
    }
    return stored as StoredOAuthTokens | undefined;
  }

  async saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): Promise<void> {
    const issuer = ctx?.issuer ?? tokens.issuer ?? this.currentIssuer;
    if (!issuer) throw new Error('tokens arrived before the authorization server was known');
    const previous = this.cachedTokens;
    const stored: StoredTokens = withExpiry({ ...tokens, issuer } as StoredTokens, this.now());
    // Secrets first: nothing may log them between their arrival and their storage.
    this.options.addSecrets?.(secretsOf(stored));
    this.currentIssuer = issuer;
    this.cachedTokens = stored;
    await this.options.store.set(tokensKey(issuer, this.resource), JSON.stringify(stored));
    await this.updateAccount(issuer);
    const action = this.exchangingCode || !previous ? 'signed-in' : 'refreshed';
    this.options.record?.({ server: this.server, action, issuer, resource: this.resource, ...(stored.scope && { scope: stored.scope }) });
    this.nextReason = 'sign-in';
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    // The browser is opened by the hand-off (browserSignIn.ts), after the user agreed; here it is only noted.
    // The SDK saved the verifier just before: it belongs to this URL.
    this.pending = { url: authorizationUrl, verifier: this.verifier };
  }

  /** The authorization URL waiting for the user, once; undefined when none is. Its verifier is the one exchanged. */
  takePendingAuthorization(): URL | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.handOffVerifier = pending.verifier;
    return pending?.url;
  }

  /** Drops the authorization URL of a request that waits for a sign-in already under way. */
  discardPendingAuthorization(): void {
    this.pending = undefined;
  }

  get hasPendingAuthorization(): boolean {
    return this.pending !== undefined;
  }

  /** Marks the code exchange, so the tokens it saves are recorded as a sign-in. */
  async exchangingCodeDuring<T>(work: () => Promise<T>): Promise<T> {
    this.exchangingCode = true;
    try {
      return await work();
    } finally {
      this.exchangingCode = false;
      this.handOffVerifier = undefined;
    }
  }

  /**
   * DPoP (RFC 9449) when the authorization server advertises it: tokens bound to a key of this process, useless
   * to anyone who copies them. Elsewhere plain Bearer tokens. The key lives in memory only: a DPoP-bound token of
   * an earlier run is refused and replaced by a new sign-in or refresh.
   */
  dpop(): Promise<DpopSession> | undefined {
    // Once tokens may be bound to the key, it stays: a forgotten discovery (a 401) must not fall back to Bearer.
    if (this.dpopSession) return this.dpopSession;
    const metadata = this.discovery?.authorizationServerMetadata as { dpop_signing_alg_values_supported?: unknown } | undefined;
    const algorithms = metadata?.dpop_signing_alg_values_supported;
    if (!Array.isArray(algorithms) || algorithms.length === 0) return undefined;
    // Both ends must take it: oidc-provider and Keycloak offer DPoP by default, and a server that checks only Bearer
    // refuses every DPoP-bound token. The server says so in its challenge (RFC 9449 §7.1) or its metadata.
    if (!this.resourceTakesDpop()) return undefined;
    this.dpopSession ??= DpopSession.create();
    return this.dpopSession;
  }

  /** The server's 401 challenge named the DPoP scheme (seen by ServerAuth's fetch). */
  resourceChallengedWithDpop = false;

  private resourceTakesDpop(): boolean {
    if (this.resourceChallengedWithDpop) return true;
    const prm = this.discovery?.resourceMetadata as { dpop_signing_alg_values_supported?: unknown; dpop_bound_access_tokens_required?: unknown } | undefined;
    const algorithms = prm?.dpop_signing_alg_values_supported;
    return prm?.dpop_bound_access_tokens_required === true || (Array.isArray(algorithms) && algorithms.length > 0);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.exchangingCode && this.handOffVerifier) return this.handOffVerifier;
    if (!this.verifier) throw new Error('no sign-in is in progress (no PKCE code verifier)');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
    const issuer = state.authorizationServerMetadata?.issuer ?? state.authorizationServerUrl;
    if (issuer) this.currentIssuer = issuer;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  saveAuthorizationServerUrl(issuer: string): void {
    this.currentIssuer = issuer;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    const issuer = this.currentIssuer;
    if ((scope === 'all' || scope === 'tokens') && issuer) {
      const had = this.cachedTokens ?? parseStored<StoredTokens>(await this.options.store.get(tokensKey(issuer, this.resource)));
      this.cachedTokens = undefined;
      await this.options.store.delete(tokensKey(issuer, this.resource));
      if (had) {
        this.nextReason = 'expired';
        this.options.record?.({
          server: this.server,
          action: 'refresh-failed',
          issuer,
          resource: this.resource,
          detail: 'the authorization server no longer accepts the stored tokens: a new sign-in is needed',
        });
      }
    }
    if ((scope === 'all' || scope === 'client') && issuer && !this.options.settings.clientId) {
      await this.options.store.delete(clientKey(issuer, this.redirectUri));
    }
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  /** The state value of the pending authorization request (what the loopback receiver must see again). */
  get expectedState(): string | undefined {
    return this.currentState;
  }

  private async account(): Promise<AccountIndex | undefined> {
    return parseStored<AccountIndex>(await this.options.store.get(accountKey(this.resource)));
  }

  private async updateAccount(issuer: string): Promise<void> {
    const before = await this.account();
    const servers = [...new Set([...(before?.issuer === issuer ? before.servers : []), this.server])];
    const revocationEndpoint = this.revocationEndpoint ?? (before?.issuer === issuer ? before.revocationEndpoint : undefined);
    const { settings, clientSecret } = this.options;
    const preRegisteredClient = settings.clientId ? { client_id: settings.clientId, ...(clientSecret !== undefined && { client_secret: clientSecret }) } : undefined;
    const index: AccountIndex = {
      issuer,
      servers,
      redirectUri: this.redirectUri,
      ...(this.loopbackPort !== undefined && { loopbackPort: this.loopbackPort }),
      ...(revocationEndpoint && { revocationEndpoint }),
      ...(preRegisteredClient && { preRegisteredClient }),
    };
    await this.options.store.set(accountKey(this.resource), JSON.stringify(index));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

export function secretsOf(tokens: { readonly access_token?: unknown; readonly refresh_token?: unknown; readonly id_token?: unknown }): string[] {
  return [tokens.access_token, tokens.refresh_token, tokens.id_token].filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
