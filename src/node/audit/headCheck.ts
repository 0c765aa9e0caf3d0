import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRecord } from '../../core/audit/auditEvent';
import { canonicalJson } from '../../core/canonicalJson';
import type { AuditKey } from './auditKey';
import { readLinesBackward } from './lineReader';
import type { AuditHead, LastRecord } from './logOnDisk';
import type { SegmentName } from './segments';

/** How far back the check walks to find the head kept outside (records written after it was last saved). */
const MAX_RECORDS_AFTER_HEAD = 1_000_000;

/** What opening a log found about its end, before anything is appended. */
export interface EndFindings {
  /** Why the log looks tampered with; empty when its end is what MCP Warden last wrote. */
  readonly suspicions: readonly string[];
  /** Records known to be missing from the end: seq `after` + 1 to `through`. */
  readonly lost?: { readonly after: number; readonly through: number };
}

/** True when `record` carries a valid MAC under `key`. */
export function hasValidMac(record: AuditRecord, key: AuditKey): boolean {
  if (typeof record.mac !== 'string') return false;
  const { mac, ...rest } = record;
  return key.checkRecordMac(canonicalJson(rest), mac);
}

/**
 * Checks the end of a log against the key and the head kept outside the folder: the newest record must carry a
 * valid MAC, and must be the head, or lead back to it through valid records (written after the head was last
 * saved). A rewritten log, a log cut short, or a head that does not match are never adopted silently.
 */
export async function checkLogEnd(
  dir: string,
  segments: readonly SegmentName[],
  last: LastRecord | undefined,
  knownHead: AuditHead | undefined,
  key: AuditKey,
): Promise<EndFindings> {
  const suspicions: string[] = [];
  if (last) {
    if (!last.record) suspicions.push(`the newest line of ${last.file} is not an audit record`);
    else if (!hasValidMac(last.record, key)) {
      suspicions.push(`record ${last.seq} (${last.file}) does not carry this workspace's MAC: it was written or changed by someone without the key`);
    }
  }
  if (!knownHead) return { suspicions };
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < knownHead.seq) {
    suspicions.push(
      lastSeq === 0
        ? `the log holds no records, but ${knownHead.seq} were written: they were deleted outside MCP Warden`
        : `records ${lastSeq + 1} to ${knownHead.seq} are missing from the end of the log: they were deleted outside MCP Warden`,
    );
    return { suspicions, lost: { after: lastSeq, through: knownHead.seq } };
  }
  if (lastSeq === knownHead.seq) {
    if (last?.mac !== knownHead.mac) suspicions.push(`record ${lastSeq} is not the record MCP Warden wrote as seq ${lastSeq}: the log was rewritten`);
    return { suspicions };
  }
  const problem = await leadsBackToHead(dir, segments, knownHead, key);
  if (problem) suspicions.push(problem);
  return { suspicions };
}

/**
 * Walks back from the newest record to the head: every record on the way must carry a valid MAC and link to
 * the one before it, and the record at the head's seq must be the head. Returns what is wrong, if anything.
 */
async function leadsBackToHead(dir: string, segments: readonly SegmentName[], head: AuditHead, key: AuditKey): Promise<string | undefined> {
  let expectedMac: string | undefined;
  let walked = 0;
  let verdict: string | undefined = `record ${head.seq}, the newest one MCP Warden wrote, was not found: the log was rewritten`;
  for (let i = segments.length - 1; i >= 0 && verdict !== undefined; i--) {
    const path = join(dir, segments[i]!.name);
    let done = false;
    await readLinesBackward(path, (await stat(path)).size, (line) => {
      let record: AuditRecord;
      try {
        record = JSON.parse(line) as AuditRecord;
      } catch {
        verdict = `a line of ${segments[i]!.name} after record ${head.seq} is not an audit record`;
        done = true;
        return false;
      }
      if (!hasValidMac(record, key) || (expectedMac !== undefined && record.mac !== expectedMac)) {
        verdict = `record ${record.seq} (${segments[i]!.name}), written after record ${head.seq}, does not carry a valid MAC or does not link to the next one`;
        done = true;
        return false;
      }
      if (record.seq <= head.seq) {
        verdict = record.seq === head.seq && record.mac === head.mac ? undefined : `record ${head.seq} is not the record MCP Warden wrote as seq ${head.seq}: the log was rewritten`;
        done = true;
        return false;
      }
      expectedMac = record.prev;
      if (++walked > MAX_RECORDS_AFTER_HEAD) {
        verdict = `more than ${MAX_RECORDS_AFTER_HEAD} records follow record ${head.seq}, the newest one MCP Warden knows it wrote`;
        done = true;
        return false;
      }
      return true;
    });
    if (done) break;
  }
  return verdict;
}
