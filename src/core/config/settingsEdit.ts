import { applyEdits, findNodeAtLocation, format, modify, parse, parseTree, type Edit, type FormattingOptions, type JSONPath, type Node } from 'jsonc-parser';
import { commaAfter, endOfLineComment, eolLengthAt, indentOfLine, lineStart, onOwnLine } from './jsoncText';
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

/** Changes to one array setting: indices refer to the array as it is in the text now. */
export interface SettingsArrayEdit {
  readonly remove?: readonly number[];
  readonly replace?: ReadonlyMap<number, unknown>;
  readonly append?: readonly unknown[];
}

/**
 * Edits the items of an array setting in place, one compact item per line, keeping comments and formatting
 * around the items it does not touch (a comment on a removed item's line goes with it). A missing or non-array
 * setting becomes an array first.
 */
export function editSettingsArray(text: string, path: JSONPath, change: SettingsArrayEdit, inWorkspaceFile: boolean): string {
  const fullPath = inWorkspaceFile ? ['settings', ...path] : path;
  let array = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true }) ?? emptyNode, fullPath);
  if (array?.type !== 'array') {
    text = editSettingsText(text, [{ path, value: [] }], inWorkspaceFile);
    array = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true }) ?? emptyNode, fullPath);
    if (array?.type !== 'array') throw new Error(`cannot write the array ${fullPath.join('.')}`);
  }
  const { eol, insertSpaces, tabSize } = detectFormatting(text);
  const items = array.children ?? [];
  const removed = new Set((change.remove ?? []).filter((i) => i >= 0 && i < items.length));
  const kept = items.map((_, i) => i).filter((i) => !removed.has(i));
  const append = change.append ?? [];
  const baseIndent = indentOfLine(text, array.parent?.offset ?? array.offset);
  const itemIndent = items[0] && onOwnLine(text, items[0].offset) ? indentOfLine(text, items[0].offset) : baseIndent + (insertSpaces ? ' '.repeat(tabSize ?? 4) : '\t');

  if (kept.length === 0) {
    const body = append.map((value) => `${itemIndent}${compactJson(value)}`).join(`,${eol}`);
    const content = append.length === 0 ? '[]' : `[${eol}${body}${eol}${baseIndent}]`;
    return applyEdits(text, [{ offset: array.offset, length: array.length, content }]);
  }
  const edits: Edit[] = [];
  for (const [index, value] of change.replace ?? []) {
    const item = items[index];
    if (item && !removed.has(index)) edits.push({ offset: item.offset, length: item.length, content: compactJson(value) });
  }
  const lastKept = kept[kept.length - 1]!;
  for (const index of removed) {
    if (index < lastKept) edits.push(removeWithComma(text, items[index]!, items[index + 1]!));
  }
  const last = items[items.length - 1]!;
  const lastKeptNode = items[lastKept]!;
  if (lastKept < items.length - 1) {
    // The removed items end the array: their lines go, and the comma after the last kept item unless items follow.
    const first = items[lastKept + 1]!;
    const ownLines = onOwnLine(text, first.offset);
    const start = ownLines ? lineStart(text, first.offset) - eolBefore(text, lineStart(text, first.offset)) : first.offset;
    const lastEnd = last.offset + last.length;
    const end = ownLines ? endOfLineComment(text, (commaAfter(text, lastEnd) ?? lastEnd - 1) + 1) : lastEnd;
    edits.push({ offset: start, length: end - start, content: '' });
    const comma = commaAfter(text, lastKeptNode.offset + lastKeptNode.length);
    if (comma !== undefined && append.length === 0) edits.push({ offset: comma, length: 1, content: '' });
  }
  if (append.length > 0) {
    const ownLine = onOwnLine(text, lastKeptNode.offset);
    const separator = ownLine ? `${eol}${itemIndent}` : ' ';
    const end = lastKeptNode.offset + lastKeptNode.length;
    const comma = commaAfter(text, end);
    // New items go after the comment that ends the last item's line: that comment is about the last item.
    const at = ownLine ? endOfLineComment(text, (comma ?? end - 1) + 1) : (comma ?? end - 1) + 1;
    const keepTrailingComma = lastKept === items.length - 1 && comma !== undefined;
    const added = `${append.map((value) => `${separator}${compactJson(value)}`).join(',')}${keepTrailingComma ? ',' : ''}`;
    if (comma === undefined && at === end) edits.push({ offset: end, length: 0, content: `,${added}` });
    else {
      if (comma === undefined) edits.push({ offset: end, length: 0, content: ',' });
      edits.push({ offset: at, length: 0, content: added });
    }
  }
  return applyEdits(text, edits);
}

/** A value on one line, spaced to be read: `{ "a": 1, "b": [ "x" ] }`. */
export function compactJson(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(compactJson).join(', ')} ]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}

const emptyNode: Node = { type: 'null', offset: 0, length: 0 };

/** Removes an item that another item follows: its lines (with its comma and a comment after it) when it has lines of its own. */
function removeWithComma(text: string, item: Node, next: Node): Edit {
  const comma = commaAfter(text, item.offset + item.length) ?? item.offset + item.length;
  const lineEnd = endOfLineComment(text, comma + 1);
  if (onOwnLine(text, item.offset) && /^\r?\n/.test(text.slice(lineEnd)) && onOwnLine(text, next.offset)) {
    const start = lineStart(text, item.offset);
    const end = lineEnd + eolLengthAt(text, lineEnd);
    return { offset: start, length: end - start, content: '' };
  }
  const end = onOwnLine(text, next.offset) ? lineStart(text, next.offset) : next.offset;
  return { offset: item.offset, length: end - item.offset, content: '' };
}








function eolBefore(text: string, lineStartOffset: number): number {
  return text.slice(Math.max(0, lineStartOffset - 2), lineStartOffset) === '\r\n' ? 2 : lineStartOffset > 0 ? 1 : 0;
}

/** Indentation of the file as it is written; four spaces for an empty file, as VS Code writes. */
function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text);
  if (indented?.[1]?.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: indented?.[1]?.length ?? 4, eol };
}
