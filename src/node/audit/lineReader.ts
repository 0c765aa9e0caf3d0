import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Calls `fn` for every complete line of a file, in order, with the byte offset just after the line (its
 * newline) and its 1-based number. A last line without a newline is passed with `complete: false`.
 */
export async function forEachLine(
  path: string,
  fn: (line: string, end: number, lineNumber: number, complete: boolean) => void,
  onProgress?: (bytes: number) => void,
  /** Byte offset to start at (just after a newline); line numbers then count from there. */
  start = 0,
): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  let lineNumber = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, start }) as AsyncIterable<Buffer>) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
      offset += newline - start + 1;
      fn(data.toString('utf8', start, newline), offset, ++lineNumber, true);
      start = newline + 1;
    }
    carry = Buffer.from(data.subarray(start));
    onProgress?.(offset + carry.length);
  }
  if (carry.length > 0) fn(carry.toString('utf8'), offset + carry.length, lineNumber + 1, false);
}

/** The first line of a file, or undefined for an empty one. */
export async function firstLine(path: string): Promise<string | undefined> {
  let first: string | undefined;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const newline = buffer.subarray(0, bytesRead).indexOf(10);
    first = buffer.toString('utf8', 0, newline === -1 ? bytesRead : newline);
  } finally {
    await handle.close();
  }
  if (first === '' || first === undefined) return undefined;
  if (first.length < 64 * 1024 - 1) return first;
  // A first line longer than the buffer: read it whole.
  let whole: string | undefined;
  await forEachLine(path, (line, _end, number) => {
    if (number === 1) whole = line;
  });
  return whole;
}

/**
 * Reads complete lines backwards from byte offset `end` (just after a newline): `fn` gets each line with the
 * offset just after it, newest first, and returns false to stop. Reads 256 KiB blocks from the end; bytes
 * after the last newline before `end` (a torn write) are not a line and are skipped.
 */
export async function readLinesBackward(path: string, end: number, fn: (line: string, end: number) => boolean): Promise<void> {
  const handle = await open(path, 'r');
  try {
    // Invariant: `buffered` holds bytes [position, cursor), and ends with the newline of the next line to emit.
    let position = end;
    let cursor = end;
    let buffered: Buffer = Buffer.alloc(0);
    let trimmed = false;
    while (cursor > 0) {
      if (position > 0) {
        const start = Math.max(0, position - 256 * 1024);
        const block = Buffer.alloc(position - start);
        await handle.read(block, 0, block.length, start);
        buffered = buffered.length > 0 ? Buffer.concat([block, buffered]) : block;
        position = start;
      }
      if (!trimmed) {
        const lastNewline = buffered.lastIndexOf(10);
        if (lastNewline === -1 && position > 0) continue;
        cursor = position + lastNewline + 1;
        buffered = buffered.subarray(0, lastNewline + 1);
        trimmed = true;
        if (lastNewline === -1) return;
      }
      for (;;) {
        const terminator = buffered.length - 1;
        const previous = terminator > 0 ? buffered.lastIndexOf(10, terminator - 1) : -1;
        if (previous === -1 && position > 0) break; // the line starts in an earlier block
        if (!fn(buffered.toString('utf8', previous + 1, terminator), cursor)) return;
        cursor = position + previous + 1;
        buffered = buffered.subarray(0, previous + 1);
        if (previous === -1) return;
      }
    }
  } finally {
    await handle.close();
  }
}
