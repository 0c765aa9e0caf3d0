/**
 * What a sandbox block was, read from the runtime's violation lines and from the errors a blocked server prints:
 * the input of just-in-time grants. The runtime reads reported paths out of the server's own memory, so these are
 * hints to ask the user about, never decisions.
 */
import type { Permission } from '../permissions/permission';
import { parentPath, posixPath } from './posixPath';

export interface SandboxViolation {
  readonly kind: 'fs.write' | 'fs.read' | 'net';
  /** fs: the absolute path (normalised). */
  readonly path?: string;
  /** net: the host (an IPv6 address without brackets). */
  readonly host?: string;
  /** net: the port, when the line gives one. */
  readonly port?: number;
}

// Linux: `deny <syscall> <path>` (linux-violation-monitor.js) for each write-intent syscall seccomp saw; macOS:
// `deny(1) file-write-create <path>`, after the process name. The proxy: `deny network-outbound host:port (why)`,
// `deny socks-tunnel host:port (why)`, `deny http-request METHOD url-or-authority (why)` (sandbox-manager.js).
const LINE = /(?:^|\s)deny(?:\(\d+\))? (\S+) (.+)$/;

/** Reads one violation line of the runtime; undefined for a line it does not describe as a file or network block. */
export function parseViolation(line: string): SandboxViolation | undefined {
  const match = LINE.exec(line.trim());
  if (!match) return undefined;
  const operation = match[1]!;
  const rest = match[2]!;
  if (operation === 'network-outbound' || operation === 'socks-tunnel') return netViolation(firstWord(rest));
  if (operation === 'http-request') {
    const target = firstWord(rest.slice(rest.indexOf(' ') + 1));
    return netViolation(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? authorityOf(target) : target);
  }
  // A Linux syscall name (seccomp reports write-intent ones only) or a macOS file operation; nothing else
  // (`process-exec`, `mach-lookup`) is a file block.
  const kind = operation.startsWith('file-read') ? 'fs.read' : /^(?:file-write|[a-z0-9_]+$)/.test(operation) ? 'fs.write' : undefined;
  const path = kind && posixPath(rest);
  return path === undefined || kind === undefined ? undefined : { kind, path };
}

function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0] ?? '';
}

function authorityOf(url: string): string {
  const authority = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0]!;
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function netViolation(authority: string): SandboxViolation | undefined {
  // `[v6]:port` from URLs and CONNECT; otherwise `host:port` where the port follows the last colon (the proxy
  // writes `${host}:${port}` even for a bare IPv6 host).
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(authority);
  const plain = bracketed ? null : /^(.+?)(?::(\d{1,5}))?$/.exec(authority);
  const host = bracketed?.[1] ?? plain?.[1];
  const portText = bracketed ? bracketed[2] : plain?.[2];
  if (host === undefined || host === '' || /[\s/]/.test(host)) return undefined;
  return { kind: 'net', host: host.toLowerCase(), ...(portText !== undefined && { port: Number(portText) }) };
}

const ERRNO = /\b(?:EACCES|EPERM|EROFS|ENOENT)\b|Permission denied|Operation not permitted|Read-only file system|No such file or directory/;
// Messages of a server's own words about a path it could not use: `Cannot access directory /x, skipping`
// (server-filesystem), `could not open /x`, `failed to read /x`, `unable to write /x`.
const OWN_WORDS = /\b(?:cannot|can't|could not|couldn't|unable to|failed to) (?:access|open|read|write|find|stat|load|create)\b(?: (?:the )?(?:directory|folder|file|path))?:? ('[^'\n]+'|"[^"\n]+"|\/[^\s,;:'"]+)/gi;
const QUOTED = /'(\/[^'\n]*)'|"(\/[^"\n]*)"/g;
// coreutils and shells: `cat: /etc/x: No such file or directory`.
const BARE = /(?:^|\s)(\/[^\s:'"]*): (?:Permission denied|Operation not permitted|Read-only file system|No such file or directory)/g;
const MAX_TEXT = 64 * 1024;
const MAX_PATHS = 20;

/**
 * The absolute paths an error text or stderr names as denied, read-only or missing — Node (`EACCES: permission
 * denied, open '/x'`), Python (`[Errno 13] Permission denied: '/x'`) and shell (`cat: /x: No such file or
 * directory`) forms, and a server's own "cannot access directory /x" — in order, without duplicates. Only lines
 * that carry such an error count: a path a server merely mentions is not one it was denied.
 */
export function blockedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const line of text.slice(0, MAX_TEXT).split('\n')) {
    const candidates: string[] = [];
    if (ERRNO.test(line)) {
      candidates.push(...[...line.matchAll(QUOTED)].map((m) => m[1] ?? m[2]!));
      if (candidates.length === 0) candidates.push(...[...line.matchAll(BARE)].map((m) => m[1]!));
    } else {
      candidates.push(...[...line.matchAll(OWN_WORDS)].map((m) => m[1]!.replace(/^['"]|['"]$/g, '')).filter((path) => path.startsWith('/')));
    }
    for (const candidate of candidates) {
      // Error text inside JSON keeps its escapes: `\"/x\"`.
      const path = posixPath(candidate.replace(/\\+$/, ''));
      if (path !== undefined && path !== '/') found.add(path);
      if (found.size >= MAX_PATHS) return [...found];
    }
  }
  return [...found];
}

/** What a path is on the host: a file, a folder, or nothing. */
export type PathKindPort = (path: string) => 'file' | 'folder' | undefined;

/**
 * The permission to ask for after a block: the path itself when it exists (a file or a folder), otherwise its
 * nearest existing folder (where the server wanted to create something). Undefined when only `/` exists above it:
 * the whole file system is no grant to propose.
 */
export function jitPermission(blocked: { readonly kind: 'fs.read' | 'fs.write'; readonly path: string }, exists: PathKindPort): Permission | undefined {
  const path = posixPath(blocked.path);
  if (path === undefined || path === '/') return undefined;
  if (exists(path) !== undefined) return { kind: blocked.kind, target: path };
  let folder = parentPath(path);
  while (folder !== '/') {
    const kind = exists(folder);
    // Below a file nothing can be created: there is no grant that would help.
    if (kind === 'file') return undefined;
    if (kind === 'folder') return { kind: blocked.kind, target: folder };
    folder = parentPath(folder);
  }
  return undefined;
}
