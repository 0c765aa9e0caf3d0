// What a failed OAuth start tells the user: which authorization server, what went wrong, what to change.
import { InsecureTokenEndpointError, OAuthError, SdkHttpError, UnauthorizedError } from '@modelcontextprotocol/client';
import { LaunchError } from '../../core/lifecycle/launchError';
import { errorMessage } from '../../core/ports';
import { WardenOAuthProvider } from './wardenOAuthProvider';
import type { ServerAuth } from './serverAuth';

/** A LaunchError for an auth failure of an http/sse start with OAuth, or undefined when the error is not about auth. */
export function oauthLaunchError(error: unknown, url: string, keyPath: string, oauth: ServerAuth): LaunchError | undefined {
  const provider = oauth.provider;
  const issuer = provider instanceof WardenOAuthProvider ? provider.issuer : undefined;
  const at = issuer ? ` at ${issuer}` : '';
  const message = errorMessage(error);
  if (/does not support dynamic client registration/.test(message)) {
    return new LaunchError(
      `the authorization server${at} offers neither dynamic client registration nor a Client ID Metadata Document MCP Warden can use: register MCP Warden there and set ${keyPath}.oauth.clientId (and oauth.clientSecret if it has one)`,
      false,
    );
  }
  if (error instanceof InsecureTokenEndpointError) return new LaunchError(`sign-in refused: ${message}; MCP Warden signs in only over https (or to this machine)`, false);
  if (error instanceof OAuthError) return new LaunchError(`sign-in${at} failed: ${message}`, false);
  if (error instanceof UnauthorizedError || (error instanceof SdkHttpError && (error.status === 401 || error.status === 403))) {
    const what = error instanceof SdkHttpError ? `HTTP ${error.status}` : 'that authorization is needed';
    return new LaunchError(`${url} answered ${what} even after signing in${at}: ${message}`, false);
  }
  if (error instanceof Error && /issuer|authorization server|resource/i.test(error.name + message) && /mismatch|does not match|not allowed|invalid/i.test(message)) {
    return new LaunchError(`sign-in${at} refused: ${message}`, false);
  }
  return undefined;
}
