/**
 * What a server's launch is, for launch consent: a canonical text of the resolved launch (its pin is what a
 * `launch` grant approves), a one-line summary and notes for the notification. Built without asking for inputs:
 * `${input:id}` stays literal, and `${env:X}` is shown by name only — no env value ever appears in the text,
 * summary or notes.
 */
import { canonicalJson } from '../canonicalJson';
import { isSecretKey, keyWords } from '../secretKeys';
import { definitionStrings, type ServerDefinition } from '../config/serverDefinition';
import { inputIds, isPublicEnvVariable, parseVariable, substituteVariables, type VariableContext } from '../config/variables';
import { packageRunner } from './downloadedPackages';
import type { Hasher } from './permission';
import { pathCovers, pathKey, resolvePath } from './pathTargets';

export interface LaunchIdentity {
  /** sha256 (hex) of `text`. */
  readonly pin: string;
  /** Canonical JSON: {type, command, args, cwd, envNames, envFile, envValues, url, headerNames, headerValues}. */
  readonly text: string;
  /** e.g. "runs `npx -y @modelcontextprotocol/server-filesystem ./docs`". */
  readonly summary: string;
  /** What a repository could use to aim the server at a secret: env files, a cwd outside the workspace, `${env:…}` uses. */
  readonly notes: readonly string[];
  /** Why approving is high-risk (an unsigned downloaded package); non-empty makes the question modal. */
  readonly risks: readonly string[];
}

const VARIABLE = /\$\{([^}]*)\}/g;

/** Describes the launch of `definition` as it would run with `variables`. Never throws. */
export function describeLaunch(definition: ServerDefinition, variables: VariableContext, hasher: Hasher): LaunchIdentity {
  const strings = definitionStrings(definition);
  const envUses = envNamesIn(strings);
  const inputs = new Map(inputIds(strings).map((id) => [id, `\${input:${id}}`]));
  // Each `${env:X}` resolves to its own placeholder for what is shown and hashed; to its value only to locate a cwd.
  const shownContext: VariableContext = { ...variables, env: Object.fromEntries(envUses.map((name) => [name, `\${env:${name}}`])) };
  const shown = (text: string) => substituteOrKeep(text, shownContext, inputs);
  const notes: string[] = [];
  const risks: string[] = [];
  let canonical: Record<string, unknown>;
  let summary: string;

  if (definition.type === 'stdio') {
    const command = shown(definition.command);
    const args = definition.args.map(shown);
    const cwd = definition.cwd === undefined ? undefined : shown(definition.cwd);
    const envFile = definition.envFile === undefined ? undefined : shown(definition.envFile);
    canonical = {
      type: definition.type,
      command,
      args,
      cwd,
      envNames: Object.keys(definition.env).sort(),
      envFile,
      envValues: valuesDigest(definition.env, shown, hasher),
      // Approving the launch approves its gateway token too; only when set, so older pins stay valid.
      ...(definition.delegate && { delegate: true }),
    };
    summary = `runs \`${[command, ...args].map(quoteArg).join(' ')}\``;
    if (definition.delegate) notes.push("may call other servers' tools through MCP Warden's gateway, each call asked about (delegate)");
    if (envFile !== undefined) notes.push(`reads env from \`${homeAsTilde(envFile, variables)}\``);
    if (definition.cwd !== undefined && cwd !== undefined) {
      const actual = substituteOrKeep(definition.cwd, variables, inputs);
      if (!insideWorkspace(actual, variables)) notes.push(`runs in ${cwd}, outside the workspace`);
    }
    const runner = packageRunner(command, args);
    if (runner) {
      const risk = `downloads and runs a package (${runner}) that no signature covers`;
      notes.push(risk);
      risks.push(risk);
    }
  } else {
    const url = shown(definition.url);
    canonical = {
      type: definition.type,
      url,
      headerNames: Object.keys(definition.headers).sort(),
      headerValues: valuesDigest(definition.headers, shown, hasher),
    };
    summary = `connects to \`${url}\`${definition.type === 'sse' ? ' (legacy SSE)' : ''}`;
  }
  for (const name of envUses) if (!isPublicEnvVariable(name)) notes.push(`passes $${name} from your environment`);
  const text = canonicalJson(canonical);
  return { pin: hasher.sha256(text), text, summary, notes, risks };
}

/** The names of every `${env:X}`, in order of first use. */
function envNamesIn(texts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE)) {
      const ref = parseVariable(match[1] ?? '');
      if (typeof ref !== 'string' && ref.kind === 'env') names.add(ref.name);
    }
  }
  return [...names];
}

/** Substitutes what it can; a variable that cannot be resolved here (no folder open) stays as written. */
function substituteOrKeep(text: string, context: VariableContext, inputs: ReadonlyMap<string, string>): string {
  try {
    return substituteVariables(text, context, inputs);
  } catch {
    return text;
  }
}

/**
 * A digest of env or header values as written, so that changing a literal value (NODE_OPTIONS, a proxy) changes
 * the pin. Variables stay placeholders, and values under secret-looking names count only as present: the text
 * may land in a committed settings file, and a hash of a short secret can be guessed.
 */
function valuesDigest(values: Readonly<Record<string, string | null>>, shown: (text: string) => string, hasher: Hasher): string | undefined {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  const written = Object.fromEntries(
    entries.map(([name, value]) => [name, value === null ? null : isSecretName(name) ? secretShape(value, shown) : shown(value)]),
  );
  return hasher.sha256(canonicalJson(written));
}

/**
 * A secret's value as the pin sees it: a value made only of variables (`${input:token}`) as those placeholders, any
 * other as `(secret)`. Switching a secret from your input to a value the repository wrote changes the pin.
 */
function secretShape(value: string, shown: (text: string) => string): string {
  return /^(?:\$\{[^}]*\})+$/.test(value) ? `(secret from ${shown(value)})` : '(secret)';
}

function isSecretName(name: string): boolean {
  return isSecretKey(name) || keyWords(name).at(-1) === 'key';
}

/** Relative cwds are relative to the first folder, as the launcher resolves them; no folder open means outside. */
function insideWorkspace(cwd: string, variables: VariableContext): boolean {
  const first = variables.workspaceFolders[0];
  if (!first) return false;
  const caseInsensitive = variables.pathSeparator === '\\';
  const resolved = resolvePath(first.path, cwd);
  const key = resolved === undefined ? undefined : pathKey(resolved, { caseInsensitive });
  if (!key) return false;
  return variables.workspaceFolders.some((folder) => {
    const folderKey = pathKey(folder.path, { caseInsensitive });
    return folderKey !== undefined && pathCovers(folderKey, key);
  });
}

function homeAsTilde(path: string, variables: VariableContext): string {
  const home = variables.userHome.replace(/[\\/]+$/, '');
  if (home !== '' && (path === home || path.startsWith(`${home}/`) || path.startsWith(`${home}\\`))) return `~${path.slice(home.length)}`;
  return path;
}

/** Shell-style quoting for the summary, so `a b` is not read as two arguments. */
function quoteArg(arg: string): string {
  if (/^[\w@%+=:,./${}~-]+$/.test(arg)) return arg;
  // A newline, another control character or an invisible one (a bidi override) is shown as an escape, not as what
  // it would do to the text around it.
  // eslint-disable-next-line no-control-regex
  const visible = arg.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${visible.replaceAll("'", "'\\''")}'`;
}
