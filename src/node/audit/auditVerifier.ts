import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH, type AuditRecord } from '../../core/audit/auditEvent';
import { canonicalJson } from '../../core/canonicalJson';
import type { AuditKey } from './auditKey';
import { hasValidMac } from './headCheck';
import { forEachLine } from './lineReader';
import { readHeadFile, type AuditHead } from './logOnDisk';
import { listSegments } from './segments';

export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** True when every record's MAC was checked with the key; false when only the structure was checked. */
  readonly keyed: boolean;
  readonly records: number;
  readonly segments: number;
  /** The first place where the log does not hold. */
  readonly broken?: BrokenLink;
  /** Records that admit a loss: tampering found when the log was opened, records lost, a write cut short. */
  readonly notes: readonly string[];
  /** The newest record: compare it with the head MCP Warden shows, or pass it as --head to a later check. */
  readonly head?: AuditHead;
}

export interface VerifyOptions {
  /** The workspace's audit key: without it only the structure can be checked. */
  readonly key?: AuditKey;
  /** The newest record as kept outside the log folder (SecretStorage, or a note an auditor made). */
  readonly expectedHead?: AuditHead;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** Records that may begin a log: they account, under the key, for everything before them. */
const STARTING_ANCHORS = new Set(['cleared', 'rekeyed', 'tamper-suspected', 'pruned']);
/** Records that account for records missing before them (a gap in seq, a torn line). */
const ANCHORS = new Set(['cleared', 'rekeyed', 'tamper-suspected', 'pruned', 'repaired', 'lost']);

class Broken extends Error {
  constructor(readonly link: BrokenLink) {
    super(link.reason);
  }
}

interface AnchorData {
  readonly lost?: { readonly from?: unknown; readonly to?: unknown };
  readonly torn?: { readonly file?: unknown; readonly line?: unknown };
  readonly firstKept?: { readonly seq?: unknown; readonly prev?: unknown };
}

/**
 * Checks a log folder (docs/audit-log-format.md): every line is a canonical JSON record whose `prev` is the
 * `mac` of the record before it and whose `seq` follows it; with the key, every `mac` is the HMAC of its record;
 * the log begins at its first record or at an anchor that accounts for what was removed; a gap in seq or a
 * line cut short is accounted for by the anchor that follows it; and the log reaches its head (head.json, MACed,
 * and the head kept outside). With the key, editing, inserting, deleting or reordering any record breaks one
 * of these; without it, anyone could have rewritten the whole log, and the result says so (`keyed: false`).
 */
export async function verifyAuditLog(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { key } = options;
  const segments = await listSegments(dir);
  const sizes = await Promise.all(segments.map(async (s) => (await stat(join(dir, s.name))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const headFile = await readHeadFile(dir);
  const heads = [options.expectedHead, headFile].filter((h): h is AuditHead => h !== undefined);
  const wanted = new Set(heads.map((h) => h.seq));
  const macAt = new Map<number, string>();
  const notes: string[] = [];
  let done = 0;
  let records = 0;
  let expectedPrev: string | undefined;
  let legacy = false;
  let lastSeq = 0;
  let last: { file: string; line: number } | undefined;
  let first: { seq: number; prev: string; file: string; line: number; anchored: boolean } | undefined;
  let firstKept: { seq?: unknown; prev?: unknown } | undefined;
  let torn: { file: string; line: number } | undefined;

  const check = (file: string, lineNumber: number, line: string): void => {
    const at = (reason: string) => new Broken({ file, line: lineNumber, reason });
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
    } catch {
      throw at('the line is not valid JSON');
    }
    if (record === null || typeof record !== 'object' || typeof record.seq !== 'number') throw at('the line is not an audit record');
    if (canonicalJson(record) !== line) throw at('the record is not in the form it was written in: it was edited');
    if (expectedPrev === undefined) legacy = typeof record.mac !== 'string';
    else if (!legacy && typeof record.mac !== 'string') throw at('the record has no mac: it was not written by MCP Warden');
    if (!legacy && key && !hasValidMac(record, key)) {
      throw at(
        records === 0 && headFile && headFile.keyId !== key.id
          ? `the record's MAC does not match: the key given (id ${key.id}) is not this log's (head.json names key ${headFile.keyId}), or the record was edited`
          : `the record's MAC does not match: it was edited, or written by someone without this workspace's key (id ${key.id})`,
      );
    }
    const anchor = record.type === 'audit' && ANCHORS.has(String(record['action'])) ? ((record['data'] ?? {}) as AnchorData) : undefined;
    if (torn) {
      if (anchor?.torn?.file !== torn.file || anchor.torn.line !== torn.line) {
        throw at(`${torn.file}:${torn.line} ends in a line cut short, and this record does not account for it`);
      }
      torn = undefined;
    }
    if (expectedPrev === undefined) {
      const anchored = record.type === 'audit' && STARTING_ANCHORS.has(String(record['action']));
      first = { seq: record.seq, prev: record.prev, file, line: lineNumber, anchored };
    } else if (record.prev !== expectedPrev) {
      throw at(
        `the chain is broken: this record's prev is not the ${legacy ? 'hash' : 'mac'} of the record before it (${last?.file}:${last?.line}); that record was changed, or records between them were deleted or reordered`,
      );
    } else if (record.seq !== lastSeq + 1) {
      const lost = anchor?.lost;
      if (!(lost && lost.from === lastSeq + 1 && lost.to === record.seq - 1)) throw at(`seq ${record.seq} follows seq ${lastSeq}: records are missing or out of order`);
    }
    if (anchor) {
      const action = String(record['action']);
      if (action === 'pruned') firstKept = anchor.firstKept ?? {};
      if (action === 'tamper-suspected' || action === 'lost' || action === 'repaired' || (action === 'rekeyed' && records > 0)) {
        notes.push(`${file}:${lineNumber} (seq ${record.seq}, ${record.time}): ${String(record['detail'] ?? action)}`);
      }
    }
    expectedPrev = legacy ? createHash('sha256').update(line).digest('hex') : record.mac;
    lastSeq = record.seq;
    if (wanted.has(lastSeq)) macAt.set(lastSeq, expectedPrev);
    last = { file, line: lineNumber };
    records++;
  };

  try {
    for (const [index, segment] of segments.entries()) {
      const file = segment.name;
      await forEachLine(
        join(dir, file),
        (line, _end, lineNumber, complete) => {
          if (complete) check(file, lineNumber, line);
          else torn = { file, line: lineNumber };
        },
        (bytes) => options.onProgress?.(done + bytes, total),
      );
      done += sizes[index]!;
    }
    if (torn) {
      const t = torn as { file: string; line: number };
      throw new Broken({ ...t, reason: 'the last line was cut short (a crash while writing?) and has not been repaired yet: MCP Warden repairs it when it next opens the log' });
    }
    if (first && !(first.seq === 1 && first.prev === GENESIS_HASH) && !first.anchored) {
      const vouched = firstKept && firstKept.seq === first.seq && firstKept.prev === first.prev;
      if (!vouched && !legacy) {
        throw new Broken({ ...first, reason: 'the log does not begin at its first record: records before this one were deleted, and no clear or retention record accounts for them' });
      }
    }
    const end = { file: last?.file ?? '(no segment)', line: last?.line ?? 0 };
    if (key && !legacy && records > 0 && !options.expectedHead) {
      if (!headFile) throw new Broken({ ...end, reason: `head.json is missing: records may have been deleted from the end (give the head MCP Warden shows, --head <seq>:<mac>, to check the end)` });
      if (!key.checkHeadMac(headFile.seq, headFile.mac, headFile.headMac)) throw new Broken({ ...end, reason: 'head.json was not written by MCP Warden with this key: records may have been deleted from the end' });
    }
    for (const head of heads) {
      if (head.seq > lastSeq) throw new Broken({ ...end, reason: `the log ends at seq ${lastSeq}, but its head says ${head.seq}: records were deleted from the end` });
      if (head.seq > 0 && macAt.get(head.seq) !== head.mac) throw new Broken({ ...end, reason: `record ${head.seq} does not match the head recorded for it: it was changed` });
    }
  } catch (error) {
    if (error instanceof Broken) return { ok: false, keyed: Boolean(key) && !legacy, records, segments: segments.length, broken: error.link, notes };
    throw error;
  }
  options.onProgress?.(total, total);
  const head = records > 0 && expectedPrev !== undefined ? { seq: lastSeq, mac: expectedPrev } : undefined;
  return { ok: true, keyed: Boolean(key) && !legacy, records, segments: segments.length, notes, ...(head && { head }) };
}

/** "76 records in 1 segment". */
export function describeCount(result: VerifyResult): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${plural(result.records, 'record')} in ${plural(result.segments, 'segment')}`;
}
