import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A folder only this user can enter, for sockets other local programs reach MCP Warden through: under
 * $XDG_RUNTIME_DIR when there is one (per user already), else `mcpw-<uid>` in the temp folder, created 0700. A
 * folder there that is not ours, is a link, or is open to others is refused, never used: on a shared machine
 * another user could have made it first to listen in.
 */
export function privateRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? userInfo().username;
  const base = env['XDG_RUNTIME_DIR'] && process.platform === 'linux' ? env['XDG_RUNTIME_DIR'] : tmpdir();
  const dir = join(base, `mcpw-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.isSymbolicLink()) throw new Error(`${dir} is not a plain folder: MCP Warden will not put its gateway socket there`);
  if (process.platform !== 'win32') {
    if (process.getuid && stat.uid !== process.getuid()) throw new Error(`${dir} belongs to another user: MCP Warden will not put its gateway socket there`);
    if ((stat.mode & 0o077) !== 0) throw new Error(`${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)}): MCP Warden will not put its gateway socket there`);
  }
  return dir;
}
