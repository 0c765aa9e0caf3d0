import type { OAuthSettings } from '../auth/oauthSettings';
import { LaunchError } from '../lifecycle/launchError';
import { isSecretKey, keyWords } from '../secretKeys';
import { checkServerUrl } from './serverUrl';
import { definitionStrings, type ServerDefinition } from './serverDefinition';
import { inputIds, isPublicEnvVariable, substituteVariables, VariableError, type VariableContext } from './variables';

/** A definition with every variable replaced: what a launcher needs to start the server. */
export type LaunchSpec = (
  | {
      readonly type: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      /** `env` over `envFile`; `null` removes an inherited variable. */
      readonly env: Readonly<Record<string, string | null>>;
      readonly cwd?: string;
      /** A delegating server's run: the gateway's port, which its sandbox lets it reach (and no other loopback port). */
      readonly gateway?: { readonly port: number };
    }
  | {
      readonly type: 'http' | 'sse';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      /** The definition's `oauth` settings, with clientSecret and privateKey answered (they are in `secrets` too). */
      readonly oauth?: ResolvedOAuth;
    }
) & {
  /**
   * Values never to be written to a log: answers to inputs, env file values, `${env:NAME}` values (but those of
   * public variables such as HOME or PATH), and the values of env variables and headers with secret-looking names.
   */
  readonly secrets: readonly string[];
};

/** The `oauth` of an http/sse launch: the settings as written, and the answers of their `${input:…}` secrets. */
export interface ResolvedOAuth {
  readonly settings: OAuthSettings;
  readonly clientSecret?: string;
  readonly privateKey?: string;
}

export interface LaunchSpecPorts {
  readonly variables: VariableContext;
  /** The answer for `${input:id}`, asked once and kept in secret storage; undefined when the user cancels. */
  askInput(id: string, serverName: string): Promise<string | undefined>;
  /** The variables of a dotenv file. */
  loadEnvFile(path: string): Promise<Record<string, string>>;
}

/** Resolves every variable of a definition. Throws a non-retryable `LaunchError` naming the setting key at fault. */
export async function resolveLaunchSpec(definition: ServerDefinition, keyPath: string, ports: LaunchSpecPorts): Promise<LaunchSpec> {
  const inputs = new Map<string, string>();
  for (const id of inputIds(definitionStrings(definition))) {
    const value = await ports.askInput(id, definition.name);
    if (value === undefined) throw new LaunchError(`no value was given for \${input:${id}}, so the server was not started`, false);
    inputs.set(id, value);
  }
  const { variables } = ports;
  const secrets = new Set(inputs.values());
  // Folders and the home directory are in every path a server logs; hiding them would hide nothing secret.
  const publicValues = new Set([variables.userHome, ...variables.workspaceFolders.map((f) => f.path)]);
  /** `named`: the value of a variable or header with a secret-looking name, so a short number counts too. */
  const addSecret = (value: string, named = false) => {
    if (!publicValues.has(value) && !isSettingWord(value) && (named || !/^\d{1,5}$/.test(value))) secrets.add(value);
  };
  const onEnv = (name: string, value: string) => {
    if (!isPublicEnvVariable(name)) addSecret(value, isSecretName(name));
  };
  const resolve = (key: string, text: string): string => {
    try {
      return substituteVariables(text, variables, inputs, onEnv);
    } catch (error) {
      if (error instanceof VariableError) throw new LaunchError(`${keyPath}.${key}: ${error.message}`, false);
      throw error;
    }
  };
  const finish = () => [...secrets].filter((v) => v.length >= 4);

  if (definition.type !== 'stdio') {
    const url = resolve('url', definition.url);
    const urlProblem = checkServerUrl(url);
    if (urlProblem) throw new LaunchError(`${keyPath}.url ${urlProblem}`, false);
    const headers = Object.fromEntries(Object.entries(definition.headers).map(([k, v]) => [k, resolve(`headers.${k}`, v)]));
    for (const [name, value] of Object.entries(headers)) {
      if (isSecretName(name)) addSecret(value.replace(/^(?:Bearer|Basic|Token)\s+/i, ''), true);
    }
    const settings = definition.oauth;
    const oauth: ResolvedOAuth | undefined = settings && {
      settings,
      ...(settings.clientSecret && { clientSecret: resolve('oauth.clientSecret', settings.clientSecret) }),
      ...(settings.privateKey && { privateKey: resolve('oauth.privateKey', settings.privateKey) }),
    };
    return { type: definition.type, url, headers, ...(oauth && { oauth }), secrets: finish() };
  }

  // Relative paths are relative to the workspace folder, not to the extension host's working directory.
  const inFolder = (key: 'cwd' | 'envFile', path: string): string => {
    if (isAbsolutePath(path)) return path;
    const folder = variables.workspaceFolders[0]?.path;
    if (folder === undefined) {
      throw new LaunchError(`${keyPath}.${key}: '${path}' is a relative path and no workspace folder is open; give an absolute path`, false);
    }
    return joinPath(folder, path, variables.pathSeparator);
  };

  let env: Record<string, string | null> = {};
  if (definition.envFile) {
    const envFile = inFolder('envFile', resolve('envFile', definition.envFile));
    try {
      env = { ...(await ports.loadEnvFile(envFile)) };
    } catch (error) {
      throw new LaunchError(`${keyPath}.envFile: cannot read '${envFile}': ${error instanceof Error ? error.message : String(error)}`, false);
    }
    for (const value of Object.values(env)) if (value !== null) addSecret(value);
  }
  for (const [name, value] of Object.entries(definition.env)) {
    env[name] = value === null ? null : resolve(`env.${name}`, value);
  }
  // A literal value under a name like API_TOKEN is a secret too, even if it was written into settings.
  for (const [name, value] of Object.entries(env)) if (value !== null && isSecretName(name)) addSecret(value, true);
  const cwd = definition.cwd ? inFolder('cwd', resolve('cwd', definition.cwd)) : variables.workspaceFolders[0]?.path;
  return {
    type: 'stdio',
    command: resolve('command', definition.command),
    args: definition.args.map((arg, i) => resolve(`args[${i}]`, arg)),
    env,
    ...(cwd !== undefined && { cwd }),
    secrets: finish(),
  };
}

/** Env variables and headers named like secrets, and any named `…_KEY` / `X-…-Key` (STRIPE_KEY, X-Functions-Key). */
function isSecretName(name: string): boolean {
  return isSecretKey(name) || keyWords(name).at(-1) === 'key';
}

/**
 * Values that are settings, not secrets, whatever their name (AUTH=none): hiding "true" would hide it in every
 * log line. Unnamed short numbers (a port from an env file) are left alone too, in `addSecret`.
 */
function isSettingWord(value: string): boolean {
  return /^(?:true|false|yes|no|on|off|none|null|undefined)$/i.test(value);
}

/** `/x`, `\\server\share`, `C:\x`, `C:/x`: paths that do not depend on a working directory. */
function isAbsolutePath(path: string): boolean {
  return /^(?:[\\/]|[A-Za-z]:)/.test(path);
}

/** `folder` + `path` with the platform's separator; a leading `./` is dropped (core has no node:path). */
function joinPath(folder: string, path: string, separator: string): string {
  const relative = path.replace(/^\.(?:[\\/]+|$)/, '');
  if (relative === '') return folder;
  return /[\\/]$/.test(folder) ? folder + relative : folder + separator + relative;
}
