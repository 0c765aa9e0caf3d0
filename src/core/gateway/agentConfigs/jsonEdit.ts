import { commaAfter, endOfLineComment, eolLengthAt, indentOfLine, lineStart, onOwnLine } from '../../config/jsoncText';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

// Edits of one property in a JSON (or JSON-with-comments) file that leave every other byte where it was: a comment
// at the end of the previous line stays on that line, and removing what was added gives back the original text.
// jsonc-parser's own `modify` puts an added property before the previous line's comment, and a removal takes the
// comments between the two properties with it, so the edits are made here on its parse tree.

/** A JSON file's text could not be edited: the message says where and why. */
export class JsonEditError extends Error {}

/** The parsed top-level object; undefined for a file with nothing in it (or only comments). */
export function parseJsonObject(text: string, strict: boolean): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: !strict, disallowComments: strict });
  const first = errors[0];
  const empty = root === undefined && errors.every((e) => printParseErrorCode(e.error) === 'ValueExpected' && e.offset >= text.length - 1);
  if (first && !empty) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new JsonEditError(`not valid ${strict ? 'JSON' : 'JSON with comments'} at line ${line}, column ${column} (${printParseErrorCode(first.error)})`);
  }
  if (root !== undefined && root.type !== 'object') throw new JsonEditError('its top level is not a JSON object');
  return root;
}

/** The value at `path`, as plain data; undefined when absent. */
export function jsonValueAt(root: Node | undefined, path: readonly string[]): unknown {
  const node = root && findNodeAtLocation(root, [...path]);
  return node ? nodeValue(node) : undefined;
}

/** Sets the property at `path`, creating the objects on the way; the others stay as written. */
export function setJsonProperty(text: string, path: readonly string[], value: unknown, strict: boolean): string {
  const layout = detectLayout(text);
  const root = parseJsonObject(text, strict);
  if (!root) {
    const before = text.trim() === '' ? '' : `${text.trimEnd()}${layout.eol}`;
    return `${before}${render(nest(path, value), '', layout)}${layout.eol}`;
  }
  let object = root;
  let depth = 0;
  for (; depth < path.length - 1; depth++) {
    const child = propertyNode(object, path[depth]!)?.children?.[1];
    if (!child) break;
    if (child.type !== 'object') throw new JsonEditError(`'${path.slice(0, depth + 1).join('.')}' is not an object`);
    object = child;
  }
  const key = path[depth]!;
  const rest = nest(path.slice(depth + 1), value);
  const existing = propertyNode(object, key);
  if (existing) {
    const valueNode = existing.children![1]!;
    const content = onOwnLine(text, existing.offset) ? render(rest, indentOfLine(text, existing.offset), layout) : compact(rest);
    return splice(text, valueNode.offset, valueNode.length, content);
  }
  return insertProperty(text, object, key, rest, layout);
}

/** Removes the property at `path` with its lines; an object it leaves empty becomes `{}`. Unchanged when absent. */
export function removeJsonProperty(text: string, path: readonly string[], strict: boolean): string {
  const root = parseJsonObject(text, strict);
  const property = root && findNodeAtLocation(root, [...path])?.parent;
  if (!property || property.type !== 'property' || !property.parent) return text;
  const siblings = property.parent.children!;
  const index = siblings.indexOf(property);
  const end = property.offset + property.length;
  const comma = commaAfter(text, end);
  const ownLine = onOwnLine(text, property.offset);
  let result: string;
  if (index < siblings.length - 1) {
    const next = siblings[index + 1]!;
    if (ownLine && onOwnLine(text, next.offset)) {
      const lineEnd = endOfLineComment(text, comma! + 1);
      result = cut(text, lineStart(text, property.offset), lineEnd + eolLengthAt(text, lineEnd));
    } else {
      result = cut(text, property.offset, next.offset);
    }
  } else {
    const through = ownLine ? endOfLineComment(text, (comma ?? end - 1) + 1) : (comma ?? end - 1) + 1;
    const previous = siblings[index - 1];
    // The last property goes with the comma before it, unless the file ends its lists with a comma.
    const previousComma = previous && comma === undefined ? commaAfter(text, previous.offset + previous.length) : undefined;
    if (!ownLine && previousComma !== undefined) result = cut(text, previousComma, through);
    else {
      result = cut(text, ownLine ? lineStart(text, property.offset) - eolLengthBefore(text, lineStart(text, property.offset)) : property.offset, through);
      if (previousComma !== undefined) result = cut(result, previousComma, previousComma + 1);
    }
  }
  return collapseEmptyObject(result, path.slice(0, -1), strict);
}

/** Indentation unit and line break of the file as written; two spaces and `\n` for an empty file. */
export function detectLayout(text: string): { readonly indent: string; readonly eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)["/}\]]/m.exec(text)?.[1];
  return { indent: indented?.startsWith('\t') ? '\t' : ' '.repeat(indented?.length ?? 2), eol };
}

function insertProperty(text: string, object: Node, key: string, value: unknown, layout: { indent: string; eol: string }): string {
  const properties = object.children ?? [];
  const last = properties[properties.length - 1];
  if (!last) {
    const open = object.offset;
    const close = object.offset + object.length - 1;
    const outer = indentOfLine(text, open);
    const inner = outer + layout.indent;
    const property = `${JSON.stringify(key)}: ${render(value, inner, layout)}`;
    if (/^\s*$/.test(text.slice(open + 1, close))) return splice(text, open, object.length, `{${layout.eol}${inner}${property}${layout.eol}${outer}}`);
    // Comments inside the empty object stay after the new property.
    return splice(text, open + 1, 0, `${layout.eol}${inner}${property}`);
  }
  const lastEnd = last.offset + last.length;
  const trailingComma = commaAfter(text, lastEnd);
  if (!onOwnLine(text, last.offset)) {
    const property = `${JSON.stringify(key)}: ${compact(value)}`;
    return trailingComma === undefined ? splice(text, lastEnd, 0, `, ${property}`) : splice(text, trailingComma + 1, 0, ` ${property},`);
  }
  const indent = indentOfLine(text, last.offset);
  const property = `${layout.eol}${indent}${JSON.stringify(key)}: ${render(value, indent, layout)}`;
  // After the comment that ends the last property's line: that comment is about the last property.
  const at = endOfLineComment(text, (trailingComma ?? lastEnd - 1) + 1);
  if (trailingComma !== undefined) return splice(text, at, 0, `${property},`);
  return splice(splice(text, at, 0, property), lastEnd, 0, ',');
}

/** `{` + only blanks + `}` at `path` (left by a removal) becomes `{}`. */
function collapseEmptyObject(text: string, path: readonly string[], strict: boolean): string {
  const root = parseJsonObject(text, strict);
  const object = root && (path.length === 0 ? root : findNodeAtLocation(root, [...path]));
  if (!object || object.type !== 'object' || (object.children ?? []).length > 0) return text;
  return /^\{\s*\}$/.test(text.slice(object.offset, object.offset + object.length)) ? splice(text, object.offset, object.length, '{}') : text;
}

function propertyNode(object: Node, key: string): Node | undefined {
  return object.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [p.children![0]!.value as string, p.children![1] ? nodeValue(p.children![1]) : undefined]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function nest(path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** A value laid out over lines, its continuation lines indented from `indent`. */
function render(value: unknown, indent: string, layout: { indent: string; eol: string }): string {
  return JSON.stringify(value, null, layout.indent).split('\n').join(`${layout.eol}${indent}`);
}

/** A value on one line, for a file that keeps its objects on one line. */
function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function splice(text: string, offset: number, length: number, content: string): string {
  return text.slice(0, offset) + content + text.slice(offset + length);
}

function cut(text: string, from: number, to: number): string {
  return splice(text, from, to - from, '');
}








function eolLengthBefore(text: string, offset: number): number {
  return text.slice(Math.max(0, offset - 2), offset) === '\r\n' ? 2 : offset > 0 && text[offset - 1] === '\n' ? 1 : 0;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
