import { AUDIT_LOG_SERVER, type AuditRecord } from './auditEvent';

/** Where a record ends in the log: its segment file and the byte offset just after its line. */
export interface LogPosition {
  readonly segment: string;
  readonly end: number;
}

/** One server session as the Audit Log view lists it, without reading the log. */
export interface SessionSummary {
  readonly server: string;
  readonly session: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstTime: string;
  readonly lastTime: string;
  readonly count: number;
  readonly errors: number;
  /** Where the session's newest record ends: reading backwards from here finds its events newest first. */
  readonly last: LogPosition;
  /** From the session's `ready` record, e.g. "2025-11-25 · stdio". */
  readonly label?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Servers and their sessions with the position of each session's newest record, kept up to date as records
 * are written. It lets the view show the first page of a log of millions of records without reading it.
 */
export class AuditIndex {
  private readonly sessions = new Map<string, Mutable<SessionSummary>>();
  lastSeq = 0;

  add(record: AuditRecord, position: LogPosition): void {
    const key = `${record.server}\0${record.session}`;
    const ready = record.type === 'lifecycle' && record['action'] === 'ready' ? (record['negotiated'] as { protocolVersion?: string; transport?: string } | undefined) : undefined;
    let summary = this.sessions.get(key);
    if (!summary) {
      summary = { server: record.server, session: record.session, firstSeq: record.seq, firstTime: record.time, lastSeq: 0, lastTime: '', count: 0, errors: 0, last: position };
      this.sessions.set(key, summary);
    }
    // Updated in place: this runs once for every record written.
    summary.lastSeq = record.seq;
    summary.lastTime = record.time;
    summary.count++;
    if (record.outcome === 'error') summary.errors++;
    summary.last = position;
    if (ready) summary.label = `${ready.protocolVersion} · ${ready.transport}`;
    this.lastSeq = record.seq;
  }

  /** How many records the indexed log holds. */
  get records(): number {
    let count = 0;
    for (const s of this.sessions.values()) count += s.count;
    return count;
  }

  /** Server names in alphabetical order (stable while records arrive), the log's own records last. */
  servers(): string[] {
    const names = [...new Set([...this.sessions.values()].map((s) => s.server))];
    return names.sort((a, b) => (a === AUDIT_LOG_SERVER ? 1 : b === AUDIT_LOG_SERVER ? -1 : a.localeCompare(b)));
  }

  /** A server's sessions, newest first. */
  sessionsOf(server: string): SessionSummary[] {
    return [...this.sessions.values()]
      .filter((s) => s.server === server)
      .sort((a, b) => b.lastSeq - a.lastSeq)
      .map((s) => ({ ...s }));
  }

  clear(): void {
    this.sessions.clear();
  }

  /**
   * Forgets the sessions whose newest record was in one of these (deleted) segments. A session that also has
   * records in a kept segment stays, with its counts as they were.
   */
  dropSegments(names: readonly string[]): void {
    const gone = new Set(names);
    for (const [key, summary] of this.sessions) if (gone.has(summary.last.segment)) this.sessions.delete(key);
  }

  toJSON(): { version: 1; lastSeq: number; sessions: SessionSummary[] } {
    return { version: 1, lastSeq: this.lastSeq, sessions: [...this.sessions.values()] };
  }

  static fromJSON(data: unknown): AuditIndex | undefined {
    const value = data as { version?: unknown; lastSeq?: unknown; sessions?: unknown } | undefined;
    if (value?.version !== 1 || typeof value.lastSeq !== 'number' || !Array.isArray(value.sessions)) return undefined;
    const index = new AuditIndex();
    index.lastSeq = value.lastSeq;
    for (const s of value.sessions as SessionSummary[]) index.sessions.set(`${s.server}\0${s.session}`, s);
    return index;
  }
}
