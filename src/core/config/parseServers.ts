import { parsePermissionsSetting } from '../permissions/declarations';
import { checkServerUrl } from './serverUrl';
import { parseOAuthField } from './oauthField';
import { checkVariables } from './variables';
import {
  SERVER_NAME_PATTERN,
  type ConfigProblem,
  type ConfigSource,
  type InputDefinition,
  type ServerDefinition,
  type ServerEntry,
} from './serverDefinition';

const STDIO_KEYS = ['type', 'command', 'args', 'env', 'envFile', 'cwd', 'autostart', 'disabled', 'permissions', 'delegate'];
const HTTP_KEYS = ['type', 'url', 'headers', 'autostart', 'disabled', 'permissions', 'oauth'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParseOptions {
  /** Unknown keys are problems (settings) or ignored (files written for other clients). */
  readonly strict: boolean;
}

/** Validates every server of a `mcpWarden.servers`-shaped object. `keyPath` is where that object lives. */
export function parseServers(raw: unknown, keyPath: string, source: ConfigSource, options: ParseOptions): ServerEntry[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) {
    return [{ name: keyPath, source, keyPath, ok: false, problems: [{ keyPath, message: 'must be an object keyed by server name' }] }];
  }
  return Object.entries(raw).map(([name, value]) => parseServer(name, value, `${keyPath}.${name}`, source, options));
}

/** Validates one server definition; every problem names the key it is about. */
export function parseServer(name: string, raw: unknown, keyPath: string, source: ConfigSource, options: ParseOptions): ServerEntry {
  const problems: ConfigProblem[] = [];
  const problem = (key: string | undefined, message: string) =>
    problems.push({ keyPath: key === undefined ? keyPath : `${keyPath}.${key}`, message });
  const fail = (): ServerEntry => ({ name, source, keyPath, ok: false, problems });

  if (!SERVER_NAME_PATTERN.test(name)) {
    problem(undefined, `'${name}' is not a valid server name: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  if (!isRecord(raw)) {
    problem(undefined, 'must be an object with `command` (stdio) or `url` (http)');
    return fail();
  }
  const read = new FieldReader(raw, problem);
  const declaredType = read.enumValue('type', ['stdio', 'http', 'sse', 'streamableHttp', 'streamable-http']);
  const hasCommand = raw['command'] !== undefined;
  const hasUrl = raw['url'] !== undefined;
  let type: ServerDefinition['type'] | undefined;
  if (declaredType === 'streamableHttp' || declaredType === 'streamable-http') type = 'http';
  else if (declaredType !== undefined) type = declaredType;
  else if (hasCommand && hasUrl) problem(undefined, 'has both `command` and `url`: give `command` for a stdio server or `url` for an http server');
  else if (hasCommand) type = 'stdio';
  else if (hasUrl) type = 'http';
  else if (raw['type'] === undefined) problem(undefined, 'needs `command` (a stdio server) or `url` (an http server)');

  const autostart = read.boolean('autostart') ?? true;
  const disabled = read.boolean('disabled') ?? false;
  const permissions = parsePermissionsSetting(raw['permissions'], `${keyPath}.permissions`);
  // A file written for another client may use `permissions` for something else: there, bad entries are only skipped.
  if (options.strict) problems.push(...permissions.problems);
  // What the server needs and why: asked about later, never granted by being written here.
  const declared = raw['permissions'] === undefined ? {} : { declarations: permissions.declarations };
  if (type === undefined) return fail();

  if (options.strict) {
    const allowed = type === 'stdio' ? STDIO_KEYS : HTTP_KEYS;
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) problem(key, `is not a setting of a ${type} server (allowed: ${allowed.join(', ')})`);
    }
  }

  let definition: ServerDefinition | undefined;
  if (type === 'stdio') {
    const command = read.string('command', true);
    const args = read.stringArray('args') ?? [];
    const env = read.stringMap('env', true, ENV_NAME) ?? {};
    const envFile = read.string('envFile');
    const cwd = read.string('cwd');
    const delegate = read.boolean('delegate') ?? false;
    if (command !== undefined) {
      definition = { name, type, command, args, env, autostart, disabled, ...(envFile && { envFile }), ...(cwd && { cwd }), ...(delegate && { delegate: true as const }), ...declared };
    }
  } else {
    const url = read.string('url', true);
    const headers = read.stringMap('headers', false) ?? {};
    const oauth = raw['oauth'] === undefined ? undefined : parseOAuthField(raw['oauth'], `${keyPath}.oauth`);
    // A file written for another client may mean something else by `oauth`: there, a bad one is only left out.
    if (oauth && options.strict) problems.push(...oauth.problems);
    if (url !== undefined) {
      const urlProblem = url.includes('${') ? undefined : checkServerUrl(url);
      if (urlProblem) problem('url', urlProblem);
      definition = { name, type, url, headers, autostart, disabled, ...(oauth?.settings && { oauth: oauth.settings }), ...declared };
    }
  }
  if (definition) checkDefinitionVariables(definition, keyPath, problems);
  return problems.length === 0 && definition ? { name, source, keyPath, ok: true, definition } : fail();
}

/** Parses `mcpWarden.inputs` or an mcp.json `inputs` array; entries that are not usable are reported. */
export function parseInputs(raw: unknown, keyPath: string): { inputs: InputDefinition[]; problems: ConfigProblem[] } {
  const inputs: InputDefinition[] = [];
  const problems: ConfigProblem[] = [];
  if (raw === undefined || raw === null) return { inputs, problems };
  if (!Array.isArray(raw)) return { inputs, problems: [{ keyPath, message: 'must be an array of input definitions' }] };
  raw.forEach((item, index) => {
    const at = `${keyPath}[${index}]`;
    if (!isRecord(item) || typeof item['id'] !== 'string' || item['id'] === '') {
      problems.push({ keyPath: at, message: 'needs a string `id`' });
      return;
    }
    if (item['type'] !== undefined && item['type'] !== 'promptString') {
      problems.push({ keyPath: `${at}.type`, message: `'${String(item['type'])}' is not supported; only promptString is` });
      return;
    }
    inputs.push({
      id: item['id'],
      password: item['password'] === true,
      ...(typeof item['description'] === 'string' && { description: item['description'] }),
      ...(typeof item['default'] === 'string' && { default: item['default'] }),
    });
  });
  return { inputs, problems };
}

function checkDefinitionVariables(definition: ServerDefinition, keyPath: string, problems: ConfigProblem[]): void {
  const check = (key: string, text: string | null | undefined) => {
    if (typeof text !== 'string') return;
    for (const message of checkVariables(text)) problems.push({ keyPath: `${keyPath}.${key}`, message });
  };
  if (definition.type === 'stdio') {
    check('command', definition.command);
    definition.args.forEach((arg, i) => check(`args[${i}]`, arg));
    for (const [k, v] of Object.entries(definition.env)) check(`env.${k}`, v);
    check('envFile', definition.envFile);
    check('cwd', definition.cwd);
  } else {
    check('url', definition.url);
    for (const [k, v] of Object.entries(definition.headers)) check(`headers.${k}`, v);
    check('oauth.clientSecret', definition.oauth?.clientSecret);
    check('oauth.privateKey', definition.oauth?.privateKey);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads typed fields of one definition, reporting each wrong one against its key. */
class FieldReader {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly problem: (key: string, message: string) => void,
  ) {}

  string(key: string, required = false): string | undefined {
    const value = this.raw[key];
    if (value === undefined) {
      if (required) this.problem(key, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(key, 'must be a non-empty string');
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(key, 'must be true or false');
      return undefined;
    }
    return value;
  }

  enumValue<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      this.problem(key, `must be one of ${allowed.filter((a) => !a.includes('treamable')).join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  stringArray(key: string): string[] | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.problem(key, 'must be an array of strings');
      return undefined;
    }
    return value as string[];
  }

  stringMap(key: string, allowNull: true, namePattern?: RegExp): Record<string, string | null> | undefined;
  stringMap(key: string, allowNull: false, namePattern?: RegExp): Record<string, string> | undefined;
  stringMap(key: string, allowNull: boolean, namePattern?: RegExp): Record<string, string | null> | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (!isRecord(value)) {
      this.problem(key, 'must be an object of strings');
      return undefined;
    }
    const result: Record<string, string | null> = {};
    let ok = true;
    for (const [name, v] of Object.entries(value)) {
      if (namePattern && !namePattern.test(name)) {
        this.problem(`${key}.${name}`, 'is not a valid environment variable name');
        ok = false;
      } else if (typeof v === 'number' || typeof v === 'boolean') {
        result[name] = String(v); // mcp.json files often hold PORT: 8080
      } else if (typeof v === 'string' || (allowNull && v === null)) {
        result[name] = v;
      } else {
        this.problem(`${key}.${name}`, allowNull ? 'must be a string or null' : 'must be a string');
        ok = false;
      }
    }
    return ok ? result : undefined;
  }
}
