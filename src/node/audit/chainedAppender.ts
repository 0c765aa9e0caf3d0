import { appendFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH, type AuditRecord } from '../../core/audit/auditEvent';
import type { AuditIndex } from '../../core/audit/auditIndex';
import type { RecordFields } from '../../core/audit/finalizeEvent';
import { canonicalJsonWithMember } from '../../core/canonicalJson';
import type { AuditKey } from './auditKey';
import { forEachLine } from './lineReader';
import { loadIndex, readLogEnd, tornWriteOf, type LogEnd, type SizedSegment, type TornWrite } from './logOnDisk';
import { listSegments, segmentName, type SegmentName } from './segments';

/** A finalized event (redacted, digested) waiting for its place in the chain. */
export interface UnchainedRecord {
  readonly fields: RecordFields;
  /** ISO time of the event. */
  readonly time: string;
}

interface Segment {
  name: string;
  day: string;
  counter: number;
  size: number;
}

/**
 * The end of the chain, and the appending of records to it: gives each record its seq, prev and MAC, picks its
 * segment (a day, `maxSegmentBytes`), and appends whole lines. Called with the folder's write lock held; before
 * each batch it looks whether another writer (another window on the same workspace) appended since, and if so
 * goes on from the true end of the log, indexing that writer's records.
 */
export class ChainedAppender {
  seq = 0;
  prevMac = GENESIS_HASH;
  private current: Segment | undefined;
  /** The newest segment on disk when no segment is open for writing: a new one must sort after it. */
  private closedSegment: { day: string; counter: number } | undefined;
  /** Where the log ended when this writer last looked: another writer's appends show as a difference. */
  private knownEnd: { segment: string; size: number } | undefined;

  constructor(
    private readonly dir: string,
    private readonly key: AuditKey,
    private readonly maxSegmentBytes: number,
    private index: () => AuditIndex,
    private readonly setIndex: (index: AuditIndex) => void,
  ) {}

  /** Takes the end of a log as read when opening it (or nothing, for a log that begins now). */
  adopt(end: LogEnd | undefined, seq: number, prevMac: string): void {
    this.seq = seq;
    this.prevMac = prevMac;
    this.endAt(end?.newest, end?.torn !== undefined);
  }

  /** Goes on appending to `newest`, or after it when it ends in a line a crash cut short (kept there as evidence). */
  private endAt(newest: SizedSegment | undefined, torn: boolean): void {
    this.current = newest && !torn ? { name: newest.name, day: newest.day, counter: newest.counter, size: newest.size } : undefined;
    this.closedSegment = newest && torn ? { day: newest.day, counter: newest.counter } : undefined;
    this.knownEnd = newest && { segment: newest.name, size: newest.size };
  }

  /** The next record goes into a new segment (after clearing: the old ones are about to be deleted). */
  startNewSegment(after: SegmentName | undefined): void {
    this.current = undefined;
    this.closedSegment = after && { day: after.day, counter: after.counter };
  }

  /**
   * Goes on from the true end of the log if another writer appended since this one last looked. Returns the line
   * a crash of that writer cut short, if the log now ends in one: the next record must account for it.
   */
  async followDisk(): Promise<TornWrite | undefined> {
    const segments = await listSegments(this.dir);
    const newest = segments.at(-1);
    const known = this.knownEnd;
    if (!newest) {
      if (known) this.adopt(undefined, this.seq, this.prevMac);
      return undefined;
    }
    if (known && segments.some((s) => s.name === known.segment)) {
      if (newest.name === known.segment && (await sizeOf(join(this.dir, newest.name))) === known.size) return undefined;
      return this.readForeignRecords(segments.filter((s) => s.name >= known.segment), known);
    }
    // The segment this writer knew is gone (cleared or pruned elsewhere), or it knew none: start from the disk.
    const end = await readLogEnd(this.dir, segments);
    this.adopt(end, end.last?.seq ?? this.seq, end.last?.mac ?? this.prevMac);
    this.setIndex((await loadIndex(this.dir, segments, -1)).index);
    return end.torn;
  }

  /**
   * Chains the records and appends them, segment by segment. Returns the records written; on a failed write the
   * partial bytes are taken back, the records not written stay in `pending`, and the error is thrown.
   */
  async append(pending: UnchainedRecord[]): Promise<AuditRecord[]> {
    const written: AuditRecord[] = [];
    while (pending.length > 0) {
      const before = { seq: this.seq, prevMac: this.prevMac, current: this.current && { ...this.current }, closed: this.closedSegment };
      const group = this.chainGroup(pending);
      const path = join(this.dir, group.segment.name);
      try {
        await appendFile(path, group.text);
      } catch (error) {
        await stat(path)
          .then((s) => (s.size > group.sizeBefore ? truncate(path, group.sizeBefore) : undefined))
          .catch(() => undefined);
        this.seq = before.seq;
        this.prevMac = before.prevMac;
        this.current = before.current;
        this.closedSegment = before.closed;
        throw error;
      }
      pending.splice(0, group.records.length);
      for (const { record, end } of group.records) {
        this.index().add(record, { segment: group.segment.name, end });
        written.push(record);
      }
      this.knownEnd = { segment: group.segment.name, size: group.segment.size };
    }
    return written;
  }

  /** Chains records from the front of `pending` into one segment: as many as go into the segment they start. */
  private chainGroup(pending: readonly UnchainedRecord[]): { segment: Segment; sizeBefore: number; text: string; records: { record: AuditRecord; end: number }[] } {
    let group: { segment: Segment; sizeBefore: number; text: string; records: { record: AuditRecord; end: number }[] } | undefined;
    for (const { fields, time } of pending) {
      // `fields` is a new object from finalizeEvent: completed in place rather than copied (this runs per record).
      const record = fields as Record<string, unknown>;
      record['seq'] = this.seq + 1;
      record['time'] = time;
      record['prev'] = this.prevMac;
      const signed = canonicalJsonWithMember(record, 'mac', this.macOf);
      record['mac'] = signed.member;
      const line = `${signed.with}\n`;
      const bytes = Buffer.byteLength(line);
      const segment = this.segmentFor(time.slice(0, 10), bytes);
      if (group && group.segment !== segment) break;
      group ??= { segment, sizeBefore: segment.size, text: '', records: [] };
      group.text += line;
      segment.size += bytes;
      group.records.push({ record: record as AuditRecord, end: segment.size });
      this.seq = record['seq'] as number;
      this.prevMac = signed.member;
    }
    return group!;
  }

  private readonly macOf = (text: string): string => this.key.recordMac(text);

  private segmentFor(day: string, bytes: number): Segment {
    const current = this.current;
    if (current && current.day === day && (current.size === 0 || current.size + bytes <= this.maxSegmentBytes)) return current;
    const previous = current ?? this.closedSegment;
    const counter = previous && previous.day === day ? previous.counter + 1 : 0;
    this.closedSegment = undefined;
    this.current = { name: segmentName(day, counter), day, counter, size: 0 };
    return this.current;
  }

  /** Indexes what another writer appended after `known`, and goes on from its last record. */
  private async readForeignRecords(segments: readonly SegmentName[], known: { segment: string; size: number }): Promise<TornWrite | undefined> {
    const newest = segments.at(-1)!;
    let tornBytes: string | undefined;
    for (const segment of segments) {
      tornBytes = undefined;
      await forEachLine(
        join(this.dir, segment.name),
        (line, end, _n, complete) => {
          if (!complete) {
            tornBytes = line;
            return;
          }
          try {
            const record = JSON.parse(line) as AuditRecord;
            this.index().add(record, { segment: segment.name, end });
            this.seq = record.seq;
            this.prevMac = record.mac;
          } catch {
            // not a record: the verifier reports it
          }
        },
        undefined,
        segment.name === known.segment ? known.size : 0,
      );
    }
    const path = join(this.dir, newest.name);
    const torn = tornBytes === undefined ? undefined : await tornWriteOf(path, newest.name, Buffer.from(tornBytes));
    this.endAt({ ...newest, size: await sizeOf(path) }, torn !== undefined);
    return torn;
  }
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}
