// The `oauth` field of an http/sse server definition, checked key by key: every problem names its key path, and a
// secret written into settings is refused (it must be an `${input:…}` reference, answered into secret storage).
import { DEFAULT_OAUTH_SETTINGS, type ClientAuthMethod, type EnterpriseIdp, type OAuthGrant, type OAuthSettings, type TokenSource } from '../auth/oauthSettings';
import type { ConfigProblem } from './serverDefinition';
import { isLoopbackHost } from './serverUrl';

const KEYS = ['enabled', 'grant', 'clientId', 'clientSecret', 'privateKey', 'signingAlgorithm', 'clientAuth', 'scopes', 'assertionFile', 'assertionEnv', 'idp'];
const IDP_KEYS = ['issuer', 'tokenEndpoint', 'clientId', 'clientSecret', 'idTokenFile', 'idTokenEnv'];
const GRANTS: readonly OAuthGrant[] = ['authorization_code', 'client_credentials', 'jwt_bearer', 'enterprise_managed'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An absolute path (POSIX or Windows), or one that starts with an `${env:…}` variable naming one. */
const TOKEN_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\|\$\{env:[^}]+\})/;
const CLIENT_AUTH: readonly ClientAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const INPUT_REFERENCE = /^\$\{input:[^}]+\}$/;

/** Parses `raw` (the value of `<keyPath>`); settings only when there is no problem. */
export function parseOAuthField(raw: unknown, keyPath: string): { readonly settings?: OAuthSettings; readonly problems: readonly ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (key: string | undefined, message: string) => problems.push({ keyPath: key ? `${keyPath}.${key}` : keyPath, message });
  if (!isObject(raw)) {
    problem(undefined, `must be an object (${KEYS.join(', ')})`);
    return { problems };
  }
  const o = raw;
  for (const key of Object.keys(o)) if (!KEYS.includes(key)) problem(key, `is not an oauth setting (allowed: ${KEYS.join(', ')})`);
  const read = fieldReader(o, '', problem);

  let enabled = DEFAULT_OAUTH_SETTINGS.enabled;
  if (o['enabled'] !== undefined) {
    if (typeof o['enabled'] !== 'boolean') problem('enabled', 'must be true or false');
    else enabled = o['enabled'];
  }
  const grant = read.oneOf('grant', GRANTS) ?? DEFAULT_OAUTH_SETTINGS.grant;
  const clientId = read.text('clientId');
  const clientSecret = read.secret('clientSecret');
  const privateKey = read.secret('privateKey');
  const signingAlgorithm = read.oneOf('signingAlgorithm', ALGORITHMS);
  const clientAuth = read.oneOf('clientAuth', CLIENT_AUTH);
  let scopes: string[] | undefined;
  if (o['scopes'] !== undefined) {
    const value = o['scopes'];
    if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s.trim() === '' || /\s/.test(s))) problem('scopes', 'must be an array of scope names (no spaces)');
    else scopes = value as string[];
  }
  const assertion = read.tokenSource('assertionFile', 'assertionEnv', 'the workload token');
  const idp = o['idp'] === undefined ? undefined : parseIdp(o['idp'], problem);

  const needs = (key: string, why: string) => {
    if (o[key] === undefined) problem(key, `is required ${why}`);
  };
  const onlyWith = (key: string, grants: readonly OAuthGrant[]) => {
    if (o[key] !== undefined && !grants.includes(grant)) problem(key, `is used only with grant ${grants.join(' or ')}`);
  };
  if ((clientSecret || privateKey) && grant === 'authorization_code' && o['clientId'] === undefined) problem('clientId', 'is required with clientSecret or privateKey: they belong to a registered client');
  if (grant === 'client_credentials') {
    needs('clientId', 'for grant client_credentials');
    if (o['clientSecret'] === undefined && o['privateKey'] === undefined) problem(undefined, 'grant client_credentials needs clientSecret or privateKey');
  }
  if (grant === 'jwt_bearer') {
    needs('clientId', 'for grant jwt_bearer: the client the authorization server knows the workload by');
    if (o['assertionFile'] === undefined && o['assertionEnv'] === undefined) problem(undefined, 'grant jwt_bearer needs assertionFile (the path of the workload token) or assertionEnv (the variable that holds it)');
  }
  if (grant === 'enterprise_managed') {
    needs('clientId', "for grant enterprise_managed: MCP Warden's client at the server's authorization server");
    needs('clientSecret', 'for grant enterprise_managed: the ID-JAG is presented with client_secret_basic');
    needs('idp', 'for grant enterprise_managed: the enterprise identity provider (issuer or tokenEndpoint, clientId, idTokenFile or idTokenEnv)');
  }
  onlyWith('assertionFile', ['jwt_bearer']);
  onlyWith('assertionEnv', ['jwt_bearer']);
  onlyWith('idp', ['enterprise_managed']);
  onlyWith('privateKey', ['client_credentials']);
  if (clientAuth === 'private_key_jwt' && o['privateKey'] === undefined) problem('privateKey', 'is required with clientAuth private_key_jwt');
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
    ...(assertion && { assertion }),
    ...(idp && { idp }),
  };
  return { settings, problems };
}

function parseIdp(raw: unknown, problem: (key: string | undefined, message: string) => void): EnterpriseIdp | undefined {
  if (!isObject(raw)) {
    problem('idp', `must be an object (${IDP_KEYS.join(', ')})`);
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!IDP_KEYS.includes(key)) problem(`idp.${key}`, `is not an idp setting (allowed: ${IDP_KEYS.join(', ')})`);
  const read = fieldReader(raw, 'idp.', problem);
  const issuer = read.endpoint('issuer');
  const tokenEndpoint = read.endpoint('tokenEndpoint');
  const clientId = read.text('clientId');
  const clientSecret = read.secret('clientSecret');
  const idToken = read.tokenSource('idTokenFile', 'idTokenEnv', "the user's ID token");
  if ((raw['issuer'] === undefined) === (raw['tokenEndpoint'] === undefined)) problem('idp', 'needs exactly one of issuer (its token endpoint is discovered) and tokenEndpoint');
  if (raw['clientId'] === undefined) problem('idp.clientId', "is required: MCP Warden's client id at the identity provider");
  if (raw['idTokenFile'] === undefined && raw['idTokenEnv'] === undefined) problem('idp', "needs idTokenFile or idTokenEnv: where the user's ID token from the identity provider is read");
  if (!clientId || !idToken) return undefined;
  return { clientId, idToken, ...(issuer && { issuer }), ...(tokenEndpoint && { tokenEndpoint }), ...(clientSecret && { clientSecret }) };
}

/** Typed reads of the keys of one object; `prefix` is its path below the oauth field (`idp.`). */
function fieldReader(o: Record<string, unknown>, prefix: string, problem: (key: string | undefined, message: string) => void) {
  const at = (key: string) => `${prefix}${key}`;
  const text = (key: string): string | undefined => {
    const value = o[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') problem(at(key), 'must be a non-empty string');
    else return value;
    return undefined;
  };
  const secret = (key: string): string | undefined => {
    const value = o[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !INPUT_REFERENCE.test(value.trim())) {
      // Never echo the value: it may be the secret itself.
      problem(at(key), 'a secret must be an ${input:…} reference (defined in mcpWarden.inputs with "password": true), not the secret itself');
      return undefined;
    }
    return value.trim();
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const value = o[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) problem(at(key), `must be one of ${allowed.join(', ')}`);
    else return value as T;
    return undefined;
  };
  const endpoint = (key: string): string | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
      problem(at(key), 'must be an https URL (http only on this machine)');
      return undefined;
    }
    return value;
  };
  /** A token read when needed: a file path or an environment variable's name, never the token itself. */
  const tokenSource = (fileKey: string, envKey: string, what: string): TokenSource | undefined => {
    const file = o[fileKey];
    const env = o[envKey];
    if (file !== undefined && env !== undefined) problem(at(envKey), `cannot be used with ${at(fileKey)}: ${what} is read from one place`);
    if (file !== undefined) {
      // Never echo the value: a token pasted here instead of a path is a secret.
      if (typeof file !== 'string' || !TOKEN_PATH.test(file.trim())) problem(at(fileKey), `must be the absolute path of the file that holds ${what} (it may start with \${env:NAME}), not the token itself`);
      else return { file: file.trim() };
    } else if (env !== undefined) {
      if (typeof env !== 'string' || !ENV_NAME.test(env)) problem(at(envKey), `must be the name of the environment variable that holds ${what}, not the token itself`);
      else return { env };
    }
    return undefined;
  };
  return { text, secret, oneOf, endpoint, tokenSource };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
