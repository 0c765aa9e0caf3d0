import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, type AuditInput } from '../../../../src/core/audit/auditEvent';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { Redactor } from '../../../../src/core/redaction';
import { exportAuditLogToFile } from '../../../../src/node/audit/auditExport';
import { AuditLog, type AuditLogOptions } from '../../../../src/node/audit/auditLog';
import { verifyAuditLog } from '../../../../src/node/audit/auditVerifier';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T10:00:00Z');

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'warden-audit-'));
}

function call(i: number): AuditInput {
  return {
    type: 'request',
    server: i % 2 ? 'files' : 'github',
    session: `s${i % 3}`,
    direction: 'to-server',
    request: { method: 'tools/call', params: { name: 'echo', arguments: { i, token: 'very-secret-token-value' } } },
    response: { result: { content: [{ type: 'text', text: `reply ${i}` }] } },
    startedAt: T0,
    endedAt: T0 + 3,
  };
}

async function openLog(dir: string, options: Partial<AuditLogOptions> = {}): Promise<AuditLog> {
  return AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 1024 * 1024, retentionDays: 0, flushDelayMs: 5, ...options });
}

async function writeEvents(dir: string, count: number, options: Partial<AuditLogOptions> = {}): Promise<AuditLog> {
  const log = await openLog(dir, options);
  for (let i = 0; i < count; i++) log.record(call(i));
  await log.flush();
  return log;
}

function segments(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
}

function lines(dir: string, segment: string): string[] {
  return readFileSync(join(dir, segment), 'utf8').split('\n').filter((l) => l !== '');
}

function rewrite(dir: string, segment: string, edit: (lines: string[]) => string[]): void {
  writeFileSync(join(dir, segment), edit(lines(dir, segment)).map((l) => `${l}\n`).join(''));
}

describe('AuditLog', () => {
  it('chains every record to the one before by the sha256 of its canonical line', async () => {
    const dir = folder();
    const log = await writeEvents(dir, 50);
    await log.close();
    const all = segments(dir).flatMap((s) => lines(dir, s));
    assert.equal(all.length, 50);
    let prev = GENESIS_HASH;
    all.forEach((line, i) => {
      const record = JSON.parse(line) as { seq: number; prev: string; args: string };
      assert.equal(canonicalJson(record), line, 'stored in canonical form');
      assert.equal(record.seq, i + 1);
      assert.equal(record.prev, prev);
      assert.ok(!line.includes('very-secret-token-value'), 'redacted before it was written');
      prev = createHash('sha256').update(line).digest('hex');
    });
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 50, segments: 1 });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')), { seq: 50, hash: prev });
  });

  it('does no I/O when an event is recorded: it is queued and written in a batch', async () => {
    const dir = folder();
    const log = await openLog(dir, { flushDelayMs: 60_000 });
    let built = 0;
    log.record(() => {
      built++;
      return call(1);
    });
    assert.equal(built, 0, 'the event is not even built on the caller’s path');
    assert.deepEqual(segments(dir), []);
    await log.flush();
    assert.equal(built, 1);
    assert.equal(segments(dir).length, 1);
    await log.close();
  });

  it('starts a new segment when one is full and when the (UTC) day changes; the chain runs across them', async () => {
    const dir = folder();
    let now = T0;
    const log = await openLog(dir, { maxSegmentBytes: 4096, now: () => now });
    for (let i = 0; i < 40; i++) log.record(call(i));
    await log.flush();
    now += DAY;
    for (let i = 0; i < 5; i++) log.record(call(i));
    await log.close();
    const names = segments(dir);
    assert.ok(names.length > 3, `segments: ${names.join(', ')}`);
    assert.ok(names.every((n) => /^2026-11-2[01]-\d{4}\.jsonl$/.test(n)));
    assert.ok(names.filter((n) => n.startsWith('2026-11-20')).every((n) => readFileSync(join(dir, n)).length <= 4096));
    assert.equal(names.filter((n) => n.startsWith('2026-11-21')).length, 1);
    assert.equal((await verifyAuditLog(dir)).records, 45);
    assert.ok((await verifyAuditLog(dir)).ok);
  });

  it('repairs a torn last line: the next segment starts with a record saying what was lost', async () => {
    const dir = folder();
    await (await writeEvents(dir, 10)).close();
    const [segment] = segments(dir);
    appendFileSync(join(dir, segment!), '{"args":"{\\"i\\":10}","argsDig');
    const broken = await verifyAuditLog(dir);
    assert.deepEqual(broken.broken, { file: segment, line: 11, reason: broken.broken?.reason });
    assert.match(broken.broken!.reason, /cut short .* has not been repaired yet/);

    const log = await openLog(dir);
    log.record(call(11));
    await log.close();
    assert.equal(segments(dir).length, 2);
    const [repair, next] = lines(dir, segments(dir)[1]!).map((l) => JSON.parse(l));
    assert.equal(repair.action, 'repaired');
    assert.equal(repair.outcome, 'error');
    assert.deepEqual([repair.data.file, repair.data.line, repair.data.bytes], [segment, 11, 29]);
    assert.match(repair.data.fragment, /argsDig$/);
    assert.equal(next.seq, 12);
    assert.ok(readFileSync(join(dir, segment!), 'utf8').endsWith('argsDig'), 'the torn bytes stay where they were');
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 12, segments: 2 });
  });

  describe('tampering is caught and named by file and line', () => {
    let dir: string;
    let segment: string;
    beforeEach(async () => {
      dir = folder();
      await (await writeEvents(dir, 20)).close();
      segment = segments(dir)[0]!;
    });

    it('editing a record', async () => {
      rewrite(dir, segment, (l) => {
        const record = JSON.parse(l[6]!);
        record.outcome = 'error';
        l[6] = canonicalJson(record);
        return l;
      });
      const result = await verifyAuditLog(dir);
      assert.equal(result.ok, false);
      assert.deepEqual([result.broken?.file, result.broken?.line], [segment, 8]);
      assert.match(result.broken!.reason, new RegExp(`the record before it \\(${segment}:7\\); that record was changed`));
    });

    it('editing a record without keeping its form', async () => {
      rewrite(dir, segment, (l) => ((l[3] = l[3]!.replace('"outcome":"ok"', '"outcome": "ok"')), l));
      assert.deepEqual((await verifyAuditLog(dir)).broken, { file: segment, line: 4, reason: 'the record is not in the form it was written in: it was edited' });
    });

    it('deleting a record', async () => {
      rewrite(dir, segment, (l) => l.filter((_, i) => i !== 9));
      const result = await verifyAuditLog(dir);
      assert.deepEqual([result.broken?.line, result.records], [10, 9]);
    });

    it('reordering records', async () => {
      rewrite(dir, segment, (l) => [...l.slice(0, 4), l[5]!, l[4]!, ...l.slice(6)]);
      assert.equal((await verifyAuditLog(dir)).broken?.line, 5);
    });

    it('deleting the last record (the head beside the log disagrees)', async () => {
      rewrite(dir, segment, (l) => l.slice(0, -1));
      const result = await verifyAuditLog(dir);
      assert.match(result.broken!.reason, /ends at seq 19, but its head says 20: records were deleted from the end/);
    });

    it('deleting the last record and the head beside it (the head kept outside disagrees)', async () => {
      const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8'));
      rewrite(dir, segment, (l) => l.slice(0, -1));
      rmSync(join(dir, 'head.json'));
      assert.equal((await verifyAuditLog(dir)).ok, true, 'without any head, a shorter log looks whole');
      assert.match((await verifyAuditLog(dir, { expectedHead: head })).broken!.reason, /head says 20/);
    });

    it('deleting the first records', async () => {
      rewrite(dir, segment, (l) => l.slice(3));
      const result = await verifyAuditLog(dir);
      assert.deepEqual([result.broken?.line], [1]);
      assert.match(result.broken!.reason, /does not begin at its first record/);
    });

    it('a line that is not JSON', async () => {
      rewrite(dir, segment, (l) => ((l[2] = 'garbage'), l));
      assert.deepEqual((await verifyAuditLog(dir)).broken, { file: segment, line: 3, reason: 'the line is not valid JSON' });
    });
  });

  it('clearing starts again with a record of the clearing, and stays verifiable', async () => {
    const dir = folder();
    const log = await writeEvents(dir, 30);
    assert.equal(await log.clear(), 30);
    log.record(call(1));
    await log.flush();
    assert.equal(await log.clear(), 2, 'a second clear counts what the log held, not every record ever written');
    log.record(call(1));
    await log.close();
    const records = segments(dir).flatMap((s) => lines(dir, s)).map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => [r.seq, r.type, r.action]), [[33, 'audit', 'cleared'], [34, 'request', undefined]]);
    assert.equal(records[0].data.records, 2);
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 2, segments: 1 });
  });

  it('deletes segments past the retention period, saying so, and stays verifiable', async () => {
    const dir = folder();
    let now = T0;
    const log = await openLog(dir, { now: () => now });
    for (let day = 0; day < 5; day++) {
      log.record(call(day));
      await log.flush();
      now += DAY;
    }
    await log.close();
    assert.equal(segments(dir).length, 5);
    const later = await openLog(dir, { now: () => now, retentionDays: 2 });
    await later.close();
    assert.deepEqual(segments(dir), ['2026-11-23-0000.jsonl', '2026-11-24-0000.jsonl', '2026-11-25-0000.jsonl']);
    const pruned = lines(dir, '2026-11-25-0000.jsonl').map((l) => JSON.parse(l)).find((r) => r.action === 'pruned');
    assert.deepEqual(pruned.data.segments, ['2026-11-20-0000.jsonl', '2026-11-21-0000.jsonl', '2026-11-22-0000.jsonl']);
    assert.deepEqual(await verifyAuditLog(dir), { ok: true, records: 3, segments: 3 });
  });

  it('an unwritable folder: one warning, records wait in a bounded buffer, and are written once it can', async () => {
    const parent = folder();
    const blocker = join(parent, 'blocked');
    writeFileSync(blocker, 'a file where the folder should be');
    const dir = join(blocker, 'audit');
    const failures: Error[] = [];
    let recovered = 0;
    const log = await openLog(dir, { retryMs: 50, maxBufferedRecords: 5 });
    log.onDidFail((e) => failures.push(e));
    log.onDidRecover(() => recovered++);
    for (let i = 0; i < 8; i++) log.record(call(i));
    await log.flush();
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(failures.length, 0, 'the failure at open was already reported');
    rmSync(blocker);
    await new Promise((r) => setTimeout(r, 300));
    await log.flush();
    assert.ok(recovered >= 1);
    await log.close();
    const records = segments(dir).flatMap((s) => lines(dir, s)).map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.type), ['request', 'request', 'request', 'request', 'request', 'audit']);
    assert.match(records[5].detail, /^3 events were lost while the audit folder could not be written$/);
    assert.equal((await verifyAuditLog(dir)).ok, true);
  });

  it('warns once when writing starts failing later', async () => {
    const dir = folder();
    const failures: Error[] = [];
    const log = await openLog(dir, { retryMs: 50 });
    log.onDidFail((e) => failures.push(e));
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'now a file');
    for (let i = 0; i < 3; i++) {
      log.record(call(i));
      await log.flush();
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(failures.length, 1);
    rmSync(dir);
    await new Promise((r) => setTimeout(r, 200));
    await log.close();
    assert.equal(segments(dir).flatMap((s) => lines(dir, s)).length, 3);
  });

  it('a corrupt old segment fails verification loudly but never stops new records', async () => {
    const dir = folder();
    let now = T0;
    const log = await openLog(dir, { now: () => now });
    log.record(call(1));
    await log.flush();
    now += DAY;
    log.record(call(2));
    await log.close();
    const [old] = segments(dir);
    writeFileSync(join(dir, old!), 'corrupted beyond repair\n');
    const again = await openLog(dir, { now: () => now });
    again.record(call(3));
    await again.close();
    assert.equal(segments(dir).flatMap((s) => lines(dir, s)).length, 3);
    const result = await verifyAuditLog(dir);
    assert.deepEqual([result.ok, result.broken?.file, result.broken?.line], [false, old, 1]);
  });

  it('rebuilds its index from the log when the index is missing', async () => {
    const dir = folder();
    await (await writeEvents(dir, 12)).close();
    rmSync(join(dir, 'index.json'), { force: true });
    const log = await openLog(dir);
    assert.deepEqual(log.index.servers().sort(), ['files', 'github']);
    assert.equal(log.index.sessionsOf('files').reduce((n, s) => n + s.count, 0), 6);
    await log.close();
  });

  it('the command-line verifier shipped in the package says the same', async () => {
    const dir = folder();
    await (await writeEvents(dir, 5)).close();
    const cli = join(__dirname, '../../../../src/node/audit/auditCli.js');
    const ok = spawnSync(process.execPath, [cli, 'verify', dir], { encoding: 'utf8' });
    assert.deepEqual([ok.status, ok.stdout], [0, 'ok: 5 records in 1 segment, chain intact\n']);
    rewrite(dir, segments(dir)[0]!, (l) => [l[0]!, l[2]!, l[1]!, l[3]!, l[4]!]);
    const broken = spawnSync(process.execPath, [cli, 'verify', dir], { encoding: 'utf8' });
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, new RegExp(`^broken: ${segments(dir)[0]}:2: the chain is broken`));
    const csv = spawnSync(process.execPath, [cli, 'export', dir, '--format', 'csv'], { encoding: 'utf8' });
    assert.equal(csv.status, 0);
    assert.equal(csv.stdout.trim().split('\r\n').length, 6);
    assert.equal(spawnSync(process.execPath, [cli, 'nonsense'], { encoding: 'utf8' }).status, 2);
  });
});

describe('exportAuditLog', () => {
  it('exports JSON Lines that verify like the log, and CSV rows for a time range', async () => {
    const dir = folder();
    let now = T0;
    const log = await openLog(dir, { now: () => (now += 60_000) });
    for (let i = 0; i < 10; i++) log.record(call(i));
    await log.close();
    const out = folder();
    assert.equal(await exportAuditLogToFile(dir, join(out, '2026-11-20-0000.jsonl'), 'jsonl'), 10);
    assert.deepEqual(await verifyAuditLog(out), { ok: true, records: 10, segments: 1 });
    const csvFile = join(folder(), 'export.csv');
    const count = await exportAuditLogToFile(dir, csvFile, 'csv', { from: T0 + 4 * 60_000, to: T0 + 7 * 60_000 });
    assert.equal(count, 4);
    const rows = readFileSync(csvFile, 'utf8').trim().split('\r\n');
    assert.equal(rows[0], 'seq,time,server,session,type,outcome,direction,method,target,action,durationMs,error,argsDigest,args,detail,message,prev');
    assert.deepEqual(rows.slice(1).map((r) => r.split(',')[0]), ['4', '5', '6', '7']);
    assert.match(rows[1]!, /"{""i"":3,""token"":""‹redacted›""}"/);
  });
});
