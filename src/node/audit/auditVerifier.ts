import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH, type AuditRecord } from '../../core/audit/auditEvent';
import { sha256 } from '../../core/audit/finalizeEvent';
import { canonicalJson } from '../../core/canonicalJson';
import type { AuditHead } from './auditLog';
import { forEachLine } from './lineReader';
import { readJson } from './logFiles';
import { listSegments } from './segments';

export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly records: number;
  readonly segments: number;
  /** The first place where the chain does not hold. */
  readonly broken?: BrokenLink;
}

export interface VerifyOptions {
  /** The newest record as recorded outside the log folder; head.json in the folder is checked too. */
  readonly expectedHead?: AuditHead;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** Records that account for the removal of the records before them (clearing, retention, a loss). */
const ANCHORS = new Set(['cleared', 'pruned', 'lost']);

class Broken extends Error {
  constructor(readonly link: BrokenLink) {
    super(link.reason);
  }
}

/**
 * Checks a log folder: every line is a canonical JSON record whose `prev` is the sha256 of the line before it
 * and whose `seq` follows it; the log starts at its beginning or at a record that accounts for what was
 * removed; a line cut short by a crash is followed by the record that repaired it; and the log reaches its
 * recorded head. Editing, deleting or reordering any record breaks one of these.
 */
export async function verifyAuditLog(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const segments = await listSegments(dir);
  const sizes = await Promise.all(segments.map(async (s) => (await stat(join(dir, s.name))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  let records = 0;
  let expectedPrev: string | undefined;
  let lastSeq = 0;
  let last: { file: string; line: number } | undefined;
  let first: { prev: string; file: string; line: number } | undefined;
  let torn: { file: string; line: number } | undefined;
  const anchors = new Set<string>();
  const heads = [options.expectedHead, (await readJson(join(dir, 'head.json'))) as AuditHead | undefined].filter(
    (h): h is AuditHead => typeof h?.seq === 'number' && typeof h.hash === 'string',
  );
  const hashAt = new Map<number, string>(heads.map((h) => [h.seq, '']));

  try {
    for (const [index, segment] of segments.entries()) {
      const file = segment.name;
      await forEachLine(
        join(dir, file),
        (line, _end, lineNumber, complete) => {
          const at = (reason: string) => new Broken({ file, line: lineNumber, reason });
          if (!complete) {
            torn = { file, line: lineNumber };
            return;
          }
          let record: AuditRecord;
          try {
            record = JSON.parse(line) as AuditRecord;
          } catch {
            throw at('the line is not valid JSON');
          }
          if (canonicalJson(record) !== line) throw at('the record is not in the form it was written in: it was edited');
          if (torn) {
            const repaired = record.type === 'audit' && record['action'] === 'repaired' ? (record['data'] as { file?: unknown; line?: unknown } | undefined) : undefined;
            if (repaired?.file !== torn.file || repaired.line !== torn.line) {
              throw at(`${torn.file}:${torn.line} ends in a line cut short, and this record does not account for it`);
            }
            torn = undefined;
          }
          if (expectedPrev === undefined) {
            first = { prev: record.prev, file, line: lineNumber };
          } else if (record.prev !== expectedPrev) {
            throw at(
              `the chain is broken: this record's prev is not the hash of the record before it (${last?.file}:${last?.line}); that record was changed, or records between them were deleted or reordered`,
            );
          } else if (record.seq !== lastSeq + 1) {
            throw at(`seq ${record.seq} follows seq ${lastSeq}: records are missing or out of order`);
          }
          if (record.type === 'audit' && ANCHORS.has(String(record['action']))) {
            const continuesFrom = (record['data'] as { continuesFrom?: unknown } | undefined)?.continuesFrom;
            if (typeof continuesFrom === 'string') anchors.add(continuesFrom);
          }
          expectedPrev = sha256(line);
          lastSeq = record.seq;
          if (hashAt.has(lastSeq)) hashAt.set(lastSeq, expectedPrev);
          last = { file, line: lineNumber };
          records++;
        },
        (bytes) => options.onProgress?.(done + bytes, total),
      );
      done += sizes[index]!;
    }
    if (torn) {
      const t = torn as { file: string; line: number };
      throw new Broken({ file: t.file, line: t.line, reason: 'the last line was cut short (a crash while writing?) and has not been repaired yet: MCP Warden repairs it when it next opens the log' });
    }
    if (first && first.prev !== GENESIS_HASH && !anchors.has(first.prev)) {
      throw new Broken({ ...first, reason: 'the log does not begin at its first record: records before this one were deleted, and no clear or retention record accounts for them' });
    }
    for (const head of heads) {
      if (head.seq > lastSeq) {
        throw new Broken({ file: last?.file ?? '(no segment)', line: last?.line ?? 0, reason: `the log ends at seq ${lastSeq}, but its head says ${head.seq}: records were deleted from the end` });
      }
      if (head.seq > 0 && hashAt.get(head.seq) !== head.hash) {
        throw new Broken({ file: last?.file ?? '(no segment)', line: last?.line ?? 0, reason: `record ${head.seq} does not match the head recorded for it: it was changed` });
      }
    }
  } catch (error) {
    if (error instanceof Broken) return { ok: false, records, segments: segments.length, broken: error.link };
    throw error;
  }
  options.onProgress?.(total, total);
  return { ok: true, records, segments: segments.length };
}

/** "76 records in 1 segment". */
export function describeCount(result: VerifyResult): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${plural(result.records, 'record')} in ${plural(result.segments, 'segment')}`;
}
