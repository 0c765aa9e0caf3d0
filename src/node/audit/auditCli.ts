#!/usr/bin/env node
// The audit log outside VS Code, shipped in the package as dist/audit-cli.js:
//   node dist/audit-cli.js verify <dir> [--head <seq>:<sha256>]
//   node dist/audit-cli.js export <dir> [--format jsonl|csv] [--from <ISO time>] [--to <ISO time>] [--server <name>]
// Exit code: 0 when the chain holds (or the export worked), 1 when it is broken, 2 on wrong usage.
import type { AuditQuery } from '../../core/audit/auditQuery';
import { exportAuditLog, type ExportFormat } from './auditExport';
import { describeCount, verifyAuditLog } from './auditVerifier';

const USAGE = `usage: audit-cli verify <dir> [--head <seq>:<sha256>]
       audit-cli export <dir> [--format jsonl|csv] [--from <ISO time>] [--to <ISO time>] [--server <name>]`;

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
  if (command === 'verify') {
    const head = option('head');
    const match = head ? /^(\d+):([0-9a-f]{64})$/.exec(head) : null;
    if (head && !match) {
      process.stderr.write('--head must be <seq>:<sha256>, e.g. 42:9f86d0…\n');
      return 2;
    }
    const result = await verifyAuditLog(dir, match ? { expectedHead: { seq: Number(match[1]), hash: match[2]! } } : {});
    if (result.ok) {
      process.stdout.write(`ok: ${describeCount(result)}, chain intact\n`);
      return 0;
    }
    const broken = result.broken!;
    process.stdout.write(`broken: ${broken.file}:${broken.line}: ${broken.reason} (${result.records} records checked before it)\n`);
    return 1;
  }
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
