// What a user would write in settings for an auth scenario of the conformance suite, from MCP_CONFORMANCE_CONTEXT:
// the `oauth` field of the server definition (a pre-registered client, client credentials, a workload token file,
// an enterprise IdP), the answers to its `${input:…}` secrets, which go through the launch's input mechanism as in
// the editor, and the token files a platform or an IdP sign-in would have written. Pure: the caller writes them.
import type { ScenarioContext } from './scenarios';

/** MCP Warden's Client ID Metadata Document URL in the conformance run (the suite's test authorization server knows it). */
export const CONFORMANCE_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

export interface ScenarioAuth {
  /** The definition's `oauth`, as written in settings; undefined: the defaults. */
  readonly oauth?: Readonly<Record<string, unknown>>;
  /** Answers to `${input:id}`. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Files to write before the start (path → content): the workload token, the user's ID token. */
  readonly files?: Readonly<Record<string, string>>;
}

/** `folder`: an absolute folder of the run's own, where token files go. */
export function scenarioAuth(scenario: string, context: ScenarioContext, folder = '/tmp'): ScenarioAuth {
  const text = (key: string): string | undefined => (typeof context[key] === 'string' ? (context[key] as string) : undefined);
  const clientId = text('client_id');
  const clientSecret = text('client_secret');
  const privateKey = text('private_key_pem');
  if (scenario === 'auth/client-credentials-jwt' && clientId && privateKey) {
    return {
      oauth: { grant: 'client_credentials', clientId, privateKey: '${input:privateKey}', signingAlgorithm: text('signing_algorithm') ?? 'ES256' },
      inputs: { privateKey },
    };
  }
  if (scenario === 'auth/client-credentials-basic' && clientId && clientSecret) {
    return { oauth: { grant: 'client_credentials', clientId, clientSecret: '${input:clientSecret}' }, inputs: { clientSecret } };
  }
  // Workload identity federation: the platform keeps the workload token in a file (as Kubernetes does).
  const workloadToken = text('valid_jwt');
  if (scenario === 'auth/wif-jwt-bearer' && clientId && workloadToken) {
    const assertionFile = `${folder}/workload-token.jwt`;
    return { oauth: { grant: 'jwt_bearer', clientId, assertionFile }, inputs: {}, files: { [assertionFile]: workloadToken } };
  }
  // Enterprise-Managed Authorization: the ID token of the user's IdP sign-in, which the suite hands over, in a file.
  // The token endpoint rather than the issuer: the suite's IdP serves an OpenID configuration without the fields
  // OpenID Connect Discovery requires (subject_types_supported, id_token_signing_alg_values_supported).
  const idToken = text('idp_id_token');
  const idpTokenEndpoint = text('idp_token_endpoint');
  const idpClientId = text('idp_client_id');
  if (idToken && idpTokenEndpoint && idpClientId && clientId && clientSecret) {
    const idTokenFile = `${folder}/id-token.jwt`;
    return {
      oauth: { grant: 'enterprise_managed', clientId, clientSecret: '${input:clientSecret}', idp: { tokenEndpoint: idpTokenEndpoint, clientId: idpClientId, idTokenFile } },
      inputs: { clientSecret },
      files: { [idTokenFile]: idToken },
    };
  }
  if (clientId) {
    return { oauth: { clientId, ...(clientSecret && { clientSecret: '${input:clientSecret}' }) }, inputs: clientSecret ? { clientSecret } : {} };
  }
  return { inputs: {} };
}
