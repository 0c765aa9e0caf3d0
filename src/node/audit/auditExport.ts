import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { AuditRecord } from '../../core/audit/auditEvent';
import { matchLine, type AuditQuery } from '../../core/audit/auditQuery';
import { csvHeader, csvRow } from '../../core/audit/auditText';
import { forEachLine } from './lineReader';
import { listSegments } from './segments';

export type ExportFormat = 'jsonl' | 'csv';

/**
 * Writes the records matching `query`, oldest first, as JSON Lines (the stored lines unchanged, so an export
 * of a whole log verifies like the log) or CSV. Streams: any size of log. Returns the number written.
 */
export async function exportAuditLog(dir: string, out: Writable, format: ExportFormat, query: AuditQuery = {}): Promise<number> {
  let count = 0;
  let chunk = format === 'csv' ? csvHeader() : '';
  const drain = async () => {
    if (chunk.length === 0) return;
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  // One segment (at most mcpWarden.audit.maxSegmentMiB) is held at a time, then written out.
  for (const segment of await listSegments(dir)) {
    await forEachLine(join(dir, segment.name), (line, _end, _n, complete) => {
      const record: AuditRecord | undefined = complete ? matchLine(line, query) : undefined;
      if (!record) return;
      chunk += format === 'csv' ? csvRow(record) : `${line}\n`;
      count++;
    });
    await drain();
  }
  await drain();
  return count;
}

/** Exports into a file. */
export async function exportAuditLogToFile(dir: string, path: string, format: ExportFormat, query: AuditQuery = {}): Promise<number> {
  const out = createWriteStream(path);
  try {
    const count = await exportAuditLog(dir, out, format, query);
    out.end();
    await once(out, 'finish');
    return count;
  } catch (error) {
    out.destroy();
    throw error;
  }
}
