// The attacks on the audit log that someone who can write its folder, but not read SecretStorage, would try.
// Each was possible against the sha256-chained log of 0.1.0 (issue 6); each must now be caught, by Verify Audit
// Log (key + the head kept in SecretStorage), by the CLI with the exported key, or when the log is next opened.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH } from '../../../../src/core/audit/auditEvent';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { AuditKey } from '../../../../src/node/audit/auditKey';
import type { AuditHead } from '../../../../src/node/audit/auditLog';
import { verifyAuditLog } from '../../../../src/node/audit/auditVerifier';
import { call, DAY, folder, keyOf, lines, openLog, records, rewrite, segments, T0, verify, writeEvents } from './auditFixtures';

/** Re-signs every record with the attacker's own key (or none), recomputing the chain and head.json: what a
 * same-user script without SecretStorage access can do. */
function forgeWholeLog(dir: string, edit: (record: Record<string, unknown>) => void): void {
  const attacker = AuditKey.generate();
  let prev = GENESIS_HASH;
  let last: { seq: number; mac: string } | undefined;
  for (const segment of segments(dir)) {
    rewrite(dir, segment, (ls) =>
      ls.map((line) => {
        const { mac: _mac, ...record } = JSON.parse(line) as Record<string, unknown>;
        edit(record);
        record['prev'] = prev;
        const mac = attacker.recordMac(canonicalJson(record));
        prev = mac;
        last = { seq: record['seq'] as number, mac };
        return canonicalJson({ ...record, mac });
      }),
    );
  }
  const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as { keyId: string };
  writeFileSync(join(dir, 'head.json'), JSON.stringify({ ...last, keyId: head.keyId, headMac: attacker.headMac(last!.seq, last!.mac) }));
}

async function headAfterWriting(dir: string, count: number): Promise<AuditHead> {
  const log = await writeEvents(dir, count);
  await log.close();
  return log.head;
}

describe('attacks on the audit log', () => {
  it('rewriting every record and recomputing the chain and head.json: the MACs do not hold, and opening says so', async () => {
    const dir = folder();
    const head = await headAfterWriting(dir, 20);
    forgeWholeLog(dir, (record) => {
      if (record['type'] === 'request') record['args'] = '{"i":0,"token":"nothing to see"}';
    });
    assert.equal((await verifyAuditLog(dir)).ok, true, 'structure alone is fooled: that is why the key exists');
    const keyed = await verify(dir);
    assert.deepEqual([keyed.ok, keyed.broken?.line], [false, 1]);
    assert.match(keyed.broken!.reason, /MAC does not match/);

    const log = await openLog(dir, { knownHead: head });
    assert.ok(log.suspicions.some((s) => /record 20 .* does not carry this workspace's MAC/.test(s)), log.suspicions.join('\n'));
    assert.ok(log.suspicions.some((s) => /record 20 is not the record MCP Warden wrote as seq 20: the log was rewritten/.test(s)), log.suspicions.join('\n'));
    await log.close();
    const suspected = records(dir).find((r) => r['action'] === 'tamper-suspected')!;
    assert.equal(suspected['seq'], 21, 'the next record, appended after the check, says what was found');
    assert.deepEqual((suspected['data'] as { expectedHead: AuditHead }).expectedHead, head);
  });

  it('deleting the newest records (head.json fixed up or deleted): the head in SecretStorage names the missing records', async () => {
    const dir = folder();
    const head = await headAfterWriting(dir, 20);
    rewrite(dir, segments(dir)[0]!, (ls) => ls.slice(0, 15));
    writeFileSync(join(dir, 'head.json'), '{}');
    assert.match((await verify(dir, { expectedHead: head })).broken!.reason, /ends at seq 15, but its head says 20/);

    const log = await openLog(dir, { knownHead: head });
    assert.deepEqual(log.suspicions, ['records 16 to 20 are missing from the end of the log: they were deleted outside MCP Warden']);
    log.record(call(99));
    await log.close();
    const after = records(dir);
    const suspected = after.find((r) => r['action'] === 'tamper-suspected')!;
    assert.deepEqual([suspected['seq'], (suspected['data'] as { lost: unknown }).lost], [21, { from: 16, to: 20 }], 'seq goes on after the deleted ones: never reused');
    const result = await verify(dir, { expectedHead: log.head });
    assert.equal(result.ok, true, result.broken?.reason);
    assert.equal(result.notes.length, 1, 'the loss stays visible to every later verification');
    assert.match(result.notes[0]!, /records 16 to 20 are missing/);
  });

  it('cutting the last records so that it looks like a write cut short by a crash: reported as records lost, with their numbers', async () => {
    const dir = folder();
    const head = await headAfterWriting(dir, 20);
    const segment = join(dir, segments(dir)[0]!);
    const text = readFileSync(segment, 'utf8');
    const keep = Buffer.byteLength(text.split('\n').slice(0, 16).join('\n')) + 1; // records 1–16, and part of record 17
    truncateSync(segment, keep + 40);
    const log = await openLog(dir, { knownHead: head });
    await log.close();
    assert.deepEqual(log.suspicions, ['records 17 to 20 are missing from the end of the log: they were deleted outside MCP Warden']);
    const suspected = records(dir).find((r) => r['action'] === 'tamper-suspected')!;
    const data = suspected['data'] as { lost: unknown; torn: { line: number } };
    assert.deepEqual([data.lost, data.torn.line], [{ from: 17, to: 20 }, 17], 'both the torn line and the missing records are accounted for');
    const result = await verify(dir, { expectedHead: log.head });
    assert.deepEqual([result.ok, result.notes.length], [true, 1]);
  });

  it('a real crash (a torn line after the last saved head) is repaired without any suspicion', async () => {
    const dir = folder();
    const head = await headAfterWriting(dir, 20);
    writeFileSync(join(dir, segments(dir)[0]!), `${readFileSync(join(dir, segments(dir)[0]!), 'utf8')}{"args":"{\\"i\\":2`);
    const log = await openLog(dir, { knownHead: head });
    await log.close();
    assert.deepEqual(log.suspicions, []);
    assert.deepEqual(records(dir).map((r) => r['action']).filter(Boolean), ['repaired']);
    assert.equal((await verify(dir, { expectedHead: log.head })).ok, true);
  });

  it('records written after the head was last saved (the editor stopped within a second) are accepted when they lead back to it', async () => {
    const dir = folder();
    const early = await headAfterWriting(dir, 10);
    const log = await writeEvents(dir, 10); // 11–20 appended; SecretStorage still has the head at 10
    await log.close();
    const again = await openLog(dir, { knownHead: early });
    await again.close();
    assert.deepEqual(again.suspicions, []);
  });

  it('records after the saved head that do not lead back to it are suspected', async () => {
    const dir = folder();
    const early = await headAfterWriting(dir, 10);
    await (await writeEvents(dir, 10)).close();
    rewrite(dir, segments(dir)[0]!, (ls) => [...ls.slice(0, 9), ...ls.slice(10)]); // record 10, the saved head, is gone
    const again = await openLog(dir, { knownHead: early });
    await again.close();
    assert.equal(again.suspicions.length, 1);
    assert.match(again.suspicions[0]!, /does not link to the next one|was not found|not the record MCP Warden wrote/);
  });

  it('deleting the oldest segment and appending a forged retention record: the forged record has no valid MAC', async () => {
    const dir = folder();
    let now = T0;
    const log = await openLog(dir, { now: () => now });
    for (let day = 0; day < 3; day++) {
      log.record(call(day));
      await log.flush();
      now += DAY;
    }
    await log.close();
    const [oldest, second, newest] = segments(dir);
    const firstKept = JSON.parse(lines(dir, second!)[0]!) as { seq: number; prev: string };
    const lastRecord = JSON.parse(lines(dir, newest!).at(-1)!) as { seq: number; mac: string };
    const forged = { type: 'audit', server: '(audit log)', session: 'audit', outcome: 'info', action: 'pruned', detail: 'retention', data: { segments: [oldest], firstKept: { seq: firstKept.seq, prev: firstKept.prev } }, seq: lastRecord.seq + 1, time: new Date(now).toISOString(), prev: lastRecord.mac };
    const mac = createHash('sha256').update(canonicalJson(forged)).digest('hex');
    writeFileSync(join(dir, newest!), `${readFileSync(join(dir, newest!), 'utf8')}${canonicalJson({ ...forged, mac })}\n`);
    writeFileSync(join(dir, oldest!), '');
    const result = await verify(dir, { expectedHead: { seq: lastRecord.seq + 1, mac } });
    assert.equal(result.ok, false);
    assert.match(result.broken!.reason, /does not begin at its first record|MAC does not match/);
    const withoutForgery = await verify(dir);
    assert.equal(withoutForgery.ok, false);
  });

  it('a torn or empty new segment (a crash during the first write of a day) continues the sequence and the chain', async () => {
    const dir = folder();
    let now = T0;
    await (await writeEvents(dir, 5, { now: () => now })).close();
    now += DAY;
    writeFileSync(join(dir, '2026-11-21-0000.jsonl'), ''); // created, nothing written
    let log = await openLog(dir, { now: () => now });
    log.record(call(6));
    await log.close();
    assert.deepEqual(records(dir).map((r) => r['seq']), [1, 2, 3, 4, 5, 6]);
    now += DAY;
    writeFileSync(join(dir, '2026-11-22-0000.jsonl'), '{"args":"{\\"i\\":7'); // torn in its first line
    log = await openLog(dir, { now: () => now, knownHead: log.head });
    log.record(call(8));
    await log.close();
    assert.deepEqual(log.suspicions, []);
    const all = records(dir);
    assert.deepEqual(all.map((r) => [r['seq'], r['action'] ?? r['type']]), [[1, 'request'], [2, 'request'], [3, 'request'], [4, 'request'], [5, 'request'], [6, 'request'], [7, 'repaired'], [8, 'request']]);
    assert.deepEqual((all[6]!['data'] as { torn: { file: string; line: number } }).torn.file, '2026-11-22-0000.jsonl');
    const result = await verify(dir, { expectedHead: log.head });
    assert.equal(result.ok, true, result.broken?.reason);
  });

  it('a missing key with a keyed log in the folder: the records are archived untouched, and the new log says why', async () => {
    const dir = folder();
    await headAfterWriting(dir, 5);
    const newKey = AuditKey.generate();
    const log = await openLog(dir, { key: newKey, keyIsNew: true });
    await log.close();
    assert.equal(log.suspicions.length, 1);
    const archive = readdirSync(dir).find((f) => f.startsWith('archive-'))!;
    assert.ok(existsSync(join(dir, archive, '2026-11-20-0000.jsonl')) || readdirSync(join(dir, archive)).some((f) => f.endsWith('.jsonl')));
    assert.equal((await verifyAuditLog(join(dir, archive), { key: keyOf(dir) })).ok, true, 'the archive still verifies with its own key, if anyone has it');
    const [first] = records(dir);
    assert.deepEqual([first!['action'], first!['seq']], ['tamper-suspected', 6]);
    assert.equal((await verifyAuditLog(dir, { key: newKey })).ok, true);
  });

  it('a log of 0.1.0 (sha256-chained, no MACs) is archived as it is, and a keyed log begins', async () => {
    const dir = folder();
    mkdirSync(dir, { recursive: true });
    let prev = GENESIS_HASH;
    const legacy: string[] = [];
    for (let seq = 1; seq <= 3; seq++) {
      const line = canonicalJson({ seq, time: new Date(T0).toISOString(), prev, type: 'audit', server: '(audit log)', session: 'audit', outcome: 'info', action: 'opened', detail: 'x' });
      legacy.push(line);
      prev = createHash('sha256').update(line).digest('hex');
    }
    writeFileSync(join(dir, '2026-11-20-0000.jsonl'), `${legacy.join('\n')}\n`);
    const log = await openLog(dir, { keyIsNew: true });
    await log.close();
    assert.deepEqual(log.suspicions, []);
    const archive = readdirSync(dir).find((f) => f.startsWith('archive-'))!;
    const structure = await verifyAuditLog(join(dir, archive));
    assert.deepEqual([structure.ok, structure.keyed, structure.records], [true, false, 3]);
    const [first] = records(dir);
    assert.deepEqual([first!['action'], first!['seq'], first!['prev']], ['rekeyed', 4, prev]);
    assert.equal((await verify(dir)).ok, true);
  });

  it('a record inserted in the middle with a MAC from another key', async () => {
    const dir = folder();
    await headAfterWriting(dir, 10);
    rewrite(dir, segments(dir)[0]!, (ls) => {
      const before = JSON.parse(ls[4]!) as { mac: string };
      const { mac: _m, ...next } = JSON.parse(ls[5]!) as Record<string, unknown>;
      const inserted = { ...next, prev: before.mac, args: '{"inserted":true}' };
      const mac = AuditKey.generate().recordMac(canonicalJson(inserted));
      return [...ls.slice(0, 5), canonicalJson({ ...inserted, mac }), ...ls.slice(5)];
    });
    const result = await verify(dir);
    assert.deepEqual([result.ok, result.broken?.line], [false, 6]);
  });
});

describe('two windows on one workspace (two code-server tabs, a window that lingers after a reload)', () => {
  it('write one chain: each batch goes on from the true end of the log, whoever wrote last', async () => {
    const dir = folder();
    const a = await openLog(dir);
    const b = await openLog(dir);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) (round % 2 ? a : b).record(call(round * 10 + i));
      // Both flush at once: the lock puts one batch after the other.
      await Promise.all([a.flush(), b.flush()]);
      a.record(call(round));
      b.record(call(round));
      await Promise.all([a.flush(), b.flush()]);
    }
    await a.close();
    await b.close();
    const all = records(dir);
    assert.equal(all.length, 20 * 7);
    assert.deepEqual(all.map((r) => r['seq']), all.map((_, i) => i + 1));
    const result = await verify(dir, { expectedHead: b.head.seq > a.head.seq ? b.head : a.head });
    assert.equal(result.ok, true, result.broken?.reason);
    for (const log of [a, b]) assert.equal(log.index.records, log === a ? a.head.seq : b.head.seq, 'each window indexed every record up to its last write, the other window’s too');
  });

  it('a clear in one window is followed by the other', async () => {
    const dir = folder();
    const a = await writeEvents(dir, 10);
    const b = await openLog(dir);
    await a.clear();
    b.record(call(1));
    await b.flush();
    a.record(call(2));
    await a.close();
    await b.close();
    const all = records(dir);
    assert.deepEqual(all.map((r) => r['action'] ?? r['type']), ['cleared', 'request', 'request']);
    assert.equal((await verify(dir)).ok, true);
    assert.equal(b.index.records, 2, 'the other window followed the clear: the cleared record and its own, not the 10 deleted ones');
  });
});
