// OAuth for one launch of an http/sse server: the provider the transport gets, the fetch it sends through, and the
// sign-in that follows a request the server refused. Used by McpLauncher for the start and by the session for calls.
import { auth, UnauthorizedError, type FetchLike, type OAuthClientProvider } from '@modelcontextprotocol/client';
import { accountKey, expiresWithin, parseStored, resourceOf, type AccountIndex } from '../../core/auth/authKeys';
import type { LaunchAuth, SignInReason } from '../../core/auth/authPorts';
import { isLoopbackHost } from '../../core/config/serverUrl';
import { errorMessage, type Logger } from '../../core/ports';
import { signInThroughBrowser, SignInError } from './browserSignIn';
import { LoopbackReceiver } from './loopbackReceiver';
import { machineProvider } from './machineGrants';
import { SharedSignIn } from './sharedSignIn';
import { secretsOf, WardenOAuthProvider } from './wardenOAuthProvider';

/** A token this close to its expiry (or half its lifetime, if shorter) is refreshed before a request rather than after the server's 401. */
export const REFRESH_MARGIN_MS = 60_000;
/** Browser rounds for one request (sign-in, then step-ups) before it fails with an error that says so. */
export const MAX_SIGN_IN_ROUNDS = 2;

/** The part of a transport a finished sign-in needs. */
export interface AuthorizableTransport {
  finishAuth(params: URLSearchParams): Promise<void>;
}

export class ServerAuth {
  private refreshing: Promise<void> | undefined;
  /** The browser sign-in under way, which every request refused meanwhile waits for. */
  private signIn: SharedSignIn | undefined;

  private constructor(
    readonly provider: OAuthClientProvider,
    private readonly launch: LaunchAuth,
    private readonly serverUrl: URL,
    private readonly logger: Logger,
  ) {}

  /**
   * The OAuth side of a launch. For the grants without a browser their providers (machineGrants.ts); otherwise MCP Warden's
   * provider, starting from the redirect URI this resource used last (so a registration is reused).
   */
  static async create(server: string, serverUrl: string, launch: LaunchAuth, keyPath: string, logger: Logger): Promise<ServerAuth> {
    const url = new URL(serverUrl);
    const { settings } = launch;
    const machine = machineProvider(launch, keyPath);
    if (machine) return new ServerAuth(observedMachineProvider(machine, server, serverUrl, launch), launch, url, logger);
    const account = parseStored<AccountIndex>(await launch.store.get(accountKey(resourceOf(serverUrl))));
    const redirect = account?.redirectUri ? { uri: account.redirectUri, port: account.loopbackPort } : await freshRedirectUri(launch);
    const provider = new WardenOAuthProvider({
      server,
      serverUrl,
      store: launch.store,
      settings,
      redirectUri: redirect.uri,
      record: launch.record,
      ...(launch.clientSecret !== undefined && { clientSecret: launch.clientSecret }),
      ...(launch.clientMetadataUrl && { clientMetadataUrl: launch.clientMetadataUrl }),
      ...(launch.addSecrets && { addSecrets: launch.addSecrets }),
    });
    provider.loopbackPort = redirect.port;
    if (launch.clientSecret) launch.addSecrets?.([launch.clientSecret]);
    return new ServerAuth(provider, launch, url, logger);
  }

  /**
   * After a start failed because nothing could identify MCP Warden to the authorization server (no registration, no
   * usable metadata document, no oauth.clientId): asks the user for the client id registered there, outside the
   * start deadline (the server shows needs-sign-in meanwhile). True when one was entered: connect again.
   */
  async askClientIdAfter(signal: AbortSignal): Promise<boolean> {
    const provider = this.provider;
    const ask = this.launch.user.askClientId?.bind(this.launch.user);
    if (!(provider instanceof WardenOAuthProvider) || !provider.clientIdNeededFor || !ask) return false;
    const issuer = provider.clientIdNeededFor;
    this.launch.onWaiting({ server: provider.server, issuer, reason: 'sign-in' });
    try {
      const clientId = (await ask({ server: provider.server, issuer }, signal))?.trim();
      if (!clientId || signal.aborted) return false;
      await provider.saveEnteredClient(issuer, clientId);
      return true;
    } finally {
      this.launch.onResumed();
    }
  }

  /** An authorization URL waits for the user (a request needed a sign-in). */
  get signInPending(): boolean {
    return this.provider instanceof WardenOAuthProvider && this.provider.hasPendingAuthorization;
  }

  /**
   * What the transport sends through: a token about to expire is refreshed first; a 401 to a request that carried
   * a token drops the cached discovery (the server may have moved to another authorization server); a bearer token
   * never leaves for another origin; OAuth traffic to other hosts is https (or loopback) only.
   */
  wrapFetch(base: FetchLike): FetchLike {
    const wrapped: FetchLike = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init?.headers);
      const authorization = headers.get('authorization');
      const bearer = authorization !== null && /^(?:Bearer|DPoP)\s/i.test(authorization);
      if (url.origin !== this.serverUrl.origin) {
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
          throw new Error(`refused to send an OAuth request to ${url.origin}: authorization servers must use https outside this machine`);
        }
        // The access token is for the resource alone (RFC 8707); whatever asked to send it elsewhere does not get it.
        if (bearer) headers.delete('authorization');
      } else if (bearer && this.provider instanceof WardenOAuthProvider) {
        const fresh = await this.refreshIfExpiring(wrapped);
        if (fresh) headers.set('authorization', `${authorization.split(/\s/)[0]} ${fresh}`);
      }
      const response = await base(input, { ...init, headers });
      if (response.status === 401 && url.origin === this.serverUrl.origin && this.provider instanceof WardenOAuthProvider) {
        if (/(^|,)\s*DPoP\b/i.test(response.headers.get('www-authenticate') ?? '')) this.provider.resourceChallengedWithDpop = true;
      }
      if (response.status === 401 && bearer && url.origin === this.serverUrl.origin) await this.provider.invalidateCredentials?.('discovery');
      return response;
    };
    return wrapped;
  }

  /**
   * After a request failed: when the SDK left an authorization URL for the user, signs in through the browser and
   * finishes on `transport`. True when signed in (retry the request); false when there was nothing to do. Throws a
   * SignInError when the user cancelled or the sign-in failed. Requests refused while a sign-in is under way wait
   * for that one (one notification per server); it is given up when none of them waits any more (`signal`).
   */
  async signInAfter(error: unknown, transport: AuthorizableTransport, signal: AbortSignal, fetchFn: FetchLike): Promise<boolean> {
    const provider = this.provider;
    if (!(provider instanceof WardenOAuthProvider) || !(error instanceof UnauthorizedError)) return false;
    const running = this.signIn;
    if (running) {
      provider.discardPendingAuthorization();
      await running.join(signal);
      return true;
    }
    const pending = provider.takePendingAuthorization();
    if (!pending) return false;
    // Set before anything is awaited: a request refused a moment later must find it.
    const signIn = new SharedSignIn((handOffSignal) => this.handOff(provider, pending, transport, handOffSignal, fetchFn));
    this.signIn = signIn;
    void signIn.done.catch(() => undefined).finally(() => {
      if (this.signIn === signIn) this.signIn = undefined;
    });
    await signIn.join(signal);
    return true;
  }

  private async handOff(provider: WardenOAuthProvider, pending: URL, transport: AuthorizableTransport, signal: AbortSignal, fetchFn: FetchLike): Promise<void> {
    try {
      const reason: SignInReason = (await provider.tokens()) ? 'step-up' : provider.nextReason;
      const params = await signInThroughBrowser(
        {
          auth: this.launch,
          provider,
          signal,
          reissue: async (scope) => {
            const result = await auth(provider, { serverUrl: this.serverUrl, ...(scope && { scope }), forceReauthorization: true, fetchFn });
            return result === 'REDIRECT' ? provider.takePendingAuthorization() : undefined;
          },
        },
        pending,
        reason,
      );
      await provider.exchangingCodeDuring(() => transport.finishAuth(params));
    } catch (failure) {
      if (failure instanceof SignInError) throw failure;
      const message = `sign-in to ${provider.issuer ?? this.serverUrl.origin} failed: ${errorMessage(failure)}`;
      this.launch.record({ server: provider.server, action: 'sign-in-failed', ...(provider.issuer && { issuer: provider.issuer }), resource: provider.resource, detail: errorMessage(failure) });
      throw new SignInError(message, 'failed');
    } finally {
      this.launch.onResumed();
    }
  }

  /** Refreshes a token that expires within REFRESH_MARGIN_MS, once at a time; the new access token, if any. */
  private async refreshIfExpiring(fetchFn: FetchLike): Promise<string | undefined> {
    const tokens = await this.provider.tokens();
    // A token that lives only a minute would otherwise be refreshed before every request: half its life at most.
    const lifetimeMs = typeof tokens?.expires_in === 'number' ? tokens.expires_in * 1000 : Number.POSITIVE_INFINITY;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    if (!tokens?.refresh_token || !expiresWithin(tokens as { expires_at?: number }, Date.now(), margin)) return undefined;
    this.refreshing ??= (async () => {
      try {
        // Without a user: a refresh the server refuses leaves an authorization URL, taken after the server's 401.
        await auth(this.provider, { serverUrl: this.serverUrl, fetchFn });
      } catch (error) {
        this.logger.warn(`the token of ${this.serverUrl.origin} could not be refreshed before it expires: ${errorMessage(error)}`);
      }
    })().finally(() => (this.refreshing = undefined));
    await this.refreshing;
    return (await this.provider.tokens())?.access_token;
  }
}

/**
 * A grant without a browser keeps its tokens in the SDK provider's memory; what it gets is still hidden from every log
 * and audited like a browser sign-in: `signed-in` for the first tokens of a run, `refreshed` for the next.
 */
export function observedMachineProvider(provider: OAuthClientProvider, server: string, serverUrl: string, launch: LaunchAuth): OAuthClientProvider {
  const save = provider.saveTokens.bind(provider);
  let saved = false;
  provider.saveTokens = async (tokens, ctx) => {
    launch.addSecrets?.(secretsOf(tokens));
    await save(tokens, ctx);
    launch.record({
      server,
      action: saved ? 'refreshed' : 'signed-in',
      resource: resourceOf(serverUrl),
      client: launch.settings.grant,
      ...(ctx?.issuer && { issuer: ctx.issuer }),
      ...(typeof tokens.scope === 'string' && tokens.scope && { scope: tokens.scope }),
    });
    saved = true;
  };
  return provider;
}

/** A loopback redirect URI on a port free right now; the receiver listens on it again when a sign-in starts. */
async function freshRedirectUri(launch: LaunchAuth): Promise<{ uri: string; port: number }> {
  const probe = await LoopbackReceiver.open();
  await probe.close();
  return { uri: (await launch.user.externalUrl?.(probe.url)) ?? probe.url, port: probe.port };
}

/** The message of a failed start or call that OAuth explains better than HTTP does. */
export function signInFailureMessage(error: unknown): string | undefined {
  return error instanceof SignInError ? error.message : undefined;
}
