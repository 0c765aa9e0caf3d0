import { open, readFile, rename, writeFile } from 'node:fs/promises';

/** The end of a segment: its last complete line, and bytes after it that never got their newline. */
export interface SegmentTail {
  readonly lastLine?: string;
  /** Bytes after the last newline: a write cut short by a crash. */
  readonly torn?: Buffer;
  readonly size: number;
}

/** Reads the end of a file without reading all of it. */
export async function readTail(path: string): Promise<SegmentTail> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let chunkSize = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunkSize);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const lastNewline = buffer.lastIndexOf(10);
      const torn = buffer.subarray(lastNewline + 1);
      if (lastNewline === -1 && start > 0) {
        chunkSize *= 4;
        continue;
      }
      const previousNewline = lastNewline > 0 ? buffer.lastIndexOf(10, lastNewline - 1) : -1;
      if (previousNewline === -1 && start > 0 && lastNewline !== -1) {
        chunkSize *= 4;
        continue;
      }
      const lastLine = lastNewline === -1 ? undefined : buffer.subarray(previousNewline + 1, lastNewline).toString('utf8');
      return { size, ...(lastLine !== undefined && { lastLine }), ...(torn.length > 0 && { torn: Buffer.from(torn) }) };
    }
  } finally {
    await handle.close();
  }
}

/** The number of complete lines in a file (for naming the line of a torn write). */
export async function countLines(path: string): Promise<number> {
  const content = await readFile(path);
  let lines = 0;
  for (let i = content.indexOf(10); i !== -1; i = content.indexOf(10, i + 1)) lines++;
  return lines;
}

/** Replaces a file's content all at once: a reader sees the old or the new file, never half of one. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
