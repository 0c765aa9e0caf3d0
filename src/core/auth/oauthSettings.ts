// The `oauth` field of an http/sse server definition: how MCP Warden identifies itself to the server's
// authorization server. Absent: sign in with the spec's default order (Client ID Metadata Document, then dynamic
// registration, then asking the user for a client id). Secrets (clientSecret, privateKey) are `${input:…}`
// references, answered once and kept in SecretStorage: a literal secret in settings is refused.

/** How the client authenticates at the token endpoint (RFC 7591 `token_endpoint_auth_method`). */
export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface OAuthSettings {
  /** `false`: never sign in; a 401 is an error. */
  readonly enabled: boolean;
  /**
   * `authorization_code` (default): a user signs in through the browser. `client_credentials`: a machine-to-machine
   * server; MCP Warden gets tokens with the client's own credentials, no user and no browser. `jwt_bearer`: workload
   * identity federation (RFC 7523, SEP-1933): the platform's workload token is exchanged for an access token.
   * `enterprise_managed`: Enterprise-Managed Authorization (SEP-990): the enterprise IdP's ID token is exchanged at
   * the IdP for an ID-JAG (RFC 8693), which the server's authorization server takes as a jwt-bearer grant.
   */
  readonly grant: OAuthGrant;
  /** A client id registered with the authorization server beforehand: used before anything else. */
  readonly clientId?: string;
  /** Its secret, an `${input:…}` reference (resolved into LaunchAuth.clientSecret). */
  readonly clientSecret?: string;
  /** The PEM private key for `private_key_jwt`, an `${input:…}` reference. */
  readonly privateKey?: string;
  /** JWS algorithm for `private_key_jwt` (default ES256). */
  readonly signingAlgorithm?: string;
  /** Overrides what the authorization server is told; default: chosen from its metadata and the credentials. */
  readonly clientAuth?: ClientAuthMethod;
  /** Scopes to ask for instead of the server's `WWW-Authenticate` / `scopes_supported`. */
  readonly scopes?: readonly string[];
  /** `jwt_bearer`: where the workload token is read, afresh for every token request (platforms rotate it). */
  readonly assertion?: TokenSource;
  /** `enterprise_managed`: the enterprise identity provider. */
  readonly idp?: EnterpriseIdp;
}

export type OAuthGrant = 'authorization_code' | 'client_credentials' | 'jwt_bearer' | 'enterprise_managed';

/**
 * A short-lived token MCP Warden reads when it needs it, never from settings: a file the platform keeps current
 * (a Kubernetes projected service account token, AZURE_FEDERATED_TOKEN_FILE, AWS_WEB_IDENTITY_TOKEN_FILE), or an
 * environment variable of the editor's process. The path may hold `${env:NAME}`.
 */
export type TokenSource = { readonly file: string } | { readonly env: string };

export interface EnterpriseIdp {
  /** The IdP's issuer: its token endpoint is discovered (RFC 8414, then OpenID Connect discovery). */
  readonly issuer?: string;
  /** The IdP's token endpoint, when it is not discovered from `issuer`. */
  readonly tokenEndpoint?: string;
  /** MCP Warden's client id at the IdP. */
  readonly clientId: string;
  /** Its secret at the IdP, an `${input:…}` reference; absent for a public client. */
  readonly clientSecret?: string;
  /** Where the user's ID token from the IdP is read, afresh for every exchange (an ID token expires within the hour). */
  readonly idToken: TokenSource;
}

/** Only the authorization code grant signs in through the browser; the others get tokens with no hand-off. */
export function usesBrowser(grant: OAuthGrant): boolean {
  return grant === 'authorization_code';
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = { enabled: true, grant: 'authorization_code' };
