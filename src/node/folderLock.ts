import { mkdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_DIR = '.write-lock';
/** A lock older than this was left by a writer that died: no write holds it nearly this long. */
const STALE_MS = 30_000;
const WAIT_MS = 10_000;

/**
 * Runs `fn` while holding the folder's write lock, so that two extension hosts writing the same thing (two
 * browser tabs of one workspace in code-server, a window that lingers after a reload) write one at a time, each
 * after re-reading what the other wrote. The lock is a directory: `mkdir` is atomic on every platform.
 * `what` names what the lock guards in the error, e.g. "the audit log".
 */
export async function withFolderLock<T>(dir: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, LOCK_DIR);
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) {
        await rmdir(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another window has held the write lock of ${what} (${lock}) for over ${WAIT_MS / 1000} s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
