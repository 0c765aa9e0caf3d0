#!/usr/bin/env node
// The audit log outside VS Code, shipped in the package as dist/audit-cli.js:
//   node dist/audit-cli.js verify <dir> [--key-file <file>|-] [--head <seq>:<mac>]
//   node dist/audit-cli.js export <dir> [--format jsonl|csv] [--from <ISO time>] [--to <ISO time>] [--server <name>]
// The key file is what "MCP Warden: Export Audit Verification Key…" writes ("-" reads it from stdin, so it never
// appears in a process list). Without it only the structure is checked, and the output says so.
// Exit code: 0 when the log holds (or the export worked), 1 when it does not, 2 on wrong usage.
import { readFile } from 'node:fs/promises';
import type { AuditQuery } from '../../core/audit/auditQuery';
import { exportAuditLog, type ExportFormat } from './auditExport';
import { AuditKey } from './auditKey';
import { describeCount, verifyAuditLog } from './auditVerifier';

const USAGE = `usage: audit-cli verify <dir> [--key-file <file>|-] [--head <seq>:<mac>]
       audit-cli export <dir> [--format jsonl|csv] [--from <ISO time>] [--to <ISO time>] [--server <name>]`;

async function readKey(path: string): Promise<AuditKey> {
  const text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  return AuditKey.fromFile(text);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function verify(dir: string, option: (name: string) => string | undefined): Promise<number> {
  const head = option('head');
  const match = head ? /^(\d+):([0-9a-f]{64})$/.exec(head) : null;
  if (head && !match) {
    process.stderr.write('--head must be <seq>:<mac>, as Verify Audit Log shows it, e.g. 42:9f86d0…\n');
    return 2;
  }
  const keyFile = option('key-file');
  let key: AuditKey | undefined;
  if (keyFile !== undefined) {
    try {
      key = await readKey(keyFile);
    } catch (error) {
      process.stderr.write(`--key-file ${keyFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  const result = await verifyAuditLog(dir, { ...(key && { key }), ...(match && { expectedHead: { seq: Number(match[1]), mac: match[2]! } }) });
  const scope = result.keyed
    ? `every record's MAC checked with key ${key!.id}`
    : key
      ? 'structure only: this is a log of an earlier MCP Warden, written without a key'
      : 'STRUCTURE ONLY: without --key-file anyone could have rewritten the whole log and it would pass';
  for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
  if (result.ok) {
    const end = result.head ? `; head ${result.head.seq}:${result.head.mac}` : '';
    process.stdout.write(`ok: ${describeCount(result)}, chain intact (${scope})${end}\n`);
    if (!match) process.stdout.write('the end of the log was checked against head.json only; pass --head <seq>:<mac> (from Verify Audit Log) to check it against the head MCP Warden kept\n');
    return 0;
  }
  const broken = result.broken!;
  process.stdout.write(`broken: ${broken.file}:${broken.line}: ${broken.reason} (${result.records} records checked before it; ${scope})\n`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, dir, ...rest] = argv;
  const option = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (!dir || (command !== 'verify' && command !== 'export')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'verify') return verify(dir, option);
  const format = (option('format') ?? 'jsonl') as ExportFormat;
  if (format !== 'jsonl' && format !== 'csv') {
    process.stderr.write('--format must be jsonl or csv\n');
    return 2;
  }
  const time = (name: string) => {
    const value = option(name);
    return value === undefined ? undefined : Date.parse(value);
  };
  const query: AuditQuery = {
    ...(time('from') !== undefined && { from: time('from') }),
    ...(time('to') !== undefined && { to: time('to') }),
    ...(option('server') !== undefined && { server: option('server') }),
  };
  const count = await exportAuditLog(dir, process.stdout, format, query);
  process.stderr.write(`exported ${count} records\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`audit-cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
