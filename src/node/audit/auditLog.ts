import { appendFile, mkdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH, type AuditInput, type AuditRecord, type AuditSink } from '../../core/audit/auditEvent';
import { AuditIndex, type LogPosition } from '../../core/audit/auditIndex';
import { finalizeEvent, sha256 } from '../../core/audit/finalizeEvent';
import { canonicalJson } from '../../core/canonicalJson';
import { Emitter } from '../../core/events';
import { errorMessage } from '../../core/ports';
import type { Redactor } from '../../core/redaction';
import { writeFileAtomically } from './logFiles';
import { HEAD_FILE, INDEX_FILE, loadIndex, pruneSegments, readLogEnd, type AuditHead } from './logOnDisk';
import { listSegments, segmentName } from './segments';

export type { AuditHead };

export interface AuditLogOptions {
  /** The folder of the log (the workspace's extension storage, never the repository). */
  readonly dir: string;
  readonly redactor: Redactor;
  readonly maxSegmentBytes: number;
  /** Segments older than this many days are deleted (0 keeps everything). */
  readonly retentionDays: number;
  /** Events are written in batches this often, never on the caller's path. */
  readonly flushDelayMs?: number;
  /** While the folder cannot be written, at most this many records wait in memory; later ones are counted as lost. */
  readonly maxBufferedRecords?: number;
  readonly retryMs?: number;
  readonly now?: () => number;
  /** The head as recorded outside the folder (the extension's workspace state): deletions at the end show. */
  readonly knownHead?: AuditHead;
}

interface Pending {
  readonly segment: string;
  readonly sizeBefore: number;
  text: string;
  readonly records: { record: AuditRecord; position: LogPosition }[];
}

/**
 * The audit log: append-only JSON Lines in day- and size-bounded segments, each record carrying the sha256 of
 * the line before it. `record()` only queues; batches are finalized (redacted, digested), chained and appended
 * later. A folder that cannot be written gets one warning while records wait in a bounded buffer.
 */
export class AuditLog implements AuditSink {
  private _index = new AuditIndex();
  private readonly appendEmitter = new Emitter<readonly AuditRecord[]>();
  private readonly failEmitter = new Emitter<Error>();
  private readonly recoverEmitter = new Emitter<void>();
  private readonly headEmitter = new Emitter<AuditHead>();
  /** Records, once written (or, while the folder fails, once chained and waiting). */
  readonly onDidAppend = this.appendEmitter.event;
  /** Once per period in which the folder cannot be written. */
  readonly onDidFail = this.failEmitter.event;
  readonly onDidRecover = this.recoverEmitter.event;
  /** The newest written record, after every write: to keep a copy of the head outside the folder. */
  readonly onDidWriteHead = this.headEmitter.event;

  private queue: { time: number; input: AuditInput | (() => AuditInput) }[] = [];
  private pending: Pending[] = [];
  private bufferedRecords = 0;
  private seq = 0;
  private prevHash = GENESIS_HASH;
  private current: { name: string; day: string; counter: number; size: number } | undefined;
  /** The newest segment on disk when no segment is open for writing: a new one must sort after it. */
  private closedSegment: { day: string; counter: number } | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private indexTimer: ReturnType<typeof setTimeout> | undefined;
  private work: Promise<void> = Promise.resolve();
  private failing = false;
  private dropped = 0;
  private closed = false;
  private readonly now: () => number;

  private constructor(private readonly options: AuditLogOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Opens (or creates) the log in `dir`: finds where it ends, repairs a torn last line, prunes old segments. */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    const log = new AuditLog(options);
    await log.load();
    return log;
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Servers and sessions of the log, for the view. */
  get index(): AuditIndex {
    return this._index;
  }

  get head(): AuditHead {
    return { seq: this.seq, hash: this.prevHash };
  }

  record(event: AuditInput | (() => AuditInput)): void {
    if (this.closed) return;
    if (this.failing && this.bufferedRecords + this.queue.length >= (this.options.maxBufferedRecords ?? 100_000)) {
      this.dropped++;
      return;
    }
    this.queue.push({ time: this.now(), input: event });
    if (this.queue.length >= 4096) this.scheduleFlush(0);
    else this.scheduleFlush(this.options.flushDelayMs ?? 100);
  }

  /** Resolves once everything recorded so far is written, or waits in the buffer because the folder fails. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    return this.enqueue(() => this.writeQueued());
  }

  /** Deletes every segment and starts again with a record saying so, chained to what was deleted. */
  async clear(): Promise<number> {
    await this.flush();
    return this.enqueue(async (): Promise<number> => {
      // Not `seq`: it keeps counting across clears.
      const cleared = this._index.records;
      for (const segment of await listSegments(this.dir)) await rm(join(this.dir, segment.name), { force: true });
      await rm(join(this.dir, INDEX_FILE), { force: true });
      this._index.clear();
      this.current = undefined;
      this.closedSegment = undefined;
      this.queue.unshift({ time: this.now(), input: { type: 'audit', action: 'cleared', detail: `the audit log was cleared: ${cleared} records deleted`, data: { records: cleared, continuesFrom: this.prevHash } } });
      await this.writeQueued();
      return cleared;
    });
  }

  /** Writes what is queued and stops; later records are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.indexTimer);
    await this.saveIndex().catch(() => undefined);
    this.appendEmitter.dispose();
    this.failEmitter.dispose();
    this.recoverEmitter.dispose();
    this.headEmitter.dispose();
  }

  private async load(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (error) {
      this.fail(error);
      return;
    }
    const segments = await listSegments(this.dir);
    const end = await readLogEnd(this.dir, segments, this.options.knownHead, GENESIS_HASH);
    this.seq = end.seq;
    this.prevHash = end.prevHash;
    this.current = end.current;
    this.closedSegment = end.closed;
    for (const note of end.notes) this.queue.push({ time: this.now(), input: note });
    const { index, rebuilt } = await loadIndex(this.dir, segments, this.seq);
    this._index = index;
    if (rebuilt) this.scheduleIndexSave();
    if (this.options.retentionDays > 0) {
      const pruned = await pruneSegments(this.dir, this.options.retentionDays, this.now(), this.current?.name, this.prevHash);
      if (pruned) this.queue.push({ time: this.now(), input: pruned });
    }
    if (this.queue.length > 0) await this.flush();
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer !== undefined && delayMs > 0) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.enqueue(() => this.writeQueued());
    }, delayMs);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.work.then(work);
    this.work = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Finalizes and chains the queued events, then appends them. */
  private async writeQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const appended: AuditRecord[] = [];
    for (const item of batch) {
      let fields;
      try {
        fields = finalizeEvent(typeof item.input === 'function' ? item.input() : item.input, this.options.redactor);
      } catch (error) {
        fields = finalizeEvent({ type: 'audit', action: 'lost', detail: `an event could not be recorded: ${errorMessage(error)}` }, this.options.redactor);
      }
      const time = new Date(item.time).toISOString();
      const record = { ...fields, seq: this.seq + 1, time, prev: this.prevHash } as AuditRecord;
      const text = canonicalJson(record);
      const line = `${text}\n`;
      const bytes = Buffer.byteLength(line);
      const segment = this.segmentFor(time.slice(0, 10), bytes);
      let group = this.pending.at(-1);
      if (!group || group.segment !== segment.name) {
        group = { segment: segment.name, sizeBefore: segment.size, text: '', records: [] };
        this.pending.push(group);
      }
      group.text += line;
      segment.size += bytes;
      group.records.push({ record, position: { segment: segment.name, end: segment.size } });
      this.bufferedRecords++;
      this.seq = record.seq;
      this.prevHash = sha256(text);
      appended.push(record);
    }
    if (appended.length > 0) this.appendEmitter.fire(appended);
    await this.writePending();
  }

  private segmentFor(day: string, bytes: number): { name: string; day: string; counter: number; size: number } {
    const current = this.current;
    if (current && current.day === day && (current.size === 0 || current.size + bytes <= this.options.maxSegmentBytes)) return current;
    const previous = current ?? this.closedSegment;
    const counter = previous && previous.day === day ? previous.counter + 1 : 0;
    this.closedSegment = undefined;
    this.current = { name: segmentName(day, counter), day, counter, size: 0 };
    return this.current;
  }

  private async writePending(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending[0]!;
      const path = join(this.dir, group.segment);
      try {
        await appendFile(path, group.text);
      } catch (error) {
        // Take back a partial write, so the retry appends whole lines.
        await stat(path)
          .then((s) => (s.size > group.sizeBefore ? truncate(path, group.sizeBefore) : undefined))
          .catch(() => undefined);
        this.fail(error);
        return;
      }
      this.pending.shift();
      this.bufferedRecords -= group.records.length;
      for (const { record, position } of group.records) this._index.add(record, position);
    }
    const head = this.head;
    try {
      await writeFileAtomically(join(this.dir, HEAD_FILE), JSON.stringify(head));
      this.headEmitter.fire(head);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.scheduleIndexSave();
    if (this.failing && this.pending.length === 0) this.recover();
  }

  private fail(error: unknown): void {
    if (!this.failing) {
      this.failing = true;
      this.failEmitter.fire(error instanceof Error ? error : new Error(String(error)));
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(async () => {
        await mkdir(this.dir, { recursive: true }).catch(() => undefined);
        await this.writePending();
      });
    }, this.options.retryMs ?? 5000);
  }

  private recover(): void {
    this.failing = false;
    this.recoverEmitter.fire();
    if (this.dropped > 0) {
      const dropped = this.dropped;
      this.dropped = 0;
      this.record({ type: 'audit', action: 'lost', detail: `${dropped} events were lost while the audit folder could not be written`, data: { events: dropped } });
    }
  }

  private scheduleIndexSave(): void {
    if (this.indexTimer !== undefined) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      void this.saveIndex().catch(() => undefined);
    }, 2000);
    this.indexTimer.unref?.();
  }

  private saveIndex(): Promise<void> {
    return writeFileAtomically(join(this.dir, INDEX_FILE), JSON.stringify(this._index));
  }
}
