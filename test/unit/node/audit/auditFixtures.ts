// Shared by the audit log's unit tests: folders, keys (one per folder, as SecretStorage keeps one per workspace),
// events, and ways to look at and rewrite segments as an attacker with write access to the folder would.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import { Redactor } from '../../../../src/core/redaction';
import { AuditKey } from '../../../../src/node/audit/auditKey';
import { AuditLog, type AuditLogOptions } from '../../../../src/node/audit/auditLog';
import { verifyAuditLog, type VerifyOptions, type VerifyResult } from '../../../../src/node/audit/auditVerifier';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-11-20T10:00:00Z');

const keys = new Map<string, AuditKey>();

export function folder(): string {
  return mkdtempSync(join(tmpdir(), 'warden-audit-'));
}

/** The key of a log folder: made on first use, the same afterwards. */
export function keyOf(dir: string): AuditKey {
  let key = keys.get(dir);
  if (!key) keys.set(dir, (key = AuditKey.generate()));
  return key;
}

export function call(i: number, args: Record<string, unknown> = { i, token: 'very-secret-token-value' }): AuditInput {
  return {
    type: 'request',
    server: i % 2 ? 'files' : 'github',
    session: `s${i % 3}`,
    direction: 'to-server',
    request: { method: 'tools/call', params: { name: 'echo', arguments: args } },
    response: { result: { content: [{ type: 'text', text: `reply ${i}` }] } },
    startedAt: T0,
    endedAt: T0 + 3,
  };
}

export async function openLog(dir: string, options: Partial<AuditLogOptions> = {}): Promise<AuditLog> {
  return AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 1024 * 1024, retentionDays: 0, flushDelayMs: 5, key: keyOf(dir), ...options });
}

export async function writeEvents(dir: string, count: number, options: Partial<AuditLogOptions> = {}): Promise<AuditLog> {
  const log = await openLog(dir, options);
  for (let i = 0; i < count; i++) log.record(call(i));
  await log.flush();
  return log;
}

/** Verifies with the folder's key, as Verify Audit Log does. */
export function verify(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyAuditLog(dir, { key: keyOf(dir), ...options });
}

export function segments(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
}

/** The complete lines of a segment (a torn last line, without its newline, is not one). */
export function lines(dir: string, segment: string): string[] {
  const parts = readFileSync(join(dir, segment), 'utf8').split('\n');
  parts.pop();
  return parts.filter((l) => l !== '');
}

export function records(dir: string): Record<string, unknown>[] {
  return segments(dir).flatMap((s) => lines(dir, s)).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function rewrite(dir: string, segment: string, edit: (lines: string[]) => string[]): void {
  writeFileSync(join(dir, segment), edit(lines(dir, segment)).map((l) => `${l}\n`).join(''));
}
