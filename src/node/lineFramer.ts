/** A line longer than the message size limit. */
export class MessageTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the server sent a message larger than ${formatBytes(limitBytes)} (mcpWarden.maxMessageSizeMiB)`);
    this.name = 'MessageTooLargeError';
  }
}

/**
 * Splits a byte stream into newline-terminated lines (stdio framing) without copying the buffered bytes on
 * every chunk, and refuses a line longer than `maxLineBytes` before it is buffered whole.
 */
export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Adds a chunk and returns the complete lines in it. Throws MessageTooLargeError. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      this.checkSize(this.pendingBytes + piece.length);
      const whole = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      const line = whole.toString('utf8').replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.checkSize(this.pendingBytes + rest.length);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  private checkSize(bytes: number): void {
    if (bytes > this.maxLineBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      throw new MessageTooLargeError(this.maxLineBytes);
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
