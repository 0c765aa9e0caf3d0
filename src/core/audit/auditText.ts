import { AUDIT_LOG_SERVER, type AuditRecord } from './auditEvent';

/** What a record says, in a few words: "→ tools/call echo", "ready 2025-11-25 stdio", "server log warning". */
export function recordTitle(record: AuditRecord): string {
  const r = record as Record<string, unknown>;
  switch (record.type) {
    case 'request':
      return `${r['direction'] === 'to-client' ? '←' : '→'} ${r['method']}${r['target'] !== undefined ? ` ${r['target']}` : ''}`;
    case 'notification':
      return `${r['direction'] === 'to-client' ? '←' : '→'} ${r['method']}`;
    case 'lifecycle':
      return String(r['action']);
    case 'config':
      return `settings: ${r['action']}`;
    case 'server-log':
      return `server log ${r['level']}`;
    case 'permission':
      return r['action'] === 'decided' ? `${r['verdict'] === 'deny' ? 'denied' : 'allowed'} ${r['permission']}` : `grant ${r['action']} ${r['permission']}`;
    case 'auth':
      return `auth ${r['action']}${typeof r['issuer'] === 'string' ? ` ${r['issuer']}` : ''}`;
    case 'audit':
      return `audit log ${r['action']}`;
  }
}

/** The details after the title: outcome, duration, the error or message. */
export function recordDetail(record: AuditRecord): string {
  const r = record as Record<string, unknown>;
  const parts: string[] = [];
  if (record.type === 'request') {
    parts.push(record.outcome === 'error' ? 'failed' : typeof r['error'] === 'string' ? 'refused' : 'ok', `${r['durationMs']} ms`);
    if (typeof r['error'] === 'string') parts.push(r['error']);
  }
  // Through the gateway: whose request it was ("for claude-code → server:notes").
  if (typeof r['agent'] === 'string') parts.push(`for ${[...(Array.isArray(r['chain']) ? (r['chain'] as unknown[]).map(String) : []), r['agent']].join(' → ')}`);
  if (record.type === 'auth') for (const key of ['scope', 'client'] as const) if (typeof r[key] === 'string') parts.push(`${key} ${r[key]}`);
  for (const key of ['rule', 'detail', 'message', 'keyPath'] as const) if (typeof r[key] === 'string') parts.push(r[key]);
  return parts.join(' · ');
}

/** One line per record for the "MCP Warden: Audit" channel. */
export function recordLine(record: AuditRecord): string {
  const who = record.server === AUDIT_LOG_SERVER ? 'audit log' : `${record.server}#${record.session}`;
  const detail = recordDetail(record);
  const args = record.type === 'request' ? ` args ${String(record['args'])} hmac:${String(record['argsDigest']).slice(0, 12)}` : '';
  const source = record.type === 'server-log' ? ' [from the server]' : '';
  return `#${record.seq} ${who} ${recordTitle(record)}${detail ? ` — ${detail}` : ''}${args}${source}`;
}

const CSV_COLUMNS = ['seq', 'time', 'server', 'session', 'type', 'outcome', 'direction', 'method', 'target', 'action', 'durationMs', 'error', 'argsDigest', 'args', 'permission', 'verdict', 'rule', 'detail', 'message', 'prev', 'agent', 'chain', 'issuer', 'resource', 'scope', 'client'] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** A record as a CSV row (RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled). */
export function csvRow(record: AuditRecord): string {
  return `${CSV_COLUMNS.map((column) => csvField(record[column])).join(',')}\r\n`;
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Text starting with = + - @ would be evaluated by spreadsheets: keep it text.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
