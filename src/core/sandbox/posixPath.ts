/**
 * Absolute POSIX paths as the sandbox takes them (Linux and macOS; Windows has no sandbox). Plain strings, compared
 * as written: the node layer resolves symlinks before it hands paths in.
 */
import { normalizePath } from '../permissions/pathTargets';

/** `/a/./b//c/` → `/a/b/c`; undefined for anything that is not an absolute POSIX path. */
export function posixPath(path: string): string | undefined {
  if (!path.startsWith('/') || path.includes('\\')) return undefined;
  return normalizePath(path);
}

/** Whether `path` is `folder` or lies below it. */
export function isAtOrUnder(path: string, folder: string): boolean {
  return path === folder || isStrictlyUnder(path, folder);
}

/** Whether `path` lies below `folder` (not `folder` itself). */
export function isStrictlyUnder(path: string, folder: string): boolean {
  if (folder === '/') return path !== '/' && path.startsWith('/');
  return path.length > folder.length && path.startsWith(folder) && path[folder.length] === '/';
}

/** `folder` joined with one entry name. */
export function childPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

/** The folder holding `path`; `/` for `/`. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** Sorted by code unit (not locale) and without duplicates, so two lists compare with JSON equality. */
export function sortedUnique(paths: Iterable<string>): string[] {
  return [...new Set(paths)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
