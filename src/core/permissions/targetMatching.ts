/**
 * Whether a grant's target covers a requested one, and how specifically. Targets are compiled once (grants when
 * they are set, a request once per decision) so matching a thousand grants stays cheap.
 */
import type { PermissionKind } from './permission';
import { netSpecificity, parseNetTarget, type NetTarget } from './netTargets';
import { pathCovers, pathKey, type PathKey, type RealpathPort } from './pathTargets';

export interface MatchOptions {
  /** Compare paths and program names without case (Windows, macOS default volumes). */
  readonly caseInsensitivePaths: boolean;
  /** Resolves symlinks (the node layer passes fs.realpathSync); without it paths compare as written. */
  readonly realpath?: RealpathPort;
}

/**
 * A target ready for matching. One object shape for every kind (unused fields undefined): the gate compares
 * thousands of them per second, and a single shape keeps those property reads fast.
 */
export interface CompiledTarget {
  /** `invalid`: a target that cannot be read (a relative path, a malformed host); it matches nothing. */
  readonly type: 'path' | 'net' | 'program' | 'resource' | 'exact' | 'invalid';
  readonly text: string;
  /** `path`; `program` given as a path. */
  readonly path: PathKey | undefined;
  readonly net: NetTarget | undefined;
  /** `program`: the bare name (or a path's basename), folded when names ignore case. */
  readonly name: string | undefined;
  /** `resource` with a `*`. */
  readonly pattern: RegExp | undefined;
  /** `resource`: how many literal characters the pattern has. */
  readonly literalChars: number;
}

function compiled(type: CompiledTarget['type'], text: string, fields: Partial<Omit<CompiledTarget, 'type' | 'text'>> = {}): CompiledTarget {
  return {
    type,
    text,
    path: fields.path,
    net: fields.net,
    name: fields.name,
    pattern: fields.pattern,
    literalChars: fields.literalChars ?? 0,
  };
}

/** `forRequest`: the target is a concrete request (a resource URI is matched, never used as a pattern). */
export function compileTarget(kind: PermissionKind, target: string, options: MatchOptions, forRequest = false): CompiledTarget {
  switch (kind) {
    case 'fs.read':
    case 'fs.write': {
      const path = pathKey(target, { caseInsensitive: options.caseInsensitivePaths, realpath: options.realpath });
      return path ? compiled('path', target, { path }) : compiled('invalid', target);
    }
    case 'net': {
      const net = parseNetTarget(target);
      return net ? compiled('net', target, { net }) : compiled('invalid', target);
    }
    case 'process.exec':
      return compileProgram(target, options);
    case 'resource':
      // A request names one URI: without a scheme it is none (a missing or non-string `uri`), and no pattern, not
      // even `*`, may cover it.
      if (forRequest) return compiled(URI_SCHEME.test(target) ? 'resource' : 'invalid', target);
      return target === '' ? compiled('invalid', target) : compileResource(target);
    default:
      return compiled('exact', target);
  }
}

/**
 * How specifically `grant` covers `request` — higher wins within a level (an exact path over its folder, a deeper
 * folder over a shallower one, host:port over host over `*.domain` over `*`, an exact URI over a pattern) — or -1.
 */
export function matchSpecificity(grant: CompiledTarget, request: CompiledTarget): number {
  if (grant.type !== request.type) return -1;
  switch (grant.type) {
    case 'path':
      return pathCovers(grant.path!, request.path!) ? 1 + grant.path!.depth : -1;
    case 'net':
      return netSpecificity(grant.net!, request.net!);
    case 'program':
      if (grant.path) return request.path !== undefined && request.path.key === grant.path.key ? 2 : -1;
      return grant.name !== undefined && grant.name === request.name ? 1 : -1;
    case 'resource':
      if (!grant.pattern) return grant.text === request.text ? 1_000_000 : -1;
      return grant.pattern.test(request.text) ? 1 + grant.literalChars : -1;
    case 'exact':
      return grant.text === request.text ? 1 : -1;
    case 'invalid':
      return -1;
  }
}

const EXECUTABLE_SUFFIX = /\.(?:exe|cmd|bat|com)$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** A bare-name grant covers that name anywhere (by basename); a path grant covers only that very file. */
function compileProgram(target: string, options: MatchOptions): CompiledTarget {
  if (target === '') return compiled('invalid', target);
  if (!/[\\/]/.test(target)) return compiled('program', target, { name: foldProgram(target, options) });
  const path = pathKey(target, { caseInsensitive: options.caseInsensitivePaths, realpath: options.realpath });
  // A relative path (`./git`) names whatever sits in the working directory: it matches nothing.
  if (!path) return compiled('invalid', target);
  // The basename is kept so that a bare-name grant (`git`) covers `/usr/bin/git`.
  return compiled('program', target, { path, name: foldProgram(target.split(/[\\/]/).pop() ?? '', options) });
}

function foldProgram(name: string, options: MatchOptions): string {
  return options.caseInsensitivePaths ? name.toLowerCase().replace(EXECUTABLE_SUFFIX, '') : name;
}

function compileResource(target: string): CompiledTarget {
  const parts = target.split('*');
  if (parts.length === 1) return compiled('resource', target);
  const source = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return compiled('resource', target, { pattern: new RegExp(`^${source}$`), literalChars: target.length - (parts.length - 1) });
}
