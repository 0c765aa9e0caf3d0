// Secrets against real servers and real files: what reaches the server logs and the audit log when a URL
// carries an ${env:…} value, a server prints a private key over several stderr lines, or a setting is megabytes
// long. Wired as src/vscode/warden.ts wires it, without the editor: one Redactor fed with each launch spec's
// secrets, shared by the per-server line redactors (the output channels) and the audit log.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditRecord } from '../../src/core/audit/auditEvent';
import { resolveLaunchSpec } from '../../src/core/config/launchSpec';
import { parseServers } from '../../src/core/config/parseServers';
import { ServerRegistry, type ServerSnapshot } from '../../src/core/lifecycle/serverRegistry';
import { LogLineRedactor, MAX_LOG_LINE_CHARS, redactingLogger } from '../../src/core/logRedaction';
import { systemClock, type Logger } from '../../src/core/ports';
import { REDACTED, Redactor } from '../../src/core/redaction';
import { AuditKey } from '../../src/node/audit/auditKey';
import { AuditLog } from '../../src/node/audit/auditLog';
import { AuditReader } from '../../src/node/audit/auditReader';
import { loadEnvFile } from '../../src/node/envFile';
import { McpLauncher } from '../../src/node/mcpLauncher';
import { approveEverything, approveEveryLaunch, textHasher } from '../support/approveEverything';
import { RecordingLogger } from '../unit/fakes';
import { FAST_RESTARTS, FIXTURE, NODE, ROOT } from './harness';

interface Window {
  readonly registry: ServerRegistry;
  readonly redactor: Redactor;
  /** What the output channel of a server was given, after redaction. */
  written(server: string): string[];
  /** What the server's logger was asked to write, before redaction. */
  raw(server: string): string[];
  records(): Promise<AuditRecord[]>;
  waitFor(server: string, condition: (s: ServerSnapshot) => boolean, what: string): Promise<void>;
  dispose(): Promise<void>;
}

/** A registry with the real launcher and audit log, and the extension's redaction wiring. */
async function openWindow(servers: Record<string, unknown>, env: Record<string, string | undefined>): Promise<Window> {
  const redactor = new Redactor();
  const audit = await AuditLog.open({ dir: mkdtempSync(join(tmpdir(), 'warden-secrets-it-')), redactor, maxSegmentBytes: 1 << 20, retentionDays: 0, flushDelayMs: 10, key: AuditKey.generate() });
  const written = new Map<string, RecordingLogger>();
  const raw = new Map<string, RecordingLogger>();
  const loggers = new Map<string, Logger>();
  const loggerFor = (name: string): Logger => {
    let logger = loggers.get(name);
    if (!logger) {
      const out = new RecordingLogger();
      const before = new RecordingLogger();
      written.set(name, out);
      raw.set(name, before);
      const channel = redactingLogger(out, new LogLineRedactor((t) => redactor.text(t)));
      logger = {
        trace: (m) => (before.trace(m), channel.trace(m)),
        debug: (m) => (before.debug(m), channel.debug(m)),
        info: (m) => (before.info(m), channel.info(m)),
        warn: (m) => (before.warn(m), channel.warn(m)),
        error: (m) => (before.error(m), channel.error(m)),
        traceEnabled: false,
      };
      loggers.set(name, logger);
    }
    return logger;
  };
  const registry = new ServerRegistry({
    supervisor: {
      launcher: new McpLauncher({ clientInfo: { name: 'mcp-warden-tests', version: '0.0.0' }, audit }),
      resolveSpec: async (definition, keyPath) => {
        const spec = await resolveLaunchSpec(definition, keyPath, {
          variables: { workspaceFolders: [{ name: 'ws', path: ROOT }], userHome: '/home/test', env, pathSeparator: '/' },
          askInput: async () => undefined,
          loadEnvFile,
        });
        redactor.addSecrets(spec.secrets);
        return spec;
      },
      limits: () => ({ startupTimeoutMs: 20_000, maxMessageBytes: 16 * 1024 * 1024, serverLogLevel: 'debug' }),
      clock: systemClock,
      restartPolicy: FAST_RESTARTS,
      audit,
      authorizeLaunch: approveEveryLaunch,
    },
    loggerFor,
    logger: loggerFor('(registry)'),
    requestTimeoutMs: () => 20_000,
    authorizer: approveEverything,
    hasher: textHasher,
  });
  await registry.applyConfiguration(
    { servers: parseServers(servers, 'mcpWarden.servers', { kind: 'settings' }, { strict: true }), discovered: [], problems: [] },
    { autostart: true },
  );
  return {
    registry,
    redactor,
    written: (server) => written.get(server)?.lines ?? [],
    raw: (server) => raw.get(server)?.lines ?? [],
    records: async () => {
      await audit.flush();
      return [...(await new AuditReader(audit.dir).page({}, { limit: 100_000 })).records];
    },
    waitFor: (server, condition, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const s = registry.server(server);
          if (s && condition(s)) done(resolve);
        };
        const subscription = registry.onDidChange(check);
        const timer = setTimeout(() => done(() => reject(new Error(`'${server}' is not ${what}: ${JSON.stringify(registry.server(server)?.state)}`))), 30_000);
        const done = (then: () => void) => {
          clearTimeout(timer);
          subscription.dispose();
          then();
        };
        check();
      }),
    dispose: async () => {
      await registry.stopAll();
      registry.dispose();
      await audit.close();
    },
  };
}

/** Waits until `condition` holds, checking after each turn of the event loop; fails after 30 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function refusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('secrets against real servers', function () {
  it('an ${env:…} value in a URL reaches neither the server log nor the audit log, also in "cannot connect" errors', async function () {
    const value = 'env-query-secret-9f2c41';
    const port = await refusedPort();
    const window = await openWindow({ remote: { type: 'http', url: `http://127.0.0.1:${port}/mcp?k=\${env:MY_KEY}`, autostart: true } }, { ...process.env, MY_KEY: value });
    try {
      await window.waitFor('remote', (s) => (s.state.kind === 'waiting' || s.state.kind === 'error') && /cannot connect/.test(JSON.stringify(s.state)), 'refused');
      const written = window.written('remote');
      assert.ok(
        written.some((l) => l.includes(`cannot connect to http://127.0.0.1:${port}/mcp?k=${REDACTED}`)),
        `the error is written, with the value hidden:\n${written.join('\n')}`,
      );
      assert.ok(window.raw('remote').some((l) => l.includes(value)), 'the value was in what the supervisor logged');
      assert.ok(!written.some((l) => l.includes(value)), written.join('\n'));
      const records = await window.records();
      const text = JSON.stringify(records);
      assert.ok(records.some((r) => r['action'] === 'crash' && String(r['detail']).includes(`k=${REDACTED}`)), text);
      assert.ok(!text.includes(value), 'no audit record holds the value');
    } finally {
      await window.dispose();
    }
  });

  it('a private key a server prints over several stderr lines never reaches its output channel', async function () {
    const base64 = [
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
      'LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo',
    ];
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...base64, '-----END RSA PRIVATE KEY-----', 'key printed'].join('\n');
    const script = `process.stderr.write(${JSON.stringify(`${pem}\n`)}); import(${JSON.stringify(pathToFileURL(FIXTURE).href)});`;
    const window = await openWindow({ leaky: { command: NODE, args: ['-e', script] } }, process.env);
    try {
      await window.waitFor('leaky', (s) => s.state.kind === 'running', 'running');
      await until(() => window.written('leaky').includes('info [stderr] key printed'), 'the line after the key');
      const raw = window.raw('leaky');
      for (const line of base64) assert.ok(raw.includes(`info [stderr] ${line}`), 'each line of the key came on its own');
      const written = window.written('leaky');
      for (const line of base64) assert.ok(!written.some((l) => l.includes(line)), written.join('\n'));
      assert.deepEqual(
        written.filter((l) => l.startsWith('info [stderr] ')),
        [...Array(5).fill(`info [stderr] ${REDACTED}`), 'info [stderr] key printed'],
      );
    } finally {
      await window.dispose();
    }
  });

  it('a 5 MB setting echoed in an error is cut to 8 KiB in the output channel, saying how long it was', async function () {
    const cwd = `/nonexistent/${'x'.repeat(5 * 1024 * 1024)}`;
    const window = await openWindow({ huge: { command: NODE, args: [FIXTURE], cwd } }, process.env);
    try {
      await window.waitFor('huge', (s) => s.state.kind === 'error', 'failed');
      assert.ok(window.raw('huge').some((l) => l.length > 5 * 1024 * 1024), 'the supervisor logged the whole folder name');
      const written = window.written('huge');
      assert.ok(written.length > 0);
      for (const line of written) assert.ok(line.length <= 'error '.length + MAX_LOG_LINE_CHARS + 30, `a line of ${line.length} chars`);
      assert.ok(written.some((l) => /^error start failed: mcpWarden\.servers\.huge\.cwd: the folder '\/nonexistent\/x+… \(\d{7} chars\)$/.test(l)), written.map((l) => l.slice(-60)).join('\n'));
    } finally {
      await window.dispose();
    }
  });

  it('a server that dies in the middle of printing a private key: the crash reason quotes no line of it', async function () {
    const secretLine = 'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK';
    const script = `process.stderr.write(${JSON.stringify(`-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n${secretLine}\n`)}, () => process.exit(1));`;
    const window = await openWindow({ dying: { command: NODE, args: ['-e', script] } }, process.env);
    try {
      await window.waitFor('dying', (s) => s.state.kind === 'waiting' || s.state.kind === 'error', 'restarting after its crash');
      const state = window.registry.server('dying')!.state;
      const shown = JSON.stringify(state);
      assert.ok(!shown.includes(secretLine), shown);
      assert.match(shown, /its last stderr line: ‹redacted›/);
      const records = await window.records();
      const crashes = records.filter((r) => r.type === 'lifecycle' && (r['action'] === 'crash' || r['action'] === 'start-failed'));
      assert.ok(crashes.length > 0);
      for (const record of records) assert.ok(!JSON.stringify(record).includes(secretLine), JSON.stringify(record));
    } finally {
      await window.dispose();
    }
  });
});
