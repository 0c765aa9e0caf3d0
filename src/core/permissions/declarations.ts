/**
 * Declarations: what a server says it needs and why, from the definition's `permissions` settings block or from
 * the server itself through the `io.github.mcp-warden/permissions` protocol extension. A declaration is a request,
 * never a grant. Parsing never throws: anything malformed is reported and left out.
 */
import type { ConfigProblem } from '../config/serverDefinition';
import { formatNetTarget, parseNetTarget } from './netTargets';
import { PERMISSION_KINDS, type Declaration, type PermissionKind } from './permission';
import { resolvePath } from './pathTargets';

/** Kinds a server can declare: everything but `launch`, which is asked when the server starts. */
export type DeclarableKind = Exclude<PermissionKind, 'launch'>;
export const DECLARABLE_KINDS: readonly DeclarableKind[] = PERMISSION_KINDS.filter((k): k is DeclarableKind => k !== 'launch');

/** One declared permission as written (fs paths may still be relative). */
export interface DeclaredPermission {
  readonly kind: DeclarableKind;
  readonly target: string;
  readonly reason?: string;
}

export const MAX_REASON_CHARS = 500;
export const MAX_SERVER_DECLARATIONS = 100;
const MAX_TARGET_CHARS = 2048;
/** Kinds whose target is always `''`: requests a server makes of the client. */
const TARGETLESS = new Set<PermissionKind>(['sampling', 'elicitation', 'roots']);

/** Why `target` is not a valid target of `kind`, or undefined when it is. */
export function targetProblem(kind: DeclarableKind, target: string): string | undefined {
  if (TARGETLESS.has(kind)) return target === '' ? undefined : `takes no target (give "" or {"reason": …})`;
  if (target === '') return 'needs a target';
  if (target.length > MAX_TARGET_CHARS) return `is longer than ${MAX_TARGET_CHARS} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(target)) return 'contains a control character';
  if (kind === 'net' && !parseNetTarget(target)) return `'${target}' is not a host, host:port, *.domain, * or unix:*`;
  return undefined;
}

/**
 * Parses a definition's `permissions` block: an object keyed by kind, each an array of target strings or
 * {target, reason}, e.g. {"fs.write": [{"target": "./build", "reason": "writes the site"}], "net": ["api.github.com"]}.
 * Problems name their key, e.g. `mcpWarden.servers.files.permissions.net[1]`.
 */
export function parsePermissionsSetting(raw: unknown, keyPath: string): { declarations: DeclaredPermission[]; problems: ConfigProblem[] } {
  const declarations: DeclaredPermission[] = [];
  const problems: ConfigProblem[] = [];
  if (raw === undefined) return { declarations, problems };
  if (!isRecord(raw)) {
    problems.push({ keyPath, message: 'must be an object keyed by permission kind, e.g. {"net": ["api.github.com"]}' });
    return { declarations, problems };
  }
  for (const [kind, list] of Object.entries(raw)) {
    const at = `${keyPath}.${kind}`;
    if (!isDeclarableKind(kind)) {
      const message =
        kind === 'launch'
          ? 'is not declared: starting the server is asked for when it starts'
          : `is not a permission kind (use ${DECLARABLE_KINDS.join(', ')})`;
      problems.push({ keyPath: at, message });
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push({ keyPath: at, message: 'must be an array of targets (strings or {"target": …, "reason": …})' });
      continue;
    }
    list.forEach((item: unknown, index) => {
      const itemAt = `${at}[${index}]`;
      const entry = declarationOf(kind, item);
      if (typeof entry === 'string') problems.push({ keyPath: itemAt, message: entry });
      else declarations.push(entry);
    });
  }
  return { declarations, problems };
}

/** One entry: a target string, or {target, reason} (target may be left out for sampling, elicitation and roots). */
function declarationOf(kind: DeclarableKind, item: unknown): DeclaredPermission | string {
  let target: unknown;
  let reason: unknown;
  if (typeof item === 'string') target = item;
  else if (isRecord(item)) {
    target = item['target'] ?? (TARGETLESS.has(kind) ? '' : undefined);
    reason = item['reason'];
    const unknownKey = Object.keys(item).find((k) => k !== 'target' && k !== 'reason');
    if (unknownKey !== undefined) return `'${unknownKey}' is not a key of a declaration (use target and reason)`;
  } else return 'must be a target string or {"target": …, "reason": …}';
  if (typeof target !== 'string') return 'needs a string `target`';
  const problem = targetProblem(kind, target);
  if (problem) return `target ${problem}`;
  if (reason !== undefined && typeof reason !== 'string') return '`reason` must be a string';
  const clipped = reason === undefined ? undefined : cleanReason(reason);
  return { kind, target, ...(clipped && { reason: clipped }) };
}

/**
 * Turns declared permissions into Declarations: relative fs paths are resolved against the first workspace folder,
 * hosts written in canonical form. A relative path with no folder open, or one that climbs above its root, is dropped
 * with a message.
 */
export function toDeclarations(
  declared: readonly DeclaredPermission[],
  workspaceFolders: readonly string[],
  source: Declaration['source'],
): { declarations: Declaration[]; dropped: string[] } {
  const declarations: Declaration[] = [];
  const dropped: string[] = [];
  for (const { kind, target, reason } of declared) {
    let resolved: string | undefined = target;
    if (kind === 'fs.read' || kind === 'fs.write') {
      const folder = workspaceFolders[0];
      if (folder === undefined && !/^(?:[\\/]|[A-Za-z]:)/.test(target)) {
        dropped.push(`${kind} '${target}' is relative and no workspace folder is open`);
        continue;
      }
      resolved = resolvePath(folder ?? '', target);
      if (resolved === undefined) {
        dropped.push(`${kind} '${target}' climbs above the root of the file system`);
        continue;
      }
    } else if (kind === 'net') {
      const net = parseNetTarget(target);
      if (!net) {
        dropped.push(`net '${target}' is not a host`);
        continue;
      }
      resolved = formatNetTarget(net);
    }
    declarations.push({ permission: { kind, target: resolved }, ...(reason !== undefined && { reason }), source });
  }
  return { declarations, dropped };
}

/**
 * Reads what a server put under its capabilities for the permissions extension:
 * {"version": 1, "permissions": [{"kind", "target", "reason"}]}. At most 100 entries are kept, reasons are clipped
 * to 500 characters, anything malformed is dropped with a message. Never throws.
 */
export function parseServerDeclarations(raw: unknown): { declarations: DeclaredPermission[]; messages: string[] } {
  const declarations: DeclaredPermission[] = [];
  const messages: string[] = [];
  try {
    if (!isRecord(raw)) return { declarations, messages: ['the permissions extension value is not an object; ignored'] };
    if (raw['version'] !== 1) {
      return { declarations, messages: [`the permissions extension has version ${safeText(raw['version'])}; only version 1 is understood; ignored`] };
    }
    const list = raw['permissions'];
    if (list === undefined) return { declarations, messages };
    if (!Array.isArray(list)) return { declarations, messages: ['`permissions` is not an array; ignored'] };
    if (list.length > MAX_SERVER_DECLARATIONS) {
      messages.push(`the server declared ${list.length} permissions; only the first ${MAX_SERVER_DECLARATIONS} are kept`);
    }
    list.slice(0, MAX_SERVER_DECLARATIONS).forEach((item: unknown, index) => {
      const entry = serverEntry(item);
      if (typeof entry === 'string') messages.push(`permissions[${index}] ${entry}; dropped`);
      else declarations.push(entry);
    });
  } catch (error) {
    messages.push(`the permissions extension could not be read (${error instanceof Error ? error.message : 'unknown error'}); ignored`);
  }
  return { declarations, messages };
}

function serverEntry(item: unknown): DeclaredPermission | string {
  if (!isRecord(item)) return 'is not an object';
  const kind = item['kind'];
  if (typeof kind !== 'string' || !isDeclarableKind(kind)) return `has kind ${safeText(kind)}, which is not a permission a server can declare`;
  const target = item['target'] ?? (TARGETLESS.has(kind) ? '' : undefined);
  if (typeof target !== 'string') return 'has no string target';
  const problem = targetProblem(kind, target);
  if (problem) return `target ${problem}`;
  const reason = item['reason'];
  if (reason !== undefined && typeof reason !== 'string') return 'has a reason that is not a string';
  const clipped = reason === undefined ? undefined : cleanReason(reason);
  return { kind, target, ...(clipped && { reason: clipped }) };
}

/** Reasons are shown in notifications: one line, no control characters, at most 500 characters. */
function cleanReason(reason: string): string | undefined {
  const text = displayText(reason, MAX_REASON_CHARS);
  return text === '' ? undefined : text;
}

// C0 and C1 controls, DEL, line and paragraph separators, and the invisible characters that reorder or hide text
// (bidi overrides and isolates, zero-width marks): each could make a question read differently from what it is.
// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/**
 * Text a server or a repository chose (a reason, a tool name, a target), made safe to put in a notification: one
 * line, nothing invisible, no `[text](link)` the notification would turn into a link, at most `maxChars`
 * characters (then ending in `…`).
 */
export function displayText(text: string, maxChars: number): string {
  const line = text.replace(UNSHOWABLE, ' ').replace(/\s+/g, ' ').replaceAll('](', '] (').trim();
  if (line.length <= maxChars) return line;
  // Not half a surrogate pair at the cut.
  return `${line.slice(0, Math.max(0, maxChars - 1)).replace(/[\ud800-\udbff]$/, '').trimEnd()}…`;
}

function safeText(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isDeclarableKind(kind: string): kind is DeclarableKind {
  return (DECLARABLE_KINDS as readonly string[]).includes(kind);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
