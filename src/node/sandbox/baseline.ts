/**
 * The baseline: what a sandboxed stdio server may read without any grant, because it cannot start without it.
 *
 * - System folders and files, where they exist: `/usr`, `/bin`, `/sbin`, `/lib`, `/lib32`, `/lib64`, `/nix/store`;
 *   the dynamic linker's cache and configuration (`/etc/ld.so.cache`, `/etc/ld.so.conf`, `/etc/ld.so.conf.d`); TLS
 *   certificates (`/etc/ssl`, `/etc/pki`, `/etc/ca-certificates`, `/etc/crypto-policies`); time zone
 *   (`/etc/localtime`, `/etc/timezone`); users and name resolution (`/etc/passwd`, `/etc/group`,
 *   `/etc/nsswitch.conf`, `/etc/hosts`, `/etc/host.conf`, `/etc/gai.conf`, `/etc/resolv.conf`); the alternatives
 *   links (`/etc/alternatives`). No other part of `/etc`, and nothing of `/home`, `/root`, `/tmp` or `/var`.
 * - The runtime MCP Warden runs on (its install prefix, e.g. `/usr/local` for `/usr/local/bin/node`).
 * - The server's program: the install prefix of the command, found on the server's `PATH` and with its symlinks
 *   resolved (e.g. `~/.nvm/versions/node/v22.1.0` for `node` installed by nvm).
 * - For an interpreter running a script (`node server.js`, `python server.py`): the package that holds the script
 *   — the outermost `node_modules` folder it lies in, or else the nearest folder above it with a `package.json`,
 *   `pyproject.toml`, `setup.py` or `setup.cfg` below home, or else the script's own folder (the script alone when that is home).
 * - For a package launcher: `npx` → the npm cache's `_npx` folder (`~/.npm/_npx`); `uvx`/`uv` → uv's cache
 *   (`~/.cache/uv`) and the Python interpreters uv installs (`~/.local/share/uv/python`). Read-only: the sandbox
 *   cannot download, so such a server starts only once its package is in the cache.
 *
 * A prefix is never `/`, home or a folder straight in home (`~/.local` holds `~/.local/share`): then the program's
 * own folder (`~/.local/bin`) is taken instead, and what else it needs there takes a grant. Everything else, the
 * server's working folder included, takes a grant. Paths under the protected secrets stay denied whatever this says.
 */
import { basename, delimiter, dirname, isAbsolute, join, normalize, resolve } from 'node:path';

export interface BaselineInputs {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The runtime MCP Warden runs on (process.execPath). */
  readonly execPath: string;
  readonly home: string;
  readonly platform: NodeJS.Platform;
  readonly exists: (path: string) => 'file' | 'folder' | undefined;
  /** Resolves symlinks (fs.realpathSync); the path itself when absent. */
  readonly realpath?: (path: string) => string;
}

const LINUX_SYSTEM = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/nix/store',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/ssl',
  '/etc/pki',
  '/etc/ca-certificates',
  '/etc/crypto-policies',
  '/etc/localtime',
  '/etc/timezone',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/gai.conf',
  '/etc/resolv.conf',
  '/etc/alternatives',
];
// macOS (untested: the sandbox is developed on Linux).
const DARWIN_SYSTEM = ['/usr', '/bin', '/sbin', '/System', '/private/etc/ssl', '/private/etc/hosts', '/private/etc/resolv.conf', '/private/etc/passwd', '/private/etc/group', '/private/etc/localtime', '/private/var/db/timezone'];

const SCRIPT_RUNNER = /^(?:node|nodejs|bun|deno|python(?:\d+(?:\.\d+)?)?|pypy\d*)$/;
const PACKAGE_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'setup.cfg'];

/** The absolute paths a server reads without a grant (see the file comment); existing ones, sorted, none inside another. */
export function baselineReadPaths(inputs: BaselineInputs): string[] {
  if (inputs.platform === 'win32') return [];
  const real = (path: string) => normalize(inputs.realpath?.(path) ?? path);
  const home = normalize(inputs.home);
  const paths = [...(inputs.platform === 'darwin' ? DARWIN_SYSTEM : LINUX_SYSTEM)];
  paths.push(installPrefix(real(inputs.execPath), home));
  const program = resolveCommand(inputs);
  if (program !== undefined) paths.push(installPrefix(real(program), home));
  const script = scriptOf(inputs);
  if (script !== undefined) paths.push(packageRoot(real(script), home, inputs.exists));
  paths.push(...launcherCaches(inputs, home));
  return outermost(paths.filter((path) => inputs.exists(path) !== undefined));
}

/**
 * `…/prefix/bin/program` → `…/prefix`; a program not in a `bin` folder → its folder. A prefix straight in home
 * (`~/.local`, `~/.cargo`) holds far more than the program (`~/.local/share`): then the program's folder; a program
 * straight in home: only itself.
 */
function installPrefix(program: string, home: string): string {
  const folder = dirname(program);
  const prefix = basename(folder) === 'bin' ? dirname(folder) : folder;
  if (prefix !== home && prefix !== '/' && dirname(prefix) !== home) return prefix;
  return folder !== home && folder !== '/' ? folder : program;
}

/** The command as the server's `PATH` finds it (or relative to its working folder); undefined when not found. */
function resolveCommand(inputs: BaselineInputs): string | undefined {
  const { command, cwd, env, exists } = inputs;
  if (command.includes('/')) {
    const path = resolve(cwd, command);
    return exists(path) === 'file' ? path : undefined;
  }
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(folder)) continue;
    const path = join(folder, command);
    if (exists(path) === 'file') return path;
  }
  return undefined;
}

/** The script an interpreter runs: its first argument that is not an option, when it is an existing file. */
function scriptOf(inputs: BaselineInputs): string | undefined {
  if (!SCRIPT_RUNNER.test(basename(inputs.command))) return undefined;
  for (const arg of inputs.args) {
    // `-m module`, `-e code`, `-c code`: no script file.
    if (/^-[mce]$/.test(arg) || arg === '--eval' || arg === '--print') return undefined;
    if (arg.startsWith('-')) continue;
    const path = resolve(inputs.cwd, arg);
    return inputs.exists(path) === 'file' ? path : undefined;
  }
  return undefined;
}

/** The outermost `node_modules` holding `script`, else the nearest package folder above it, else its folder. */
function packageRoot(script: string, home: string, exists: BaselineInputs['exists']): string {
  const segments = script.split('/');
  const modules = segments.indexOf('node_modules');
  if (modules > 0) return segments.slice(0, modules + 1).join('/');
  const folder = dirname(script);
  for (let current = folder; current !== home && current !== '/'; current = dirname(current)) {
    if (PACKAGE_MARKERS.some((marker) => exists(join(current, marker)) === 'file')) return current;
  }
  // A script straight in home (or `/`) brings only itself.
  return folder === home || folder === '/' ? script : folder;
}

function launcherCaches(inputs: BaselineInputs, home: string): string[] {
  const name = basename(inputs.command);
  const { env } = inputs;
  if (name === 'npx') return [join(absolute(env.npm_config_cache ?? env.NPM_CONFIG_CACHE) ?? join(home, '.npm'), '_npx')];
  if (name === 'uvx' || name === 'uv') {
    const cache = absolute(env.UV_CACHE_DIR) ?? join(absolute(env.XDG_CACHE_HOME) ?? join(home, '.cache'), 'uv');
    const data = absolute(env.UV_PYTHON_INSTALL_DIR) ?? join(absolute(env.XDG_DATA_HOME) ?? join(home, '.local/share'), 'uv/python');
    return [cache, data];
  }
  return [];
}

function absolute(path: string | undefined): string | undefined {
  return path !== undefined && isAbsolute(path) ? normalize(path) : undefined;
}

/** Sorted, deduplicated, and without paths that lie inside another (one bind covers them). */
function outermost(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths.map((path) => normalize(path)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.filter((path) => !sorted.some((other) => other !== path && (other === '/' ? true : path.startsWith(`${other}/`))));
}
