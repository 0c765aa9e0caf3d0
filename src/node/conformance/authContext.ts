// What a user would write in settings for an auth scenario of the conformance suite, from MCP_CONFORMANCE_CONTEXT:
// the `oauth` field of the server definition (a pre-registered client, client credentials) and the answers to its
// `${input:…}` secrets, which go through the launch's input mechanism as in the editor. Pure.
import type { ScenarioContext } from './scenarios';

/** MCP Warden's Client ID Metadata Document URL in the conformance run (the suite's test authorization server knows it). */
export const CONFORMANCE_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

export interface ScenarioAuth {
  /** The definition's `oauth`, as written in settings; undefined: the defaults. */
  readonly oauth?: Readonly<Record<string, unknown>>;
  /** Answers to `${input:id}`. */
  readonly inputs: Readonly<Record<string, string>>;
}

export function scenarioAuth(scenario: string, context: ScenarioContext): ScenarioAuth {
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
  if (clientId) {
    return { oauth: { clientId, ...(clientSecret && { clientSecret: '${input:clientSecret}' }) }, inputs: clientSecret ? { clientSecret } : {} };
  }
  return { inputs: {} };
}
