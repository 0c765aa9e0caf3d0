import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH } from '../../../../src/core/audit/auditEvent';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { exportAuditLogToFile } from '../../../../src/node/audit/auditExport';
import { verifyAuditLog } from '../../../../src/node/audit/auditVerifier';
import { call, DAY, folder, keyOf, lines, openLog, rewrite, segments, T0, verify, writeEvents } from './auditFixtures';

describe('AuditLog', () => {
  it('MACs every record with the workspace key and chains it to the MAC of the one before', async () => {
    const dir = folder();
    const log = await writeEvents(dir, 50);
    await log.close();
    const all = segments(dir).flatMap((s) => lines(dir, s));
    assert.equal(all.length, 50);
    let prev = GENESIS_HASH;
    all.forEach((line, i) => {
      const record = JSON.parse(line) as { seq: number; prev: string; mac: string };
      assert.equal(canonicalJson(record), line, 'stored in canonical form');
      assert.equal(record.seq, i + 1);
      assert.equal(record.prev, prev);
      const { mac, ...rest } = record;
      assert.equal(mac, keyOf(dir).recordMac(canonicalJson(rest)));
      assert.ok(!line.includes('very-secret-token-value'), 'redacted before it was written');
      prev = mac;
    });
    assert.deepEqual(await verify(dir), { ok: true, keyed: true, records: 50, segments: 1, notes: [], head: { seq: 50, mac: prev } });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')), { seq: 50, mac: prev, keyId: keyOf(dir).id, headMac: keyOf(dir).headMac(50, prev) });
  });

  it('digests arguments with the key: a 6-digit PIN cannot be found from its digest', async () => {
    const dir = folder();
    const log = await openLog(dir);
    log.record(call(1, { pin: '042917' }));
    await log.close();
    const [record] = lines(dir, segments(dir)[0]!).map((l) => JSON.parse(l) as { argsDigest: string; args: string });
    const canonical = (pin: string) => canonicalJson({ pin });
    assert.equal(record!.argsDigest, keyOf(dir).digest(canonical('042917')));
    // Today's attack: hash every PIN from 000000 to 999999 and compare. It finds the PIN exactly when the digest is
    // the plain sha256 of the arguments' canonical JSON, which it no longer is.
    assert.notEqual(createHash('sha256').update(canonical('042917')).digest('hex'), record!.argsDigest);
    assert.notEqual(keyOf(folder()).digest(canonical('042917')), record!.argsDigest, 'another workspace key gives another digest');
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
    assert.equal((await verify(dir)).records, 45);
    assert.ok((await verify(dir)).ok);
  });

  it('repairs a torn last line: the next segment starts with a record saying what was lost', async () => {
    const dir = folder();
    await (await writeEvents(dir, 10)).close();
    const [segment] = segments(dir);
    appendFileSync(join(dir, segment!), '{"args":"{\\"i\\":10}","argsDig');
    const broken = await verify(dir);
    assert.deepEqual(broken.broken, { file: segment, line: 11, reason: broken.broken?.reason });
    assert.match(broken.broken!.reason, /cut short .* has not been repaired yet/);

    const log = await openLog(dir);
    log.record(call(11));
    await log.close();
    assert.equal(segments(dir).length, 2);
    const [repair, next] = lines(dir, segments(dir)[1]!).map((l) => JSON.parse(l));
    assert.equal(repair.action, 'repaired');
    assert.equal(repair.outcome, 'error');
    assert.deepEqual([repair.data.torn.file, repair.data.torn.line, repair.data.torn.bytes], [segment, 11, 29]);
    assert.match(repair.data.torn.fragment, /argsDig$/);
    assert.equal(next.seq, 12);
    assert.ok(readFileSync(join(dir, segment!), 'utf8').endsWith('argsDig'), 'the torn bytes stay where they were');
    assert.deepEqual(repair.data.torn.file, segment);
    const result = await verify(dir);
    assert.deepEqual([result.ok, result.records, result.segments, result.notes.length], [true, 12, 2, 1]);
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
      const result = await verify(dir);
      assert.equal(result.ok, false);
      assert.deepEqual([result.broken?.file, result.broken?.line], [segment, 7]);
      assert.match(result.broken!.reason, /MAC does not match: it was edited, or written by someone without this workspace's key/);
      assert.equal((await verifyAuditLog(dir)).ok, true, 'without the key, an edit that keeps the form and the links is not visible');
    });

    it('editing a record without keeping its form', async () => {
      rewrite(dir, segment, (l) => ((l[3] = l[3]!.replace('"outcome":"ok"', '"outcome": "ok"')), l));
      assert.deepEqual((await verify(dir)).broken, { file: segment, line: 4, reason: 'the record is not in the form it was written in: it was edited' });
    });

    it('deleting a record', async () => {
      rewrite(dir, segment, (l) => l.filter((_, i) => i !== 9));
      const result = await verify(dir);
      assert.deepEqual([result.broken?.line, result.records], [10, 9]);
    });

    it('reordering records', async () => {
      rewrite(dir, segment, (l) => [...l.slice(0, 4), l[5]!, l[4]!, ...l.slice(6)]);
      assert.equal((await verify(dir)).broken?.line, 5);
    });

    it('deleting the last record (the head beside the log disagrees)', async () => {
      rewrite(dir, segment, (l) => l.slice(0, -1));
      const result = await verify(dir);
      assert.match(result.broken!.reason, /ends at seq 19, but its head says 20: records were deleted from the end/);
    });

    it('deleting the last record and the head beside it', async () => {
      const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8'));
      rewrite(dir, segment, (l) => l.slice(0, -1));
      rmSync(join(dir, 'head.json'));
      assert.match((await verify(dir)).broken!.reason, /head.json is missing: records may have been deleted from the end/);
      assert.match((await verify(dir, { expectedHead: head })).broken!.reason, /head says 20/);
    });

    it('deleting the last records and writing a head.json for the new end, without the key', async () => {
      rewrite(dir, segment, (l) => l.slice(0, -3));
      const last = JSON.parse(lines(dir, segment).at(-1)!);
      const forged = { seq: last.seq, mac: last.mac, keyId: keyOf(dir).id, headMac: keyOf(folder()).headMac(last.seq, last.mac) };
      writeFileSync(join(dir, 'head.json'), JSON.stringify(forged));
      assert.match((await verify(dir)).broken!.reason, /head.json was not written by MCP Warden with this key/);
    });

    it('deleting the first records', async () => {
      rewrite(dir, segment, (l) => l.slice(3));
      const result = await verify(dir);
      assert.deepEqual([result.broken?.line], [1]);
      assert.match(result.broken!.reason, /does not begin at its first record/);
    });

    it('a line that is not JSON', async () => {
      rewrite(dir, segment, (l) => ((l[2] = 'garbage'), l));
      assert.deepEqual((await verify(dir)).broken, { file: segment, line: 3, reason: 'the line is not valid JSON' });
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
    const result = await verify(dir);
    assert.deepEqual([result.ok, result.keyed, result.records, result.segments], [true, true, 2, 1]);
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
    assert.deepEqual(pruned.data.firstKept, { seq: 4, prev: JSON.parse(lines(dir, '2026-11-23-0000.jsonl')[0]!).prev });
    const result = await verify(dir);
    assert.deepEqual([result.ok, result.keyed, result.records, result.segments], [true, true, 3, 3]);
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
    assert.equal((await verify(dir)).ok, true);
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
    const result = await verify(dir);
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
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, /^ok: 5 records in 1 segment, chain intact \(STRUCTURE ONLY: without --key-file anyone could have rewritten the whole log and it would pass\)/);
    const keyFile = join(folder(), 'key.json');
    writeFileSync(keyFile, keyOf(dir).toFile({ logFolder: dir, exportedAt: new Date(T0).toISOString() }));
    const keyed = spawnSync(process.execPath, [cli, 'verify', dir, '--key-file', keyFile], { encoding: 'utf8' });
    assert.equal(keyed.status, 0);
    assert.match(keyed.stdout, new RegExp(`^ok: 5 records in 1 segment, chain intact \\(every record's MAC checked with key ${keyOf(dir).id}\\); head 5:[0-9a-f]{64}`));
    const fromStdin = spawnSync(process.execPath, [cli, 'verify', dir, '--key-file', '-'], { encoding: 'utf8', input: keyOf(dir).toText() });
    assert.equal(fromStdin.status, 0, fromStdin.stdout + fromStdin.stderr);
    const wrongKey = join(folder(), 'wrong.json');
    writeFileSync(wrongKey, keyOf(folder()).toFile({ logFolder: dir, exportedAt: '' }));
    const wrong = spawnSync(process.execPath, [cli, 'verify', dir, '--key-file', wrongKey], { encoding: 'utf8' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stdout, /the key given \(id [0-9a-f]{16}\) is not this log's \(head.json names key [0-9a-f]{16}\), or the record was edited/);
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
    await log.flush();
    await log.close();
    const out = folder();
    assert.equal(await exportAuditLogToFile(dir, join(out, '2026-11-20-0000.jsonl'), 'jsonl'), 10);
    const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8'));
    const result = await verifyAuditLog(out, { key: keyOf(dir), expectedHead: head });
    assert.deepEqual([result.ok, result.keyed, result.records], [true, true, 10]);
    const csvFile = join(folder(), 'export.csv');
    const count = await exportAuditLogToFile(dir, csvFile, 'csv', { from: T0 + 4 * 60_000, to: T0 + 7 * 60_000 });
    assert.equal(count, 4);
    const rows = readFileSync(csvFile, 'utf8').trim().split('\r\n');
    assert.equal(rows[0], 'seq,time,server,session,type,outcome,direction,method,target,action,durationMs,error,argsDigest,args,permission,verdict,rule,detail,message,prev,agent,chain,issuer,resource,scope,client');
    assert.deepEqual(rows.slice(1).map((r) => r.split(',')[0]), ['4', '5', '6', '7']);
    assert.match(rows[1]!, /"{""i"":3,""token"":""‹redacted›""}"/);
  });
});
