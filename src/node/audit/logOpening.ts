import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_HASH, type AuditInput } from '../../core/audit/auditEvent';
import type { AuditKey } from './auditKey';
import { checkLogEnd } from './headCheck';
import { HEAD_FILE, INDEX_FILE, readLogEnd, type AuditHead, type LogEnd, type TornWrite } from './logOnDisk';
import { listSegments, type SegmentName } from './segments';

/** What opening a log found, and what must be recorded about it before anything else. */
export interface LogOpening {
  /** Where to go on from. */
  readonly end?: LogEnd;
  readonly seq: number;
  readonly prevMac: string;
  /** The segments of the log (none when they were archived). */
  readonly segments: readonly SegmentName[];
  /** Why the log looks tampered with; empty when its end is what MCP Warden last wrote. */
  readonly suspicions: readonly string[];
  /** Anchor records to write first: a repair, tampering found, an archive. */
  readonly records: readonly AuditInput[];
}

export interface OpeningOptions {
  readonly key: AuditKey;
  readonly keyIsNew?: boolean;
  readonly knownHead?: AuditHead;
}

/**
 * Finds where a log ends and checks that end, before anything is appended: against the key (the newest record's
 * MAC) and the head kept outside the folder. Records this key cannot verify are archived instead.
 */
export async function openLogEnd(dir: string, options: OpeningOptions, now: () => number): Promise<LogOpening> {
  const segments = await listSegments(dir);
  const end = await readLogEnd(dir, segments);
  if (end.last && (options.keyIsNew || typeof end.last.record?.mac !== 'string')) return archive(dir, segments, end, options.key, now());
  return adoptEnd(dir, segments, end, options);
}

/**
 * Goes on from where the log ends, after checking that end against the key and the head kept outside. What is
 * wrong is recorded in one anchor record, which accounts for a line a crash cut short and for missing records.
 */
async function adoptEnd(dir: string, segments: readonly SegmentName[], end: LogEnd, { key, knownHead }: OpeningOptions): Promise<LogOpening> {
  const findings = await checkLogEnd(dir, segments, end.last, knownHead, key);
  const opening = {
    end,
    seq: findings.lost?.through ?? end.last?.seq ?? 0,
    prevMac: end.last?.mac ?? knownHead?.mac ?? GENESIS_HASH,
    segments,
    suspicions: findings.suspicions,
  };
  const lost = findings.lost && { from: findings.lost.after + 1, to: findings.lost.through };
  if (findings.suspicions.length > 0) {
    const tornText = end.torn ? `; also ${tornDescription(end.torn)}` : '';
    const record: AuditInput = {
      type: 'audit',
      action: 'tamper-suspected',
      detail: `the log's end is not what MCP Warden wrote: ${findings.suspicions.join('; ')}${tornText}`,
      data: {
        reasons: findings.suspicions,
        ...(knownHead && { expectedHead: { seq: knownHead.seq, mac: knownHead.mac } }),
        ...(end.last && { found: { seq: end.last.seq, mac: end.last.mac, file: end.last.file } }),
        ...(lost && { lost }),
        ...(end.torn && { torn: tornData(end.torn) }),
      },
    };
    return { ...opening, records: [record] };
  }
  return { ...opening, records: end.torn ? [repairedRecord(end.torn)] : [] };
}

/**
 * Records in the folder that this key cannot verify (written before the key existed, or by an earlier MCP Warden
 * without keys) are moved, untouched, into an archive folder, and a new log begins with a record saying so.
 */
async function archive(dir: string, segments: readonly SegmentName[], end: LogEnd, key: AuditKey, now: number): Promise<LogOpening> {
  const last = end.last!;
  const legacy = typeof last.record?.mac !== 'string';
  const name = `archive-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  await mkdir(join(dir, name));
  for (const segment of segments) await rename(join(dir, segment.name), join(dir, name, segment.name));
  for (const file of [HEAD_FILE, INDEX_FILE]) await rename(join(dir, file), join(dir, name, file)).catch(() => undefined);
  const reason = legacy
    ? 'the log was written by an earlier MCP Warden, without a key'
    : "this workspace's audit key was missing from SecretStorage, so no record in the folder could be verified";
  return {
    seq: last.seq,
    prevMac: last.mac,
    segments: [],
    suspicions: legacy ? [] : [reason],
    records: [
      {
        type: 'audit',
        action: legacy ? 'rekeyed' : 'tamper-suspected',
        detail: `${reason}: its ${segments.length} segment(s) were moved, untouched, to ${name} (verify them there, for structure only), and a log with a new key begins here`,
        data: { reason, archivedTo: name, previous: { seq: last.seq, mac: last.mac }, keyId: key.id },
      },
    ],
  };
}

function tornData(torn: TornWrite): Record<string, unknown> {
  return { file: torn.file, line: torn.line, bytes: torn.bytes, sha256: torn.sha256, fragment: torn.fragment };
}

function tornDescription(torn: TornWrite): string {
  return `a write cut short (a crash?) left ${torn.bytes} bytes without an end at ${torn.file}:${torn.line}; they are kept there, and lost as a record`;
}

/** The record that accounts for a line a crash cut short: the verifier wants it right after that line. */
export function repairedRecord(torn: TornWrite): AuditInput {
  return { type: 'audit', action: 'repaired', detail: tornDescription(torn), data: { torn: tornData(torn) } };
}
