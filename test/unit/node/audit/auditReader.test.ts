import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditInput, AuditRecord } from '../../../../src/core/audit/auditEvent';
import { Redactor } from '../../../../src/core/redaction';
import { AuditKey } from '../../../../src/node/audit/auditKey';
import { AuditLog } from '../../../../src/node/audit/auditLog';
import { AuditReader } from '../../../../src/node/audit/auditReader';

const T0 = Date.parse('2026-11-20T10:00:00Z');

function event(i: number): AuditInput {
  return {
    type: 'request',
    server: i % 2 ? 'odd' : 'even',
    session: 'only',
    direction: 'to-server',
    request: { method: 'tools/call', params: { name: i % 5 === 0 ? 'fail' : 'echo', arguments: { i } } },
    response: i % 5 === 0 ? { error: { message: 'boom' } } : { result: {} },
    startedAt: T0,
    endedAt: T0 + 1,
  };
}

describe('AuditReader', () => {
  let dir: string;
  let log: AuditLog;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warden-reader-'));
    let now = T0;
    // Small segments, so pages cross segment boundaries.
    log = await AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 2048, retentionDays: 0, flushDelayMs: 1, now: () => (now += 1000), key: AuditKey.generate() });
    for (let i = 1; i <= 200; i++) log.record(event(i));
    await log.close();
  });

  const seqs = (records: readonly AuditRecord[]) => records.map((r) => r.seq);

  it('reads newest first, a page at a time, across segments', async () => {
    const reader = new AuditReader(dir);
    const first = await reader.page({}, { limit: 30 });
    assert.deepEqual(seqs(first.records), Array.from({ length: 30 }, (_, i) => 200 - i));
    assert.ok(first.next);
    const second = await reader.page({}, { start: first.next, limit: 30 });
    assert.deepEqual(seqs(second.records), Array.from({ length: 30 }, (_, i) => 170 - i));
    let all = [...first.records, ...second.records];
    let next = second.next;
    while (next) {
      const page = await reader.page({}, { start: next, limit: 50 });
      all = [...all, ...page.records];
      next = page.next;
    }
    assert.deepEqual(seqs(all), Array.from({ length: 200 }, (_, i) => 200 - i));
  });

  it('filters by server, outcome and text, and stops at a session’s first record', async () => {
    const reader = new AuditReader(dir);
    const odd = await reader.page({ server: 'odd' }, { limit: 5 });
    assert.deepEqual(seqs(odd.records), [199, 197, 195, 193, 191]);
    const errors = await reader.page({ outcome: 'error' }, { limit: 3 });
    assert.deepEqual(seqs(errors.records), [200, 195, 190]);
    const text = await reader.page({ text: '"i":42}' }, { limit: 10 });
    assert.deepEqual(seqs(text.records), [42]);
    const bounded = await reader.page({}, { limit: 100, stopBelowSeq: 190 });
    assert.deepEqual(seqs(bounded.records), Array.from({ length: 11 }, (_, i) => 200 - i));
    assert.equal(bounded.next, undefined);
  });

  it('stops reading at the start of a time range', async () => {
    const reader = new AuditReader(dir);
    const recent = await reader.page({ from: T0 + 191_000 }, { limit: 100 });
    assert.deepEqual(seqs(recent.records), Array.from({ length: 10 }, (_, i) => 200 - i));
  });
});
