import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../../src/core/audit/auditEvent';
import { Redactor } from '../../src/core/redaction';
import { AuditKey } from '../../src/node/audit/auditKey';
import { AuditLog } from '../../src/node/audit/auditLog';
import { AuditReader } from '../../src/node/audit/auditReader';
import { verifyAuditLog } from '../../src/node/audit/auditVerifier';
import { FAST_RESTARTS, FIXTURE, NODE, pidOf, running, startServers } from './harness';

const keys = new WeakMap<AuditLog, AuditKey>();
const keyOf = (log: AuditLog) => keys.get(log)!;

async function auditLog(): Promise<AuditLog> {
  const key = AuditKey.generate();
  const log = await AuditLog.open({ dir: mkdtempSync(join(tmpdir(), 'warden-audit-it-')), redactor: new Redactor(), maxSegmentBytes: 1 << 20, retentionDays: 0, flushDelayMs: 10, key });
  keys.set(log, key);
  return log;
}

/** Every record of the log, oldest first. */
async function allRecords(log: AuditLog): Promise<AuditRecord[]> {
  await log.flush();
  return [...(await new AuditReader(log.dir).page({}, { limit: 100_000 })).records].reverse();
}

const calls = (records: AuditRecord[]) =>
  records.filter((r) => r.type === 'request' && r['method'] === 'tools/call').map((r) => [r['target'], r.outcome, r['args']]);

describe('the audit log of a real session', function () {
  it('records every call once, in order, with its outcome, and the server’s lifecycle and log messages', async function () {
    const log = await auditLog();
    const harness = await startServers({ fixture: { command: NODE, args: [FIXTURE, '--era', '2025-06-18'] } }, { audit: log });
    await harness.waitFor('fixture', running, 'running');
    const r = harness.registry;
    await r.callTool('fixture', 'echo', { text: 'one' });
    await r.callTool('fixture', 'add', { a: 1, b: 2 });
    await r.callTool('fixture', 'add', { a: 'not a number', b: 2 }).catch(() => undefined);
    await r.callTool('fixture', 'log', { level: 'warning', message: 'disk almost full' });
    await r.callTool('fixture', 'echo', { text: 'two' });
    await r.stop('fixture');
    const records = await allRecords(log);

    assert.deepEqual(calls(records), [
      ['echo', 'ok', '{"text":"one"}'],
      ['add', 'ok', '{"a":1,"b":2}'],
      ['add', 'error', '{"a":"not a number","b":2}'],
      ['log', 'ok', '{"level":"warning","message":"disk almost full"}'],
      ['echo', 'ok', '{"text":"two"}'],
    ]);
    const lifecycle = records.filter((x) => x.type === 'lifecycle').map((x) => x['action']);
    assert.deepEqual(lifecycle, ['start', 'ready', 'stop']);
    const ready = records.find((x) => x['action'] === 'ready')!;
    assert.equal((ready['negotiated'] as { protocolVersion: string }).protocolVersion, '2025-06-18');
    const methods = records.filter((x) => x.type === 'request').map((x) => x['method']);
    assert.ok(methods.indexOf('initialize') < methods.indexOf('tools/list'), 'the handshake and listing are recorded too');
    const serverLog = records.find((x) => x.type === 'server-log')!;
    assert.deepEqual([serverLog['source'], serverLog['level'], serverLog['message']], ['server', 'warning', 'disk almost full']);
    assert.ok(records.every((x) => x.session === ready.session || x.type !== 'request'), 'every request belongs to the session');
    assert.ok(records.filter((x) => x.type === 'request').every((x) => typeof x['durationMs'] === 'number' && (x['requestBytes'] as number) > 0));
    await log.close();
    assert.equal((await verifyAuditLog(log.dir, { key: keyOf(log) })).ok, true);
  });

  it('records a call cut off by kill -9 as failed, and the crash', async function () {
    const log = await auditLog();
    const harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } }, { audit: log, restartPolicy: FAST_RESTARTS, requestTimeoutMs: 60_000 });
    const pid = pidOf(await harness.waitFor('fixture', running, 'running'));
    const pending = harness.registry.callTool('fixture', 'sleep', { ms: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(pid, 'SIGKILL');
    await assert.rejects(pending);
    await harness.waitFor('fixture', (s) => running(s) && pidOf(s) !== pid, 'restarted');
    const records = await allRecords(log);
    assert.deepEqual(calls(records), [['sleep', 'error', '{"ms":30000}']]);
    const sleep = records.find((x) => x['target'] === 'sleep')!;
    assert.equal(sleep['error'], 'the connection closed before an answer came');
    const lifecycle = records.filter((x) => x.type === 'lifecycle').map((x) => x['action']);
    assert.deepEqual(lifecycle, ['start', 'ready', 'crash', 'restart', 'start', 'ready']);
    assert.match(String(records.find((x) => x['action'] === 'crash')!['detail']), /killed by SIGKILL/);
    assert.ok(records.indexOf(sleep) < records.findIndex((x) => x['action'] === 'crash') + 2);
    await harness.dispose();
    await log.close();
  });

  it('records every call made while the server is killed and restarted, refused ones too: 200 calls, 200 records', async function () {
    const log = await auditLog();
    // Once seen in CI: 48 of 200 records (flush() resolves while a failing folder keeps records buffered). Say why.
    const writeFailures: string[] = [];
    log.onDidFail((error) => writeFailures.push(error.message));
    const harness = await startServers({ fixture: { command: NODE, args: [FIXTURE] } }, { audit: log, restartPolicy: FAST_RESTARTS });
    const pid = pidOf(await harness.waitFor('fixture', running, 'running'));
    const outcomes: ('ok' | 'failed')[] = [];
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      if (i === 50) process.kill(pid, 'SIGKILL');
      inFlight.push(
        harness.registry.callTool('fixture', 'echo', { text: `call ${i}` }).then(
          () => void outcomes.push('ok'),
          () => void outcomes.push('failed'),
        ),
      );
      // A few calls at a time, as an agent makes them: some land before the kill, some during the restart.
      if (i % 4 === 3) await Promise.all(inFlight.splice(0));
    }
    await Promise.all(inFlight);
    const records = (await allRecords(log)).filter((r) => r.type === 'request' && r['method'] === 'tools/call');
    assert.ok(outcomes.includes('failed'), 'some calls were refused or cut off (else the test did not test anything)');
    assert.deepEqual(writeFailures, [], 'the log was written without a failure');
    assert.equal(records.length, 200, `every call has a record: ${records.length} of 200`);
    assert.equal(records.filter((r) => r.outcome === 'error').length, outcomes.filter((o) => o === 'failed').length);
    const refused = records.filter((r) => r['refused'] === true);
    assert.ok(refused.every((r) => /^refused by MCP Warden: server 'fixture' is not running/.test(String(r['error']))), JSON.stringify(refused[0]));
    await harness.dispose();
    await log.close();
  });
});
