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
 * variable becomes an empty string, as in VS Code. Throws `VariableError` with a message naming the variable.
 */
export function substituteVariables(text: string, context: VariableContext, inputs: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (_whole, body: string) => {
    const ref = parseVariable(body);
    if (typeof ref === 'string') throw new VariableError(ref);
    switch (ref.kind) {
      case 'userHome':
        return context.userHome;
      case 'pathSeparator':
        return context.pathSeparator;
      case 'env':
        return context.env[ref.name] ?? '';
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
