import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { parse } from 'dotenv';

/** The most an env file may hold: far more than any list of variables, far less than a runaway device. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;
/** Reading a local file of at most 1 MiB takes milliseconds; this only stops a hung network share. */
const READ_TIMEOUT_MS = 5000;
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a dotenv file (`KEY=value` lines, quotes, comments) into variables. Only a regular file of at most 1 MiB
 * is read: a FIFO would block the read (and one of Node's four I/O threads) until someone writes to it, and a
 * device such as /dev/zero never ends. The file is opened non-blocking, so opening a FIFO returns at once, and
 * its type is checked on the open handle, so it cannot be swapped between the check and the read.
 */
export async function loadEnvFile(path: string, options: { readonly timeoutMs?: number } = {}): Promise<Record<string, string>> {
  return parse(await withinDeadline(readRegularFile(path), options.timeoutMs ?? READ_TIMEOUT_MS));
}

async function readRegularFile(path: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    // Opening a socket fails with ENXIO: say what the path is instead.
    const info = (error as NodeJS.ErrnoException).code === 'ENXIO' ? await stat(path).catch(() => undefined) : undefined;
    throw info ? new Error(notRegular(info)) : error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(notRegular(info));
    if (info.size > MAX_ENV_FILE_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    // Read until the end, not to the size seen above: the file may have grown since.
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_ENV_FILE_BYTES) throw tooLarge();
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Settles like `work`, or rejects once `ms` have passed (the work itself is left to finish on its own). */
export function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading it took longer than ${ms / 1000} s`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function notRegular(info: Stats): string {
  const what = info.isFIFO()
      ? 'a FIFO (named pipe)'
      : info.isCharacterDevice()
        ? 'a character device'
        : info.isBlockDevice()
          ? 'a block device'
          : info.isDirectory()
            ? 'a folder'
            : info.isSocket()
              ? 'a socket'
              : undefined;
  return what ? `it is ${what}, not a regular file` : 'it is not a regular file';
}

function tooLarge(): Error {
  return new Error(`it is larger than ${MAX_ENV_FILE_BYTES / (1024 * 1024)} MiB, the most an env file may hold`);
}
