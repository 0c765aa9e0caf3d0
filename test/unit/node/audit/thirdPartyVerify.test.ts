// docs/audit-log-format.md promises that a third party can verify a log with its key and nothing of ours. This
// test is that third party: it follows the document with node:crypto and JSON alone, and imports nothing of
// src/ to check (only to write the log it checks).
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folder, keyOf, openLog, call, T0, DAY } from './auditFixtures';

/** Canonical JSON as the document defines it: keys sorted by UTF-16 code units, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The document's algorithm, step by step. Returns the first problem, or 'ok'. */
function verifyAsDocumented(dir: string, keyFile: string): string {
  const { key } = JSON.parse(readFileSync(keyFile, 'utf8')) as { key: string };
  const secret = Buffer.from(key.slice('mcp-warden-audit-key-v1:'.length), 'base64url');
  const derive = (purpose: string) => createHmac('sha256', secret).update(`mcp-warden audit v1 ${purpose}`).digest();
  const recordKey = derive('record-mac');
  const headKey = derive('head-mac');
  const files = readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}-\d{4}\.jsonl$/.test(f)).sort();
  let previous: { seq: number; mac: string } | undefined;
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    if (lines.pop() !== '') return `${file}: ends in a line without its newline`;
    for (const [i, line] of lines.entries()) {
      const record = JSON.parse(line) as Record<string, unknown> & { seq: number; prev: string; mac: string };
      if (canonical(record) !== line) return `${file}:${i + 1}: not canonical`;
      const { mac, ...rest } = record;
      if (createHmac('sha256', recordKey).update(canonical(rest)).digest('hex') !== mac) return `${file}:${i + 1}: bad mac`;
      if (previous) {
        if (record.prev !== previous.mac) return `${file}:${i + 1}: prev is not the previous mac`;
        if (record.seq !== previous.seq + 1) return `${file}:${i + 1}: seq does not follow`;
      } else if (!(record.seq === 1 && record.prev === '0'.repeat(64))) {
        return `${file}:${i + 1}: does not start at seq 1`;
      }
      previous = { seq: record.seq, mac };
    }
  }
  const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as { seq: number; mac: string; headMac: string };
  if (createHmac('sha256', headKey).update(`${head.seq}:${head.mac}`).digest('hex') !== head.headMac) return 'head.json: bad headMac';
  if (head.seq !== previous?.seq || head.mac !== previous.mac) return 'head.json: not the last record';
  return 'ok';
}

describe('a third party verifies a log from docs/audit-log-format.md alone', () => {
  it('accepts the log as MCP Warden wrote it, and catches an edit', async () => {
    const dir = folder();
    let now = T0;
    const log = await openLog(dir, { now: () => now, maxSegmentBytes: 4096 });
    for (let i = 0; i < 30; i++) {
      log.record(call(i, { i, note: 'ünïcödé 😀', nested: { b: [1, 2, { z: null }], a: true } }));
      if (i === 15) {
        await log.flush();
        now += DAY;
      }
    }
    await log.close();
    const keyFile = join(folder(), 'key.json');
    writeFileSync(keyFile, keyOf(dir).toFile({ logFolder: dir, exportedAt: new Date(T0).toISOString() }));
    assert.ok(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length > 2, 'several segments, two days');
    assert.equal(verifyAsDocumented(dir, keyFile), 'ok');

    const file = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()[1]!;
    const text = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), text.replace('"outcome":"ok"', '"outcome":"error"'));
    assert.match(verifyAsDocumented(dir, keyFile), /bad mac/);
  });
});
