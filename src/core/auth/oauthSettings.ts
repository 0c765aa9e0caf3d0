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
   * server; MCP Warden gets tokens with the client's own credentials, no user and no browser.
   */
  readonly grant: 'authorization_code' | 'client_credentials';
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
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = { enabled: true, grant: 'authorization_code' };
