/** `${…}` variables in server definitions: which ones exist, and how they are replaced. */

export interface VariableContext {
  readonly workspaceFolders: readonly { readonly name: string; readonly path: string }[];
  readonly userHome: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pathSeparator: string;
}

export type VariableRef =
  | { readonly kind: 'workspaceFolder'; readonly folder?: string }
  | { readonly kind: 'userHome' }
  | { readonly kind: 'pathSeparator' }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'input'; readonly id: string };

const VARIABLE = /\$\{([^}]*)\}/g;

/** Parses the text inside `${…}`; returns an error message for a variable MCP Warden does not know. */
export function parseVariable(body: string): VariableRef | string {
  if (body === 'workspaceFolder') return { kind: 'workspaceFolder' };
  if (body === 'userHome') return { kind: 'userHome' };
  if (body === 'pathSeparator' || body === '/') return { kind: 'pathSeparator' };
  const colon = body.indexOf(':');
  if (colon > 0) {
    const prefix = body.slice(0, colon);
    const arg = body.slice(colon + 1);
    if (arg) {
      if (prefix === 'workspaceFolder') return { kind: 'workspaceFolder', folder: arg };
      if (prefix === 'env') return { kind: 'env', name: arg };
      if (prefix === 'input') return { kind: 'input', id: arg };
    }
  }
  return `unknown variable \${${body}}; use \${workspaceFolder}, \${workspaceFolder:name}, \${userHome}, \${env:NAME} or \${input:id}`;
}

/** Problems with the variables in one string, e.g. an unknown variable name. */
export function checkVariables(text: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const ref = parseVariable(match[1] ?? '');
    if (typeof ref === 'string') problems.push(ref);
  }
  return problems;
}

/** The ids of every `${input:id}` in the given strings, in order of first use. */
export function inputIds(texts: Iterable<string>): string[] {
  const ids = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE)) {
      const ref = parseVariable(match[1] ?? '');
      if (typeof ref !== 'string' && ref.kind === 'input') ids.add(ref.id);
    }
  }
  return [...ids];
}

export class VariableError extends Error {}

/**
 * Replaces every variable in `text`. Inputs must already be answered (`inputs`); `${env:X}` of an unset
 * variable becomes an empty string, as in VS Code. `onEnv` hears each `${env:X}` replaced (so its value can be
 * kept out of logs). Throws `VariableError` with a message naming the variable.
 */
export function substituteVariables(
  text: string,
  context: VariableContext,
  inputs: ReadonlyMap<string, string>,
  onEnv?: (name: string, value: string) => void,
): string {
  return text.replace(VARIABLE, (_whole, body: string) => {
    const ref = parseVariable(body);
    if (typeof ref === 'string') throw new VariableError(ref);
    switch (ref.kind) {
      case 'userHome':
        return context.userHome;
      case 'pathSeparator':
        return context.pathSeparator;
      case 'env': {
        const value = context.env[ref.name] ?? '';
        onEnv?.(ref.name, value);
        return value;
      }
      case 'input': {
        const value = inputs.get(ref.id);
        if (value === undefined) throw new VariableError(`no value was given for \${input:${ref.id}}`);
        return value;
      }
      case 'workspaceFolder': {
        const folder = ref.folder === undefined ? context.workspaceFolders[0] : context.workspaceFolders.find((f) => f.name === ref.folder);
        if (!folder) {
          throw new VariableError(
            ref.folder === undefined ? '${workspaceFolder} needs an open folder' : `no workspace folder is named '${ref.folder}'`,
          );
        }
        return folder.path;
      }
    }
  });
}

/** Variables that hold the machine's layout and the user's locale, never a secret (compared in upper case). */
const PUBLIC_ENV_NAMES = new Set([
  'HOME', 'USER', 'USERNAME', 'LOGNAME', 'PATH', 'PWD', 'OLDPWD', 'SHELL', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LANGUAGE', 'TZ', 'TERM',
  'TERM_PROGRAM', 'COLORTERM', 'HOSTNAME', 'EDITOR', 'VISUAL', 'PAGER', 'DISPLAY', 'WAYLAND_DISPLAY', 'USERPROFILE', 'APPDATA',
  'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'PROGRAMFILES(X86)', 'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'HOMEDRIVE', 'HOMEPATH',
  'COMSPEC', 'PATHEXT', 'OS', 'COMPUTERNAME', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE', 'NODE_ENV', 'PYTHONPATH', 'NODE_PATH',
  'GOPATH', 'GOROOT', 'VIRTUAL_ENV', 'CONDA_PREFIX', 'NVM_DIR',
]);

/**
 * True for environment variables whose values are not secrets, so `${env:NAME}` of them is not hidden in logs:
 * the machine's layout and locale (HOME, USER, PATH, PWD, SHELL, TMPDIR, LANG, TZ, Windows' USERPROFILE,
 * APPDATA…), every LC_* and XDG_* variable, and names ending in _HOME, _DIR or _PATH (JAVA_HOME, CARGO_HOME).
 * Every other `${env:NAME}` value counts as a secret: hiding a harmless value costs less than showing a key.
 */
export function isPublicEnvVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return PUBLIC_ENV_NAMES.has(upper) || /^(?:LC|XDG)_/.test(upper) || /_(?:HOME|DIR|DIRS|PATH)$/.test(upper);
}
