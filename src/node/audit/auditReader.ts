import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRecord } from '../../core/audit/auditEvent';
import type { LogPosition } from '../../core/audit/auditIndex';
import { matchLine, type AuditQuery } from '../../core/audit/auditQuery';
import { readLinesBackward } from './lineReader';
import { listSegments } from './segments';

export interface AuditPage {
  /** Newest first. */
  readonly records: readonly AuditRecord[];
  /** Where the next (older) page starts, if there is more. */
  readonly next?: LogPosition;
}

export interface PageOptions {
  /** Read backwards from here; the end of the log by default. */
  readonly start?: LogPosition;
  readonly limit: number;
  /** Stop at records older than this seq (e.g. the first record of a session). */
  readonly stopBelowSeq?: number;
}

/**
 * Reads the log newest first, a page at a time, never the whole log: it walks segments backwards from a
 * position and stops as soon as the page is full.
 */
export class AuditReader {
  constructor(private readonly dir: string) {}

  async page(query: AuditQuery, options: PageOptions): Promise<AuditPage> {
    const segments = (await listSegments(this.dir)).map((s) => s.name);
    let segmentIndex = options.start ? segments.indexOf(options.start.segment) : segments.length - 1;
    if (segmentIndex === -1) return { records: [] };
    let end = options.start?.end ?? (await size(join(this.dir, segments[segmentIndex]!)));
    const records: AuditRecord[] = [];
    let next: LogPosition | undefined;
    let finished = false;
    while (segmentIndex >= 0 && !finished) {
      const segment = segments[segmentIndex]!;
      await readLinesBackward(join(this.dir, segment), end, (line, lineEnd) => {
        if (records.length >= options.limit) {
          next = { segment, end: lineEnd };
          finished = true;
          return false;
        }
        if (options.stopBelowSeq !== undefined && seqBelow(line, options.stopBelowSeq)) {
          finished = true;
          return false;
        }
        if (timeBefore(line, query.from)) {
          finished = true;
          return false;
        }
        const record = matchLine(line, query);
        if (record) records.push(record);
        return true;
      });
      segmentIndex--;
      if (!finished && segmentIndex >= 0) end = await size(join(this.dir, segments[segmentIndex]!));
    }
    return { records, ...(next && { next }) };
  }
}

async function size(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Reads a top-level field of a canonical line without parsing all of it. Keys are sorted and no object-valued
 * field sorts after "seq" or "time", so the last occurrence of the key is the top-level one.
 */
function topLevel(line: string, key: 'seq' | 'time'): string | undefined {
  const at = line.lastIndexOf(`"${key}":`);
  if (at === -1) return undefined;
  const rest = line.slice(at + key.length + 3);
  return key === 'seq' ? /^\d+/.exec(rest)?.[0] : /^"([^"]+)"/.exec(rest)?.[1];
}

function seqBelow(line: string, limit: number): boolean {
  const seq = topLevel(line, 'seq');
  return seq !== undefined && Number(seq) < limit;
}

/** Records are in time order, so reading backwards can stop at the first one older than `from`. */
function timeBefore(line: string, from: number | undefined): boolean {
  if (from === undefined) return false;
  const time = topLevel(line, 'time');
  return time !== undefined && Date.parse(time) < from;
}
