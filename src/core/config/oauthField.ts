// The `oauth` field of an http/sse server definition, checked key by key: every problem names its key path, and a
// secret written into settings is refused (it must be an `${input:…}` reference, answered into secret storage).
import { DEFAULT_OAUTH_SETTINGS, type ClientAuthMethod, type OAuthSettings } from '../auth/oauthSettings';
import type { ConfigProblem } from './serverDefinition';

const KEYS = ['enabled', 'grant', 'clientId', 'clientSecret', 'privateKey', 'signingAlgorithm', 'clientAuth', 'scopes'];
const GRANTS = ['authorization_code', 'client_credentials'] as const;
const CLIENT_AUTH: readonly ClientAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const INPUT_REFERENCE = /^\$\{input:[^}]+\}$/;

/** Parses `raw` (the value of `<keyPath>`); settings only when there is no problem. */
export function parseOAuthField(raw: unknown, keyPath: string): { readonly settings?: OAuthSettings; readonly problems: readonly ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (key: string | undefined, message: string) => problems.push({ keyPath: key ? `${keyPath}.${key}` : keyPath, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problem(undefined, 'must be an object (enabled, grant, clientId, clientSecret, privateKey, signingAlgorithm, clientAuth, scopes)');
    return { problems };
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KEYS.includes(key)) problem(key, `is not an oauth setting (allowed: ${KEYS.join(', ')})`);

  const text = (key: string): string | undefined => {
    const value = o[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') problem(key, 'must be a non-empty string');
    else return value;
    return undefined;
  };
  const secret = (key: string): string | undefined => {
    const value = o[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !INPUT_REFERENCE.test(value.trim())) {
      // Never echo the value: it may be the secret itself.
      problem(key, 'a secret must be an ${input:…} reference (defined in mcpWarden.inputs with "password": true), not the secret itself');
      return undefined;
    }
    return value.trim();
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const value = o[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) problem(key, `must be one of ${allowed.join(', ')}`);
    else return value as T;
    return undefined;
  };

  let enabled = DEFAULT_OAUTH_SETTINGS.enabled;
  if (o['enabled'] !== undefined) {
    if (typeof o['enabled'] !== 'boolean') problem('enabled', 'must be true or false');
    else enabled = o['enabled'];
  }
  const grant = oneOf('grant', GRANTS) ?? DEFAULT_OAUTH_SETTINGS.grant;
  const clientId = text('clientId');
  const clientSecret = secret('clientSecret');
  const privateKey = secret('privateKey');
  const signingAlgorithm = oneOf('signingAlgorithm', ALGORITHMS);
  const clientAuth = oneOf('clientAuth', CLIENT_AUTH);
  let scopes: string[] | undefined;
  if (o['scopes'] !== undefined) {
    const value = o['scopes'];
    if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s.trim() === '' || /\s/.test(s))) problem('scopes', 'must be an array of scope names (no spaces)');
    else scopes = value as string[];
  }

  if ((clientSecret || privateKey) && grant !== 'client_credentials' && o['clientId'] === undefined) problem('clientId', 'is required with clientSecret or privateKey: they belong to a registered client');
  if (grant === 'client_credentials') {
    if (o['clientId'] === undefined) problem('clientId', 'is required for grant client_credentials');
    if (o['clientSecret'] === undefined && o['privateKey'] === undefined) problem(undefined, 'grant client_credentials needs clientSecret or privateKey');
  }
  if (clientAuth === 'private_key_jwt' && o['privateKey'] === undefined) problem('privateKey', 'is required with clientAuth private_key_jwt');
  if (privateKey && grant !== 'client_credentials') problem('privateKey', 'is used only with grant client_credentials');
  if (problems.length > 0) return { problems };

  const settings: OAuthSettings = {
    enabled,
    grant,
    ...(clientId && { clientId }),
    ...(clientSecret && { clientSecret }),
    ...(privateKey && { privateKey }),
    ...(signingAlgorithm && { signingAlgorithm }),
    ...(clientAuth && { clientAuth }),
    ...(scopes && { scopes }),
  };
  return { settings, problems };
}
