import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditInput, AuditRecord } from '../../core/audit/auditEvent';
import { AuditIndex } from '../../core/audit/auditIndex';
import { sha256 } from '../../core/audit/finalizeEvent';
import { firstLine, forEachLine } from './lineReader';
import { countLines, readJson, readTail } from './logFiles';
import { listSegments, type SegmentName } from './segments';

export const HEAD_FILE = 'head.json';
export const INDEX_FILE = 'index.json';

/** The newest record: kept beside the log and, by the extension, outside it, so deletions at the end show. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** Where an existing log ends, and what about its state must be recorded before anything else. */
export interface LogEnd {
  readonly seq: number;
  readonly prevHash: string;
  /** The segment to go on appending to; none when its last line is torn. */
  readonly current?: { name: string; day: string; counter: number; size: number };
  /** The newest segment, when a new one must start after it. */
  readonly closed?: { day: string; counter: number };
  /** Records that say what happened to the log while MCP Warden was not writing it. */
  readonly notes: AuditInput[];
}

/**
 * Reads where a log ends: the hash and seq of its last complete record; a line a crash cut short (left in
 * place as evidence, and noted); records missing from the end compared with the last known head (noted).
 */
export async function readLogEnd(dir: string, segments: readonly SegmentName[], knownHead: AuditHead | undefined, genesis: string): Promise<LogEnd> {
  const heads = [(await readJson(join(dir, HEAD_FILE))) as Partial<AuditHead> | undefined, knownHead];
  const head = heads.filter((h): h is AuditHead => typeof h?.seq === 'number').sort((a, b) => b.seq - a.seq)[0];
  const notes: AuditInput[] = [];
  let seq = 0;
  let prevHash = genesis;
  let current: LogEnd['current'];
  let closed: LogEnd['closed'];
  const last = segments.at(-1);
  if (last) {
    const path = join(dir, last.name);
    const tail = await readTail(path);
    if (tail.lastLine !== undefined) {
      prevHash = sha256(tail.lastLine);
      seq = seqOf(tail.lastLine) ?? head?.seq ?? 0;
    }
    current = { name: last.name, day: last.day, counter: last.counter, size: tail.size };
    if (tail.torn) {
      const line = (await countLines(path)) + 1;
      current = undefined;
      closed = { day: last.day, counter: last.counter };
      notes.push({
        type: 'audit',
        action: 'repaired',
        detail: `a write cut short (a crash?) left ${tail.torn.length} bytes without an end at ${last.name}:${line}; they are kept there, and lost as a record`,
        data: { file: last.name, line, bytes: tail.torn.length, sha256: sha256(tail.torn.toString('latin1')), fragment: tail.torn.toString('utf8').slice(0, 256) },
      });
    }
  }
  if (head && head.seq > seq) {
    notes.push({
      type: 'audit',
      action: 'lost',
      detail: `records ${seq + 1} to ${head.seq} are missing from the end of the log: they were deleted outside MCP Warden`,
      data: { lastSeq: seq, expectedSeq: head.seq, expectedHash: head.hash, continuesFrom: prevHash },
    });
  }
  return { seq, prevHash, ...(current && { current }), ...(closed && { closed }), notes };
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

/**
 * Deletes segments older than `days` (> 0; but never `keep`), and returns the record that says so, chained to the
 * first record kept, or undefined when nothing was old enough.
 */
export async function pruneSegments(dir: string, days: number, now: number, keep: string | undefined, prevHash: string): Promise<AuditInput | undefined> {
  const cutoff = new Date(now - days * 86_400_000).toISOString().slice(0, 10);
  const segments = await listSegments(dir);
  const old = segments.filter((s) => s.day < cutoff && s.name !== keep);
  if (old.length === 0) return undefined;
  const firstKept = segments.find((s) => !old.includes(s));
  let continuesFrom = prevHash;
  if (firstKept) {
    const line = await firstLine(join(dir, firstKept.name));
    const prev = line ? (JSON.parse(line) as { prev?: unknown }).prev : undefined;
    if (typeof prev === 'string') continuesFrom = prev;
  }
  for (const segment of old) await rm(join(dir, segment.name), { force: true });
  return {
    type: 'audit',
    action: 'pruned',
    detail: `${old.length} segment(s) older than ${days} days were deleted (mcpWarden.audit.retentionDays)`,
    data: { segments: old.map((s) => s.name), continuesFrom },
  };
}

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}
