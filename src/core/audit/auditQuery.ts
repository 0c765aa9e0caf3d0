import type { AuditOutcome, AuditRecord } from './auditEvent';

/** What the Audit Log view, export and search narrow the log to. Every field is optional. */
export interface AuditQuery {
  readonly server?: string;
  readonly session?: string;
  readonly types?: readonly AuditRecord['type'][];
  readonly outcome?: AuditOutcome;
  /** Case-insensitive, anywhere in the (redacted) record. */
  readonly text?: string;
  /** Milliseconds since the epoch, inclusive. */
  readonly from?: number;
  readonly to?: number;
}

/**
 * Tests a stored line against a query. Cheap text checks on the raw line come first, so most lines of a large
 * log are rejected without being parsed; the parsed record (if any) is returned for the ones that match.
 */
export function matchLine(line: string, query: AuditQuery): AuditRecord | undefined {
  if (query.server !== undefined && !line.includes(`"server":${JSON.stringify(query.server)}`)) return undefined;
  if (query.session !== undefined && !line.includes(`"session":${JSON.stringify(query.session)}`)) return undefined;
  if (query.text && !containsText(line, query.text)) return undefined;
  let record: AuditRecord;
  try {
    record = JSON.parse(line) as AuditRecord;
  } catch {
    return undefined;
  }
  return matchRecord(record, query) ? record : undefined;
}

/** Case-insensitive; quotes typed by the user also match the escaped quotes of previews stored as strings. */
function containsText(line: string, text: string): boolean {
  const needle = text.toLowerCase();
  const haystack = line.toLowerCase();
  if (haystack.includes(needle)) return true;
  return needle.includes('"') && haystack.replaceAll('\\"', '"').includes(needle);
}

export function matchRecord(record: AuditRecord, query: AuditQuery): boolean {
  if (query.server !== undefined && record.server !== query.server) return false;
  if (query.session !== undefined && record.session !== query.session) return false;
  if (query.types && !query.types.includes(record.type)) return false;
  if (query.outcome && record.outcome !== query.outcome) return false;
  if (query.from !== undefined || query.to !== undefined) {
    const time = Date.parse(record.time);
    if (query.from !== undefined && time < query.from) return false;
    if (query.to !== undefined && time > query.to) return false;
  }
  return true;
}

/** A short description of a query, e.g. "server files · errors · text "read"". */
export function describeQuery(query: AuditQuery): string {
  const parts: string[] = [];
  if (query.server !== undefined) parts.push(`server ${query.server}`);
  if (query.types) parts.push(query.types.join(', '));
  if (query.outcome) parts.push(query.outcome === 'error' ? 'errors' : query.outcome);
  if (query.text) parts.push(`"${query.text}"`);
  if (query.from !== undefined || query.to !== undefined) {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    parts.push(`${query.from !== undefined ? day(query.from) : '…'} – ${query.to !== undefined ? day(query.to) : 'now'}`);
  }
  return parts.join(' · ');
}
