// The grants that get tokens with no browser: client credentials (the client's secret or private key), workload
// identity federation (a platform's workload token, RFC 7523 jwt-bearer) and Enterprise-Managed Authorization (an
// enterprise IdP's ID token → ID-JAG by RFC 8693 token exchange → jwt-bearer). The SDK's `auth()` does discovery,
// resource, client authentication and the token request; these providers only say which grant and with what.
import { readFile } from 'node:fs/promises';
import {
  ClientCredentialsProvider,
  CrossAppAccessProvider,
  discoverAndRequestJwtAuthGrant,
  PrivateKeyJwtProvider,
  requestJwtAuthorizationGrant,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import type { LaunchAuth } from '../../core/auth/authPorts';
import type { EnterpriseIdp, TokenSource } from '../../core/auth/oauthSettings';
import { LaunchError } from '../../core/lifecycle/launchError';
import { errorMessage } from '../../core/ports';
import { CLIENT_NAME } from './wardenOAuthProvider';

/** RFC 7523 §2.1: an assertion used as an authorization grant. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The provider of a grant without a browser; undefined for `authorization_code`. */
export function machineProvider(launch: LaunchAuth, keyPath: string, env: NodeJS.ProcessEnv = process.env): OAuthClientProvider | undefined {
  const { settings } = launch;
  const key = `${keyPath}.oauth`;
  const clientId = settings.clientId;
  const scope = settings.scopes?.join(' ');
  const needClientId = () => new LaunchError(`${key}.clientId: the ${settings.grant} grant needs the client id registered with the authorization server`, false);
  switch (settings.grant) {
    case 'authorization_code':
      return undefined;
    case 'client_credentials': {
      if (!clientId) throw needClientId();
      if (launch.privateKey !== undefined || settings.clientAuth === 'private_key_jwt') {
        if (!launch.privateKey) throw new LaunchError(`${key}.privateKey: private_key_jwt needs the PEM private key, as an \${input:…} reference`, false);
        launch.addSecrets?.([launch.privateKey]);
        return new PrivateKeyJwtProvider({ clientId, privateKey: launch.privateKey, algorithm: settings.signingAlgorithm ?? 'ES256', clientName: CLIENT_NAME, ...(scope && { scope }) });
      }
      if (!launch.clientSecret) throw new LaunchError(`${key}.clientSecret: the client_credentials grant needs the client secret (or oauth.privateKey), as an \${input:…} reference`, false);
      launch.addSecrets?.([launch.clientSecret]);
      return new ClientCredentialsProvider({ clientId, clientSecret: launch.clientSecret, clientName: CLIENT_NAME, ...(scope && { scope }) });
    }
    case 'jwt_bearer': {
      if (!clientId) throw needClientId();
      const source = settings.assertion;
      if (!source) throw new LaunchError(`${key}: the jwt_bearer grant needs assertionFile or assertionEnv`, false);
      if (launch.clientSecret) launch.addSecrets?.([launch.clientSecret]);
      const assertion = () => readToken(source, `${key}.${'file' in source ? 'assertionFile' : 'assertionEnv'}`, 'the workload token', launch, env);
      return new WorkloadIdentityProvider({ clientId, ...(launch.clientSecret && { clientSecret: launch.clientSecret }), ...(scope && { scope }), assertion });
    }
    case 'enterprise_managed': {
      if (!clientId) throw needClientId();
      if (!launch.clientSecret) throw new LaunchError(`${key}.clientSecret: the enterprise_managed grant needs the client secret at the server's authorization server, as an \${input:…} reference`, false);
      const idp = settings.idp;
      if (!idp) throw new LaunchError(`${key}.idp: the enterprise_managed grant needs the identity provider`, false);
      if (idp.clientSecret && launch.idpClientSecret === undefined) {
        throw new LaunchError(`${key}.idp.clientSecret: it has no answer; give one when MCP Warden asks, or remove it for a public client`, false);
      }
      launch.addSecrets?.([launch.clientSecret, ...(launch.idpClientSecret ? [launch.idpClientSecret] : [])]);
      return new CrossAppAccessProvider({
        clientId,
        clientSecret: launch.clientSecret,
        clientName: CLIENT_NAME,
        assertion: (context) => idJag(idp, `${key}.idp`, launch, env, context),
      });
    }
  }
}

/** Exchanges the user's ID token at the IdP for an ID-JAG for this server's authorization server and resource. */
async function idJag(
  idp: EnterpriseIdp,
  key: string,
  launch: LaunchAuth,
  env: NodeJS.ProcessEnv,
  context: { authorizationServerUrl: string; resourceUrl: string; scope?: string; fetchFn: Parameters<typeof requestJwtAuthorizationGrant>[0]['fetchFn'] },
): Promise<string> {
  const idToken = await readToken(idp.idToken, `${key}.${'file' in idp.idToken ? 'idTokenFile' : 'idTokenEnv'}`, "the identity provider's ID token", launch, env);
  const request = {
    audience: context.authorizationServerUrl,
    resource: context.resourceUrl,
    idToken,
    clientId: idp.clientId,
    ...(launch.idpClientSecret && { clientSecret: launch.idpClientSecret }),
    ...(context.scope && { scope: context.scope }),
    ...(context.fetchFn && { fetchFn: context.fetchFn }),
  };
  const at = idp.tokenEndpoint ?? idp.issuer ?? '';
  try {
    const result = idp.tokenEndpoint
      ? await requestJwtAuthorizationGrant({ ...request, tokenEndpoint: idp.tokenEndpoint })
      : await discoverAndRequestJwtAuthGrant({ ...request, idpUrl: at });
    launch.addSecrets?.([result.jwtAuthGrant]);
    return result.jwtAuthGrant;
  } catch (error) {
    // The SDK's message names the OAuth error, never the token it sent.
    throw new Error(`the identity provider ${new URL(at).origin} did not exchange the ID token for an ID-JAG: ${errorMessage(error)}`, { cause: error });
  }
}

/** Reads a token from its file or variable, now: the platform may have rotated it since the last request. */
export async function readToken(source: TokenSource, key: string, what: string, launch: Pick<LaunchAuth, 'addSecrets'>, env: NodeJS.ProcessEnv): Promise<string> {
  let value: string | undefined;
  if ('file' in source) {
    const path = expandEnv(source.file, key, env);
    try {
      value = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new Error(`${key}: could not read ${what} from ${path}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: error });
    }
  } else {
    value = env[source.env]?.trim();
    if (value === undefined) throw new Error(`${key}: the environment variable ${source.env} that should hold ${what} is not set in the editor's environment`);
  }
  if (!value) throw new Error(`${key}: ${what} is empty`);
  launch.addSecrets?.([value]);
  return value;
}

function expandEnv(path: string, key: string, env: NodeJS.ProcessEnv): string {
  return path.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${key}: the environment variable ${name} in the path is not set in the editor's environment`);
    return value;
  });
}

export interface WorkloadIdentityOptions {
  readonly clientId: string;
  /** For an authorization server that wants the workload's client authenticated too (client_secret_basic). */
  readonly clientSecret?: string;
  readonly scope?: string;
  /** The workload token, read for every token request. */
  readonly assertion: () => Promise<string>;
}

/**
 * Workload identity federation (SEP-1933): the token request is an RFC 7523 jwt-bearer grant whose assertion is the
 * workload token. Tokens live in memory for the launch, as the SDK's client-credentials providers keep them: a new
 * launch asks again with the platform's current token.
 */
export class WorkloadIdentityProvider implements OAuthClientProvider {
  private current: OAuthTokens | undefined;

  constructor(private readonly options: WorkloadIdentityOptions) {}

  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: CLIENT_NAME,
      redirect_uris: [],
      grant_types: [JWT_BEARER_GRANT],
      token_endpoint_auth_method: this.options.clientSecret ? 'client_secret_basic' : 'none',
      ...(this.options.scope && { scope: this.options.scope }),
    };
  }

  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.options.clientId, ...(this.options.clientSecret && { client_secret: this.options.clientSecret }) };
  }

  tokens(): OAuthTokens | undefined {
    return this.current;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.current = tokens;
  }

  redirectToAuthorization(): void {
    throw new Error('the jwt_bearer grant has no browser sign-in');
  }

  saveCodeVerifier(): void {
    // No authorization code, no verifier.
  }

  codeVerifier(): string {
    throw new Error('the jwt_bearer grant has no PKCE verifier');
  }

  async prepareTokenRequest(scope?: string): Promise<URLSearchParams> {
    const params = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: await this.options.assertion() });
    if (scope) params.set('scope', scope);
    return params;
  }
}
