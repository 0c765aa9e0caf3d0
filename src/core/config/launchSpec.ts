import { LaunchError } from '../lifecycle/launchError';
import { isSecretKey } from '../redaction';
import { checkServerUrl } from './serverUrl';
import { definitionStrings, type ServerDefinition } from './serverDefinition';
import { inputIds, substituteVariables, VariableError, type VariableContext } from './variables';

/** A definition with every variable replaced: what a launcher needs to start the server. */
export type LaunchSpec = (
  | {
      readonly type: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      /** `env` over `envFile`; `null` removes an inherited variable. */
      readonly env: Readonly<Record<string, string | null>>;
      readonly cwd?: string;
    }
  | { readonly type: 'http' | 'sse'; readonly url: string; readonly headers: Readonly<Record<string, string>> }
) & {
  /** Values that came from inputs, env files, or secret-named env variables and headers: never to be written to a log. */
  readonly secrets: readonly string[];
};

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
  const secrets = [...inputs.values()].filter((v) => v.length >= 4);
  const resolve = (key: string, text: string): string => {
    try {
      return substituteVariables(text, ports.variables, inputs);
    } catch (error) {
      if (error instanceof VariableError) throw new LaunchError(`${keyPath}.${key}: ${error.message}`, false);
      throw error;
    }
  };

  if (definition.type !== 'stdio') {
    const url = resolve('url', definition.url);
    const urlProblem = checkServerUrl(url);
    if (urlProblem) throw new LaunchError(`${keyPath}.url ${urlProblem}`, false);
    const headers = Object.fromEntries(Object.entries(definition.headers).map(([k, v]) => [k, resolve(`headers.${k}`, v)]));
    secrets.push(...Object.entries(headers).filter(([k]) => isSecretKey(k)).map(([, v]) => v.replace(/^(Bearer|Basic|Token)\s+/i, '')));
    return { type: definition.type, url, headers, secrets };
  }

  let env: Record<string, string | null> = {};
  if (definition.envFile) {
    const envFile = resolve('envFile', definition.envFile);
    try {
      env = { ...(await ports.loadEnvFile(envFile)) };
    } catch (error) {
      throw new LaunchError(`${keyPath}.envFile: cannot read '${envFile}': ${error instanceof Error ? error.message : String(error)}`, false);
    }
    secrets.push(...Object.values(env).filter((v): v is string => typeof v === 'string' && v.length >= 4));
  }
  for (const [name, value] of Object.entries(definition.env)) {
    env[name] = value === null ? null : resolve(`env.${name}`, value);
  }
  // A literal value under a name like API_TOKEN is a secret too, even if it was written into settings.
  for (const [name, value] of Object.entries(env)) if (value !== null && isSecretKey(name)) secrets.push(value);
  const cwd = definition.cwd ? resolve('cwd', definition.cwd) : ports.variables.workspaceFolders[0]?.path;
  return {
    type: 'stdio',
    command: resolve('command', definition.command),
    args: definition.args.map((arg, i) => resolve(`args[${i}]`, arg)),
    env,
    ...(cwd !== undefined && { cwd }),
    secrets,
  };
}
