import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditInput, AuditRecord, AuditSink } from '../../core/audit/auditEvent';
import { AuditIndex } from '../../core/audit/auditIndex';
import { finalizeEvent, type RecordFields } from '../../core/audit/finalizeEvent';
import { Emitter } from '../../core/events';
import { errorMessage } from '../../core/ports';
import type { Redactor } from '../../core/redaction';
import type { AuditKey } from './auditKey';
import { ChainedAppender, type UnchainedRecord } from './chainedAppender';
import { withFolderLock } from '../folderLock';
import { writeFileAtomically } from './logFiles';
import { HEAD_FILE, INDEX_FILE, loadIndex, planPruning, type AuditHead, type HeadFile } from './logOnDisk';
import { openLogEnd, repairedRecord } from './logOpening';
import { listSegments } from './segments';

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
  /** The workspace's audit key (from SecretStorage): it MACs every record and digests values. */
  readonly key: AuditKey;
  /** True when the key was just created: records already in the folder were not made with it. */
  readonly keyIsNew?: boolean;
  /** The head as kept outside the folder (SecretStorage): a log cut short or rewritten shows against it. */
  readonly knownHead?: AuditHead;
}

/**
 * The audit log: append-only JSON Lines in day- and size-bounded segments. Each record carries the MAC of the
 * record before it (`prev`) and its own MAC (`mac`, HMAC-SHA-256 with the workspace's key), so nobody without
 * the key can edit, insert, delete or reorder records unseen. `record()` only queues; batches are finalized
 * (redacted, digested), chained and appended later. Opening checks the log's end against the key and the head
 * kept outside the folder before anything is appended. A folder that cannot be written gets one warning while
 * records wait in a bounded buffer.
 */
export class AuditLog implements AuditSink {
  private _index = new AuditIndex();
  private readonly appendEmitter = new Emitter<readonly AuditRecord[]>();
  private readonly failEmitter = new Emitter<Error>();
  private readonly recoverEmitter = new Emitter<void>();
  private readonly headEmitter = new Emitter<AuditHead>();
  /** Records, once written. */
  readonly onDidAppend = this.appendEmitter.event;
  /** Once per period in which the folder cannot be written. */
  readonly onDidFail = this.failEmitter.event;
  readonly onDidRecover = this.recoverEmitter.event;
  /** The newest written record, after every write: to keep a copy of the head outside the folder. */
  readonly onDidWriteHead = this.headEmitter.event;

  private queue: { time: number; input: AuditInput | (() => AuditInput) }[] = [];
  /** Finalized records waiting to be chained and written (all of them while the folder cannot be written). */
  private unchained: UnchainedRecord[] = [];
  private readonly appender: ChainedAppender;
  private _suspicions: readonly string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushSoon = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private indexTimer: ReturnType<typeof setTimeout> | undefined;
  private work: Promise<void> = Promise.resolve();
  private failing = false;
  private dropped = 0;
  private closed = false;
  private readonly now: () => number;
  /** The last time formatted, and its ISO form: many events share a millisecond under load. */
  private lastTime = Number.NaN;
  private lastIsoTime = '';

  private readonly finalizeContext;

  private constructor(private readonly options: AuditLogOptions) {
    this.now = options.now ?? Date.now;
    this.finalizeContext = { redactor: options.redactor, digester: options.key };
    this.appender = new ChainedAppender(
      options.dir,
      options.key,
      options.maxSegmentBytes,
      () => this._index,
      (index) => (this._index = index),
    );
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
    return { seq: this.appender.seq, mac: this.appender.prevMac };
  }

  /** What opening found wrong with the log's end (also recorded as a `tamper-suspected` record). */
  get suspicions(): readonly string[] {
    return this._suspicions;
  }

  record(event: AuditInput | (() => AuditInput)): void {
    if (this.closed) return;
    if (this.failing && this.unchained.length + this.queue.length >= (this.options.maxBufferedRecords ?? 100_000)) {
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
    this.flushSoon = false;
    return this.enqueue(() => this.writeQueued());
  }

  /**
   * Deletes every segment and starts again with a record saying so, chained to what was deleted. The record is
   * written into a new segment before anything is deleted, so a crash in between leaves an intact log.
   */
  async clear(): Promise<number> {
    await this.flush();
    return this.enqueue(() =>
      withFolderLock(this.dir, 'the audit log', async (): Promise<number> => {
        await this.catchUpLocked();
        // Not `seq`: it keeps counting across clears.
        const cleared = this._index.records;
        const old = await listSegments(this.dir);
        this.appender.startNewSegment(old.at(-1));
        this._index.clear();
        this.unchained.push(this.finalize({ type: 'audit', action: 'cleared', detail: `the audit log was cleared: ${cleared} records deleted`, data: { records: cleared } }));
        const written = await this.appender.append(this.unchained);
        await this.writeHead();
        for (const segment of old) await rm(join(this.dir, segment.name), { force: true });
        await rm(join(this.dir, INDEX_FILE), { force: true });
        this.appendEmitter.fire(written);
        return cleared;
      }),
    );
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
    const opening = await openLogEnd(this.dir, this.options, this.now);
    this.appender.adopt(opening.end, opening.seq, opening.prevMac);
    this._suspicions = opening.suspicions;
    for (const input of opening.records) this.queue.push({ time: this.now(), input });
    const { index, rebuilt } = await loadIndex(this.dir, opening.segments, this.appender.seq);
    this._index = index;
    if (rebuilt) this.scheduleIndexSave();
    if (this.queue.length > 0) await this.flush();
    if (this.options.retentionDays > 0) await this.prune();
  }

  /**
   * Deletes segments older than `retentionDays`, after writing the record that says so and names the first
   * record kept: a crash in between leaves the old segments, never a gap.
   */
  private async prune(): Promise<void> {
    const segments = await listSegments(this.dir);
    // Never the newest segment: it is the one being written (or the one a crash cut short).
    const plan = await planPruning(this.dir, segments, this.options.retentionDays, this.now(), segments.at(-1)?.name);
    if (!plan) return;
    this.record({
      type: 'audit',
      action: 'pruned',
      detail: `${plan.old.length} segment(s) older than ${this.options.retentionDays} days were deleted (mcpWarden.audit.retentionDays)`,
      data: { segments: plan.old.map((s) => s.name), ...(plan.firstKept && { firstKept: plan.firstKept }) },
    });
    await this.flush();
    if (this.unchained.length > 0) return; // not written: keep everything
    for (const segment of plan.old) await rm(join(this.dir, segment.name), { force: true });
    this._index.dropSegments(plan.old.map((s) => s.name));
    this.scheduleIndexSave();
  }

  private scheduleFlush(delayMs: number): void {
    // Already due at least as soon: nothing to do (this runs for every record recorded).
    if (this.flushTimer !== undefined && (delayMs > 0 || this.flushSoon)) return;
    clearTimeout(this.flushTimer);
    this.flushSoon = delayMs === 0;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushSoon = false;
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

  /** Finalizes the queued events (redaction, digests: the costly part, done outside the lock), then writes. */
  private async writeQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    for (const item of batch) {
      let input: AuditInput;
      try {
        input = typeof item.input === 'function' ? item.input() : item.input;
        this.unchained.push(this.finalize(input, item.time));
      } catch (error) {
        this.unchained.push(this.finalize({ type: 'audit', action: 'lost', detail: `an event could not be recorded: ${errorMessage(error)}` }, item.time));
      }
    }
    await this.writePending();
  }

  private finalize(input: AuditInput, time = this.now()): UnchainedRecord {
    const fields: RecordFields = finalizeEvent(input, this.finalizeContext);
    if (time !== this.lastTime) {
      this.lastTime = time;
      this.lastIsoTime = new Date(time).toISOString();
    }
    return { fields, time: this.lastIsoTime };
  }

  /**
   * Chains and appends what waits, holding the folder's write lock: another window on the same workspace may
   * have appended since, and the chain must go on from the true end of the log.
   */
  private async writePending(): Promise<void> {
    if (this.unchained.length === 0) return;
    let written: AuditRecord[] = [];
    try {
      await withFolderLock(this.dir, 'the audit log', async () => {
        await this.catchUpLocked();
        try {
          written = await this.appender.append(this.unchained);
        } finally {
          if (written.length > 0) await this.writeHead();
        }
      });
    } catch (error) {
      if (written.length > 0) this.appendEmitter.fire(written);
      this.fail(error);
      return;
    }
    if (written.length > 0) this.appendEmitter.fire(written);
    this.scheduleIndexSave();
    if (this.failing && this.unchained.length === 0) this.recover();
  }

  /**
   * With the write lock held: goes on from the true end of the log (another window may have appended), and if that
   * end is a line a crash cut short, the next record accounts for it.
   */
  private async catchUpLocked(): Promise<void> {
    const torn = await this.appender.followDisk();
    if (torn) this.unchained.unshift(this.finalize(repairedRecord(torn)));
  }

  /** head.json: the newest record, with a MAC that says it was the head (for verifiers without SecretStorage). */
  private async writeHead(): Promise<void> {
    const head = this.head;
    const headFile: HeadFile = { ...head, keyId: this.options.key.id, headMac: this.options.key.headMac(head.seq, head.mac) };
    await writeFileAtomically(join(this.dir, HEAD_FILE), JSON.stringify(headFile));
    this.headEmitter.fire(head);
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
