/**
 * Builds the OS sandbox profile of one server run from its honoured grants (see sandboxProfile.ts for what each
 * list means to the runtime). Pure: the folder listing it needs comes in as a port.
 */
import type { Grant } from '../permissions/permission';
import { parseNetTarget, type NetTarget } from '../permissions/netTargets';
import { childPath, isAtOrUnder, isStrictlyUnder, posixPath, sortedUnique } from './posixPath';
import { protectedDenials } from './protectedPaths';
import type { SandboxProfile } from './sandboxProfile';

export interface ProfileInputs {
  /** Honoured grants of this server and run (workspace sealed/confirmed when trusted + this session's), kinds fs.read, fs.write, net. Once grants excluded. */
  readonly grants: readonly Grant[];
  /** Absolute folders/files a server needs to run at all (node: baseline.ts). */
  readonly baseline: readonly string[];
  /** The run's private folders: `temp` is writable (TMPDIR), `sockets` readable (the runtime's bridge sockets). */
  readonly privateTemp: string;
  readonly socketFolder: string;
  /**
   * The folder holding every run's private folders (of every server): hidden as a whole, so a read grant around it
   * neither shows one server another's temp files and sockets nor lists run folders that come and go.
   */
  readonly runsFolder?: string;
  readonly home: string;
  /** Extra protected paths from the host (the editor's storage, SecretStorage backing files). */
  readonly protectedPaths: readonly string[];
  /** Lists a folder's entries (names); undefined when it cannot. Used to keep write roots out from under read roots (upstream bug #446). */
  readonly listFolder: (path: string) => readonly string[] | undefined;
}

/**
 * Names inside a write root that change what runs next — git hooks and config, editor tasks and settings, MCP
 * server lists, shell start-up files — denied whether they exist or not, so a server cannot plant them. (The
 * runtime blocks a missing one by placing a stub at its first missing component: a write root without `.git`
 * cannot get one.) A write grant at or below one of them re-opens it.
 */
export const DANGEROUS_NAMES: readonly string[] = [
  '.git/hooks',
  '.git/config',
  '.gitmodules',
  '.gitconfig',
  '.vscode',
  '.idea',
  '.mcp.json',
  '.cursor',
  '.claude/commands',
  '.claude/agents',
  '.claude/settings.json',
  '.bashrc',
  '.bash_profile',
  '.zshrc',
  '.zprofile',
  '.profile',
  '.envrc',
];

/** The sandbox profile of one run: deterministic (every list sorted and deduplicated). */
export function buildSandboxProfile(inputs: ProfileInputs): SandboxProfile {
  const paths = (kind: 'fs.read' | 'fs.write', decision: 'allow' | 'deny') =>
    sortedUnique(grantTargets(inputs.grants, kind, decision).map(posixPath).filter((path): path is string => path !== undefined));
  const allWriteDenied = paths('fs.write', 'deny');
  // A deny of the same path wins over an allow of it (the runtime's own tie-break is not documented).
  const writeGranted = without(paths('fs.write', 'allow'), allWriteDenied);
  const readGranted = paths('fs.read', 'allow');
  // A deny matters only inside something allowed: elsewhere the path is denied already, and listing it anyway
  // would make every "Deny" of a hidden path a profile change (and a restart) that changes nothing.
  const readable = [...readGranted, ...paths('fs.write', 'allow')];
  const readDenied = paths('fs.read', 'deny').filter((path) => readable.some((root) => isAtOrUnder(path, root)));
  const writeDenied = allWriteDenied.filter((path) => paths('fs.write', 'allow').some((root) => isAtOrUnder(path, root)));

  const privateTemp = posixPath(inputs.privateTemp);
  const socketFolder = posixPath(inputs.socketFolder);
  const writeRoots = sortedUnique([...writeGranted, ...(privateTemp === undefined ? [] : [privateTemp])]);

  const secrets = protectedDenials(inputs.home, inputs.protectedPaths, [...readGranted, ...writeGranted]);
  // A deny inside a secret that stays hidden anyway changes nothing either.
  const runsFolder = inputs.runsFolder === undefined ? undefined : posixPath(inputs.runsFolder);
  const denyRead = sortedUnique([
    '/',
    ...secrets,
    ...(runsFolder === undefined ? [] : [runsFolder]),
    ...readDenied.filter((path) => !secrets.some((secret) => isAtOrUnder(path, secret))),
  ]);
  const readRoots = sortedUnique([
    ...inputs.baseline.map(posixPath).filter((path): path is string => path !== undefined),
    ...readGranted,
    ...(socketFolder === undefined ? [] : [socketFolder]),
  ]);
  const denied = new Set(denyRead);
  const allowRead = sortedUnique([...keepWritesWritable(readRoots, writeRoots, denied, inputs.listFolder), ...writeRoots]).filter(
    (path) => !denied.has(path),
  );

  return {
    filesystem: {
      denyRead,
      allowRead,
      allowWrite: writeRoots,
      denyWrite: sortedUnique([...writeDenied, ...dangerousNamesIn(writeGranted, inputs.listFolder)]),
    },
    network: networkOf(inputs.grants),
  };
}

function grantTargets(grants: readonly Grant[], kind: Grant['kind'], decision: Grant['decision']): string[] {
  return grants.filter((grant) => grant.kind === kind && grant.decision === decision && grant.scope !== 'once').map((grant) => grant.target);
}

function without(paths: readonly string[], removed: readonly string[]): string[] {
  const gone = new Set(removed);
  return paths.filter((path) => !gone.has(path));
}

/**
 * Upstream bug #446 (sandbox-runtime 0.0.83): under `denyRead: ['/']` the runtime binds read roots read-only after
 * it binds write roots, so a write root inside a read root comes out read-only (EROFS). Each read root R that holds a
 * write root W is therefore replaced by R's entries, except the one on the way to W, level by level down to W's
 * folder; W itself is read through its own entry (a write grant is readable). When a folder cannot be listed, R is
 * kept as it is and W stays read-only in the sandbox: that is the bug, not a widening of anything.
 */
function keepWritesWritable(
  readRoots: readonly string[],
  writeRoots: readonly string[],
  denied: ReadonlySet<string>,
  listFolder: ProfileInputs['listFolder'],
): string[] {
  // A write root inside another is already writable where the outer one is bound.
  const outerWrites = writeRoots.filter((write) => !writeRoots.some((other) => isStrictlyUnder(write, other)));
  const split = (root: string): string[] => {
    const inside = outerWrites.filter((write) => isStrictlyUnder(write, root));
    if (inside.length === 0) return [root];
    const names = listFolder(root);
    if (names === undefined) return [root];
    return names.flatMap((name) => {
      if (name === '' || name === '.' || name === '..' || name.includes('/')) return [];
      const entry = childPath(root, name);
      // Write roots come back as read roots of their own; a denied entry stays out (the split must not re-open it).
      if (outerWrites.includes(entry) || denied.has(entry)) return [];
      return split(entry);
    });
  };
  // A read root at or inside a write root is bound writable by the runtime already: nothing to split.
  return readRoots.flatMap((root) => (outerWrites.some((write) => isAtOrUnder(root, write)) ? [root] : split(root)));
}

/** The dangerous names inside each granted write root that is a folder (the private temp is the run's own). */
function dangerousNamesIn(writeGranted: readonly string[], listFolder: ProfileInputs['listFolder']): string[] {
  // A root that cannot be listed is a file (nothing inside) or missing (the runtime binds no missing root).
  const folders = writeGranted.filter((root) => listFolder(root) !== undefined);
  return folders.flatMap((root) =>
    DANGEROUS_NAMES.map((name) => childPath(root, name)).filter(
      (dangerous) => !writeGranted.some((granted) => isAtOrUnder(granted, dangerous)),
    ),
  );
}

function networkOf(grants: readonly Grant[]): SandboxProfile['network'] {
  const targets = (decision: Grant['decision']) =>
    grantTargets(grants, 'net', decision)
      .map(parseNetTarget)
      .filter((target): target is NetTarget => target !== undefined);
  const allowed = targets('allow');
  const denied = targets('deny');
  return {
    allowedDomains: sortedUnique(allowed.filter((target) => target.type !== 'unix').map(domainOf)),
    deniedDomains: sortedUnique(denied.filter((target) => target.type !== 'unix').map(domainOf)),
    allowAllUnixSockets: allowed.some((target) => target.type === 'unix') && !denied.some((target) => target.type === 'unix'),
  };
}

/** A net target as the runtime's domain lists spell it: an IPv6 literal always in brackets. */
function domainOf(target: NetTarget): string {
  if (target.type === 'any') return '*';
  const host = target.type === 'wildcard' ? `*${target.host}` : target.host.includes(':') ? `[${target.host}]` : target.host;
  return target.port === undefined ? host : `${host}:${target.port}`;
}
