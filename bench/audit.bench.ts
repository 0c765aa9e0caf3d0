// The audit log's figures:
//  1. sustained append: 1,000,000 tool-call events recorded as fast as a producer can, until all are on disk;
//     then counted back (and the chain checked) by the verifier;
//  2. the first page of the Audit Log view from that 1,000,000-record log: open it (index + tail), list
//     servers and sessions, read the newest session's first 100 records;
//  3. tool-call latency against server-everything with auditing on vs off, in the same run, calls alternating.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditInput } from '../src/core/audit/auditEvent';
import { Redactor } from '../src/core/redaction';
import { AuditKey } from '../src/node/audit/auditKey';
import { AuditLog } from '../src/node/audit/auditLog';
import { AuditReader } from '../src/node/audit/auditReader';
import { verifyAuditLog } from '../src/node/audit/auditVerifier';
import { EVERYTHING, NODE, running, startServers } from '../test/integration/harness';
import { median, percentile, round } from './measure';

const EVENTS = Number(process.env['BENCH_AUDIT_EVENTS'] ?? 1_000_000);

function toolCall(i: number): AuditInput {
  const now = Date.now();
  return {
    type: 'request',
    server: `server-${i % 20}`,
    session: `session-${Math.floor(i / 1000)}`,
    direction: 'to-server',
    request: { method: 'tools/call', params: { name: 'read_file', arguments: { path: `src/file-${i}.ts`, encoding: 'utf8' } } },
    response: { result: { content: [{ type: 'text', text: `contents of file ${i}` }] } },
    startedAt: now - 3,
    endedAt: now,
    requestMessage: { jsonrpc: '2.0', id: i, method: 'tools/call' },
    responseMessage: { jsonrpc: '2.0', id: i, result: {} },
  };
}

export async function benchAudit(): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = {};
  const key = AuditKey.generate();
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-audit-'));
  try {
    // 1. sustained append
    const log = await AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 16 * 1024 * 1024, retentionDays: 0, key });
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      log.record(() => toolCall(i));
      // A producer yields now and then, as the extension host does between calls.
      if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r));
    }
    await log.flush();
    const seconds = (performance.now() - started) / 1000;
    await log.close();
    results['append: events'] = EVENTS;
    results['append: events/s, until on disk'] = Math.round(EVENTS / seconds);
    const verifyStarted = performance.now();
    const verified = await verifyAuditLog(dir, { key });
    results['append: counted back by the verifier'] = verified.records;
    results['append: chain intact'] = String(verified.ok);
    results['verify: records/s'] = Math.round(verified.records / ((performance.now() - verifyStarted) / 1000));
    const bytes = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    results['log size (MiB) / segments'] = `${round(bytes / 1024 / 1024)} / ${verified.segments}`;
    results['bytes per record'] = Math.round(bytes / verified.records);

    // 2. the first page of the view
    const firstPage: number[] = [];
    const opening: number[] = [];
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const reopened = await AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 16 * 1024 * 1024, retentionDays: 0, key });
      const t1 = performance.now();
      const servers = reopened.index.servers();
      const sessions = reopened.index.sessionsOf(servers[0]!);
      const newest = sessions[0]!;
      const page = await new AuditReader(dir).page({ server: newest.server, session: newest.session }, { start: newest.last, limit: 100, stopBelowSeq: newest.firstSeq });
      const t2 = performance.now();
      if (page.records.length === 0) throw new Error('the first page is empty');
      opening.push(t1 - t0);
      firstPage.push(t2 - t1);
      await reopened.close();
    }
    results['view: open a 1M-record log (index + tail), median (ms)'] = round(median(opening));
    results['view: servers, sessions and the first 100 records, median (ms)'] = round(median(firstPage));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 3. latency with auditing on vs off
  const onKey = AuditKey.generate();
  const onDir = mkdtempSync(join(tmpdir(), 'warden-bench-latency-'));
  const auditLog = await AuditLog.open({ dir: onDir, redactor: new Redactor(), maxSegmentBytes: 16 * 1024 * 1024, retentionDays: 0, key: onKey });
  const on = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } }, { audit: auditLog });
  const off = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } });
  try {
    await on.waitFor('everything', running, 'running');
    await off.waitFor('everything', running, 'running');
    const samples = { on: [] as number[], off: [] as number[] };
    const time = async (which: 'on' | 'off', i: number) => {
      const t = performance.now();
      await (which === 'on' ? on : off).registry.callTool('everything', 'echo', { message: `call ${i}` });
      samples[which].push(performance.now() - t);
    };
    for (let i = 0; i < 200; i++) await time(i % 2 ? 'on' : 'off', i); // warm-up
    samples.on.length = 0;
    samples.off.length = 0;
    for (let i = 0; i < 3000; i++) {
      // alternate which goes first, so neither gains from the other's warm caches
      if (i % 2) {
        await time('on', i);
        await time('off', i);
      } else {
        await time('off', i);
        await time('on', i);
      }
    }
    results['latency: calls each'] = samples.on.length;
    results['latency: p50 audit off (ms)'] = round(median(samples.off), 3);
    results['latency: p50 audit on (ms)'] = round(median(samples.on), 3);
    results['latency: p50 on/off'] = round(median(samples.on) / median(samples.off), 3);
    results['latency: p95 on/off'] = round(percentile(samples.on, 95) / percentile(samples.off, 95), 3);
  } finally {
    await on.dispose();
    await off.dispose();
    await auditLog.close();
    rmSync(onDir, { recursive: true, force: true });
  }
  Object.assign(results, macCost());
  return results;
}

/** The cost of authenticating one record: the HMAC the log uses, and an Ed25519 signature it does not use. */
function macCost(): Record<string, number> {
  const key = AuditKey.generate();
  const { privateKey } = generateKeyPairSync('ed25519');
  const line = JSON.stringify(toolCall(1)).padEnd(550, ' ');
  const time = (n: number, fn: (i: number) => void) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    return ((performance.now() - t) * 1000) / n;
  };
  time(2000, (i) => key.recordMac(line + i));
  time(200, (i) => sign(null, Buffer.from(line + i), privateKey));
  return {
    'MAC per 550-byte record, HMAC-SHA-256 (µs)': round(time(100_000, (i) => key.recordMac(line + i)), 2),
    'the same, Ed25519 signature, not used (µs)': round(time(5_000, (i) => sign(null, Buffer.from(line + i), privateKey)), 2),
  };
}
