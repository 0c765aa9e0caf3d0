import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AuditRecord } from '../../core/audit/auditEvent';
import { AuditIndex } from '../../core/audit/auditIndex';
import { firstLine, forEachLine } from './lineReader';
import { countLines, readJson, readTail } from './logFiles';
import type { SegmentName } from './segments';

export const HEAD_FILE = 'head.json';
export const INDEX_FILE = 'index.json';

/** The newest record of a log: kept in SecretStorage by the extension, so deletions at the end show. */
export interface AuditHead {
  readonly seq: number;
  readonly mac: string;
}

/** head.json beside the segments: the head, with a MAC that says it was the head (for verifiers without SecretStorage). */
export interface HeadFile extends AuditHead {
  readonly keyId: string;
  readonly headMac: string;
}

/** The newest complete record of a log. */
export interface LastRecord {
  readonly seq: number;
  /** Its `mac`; for a line that is not a record of this format, the sha256 of the line, so the chain still goes on. */
  readonly mac: string;
  readonly line: string;
  readonly file: string;
  /** The record, if the line parses. */
  readonly record?: AuditRecord;
}

/** A line a crash cut short at the end of a segment. */
export interface TornWrite {
  readonly file: string;
  readonly line: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly fragment: string;
}

/** A segment and its size on disk. */
export type SizedSegment = SegmentName & { readonly size: number };

/** Where an existing log ends. */
export interface LogEnd {
  readonly last?: LastRecord;
  /** The newest segment (where appending goes on, unless it ends in a torn line). */
  readonly newest?: SizedSegment;
  /** A line a crash cut short at the end of the newest segment. */
  readonly torn?: TornWrite;
}

/**
 * Reads where a log ends: its newest complete record, found by walking back over segments that are empty or
 * hold only a line a crash cut short (the first write of a day, say), and that torn line, if any, which is left
 * in place as evidence.
 */
export async function readLogEnd(dir: string, segments: readonly SegmentName[]): Promise<LogEnd> {
  let torn: TornWrite | undefined;
  let newest: SizedSegment | undefined;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    const path = join(dir, segment.name);
    const tail = await readTail(path);
    if (i === segments.length - 1) {
      newest = { ...segment, size: tail.size };
      if (tail.torn) torn = await tornWriteOf(path, segment.name, tail.torn);
    }
    if (tail.lastLine !== undefined) return { last: lastRecordOf(tail.lastLine, segment.name), ...(newest && { newest }), ...(torn && { torn }) };
  }
  return { ...(newest && { newest }), ...(torn && { torn }) };
}

/** The evidence of a line a crash cut short at the end of a segment: where it is, and a digest of its bytes. */
export async function tornWriteOf(path: string, file: string, bytes: Buffer): Promise<TornWrite> {
  return {
    file,
    line: (await countLines(path)) + 1,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    fragment: bytes.toString('utf8').slice(0, 256),
  };
}

export function lastRecordOf(line: string, file: string): LastRecord {
  let record: AuditRecord | undefined;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { seq?: unknown }).seq === 'number') record = parsed as AuditRecord;
  } catch {
    // not a record: the head check says so
  }
  const mac = typeof record?.mac === 'string' ? record.mac : createHash('sha256').update(line).digest('hex');
  return { seq: record?.seq ?? 0, mac, line, file, ...(record && { record }) };
}

/** head.json, if it is there and has the right shape. */
export async function readHeadFile(dir: string): Promise<HeadFile | undefined> {
  const head = (await readJson(join(dir, HEAD_FILE))) as Partial<HeadFile> | undefined;
  return typeof head?.seq === 'number' && typeof head.mac === 'string' && typeof head.keyId === 'string' && typeof head.headMac === 'string'
    ? (head as HeadFile)
    : undefined;
}

/** The saved index if it matches the log's end, or one built again by reading the log once. */
export async function loadIndex(dir: string, segments: readonly SegmentName[], lastSeq: number): Promise<{ index: AuditIndex; rebuilt: boolean }> {
  const saved = AuditIndex.fromJSON(await readJson(join(dir, INDEX_FILE)));
  if (saved && saved.lastSeq === lastSeq) return { index: saved, rebuilt: false };
  const index = new AuditIndex();
  for (const { name } of segments) {
    await forEachLine(join(dir, name), (line, end) => {
      try {
        index.add(JSON.parse(line) as AuditRecord, { segment: name, end });
      } catch {
        // an unreadable line is for the verifier to report
      }
    });
  }
  return { index, rebuilt: true };
}

/** What retention will delete, and the first record that will then begin the log. */
export interface PrunePlan {
  readonly old: readonly SegmentName[];
  /** seq and prev of the first record kept; none when no record is kept (the anchor itself will begin the log). */
  readonly firstKept?: { readonly seq: number; readonly prev: string };
}

/** Segments older than `days` (> 0), never `keep` (the one being written). Undefined when nothing is old enough. */
export async function planPruning(dir: string, segments: readonly SegmentName[], days: number, now: number, keep: string | undefined): Promise<PrunePlan | undefined> {
  const cutoff = new Date(now - days * 86_400_000).toISOString().slice(0, 10);
  const old = segments.filter((s) => s.day < cutoff && s.name !== keep);
  if (old.length === 0) return undefined;
  for (const segment of segments.filter((s) => !old.includes(s))) {
    const line = await firstLine(join(dir, segment.name));
    if (line === undefined) continue;
    try {
      const record = JSON.parse(line) as { seq?: unknown; prev?: unknown };
      if (typeof record.seq === 'number' && typeof record.prev === 'string') return { old, firstKept: { seq: record.seq, prev: record.prev } };
    } catch {
      // a torn first line: look further
    }
  }
  return { old };
}
