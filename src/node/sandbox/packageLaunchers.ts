import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';

/**
 * Package launchers download the server they run (`npx -y @scope/server`, `uvx server`). In the sandbox they get
 * what that takes, and no more: a package cache of the server's own (writable, kept between runs, shared with no
 * other server or workspace, so a server cannot plant code in another's packages) and the package registry's host.
 * Everything they install, install scripts included, runs inside the sandbox.
 */
export interface LauncherNeeds {
  /** The launcher, as the log names it. */
  readonly launcher: 'npx' | 'uvx';
  /** The server's own package cache. */
  readonly cacheFolder: string;
  /** Variables that point the launcher at that cache. */
  readonly env: Readonly<Record<string, string>>;
  /** Registry hosts it must reach. */
  readonly hosts: readonly string[];
}

/** What a launch needs for its launcher, or undefined when its command is no package launcher. */
export function launcherNeeds(command: string, args: readonly string[], server: string, cacheRoot: string): LauncherNeeds | undefined {
  const name = basename(command).replace(/\.(?:cmd|exe)$/i, '');
  const launcher = name === 'npx' || (name === 'npm' && (args[0] === 'exec' || args[0] === 'x')) ? 'npx' : name === 'uvx' || (name === 'uv' && args[0] === 'tool') ? 'uvx' : undefined;
  if (!launcher) return undefined;
  // One cache per server and launch: a changed command line starts from an empty cache.
  const digest = createHash('sha256').update([command, ...args].join('\0')).digest('hex').slice(0, 12);
  const cacheFolder = join(cacheRoot, `${server.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${digest}`);
  if (launcher === 'npx') {
    // npm keeps its logs and the npx installs under its cache too.
    return { launcher, cacheFolder, env: { npm_config_cache: cacheFolder, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, hosts: ['registry.npmjs.org:443'] };
  }
  return { launcher, cacheFolder, env: { UV_CACHE_DIR: join(cacheFolder, 'cache'), UV_TOOL_DIR: join(cacheFolder, 'tools'), UV_PYTHON_INSTALL_DIR: join(cacheFolder, 'python') }, hosts: ['pypi.org:443', 'files.pythonhosted.org:443'] };
}
