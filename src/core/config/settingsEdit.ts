import { applyEdits, format, modify, parse, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import { settingKey, Settings } from '../ids';
import type { ServerDefinition } from './serverDefinition';

/** One value to write into a settings file, at a path below the settings root (e.g. `['mcpWarden.servers', 'github']`). */
export interface SettingsEdit {
  readonly path: JSONPath;
  readonly value: unknown;
}

/**
 * Writes values into the text of a settings file, keeping its comments and formatting. `inWorkspaceFile` is
 * true for a `.code-workspace` file, where settings live under `settings`.
 */
export function editSettingsText(text: string, edits: readonly SettingsEdit[], inWorkspaceFile: boolean): string {
  const formattingOptions = detectFormatting(text);
  const wasEmpty = /^\s*(\{\s*\})?\s*$/.test(text);
  let result = wasEmpty ? '{}' : text;
  for (const { path, value } of edits) {
    const fullPath = inWorkspaceFile ? ['settings', ...path] : path;
    // Format only the inserted text: jsonc-parser's own formatting would also reflow the neighbouring entries.
    for (const edit of modify(result, fullPath, value, {})) {
      result = applyEdits(result, [edit]);
      result = applyEdits(result, format(result, { offset: edit.offset, length: edit.content.length }, formattingOptions));
    }
  }
  // A file that held nothing has no formatting to keep: lay it all out.
  return wasEmpty ? `${applyEdits(result, format(result, undefined, formattingOptions))}\n` : result;
}

/** The value at a path below the settings root of a settings file's text. */
export function readSettingsValue(text: string, path: JSONPath, inWorkspaceFile: boolean): unknown {
  let node: unknown = parse(text, [], { allowTrailingComma: true });
  for (const segment of inWorkspaceFile ? ['settings', ...path] : path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Server names already used by `mcpWarden.servers` in a settings file's text. */
export function serverNamesInSettingsText(text: string, inWorkspaceFile: boolean): string[] {
  const servers = readSettingsValue(text, [settingKey(Settings.servers)], inWorkspaceFile);
  return typeof servers === 'object' && servers !== null && !Array.isArray(servers) ? Object.keys(servers) : [];
}

/** A definition as it is written in `mcpWarden.servers`, leaving out what is the default. */
export function definitionToSettingsValue(definition: ServerDefinition): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  if (definition.type === 'stdio') {
    value['command'] = definition.command;
    if (definition.args.length > 0) value['args'] = [...definition.args];
    if (Object.keys(definition.env).length > 0) value['env'] = { ...definition.env };
    if (definition.envFile) value['envFile'] = definition.envFile;
    if (definition.cwd) value['cwd'] = definition.cwd;
  } else {
    if (definition.type === 'sse') value['type'] = 'sse';
    value['url'] = definition.url;
    if (Object.keys(definition.headers).length > 0) value['headers'] = { ...definition.headers };
  }
  if (!definition.autostart) value['autostart'] = false;
  if (definition.disabled) value['disabled'] = true;
  return value;
}

/** Indentation of the file as it is written; four spaces for an empty file, as VS Code writes. */
function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text);
  if (indented?.[1]?.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: indented?.[1]?.length ?? 4, eol };
}
