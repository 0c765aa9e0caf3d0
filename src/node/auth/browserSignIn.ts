// The browser hand-off of a sign-in: the user is asked, the browser opens the authorization URL, and the loopback
// receiver takes the answer. The protocol around it (the URL, the code exchange, `iss`) is the SDK's.
import { isLoopbackHost } from '../../core/config/serverUrl';
import type { LaunchAuth, SignInReason, SignInRequest } from '../../core/auth/authPorts';
import { AuthorizationDeniedError, LoopbackReceiver, SignInTimeoutError } from './loopbackReceiver';
import type { WardenOAuthProvider } from './wardenOAuthProvider';

const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** A sign-in that did not happen: cancelled, timed out, refused, or the browser did not open. `detail` has no secret. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly outcome: 'cancelled' | 'failed',
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

export interface HandOff {
  readonly auth: LaunchAuth;
  readonly provider: WardenOAuthProvider;
  readonly signal: AbortSignal;
  /**
   * Makes a new authorization URL for another redirect URI (the preferred loopback port was taken): the URL's
   * redirect_uri must be the receiver's.
   */
  readonly reissue: (scope: string | undefined) => Promise<URL | undefined>;
}

/** Takes `pending` (the SDK's authorization URL) through the user and the browser; resolves with the callback's query. */
export async function signInThroughBrowser(handOff: HandOff, pending: URL, reason: SignInReason): Promise<URLSearchParams> {
  const { auth, provider, signal } = handOff;
  const issuer = provider.issuer ?? pending.origin;
  const scope = pending.searchParams.get('scope') ?? undefined;
  const request: SignInRequest = { server: provider.server, issuer, ...(scope && { scope }), reason };
  const fail = (message: string, outcome: SignInError['outcome'] = 'failed'): never => {
    auth.record({ server: provider.server, action: outcome === 'cancelled' ? 'sign-in-cancelled' : 'sign-in-failed', issuer, resource: provider.resource, detail: message });
    throw new SignInError(message, outcome);
  };
  const insecure = insecureEndpoint(issuer, pending, provider);
  if (insecure) fail(insecure);

  auth.record({ server: provider.server, action: reason === 'step-up' ? 'step-up' : 'sign-in-needed', issuer, resource: provider.resource, ...(scope && { scope }) });
  auth.onWaiting(request);
  if (!(await auth.user.confirm(request, signal))) {
    fail(`sign-in to ${issuer} was cancelled; use MCP Warden: Sign In (or start the server again) to sign in`, 'cancelled');
  }
  // The same port as last time when it is free: the redirect URI (a forwarded address in code-server and remote
  // windows, which hides the port) then stays the same, and so does the registration made for it.
  const receiver = await LoopbackReceiver.open(provider.loopbackPort ?? loopbackPort(pending.searchParams.get('redirect_uri')));
  try {
    const redirectUri = (await auth.user.externalUrl?.(receiver.url)) ?? receiver.url;
    let url = pending;
    provider.loopbackPort = receiver.port;
    if (redirectUri !== pending.searchParams.get('redirect_uri')) {
      provider.setRedirectUri(redirectUri, receiver.port);
      url = (await handOff.reissue(scope)) ?? fail(`sign-in to ${issuer} could not start: no authorization URL for the new redirect URI`);
    }
    const state = url.searchParams.get('state') ?? fail(`sign-in to ${issuer} could not start: the authorization URL has no state`);
    const timeoutMs = auth.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    const callback = receiver.wait(state, timeoutMs, signal);
    callback.catch(() => undefined);
    if (!(await auth.user.openBrowser(url.href))) fail(`could not open the browser to sign in to ${issuer}; check that a default browser is set, then start the server again`);
    return await callback.catch((error: unknown) => {
      if (error instanceof SignInTimeoutError) return fail(`sign-in to ${issuer} did not finish within ${Math.round(timeoutMs / 1000)} s; start the server again (or use MCP Warden: Sign In) to try again`, 'cancelled');
      if (error instanceof AuthorizationDeniedError) return fail(`sign-in to ${issuer} was refused: ${error.error}`, error.error === 'access_denied' ? 'cancelled' : 'failed');
      throw error;
    });
  } finally {
    await receiver.close();
  }
}

/**
 * The spec wants https for every authorization server endpoint outside loopback; the SDK checks the token endpoint,
 * this checks what the browser and the user are sent to. And PKCE S256 must be advertised when metadata exists.
 */
function insecureEndpoint(issuer: string, authorizationUrl: URL, provider: WardenOAuthProvider): string | undefined {
  for (const [what, text] of [
    ['issuer', issuer],
    ['authorization endpoint', authorizationUrl.href],
  ] as const) {
    const url = new URL(text);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      return `the authorization server's ${what} ${url.origin} is not https; MCP Warden signs in only over https (or to this machine)`;
    }
  }
  const metadata = provider.discoveryState()?.authorizationServerMetadata as { code_challenge_methods_supported?: unknown } | undefined;
  const methods = metadata?.code_challenge_methods_supported;
  if (metadata && !(Array.isArray(methods) && methods.includes('S256'))) {
    return `the authorization server ${issuer} does not advertise PKCE with S256 (code_challenge_methods_supported), so MCP Warden does not sign in to it`;
  }
  return undefined;
}

/** The port of a loopback redirect URI, to listen on it again; undefined for any other URI. */
function loopbackPort(redirectUri: string | null): number | undefined {
  if (!redirectUri) return undefined;
  try {
    const url = new URL(redirectUri);
    return url.hostname === '127.0.0.1' && url.port ? Number(url.port) : undefined;
  } catch {
    return undefined;
  }
}
