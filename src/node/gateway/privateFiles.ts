import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `content` in one step: a temporary file in the same folder (created 0600, so nobody reads it
 * half-written), then a rename. A reader sees the old file or the new one, never a part, and a symlink at `path` is
 * replaced, not followed. The new file gets `mode`.
 */
export async function writeFileAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // After the write: the umask applies at creation, chmod does not see it.
    await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Creates `folder` and any missing parent, each 0700. Existing folders keep their mode. */
export async function makePrivateFolders(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
}
