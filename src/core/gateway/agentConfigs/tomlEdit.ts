import { parse, patch, stringify, TomlDocument } from '@decimalturn/toml-patch';
import { canonicalJson } from '../../canonicalJson';

// Edits of one table in a TOML file (Codex's config.toml) that leave the rest as written. toml-patch parses (its
// syntax tree gives each table's lines) and writes values; the edit itself is a line splice: its `patch()` would
// put a new table as a dotted inline key among the root keys when `[mcp_servers]` is implicit, and on removal it
// drops the comment above the following table. Every result is parsed again and compared with the intended
// value; `patch()` is the fallback for layouts the splice does not handle (e.g. `mcp_servers = { … }` inline).

/** A TOML file's text could not be read or edited: the message says where and why. */
export class TomlEditError extends Error {}

type Table = Record<string, unknown>;

/** The file's top-level table (`{}` for an empty file). */
export function parseTomlTable(text: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    const { line, column, message } = error as { line?: unknown; column?: unknown; message?: unknown };
    const reason = String(message ?? error).trim().split('\n').pop();
    throw new TomlEditError(typeof line === 'number' && typeof column === 'number' ? `not valid TOML at line ${line}, column ${column + 1} (${reason})` : `not valid TOML (${reason})`);
  }
}

export function tomlValueAt(table: Table, path: readonly string[]): unknown {
  let node: unknown = table;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Table)[key];
  }
  return node;
}

/** Writes `value` as the table `[path]` at the end of the file, in place of the one there was. */
export function setTomlTable(text: string, path: readonly string[], value: Table): string {
  const expected = withValue(parseTomlTable(text), path, value);
  const without = removeTableLines(text, path);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = stringify(value, { newLine: eol, inlineTableStart: 0, trailingNewline: 1 });
  const before = without === '' ? '' : `${without}${without.endsWith('\n') ? '' : eol}${/(^|\n)\r?\n$/.test(without) ? '' : eol}`;
  return checked(`${before}[${path.map(tomlKey).join('.')}]${eol}${body}`, expected, () => patch(text, expected));
}

/** Removes the table `[path]` (its header, keys and sub-tables; comments after its last key stay). */
export function removeTomlTable(text: string, path: readonly string[]): string {
  const expected = withValue(parseTomlTable(text), path, undefined);
  return checked(removeTableLines(text, path), expected, () => patch(text, expected));
}

/** The text without the lines that define `path` or anything below it. */
function removeTableLines(text: string, path: readonly string[]): string {
  const ranges: [number, number][] = [];
  const lineSpan = (node: SyntaxNode): [number, number] => [node.loc.start.line, node.loc.end.line];
  for (const block of new TomlDocument(text).cst as SyntaxNode[]) {
    if (block.type === 'KeyValue') {
      if (startsWith(block.key!.value, path)) ranges.push(lineSpan(block));
      continue;
    }
    if (block.type !== 'Table' && block.type !== 'TableArray') continue;
    const key = block.key!.item!.value;
    const rows = (block.items ?? []).filter((item) => item.type === 'KeyValue');
    if (startsWith(key, path)) {
      // Through the table's last key: comment lines after it are about what follows.
      ranges.push([block.loc.start.line, Math.max(block.loc.start.line, ...rows.map((row) => row.loc.end.line))]);
    } else if (startsWith(path, key)) {
      for (const row of rows) if (startsWith([...key, ...row.key!.value], path)) ranges.push(lineSpan(row));
    }
  }
  if (ranges.length === 0) return text;
  const lines = text.split(/(?<=\n)/);
  const blank = (line: number): boolean => line >= 1 && line <= lines.length && /^\s*$/.test(lines[line - 1]!);
  const removed = new Set<number>();
  for (const [first, last] of ranges) {
    for (let line = first; line <= last; line++) removed.add(line);
    // One blank line goes with the table, so no two blank lines are left where it was.
    if (blank(first - 1) && (last >= lines.length || blank(last + 1))) removed.add(first - 1);
  }
  return lines.filter((_, index) => !removed.has(index + 1)).join('');
}

function checked(text: string, expected: Table, fallback: () => string): string {
  if (sameTable(text, expected)) return text;
  const patched = fallback();
  if (sameTable(patched, expected)) return patched;
  throw new TomlEditError('the file is laid out in a way MCP Warden cannot edit safely');
}

function sameTable(text: string, expected: Table): boolean {
  try {
    return canonicalJson(parse(text)) === canonicalJson(expected);
  } catch {
    return false;
  }
}

function withValue(table: Table, path: readonly string[], value: Table | undefined): Table {
  const [key, ...rest] = path;
  if (key === undefined) return table;
  const copy: Table = { ...table };
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  }
  const child = copy[key];
  const inner = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Table) : {};
  if (child !== undefined && inner !== child) throw new TomlEditError(`'${path[0]}' is not a table`);
  copy[key] = withValue(inner, rest, value);
  return copy;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function startsWith(key: readonly string[], prefix: readonly string[]): boolean {
  return key.length >= prefix.length && prefix.every((part, i) => key[i] === part);
}

/** The part of toml-patch's syntax tree read here (the types it exports do not name its node types). */
interface SyntaxNode {
  readonly type: string;
  readonly loc: { readonly start: { readonly line: number }; readonly end: { readonly line: number } };
  readonly key?: { readonly value: string[]; readonly item?: { readonly value: string[] } };
  readonly items?: readonly SyntaxNode[];
}
