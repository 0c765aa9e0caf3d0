import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/client/stdio';

/**
 * Variables a stdio server inherits from the editor. Everything else (tokens, cloud credentials the editor was
 * started with) stays out unless the definition passes it with `env` or `${env:NAME}`.
 */
export const INHERITED_VARIABLES: readonly string[] = [
  ...DEFAULT_INHERITED_ENV_VARS,
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** The environment of a stdio server: the inherited variables, then the definition's (`null` removes one). */
export function serverEnvironment(
  definitionEnv: Readonly<Record<string, string | null>>,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = parentEnv[name];
    // A value starting with "()" is an exported shell function: never pass those on.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  for (const [name, value] of Object.entries(definitionEnv)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}
