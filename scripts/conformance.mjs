// npm run test:conformance: the official MCP conformance suite against the headless MCP Warden
// (dist/conformance-client.js). Runs every client scenario of conformance 0.1.x (all suites: core, backcompat,
// draft, extensions), the client scenarios 0.2.x requires for 2026-07-28 and for 2025-11-25 (each at its wire), and
// 0.2's other client scenarios (the skills extension, the 2025-03-26 auth ones); each alone with `--scenario`
// (strict: exit codes and time-outs count), two at once. A scenario passes with ≥ 1 SUCCESS, no FAILURE, no
// WARNING, exit 0 and no time-out; anything else must be listed with its reason in
// test/conformance/expected-failures.yml, and a listed scenario that passes fails the run (stale).
// Results: test-results/conformance/<run>/<scenario>/ (checks.json, stdout.txt, stderr.txt, suite-output.txt).
//   node scripts/conformance.mjs [--only <substring>]     (after `npm run build`)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ensureNode24, node24Env } from './node24.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT = 'dist/conformance-client.js';
const BASELINE = 'test/conformance/expected-failures.yml';
const RESULTS = join(ROOT, 'test-results', 'conformance');
const PARALLEL = 2;
/** The suite kills the client after this long; the scenario then fails as timed out. */
const CLIENT_TIMEOUT_MS = 30_000;
/** A suite process that outlives this is killed: something hangs that the suite's own timeout did not catch. */
const SUITE_TIMEOUT_MS = 90_000;

/** `node` on PATH is Node 24: the suites want Node ≥ 22, and the client runs as in the extension host. */
let nodeEnv = process.env;

// The pure half (judging, baseline, table) is TypeScript under src/, unit-tested there; bundled here on the fly.
const { judgeRun, clientOutcome, parseClientScenarios, parseBaseline, outcomeOf, unknownBaselineEntries, summaryTable } = await importTypeScript(
  'src/node/conformance/suiteResults.ts',
);

async function importTypeScript(path) {
  const built = await esbuild.build({ entryPoints: [join(ROOT, path)], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'error' });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

function suite(folder) {
  const dir = join(ROOT, 'node_modules', folder);
  return { bin: join(dir, 'dist', 'index.js'), version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}

/** Runs a command; resolves with its exit code and output (stdout and stderr together, in order). */
function run(args, { timeoutMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn('node', args, { cwd: ROOT, env: nodeEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let killed = false;
    const timer = timeoutMs ? setTimeout(() => ((killed = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output, killed });
    });
  });
}

async function list(s, args) {
  const { code, output } = await run([s.bin, 'list', '--client', ...args]);
  if (code !== 0) throw new Error(`conformance ${s.version} list --client ${args.join(' ')} failed:\n${output}`);
  return parseClientScenarios(output);
}

/** The runs: a suite version, the wire it runs at (0.2 only), and the scenarios of each. */
async function plan() {
  const v01 = suite('conformance-0.1');
  const v02 = suite('conformance-0.2');
  const req2026 = await list(v02, ['--requirements', '2026-07-28']);
  const req2025 = await list(v02, ['--requirements', '2025-11-25']);
  const all02 = await list(v02, []);
  // --force: an extension scenario in a requirements list is "run and reported" at that wire, not skipped.
  const at = (wire) => ['--spec-version', wire, '--force'];
  return [
    { label: v01.version, suite: v01, args: [], scenarios: await list(v01, []) },
    { label: `${v02.version} @ 2026-07-28`, suite: v02, args: at('2026-07-28'), scenarios: req2026 },
    { label: `${v02.version} @ 2025-11-25`, suite: v02, args: at('2025-11-25'), scenarios: req2025 },
    { label: `${v02.version} others`, suite: v02, args: [], scenarios: all02.filter((s) => !req2026.includes(s) && !req2025.includes(s)) },
  ];
}

function findChecks(dir) {
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'checks.json') return JSON.parse(readFileSync(path, 'utf8'));
    if (statSync(path).isDirectory()) {
      const found = findChecks(path);
      if (found) return found;
    }
  }
  return undefined;
}

async function runScenario(r, scenario) {
  const out = join(RESULTS, r.label.replace(/[^A-Za-z0-9.-]+/g, '_'), scenario.replace(/[^A-Za-z0-9.-]+/g, '_'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const args = [r.suite.bin, 'client', '--command', `node ${CLIENT}`, '--scenario', scenario, ...r.args, '--timeout', String(CLIENT_TIMEOUT_MS), '-o', out];
  const { code, output, killed } = await run(args, { timeoutMs: SUITE_TIMEOUT_MS });
  writeFileSync(join(out, 'suite-output.txt'), output);
  const outcome = clientOutcome(output);
  const verdict = judgeRun({ checks: findChecks(out), suiteExitCode: code, ...outcome, timedOut: outcome.timedOut || killed });
  return { scenario, run: r.label, verdict, seconds: (Date.now() - started) / 1000 };
}

async function main(argv) {
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined;
  if (!existsSync(join(ROOT, CLIENT))) throw new Error(`${CLIENT} is missing: run npm run build first`);
  if (Number(process.versions.node.split('.')[0]) < 24) nodeEnv = node24Env(ensureNode24());
  const baseline = parseBaseline(readFileSync(join(ROOT, BASELINE), 'utf8'));
  const started = Date.now();
  const runs = await plan();
  const unknown = unknownBaselineEntries(baseline, new Map(runs.map((r) => [r.label, r.scenarios])));
  const jobs = runs.flatMap((r) => r.scenarios.filter((s) => !only || `${r.label} ${s}`.includes(only)).map((s) => ({ r, s })));
  console.log(`conformance: ${jobs.length} scenarios in ${runs.length} runs (${runs.map((r) => `${r.label}: ${r.scenarios.length}`).join(', ')}), ${PARALLEL} at a time`);

  const rows = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { r, s } = jobs[next++];
      const result = await runScenario(r, s);
      const reason = baseline.get(r.label)?.get(s);
      const row = { ...result, outcome: outcomeOf(result.verdict, reason) };
      rows.push(row);
      if (row.outcome === 'FAIL') console.log(`✗ ${s} (${r.label}): ${row.verdict.problems.join('; ')}`);
      if (row.outcome === 'STALE') console.log(`✗ ${s} (${r.label}) passes but is listed as an expected failure ("${reason}"): remove it from ${BASELINE}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const order = new Map(jobs.map((j, i) => [`${j.r.label}\0${j.s}`, i]));
  rows.sort((a, b) => order.get(`${a.run}\0${a.scenario}`) - order.get(`${b.run}\0${b.scenario}`));

  console.log(`\n${summaryTable(rows)}\n`);
  for (const r of runs) {
    const mine = rows.filter((row) => row.run === r.label);
    const count = (o) => mine.filter((row) => row.outcome === o).length;
    console.log(`${r.label}: ${count('pass')} passed, ${count('expected failure')} expected failures, ${count('FAIL')} failed, ${count('STALE')} stale`);
  }
  const bad = rows.filter((row) => row.outcome === 'FAIL' || row.outcome === 'STALE');
  if (!only && unknown.length > 0) console.log(`${BASELINE} lists scenarios no run has: ${unknown.join(', ')}`);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${RESULTS}`);
  return bad.length === 0 && (only || unknown.length === 0) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
