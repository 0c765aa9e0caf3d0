// npm run bench: the figures of the foundation issue, measured on this machine, printed as a table and
// written to bench/results/latest.json. Not a test: nothing here passes or fails on a number.
//  1. activate() with 20 servers configured, none autostarted, in a real VS Code extension host (code-server),
//     and the time to evaluate the extension bundle in Node 24;
//  2. 20 stdio servers started at once vs the slowest one alone, same run;
//  3. extension-host memory per idle running server;
//  4. the audit log: sustained append, the first page of the view from 1,000,000 records, call latency on/off;
//  5. permissions: a tool call through the gate + audit vs the raw SDK client (same server, same run), and the
//     gate's decision alone with 1,000 grants;
//  6. the OS sandbox vs the PID namespace: start, call latency, network through its proxy, memory per server
//     (under the `sandbox` key of latest.json);
//  7. the gateway: a tool call through the gateway (HTTP, both eras; the stdio bridge) vs direct, same run, and the
//     gateway's memory per connected agent (under the `gateway` key).
// BENCH_ONLY=<sections> (comma-separated: activation, startup, memory, audit, permissions, sandbox, gateway) runs only those,
// e.g. `BENCH_ONLY=sandbox npm run bench`; latest.json then keeps the other sections' figures of its last run and
// names the sections this run refreshed under `only`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ensureHost, installVsix, launchBrowser, log, makeRunDir, ROOT, startCodeServer } from '../scripts/vscodeHost.mjs';

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const runs = (section) => !ONLY || ONLY.includes(section);
const LATEST = join(ROOT, 'bench/results/latest.json');
const results = ONLY && existsSync(LATEST) ? JSON.parse(readFileSync(LATEST, 'utf8')).results : {};

async function activation(host) {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const run = makeRunDir('bench');
  try {
    const workspace = join(run, 'ws');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    const servers = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`server-${i}`, { command: host.node24, args: [join(ROOT, 'test/fixtures/fixture-server.mjs')], autostart: false }]),
    );
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mcpWarden.servers': servers }, null, 2));
    const installed = installVsix(host, run, join(ROOT, `mcp-warden-${version}.vsix`));
    const out = join(run, 'activation.jsonl');
    const server = await startCodeServer(host, run, { workspace, smokeTestDriver: true, env: { MCP_WARDEN_BENCH_OUT: out } });
    const browser = await launchBrowser(run);
    try {
      const u = new URL(server.url);
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', `vscode-remote://${u.host}${installed}`],
        ['extensionTestsPath', `vscode-remote://${u.host}${join(ROOT, 'out/bench/ext/activation.bench.js')}`],
        ['skipWelcome', 'true'],
      ]);
      for (let i = 0; i < RUNS; i++) {
        const page = await browser.newPage();
        const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', resolve));
        await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
        const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 120_000))]);
        await page.close();
        if (code !== 0) throw new Error(`activation run ${i} ended with ${code}`);
      }
    } finally {
      await browser.close();
      await server.stop();
    }
    const samples = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const ms = samples.map((s) => s.activationMs);
    const { median, round } = require(join(ROOT, 'out/bench/measure.js'));
    results['activate() with 20 servers, none started: median (ms)'] = round(median(ms), 2);
    results['activate(): max of runs (ms)'] = round(Math.max(...ms), 2);
    results['activate(): every run, in order (ms)'] = ms.map((m) => round(m, 1)).join(' ');
    results['activate(): runs'] = ms.length;
    results['servers running after activation'] = Math.max(...samples.map((s) => s.running));
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

function bundleLoad(host) {
  // Evaluates dist/extension.js in a fresh Node 24 with a stand-in for the 'vscode' module.
  const script = `
    const Module = require('module'); const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? {} : load.call(this, request, ...rest); };
    const t = performance.now(); require(${JSON.stringify(join(ROOT, 'dist/extension.js'))});
    process.stdout.write(String(performance.now() - t));`;
  const samples = Array.from({ length: RUNS }, () => Number(execFileSync(host.node24, ['-e', script], { encoding: 'utf8' })));
  const { median, round } = require(join(ROOT, 'out/bench/measure.js'));
  results['dist/extension.js evaluation, Node 24: median (ms)'] = round(median(samples), 2);
}

if (runs('activation')) {
  const host = ensureHost();
  log('bench: activation in a real extension host');
  await activation(host);
  bundleLoad(host);
}
if (runs('startup')) {
  log('bench: 20 stdio servers at once vs the slowest alone');
  Object.assign(results, await require(join(ROOT, 'out/bench/startup.bench.js')).benchStartup());
}
if (runs('memory')) {
  log('bench: memory per idle running server');
  Object.assign(results, await require(join(ROOT, 'out/bench/memory.bench.js')).benchMemory());
}
if (runs('audit')) {
  log('bench: audit log (1,000,000 events)');
  Object.assign(results, await require(join(ROOT, 'out/bench/audit.bench.js')).benchAudit());
}
if (runs('permissions')) {
  log('bench: permissions (gate + audit vs the raw SDK client; the gate alone)');
  Object.assign(results, await require(join(ROOT, 'out/bench/permissions.bench.js')).benchPermissions());
  Object.assign(results, require(join(ROOT, 'out/bench/gate.bench.js')).benchGate());
}
if (runs('sandbox')) {
  log('bench: the OS sandbox vs the PID namespace (start, calls, network, memory)');
  results.sandbox = await require(join(ROOT, 'out/bench/sandbox.bench.js')).benchSandbox();
}
if (runs('gateway')) {
  log('bench: the gateway hop vs direct (10,000 calls each way), memory per connected agent');
  results.gateway = await require(join(ROOT, 'out/bench/gateway.bench.js')).benchGateway();
}

const table = (rows, indent) => {
  const width = Math.max(...Object.keys(rows).map((k) => k.length));
  for (const [key, value] of Object.entries(rows)) {
    if (typeof value === 'object') {
      console.log(`\n${indent}${key}:`);
      table(value, `${indent}  `);
    } else console.log(`${indent}${key.padEnd(width)}  ${value}`);
  }
};
console.log(`\nMCP Warden benchmarks (Node ${process.version}, ${new Date().toISOString()})`);
table(results, '  ');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(LATEST, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), ...(ONLY && { only: ONLY }), results }, null, 2)}\n`);
process.exit(0);
