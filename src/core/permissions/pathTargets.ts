/**
 * Paths as fs.read / fs.write targets: parsed without node:path (the core has none), for POSIX (`/a/b`), drive
 * (`C:\a`) and UNC (`\\server\share\a`) roots, with either separator. A folder covers what is below it.
 */

/** An absolute path reduced to its root and its segments (no `.`, `..` or empty segments). */
export interface ParsedPath {
  /** `''` for POSIX `/`, `C:` for a drive, `//server/share` for UNC. */
  readonly root: string;
  readonly segments: readonly string[];
}

/** Turns a path into what the OS would open, following symlinks (fs.realpathSync); throws if it does not exist. */
export type RealpathPort = (path: string) => string;

const DRIVE = /^([A-Za-z]):(?=[\\/]|$)/;
const UNC = /^[\\/]{2}([^\\/]+)[\\/]+([^\\/]+)(?=[\\/]|$)/;

/**
 * Parses an absolute path, resolving `.`, `..` and repeated or trailing separators. Undefined for a relative path,
 * one that climbs above its root, one holding a NUL, or one whose meaning depends on the OS (a POSIX root with a
 * backslash, a Windows root without a drive): such a target never matches a grant.
 */
export function parseAbsolutePath(path: string): ParsedPath | undefined {
  if (path.includes('\0')) return undefined;
  let root: string;
  let rest: string;
  const drive = DRIVE.exec(path);
  const unc = drive ? null : UNC.exec(path);
  if (drive) {
    root = `${drive[1]!.toUpperCase()}:`;
    rest = path.slice(2);
  } else if (unc) {
    root = `//${unc[1]}/${unc[2]}`;
    rest = path.slice(unc[0].length);
  } else if (path.startsWith('/') && !path.includes('\\')) {
    // A backslash is a name character on POSIX and a separator on Windows: `/tmp/x\..\..\ws` is a file in
    // /tmp on one and /ws on the other. Such a path, and a Windows path without its drive (`\ws`), means
    // different files on different systems: it matches no grant.
    root = '';
    rest = path;
  } else {
    return undefined;
  }
  const segments: string[] = [];
  for (const part of rest.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else {
      segments.push(part);
    }
  }
  return { root, segments };
}

/** The path written back with one separator. */
export function formatPath(parsed: ParsedPath, separator: '/' | '\\' = '/'): string {
  const root = parsed.root.startsWith('//') ? parsed.root.replaceAll('/', separator) : parsed.root;
  return root + separator + parsed.segments.join(separator);
}

/** `/a/./b//c/` → `/a/b/c`; `C:\a\..\b\` → `C:\b`. Undefined when `path` is relative or climbs above its root. */
export function normalizePath(path: string): string | undefined {
  const parsed = parseAbsolutePath(path);
  return parsed && formatPath(parsed, separatorOf(path));
}

/** `folder` joined with a relative `path` (`./x`, `x/y`, `../x`); an absolute `path` is taken as it is. */
export function resolvePath(folder: string, path: string): string | undefined {
  if (/^(?:[\\/]|[A-Za-z]:)/.test(path)) return normalizePath(path);
  return normalizePath(folder + separatorOf(folder) + path);
}

function separatorOf(path: string): '/' | '\\' {
  const slash = path.indexOf('/');
  const backslash = path.indexOf('\\');
  if (backslash === -1) return '/';
  return slash === -1 || backslash < slash ? '\\' : '/';
}

/** A path ready for comparison: one key string, case-folded when the file system ignores case. */
export interface PathKey {
  readonly key: string;
  readonly depth: number;
}

export interface PathOptions {
  readonly caseInsensitive: boolean;
  readonly realpath?: RealpathPort;
}

/**
 * The comparison key of a path: parsed (refusing climbs above root), then, with a realpath port, resolved through
 * symlinks — the path itself if it exists, else its nearest existing ancestor plus the rest (a file about to be
 * written does not exist yet, but the folder it lands in does).
 */
export function pathKey(path: string, options: PathOptions): PathKey | undefined {
  let parsed = parseAbsolutePath(path);
  if (!parsed) return undefined;
  if (options.realpath) parsed = throughSymlinks(path, parsed, options.realpath);
  if (!parsed) return undefined;
  const joined = `${parsed.root}/${parsed.segments.join('/')}`;
  return { key: options.caseInsensitive ? joined.toLowerCase() : joined, depth: parsed.segments.length };
}

function throughSymlinks(original: string, parsed: ParsedPath, realpath: RealpathPort): ParsedPath | undefined {
  const real = tryRealpath(original, realpath); // the original: the OS resolves `link/..` through the link
  if (real !== undefined) return parseAbsolutePath(real);
  // A `..` that follows a link leads out of the link's target, not back to where the text says: walk as the OS does.
  if (/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(original)) return walkThroughSymlinks(original, parsed.root, realpath);
  for (let keep = parsed.segments.length - 1; keep >= 0; keep--) {
    const ancestor = tryRealpath(formatPath({ root: parsed.root, segments: parsed.segments.slice(0, keep) }, separatorOf(original)), realpath);
    if (ancestor === undefined) continue;
    const base = parseAbsolutePath(ancestor);
    return base && { root: base.root, segments: [...base.segments, ...parsed.segments.slice(keep)] };
  }
  return parsed;
}

/**
 * Segment by segment, resolving each existing prefix through its links before the next segment (or `..`) applies
 * to it; from the first segment that does not exist on, the rest is taken as written (it holds no link).
 */
function walkThroughSymlinks(original: string, root: string, realpath: RealpathPort): ParsedPath | undefined {
  const separator = separatorOf(original);
  const start = root === '' ? 0 : root.startsWith('//') ? (UNC.exec(original)?.[0].length ?? 0) : 2;
  let current: ParsedPath = { root, segments: [] };
  let exists = true;
  for (const part of original.slice(start).split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (current.segments.length === 0) return undefined;
      current = { root: current.root, segments: current.segments.slice(0, -1) };
      exists = true; // back where links may be again
      continue;
    }
    const next: ParsedPath = { root: current.root, segments: [...current.segments, part] };
    const real = exists ? tryRealpath(formatPath(next, separator), realpath) : undefined;
    if (real === undefined) {
      exists = false;
      current = next;
      continue;
    }
    const resolved = parseAbsolutePath(real);
    if (!resolved) return undefined;
    current = resolved;
  }
  return current;
}

function tryRealpath(path: string, realpath: RealpathPort): string | undefined {
  try {
    return realpath(path);
  } catch {
    return undefined;
  }
}

/** True when `folder` is `path` or one of its ancestors: `/a/b` covers `/a/b/c` but not `/a/bc`. */
export function pathCovers(folder: PathKey, path: PathKey): boolean {
  const f = folder.key;
  const p = path.key;
  const n = f.length;
  if (p.length < n) return false;
  // '/' = 47. A folder key ends in '/' only at a root; otherwise the path must go on with a separator.
  if (p.length > n && f.charCodeAt(n - 1) !== 47 && p.charCodeAt(n) !== 47) return false;
  // Backwards: sibling grants share their beginning and differ at the end. (startsWith is several times slower here.)
  for (let i = n - 1; i >= 0; i--) if (f.charCodeAt(i) !== p.charCodeAt(i)) return false;
  return true;
}
