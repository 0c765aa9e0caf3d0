// The pure half of `npm run test:conformance` (scripts/conformance.mjs runs the suites): reading the suites' scenario
// lists, judging one scenario's run strictly, reading the baseline of expected failures, and the summary table.

/** The statuses a check of the conformance suite can have. */
export type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';

export interface Check {
  readonly id: string;
  readonly status: CheckStatus | string;
  readonly description?: string;
  readonly errorMessage?: string;
}

/** How one scenario ran: its checks.json (undefined when none was written), and what the suite said of the client. */
export interface ScenarioRun {
  readonly checks: readonly Check[] | undefined;
  /** Exit code of `conformance client --scenario …` itself. */
  readonly suiteExitCode: number;
  /** The suite printed "Client exited with code N" (N ≠ 0). */
  readonly clientExitCode?: number;
  /** The suite killed the client ("Client timed out") or the scenario timed out. */
  readonly timedOut: boolean;
}

export interface Verdict {
  readonly passed: boolean;
  readonly success: number;
  readonly failure: number;
  readonly warning: number;
  /** Why it did not pass (empty when it passed). */
  readonly problems: readonly string[];
}

/**
 * A scenario passes only with at least one SUCCESS, no FAILURE, no WARNING, the client's exit 0, no time-out, and the
 * suite's own exit 0: stricter than the suite's `--suite` mode, which ignores exit codes, time-outs and empty runs.
 */
export function judgeRun(run: ScenarioRun): Verdict {
  const checks = run.checks ?? [];
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  const success = count('SUCCESS');
  const failure = count('FAILURE');
  const warning = count('WARNING');
  const problems: string[] = [];
  if (run.checks === undefined) problems.push('no checks.json was written');
  else if (success === 0) problems.push('no check succeeded');
  for (const c of checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')) {
    problems.push(`${c.status} ${c.id}${c.errorMessage ? `: ${c.errorMessage}` : ''}`);
  }
  if (run.timedOut) problems.push('timed out');
  if (run.clientExitCode !== undefined && run.clientExitCode !== 0) problems.push(`the client exited with code ${run.clientExitCode}`);
  if (run.suiteExitCode !== 0) problems.push(`the suite exited with code ${run.suiteExitCode}`);
  return { passed: problems.length === 0, success, failure, warning, problems };
}

/** Reads what the suite printed about the client: its exit code and whether it was killed for taking too long. */
export function clientOutcome(suiteOutput: string): { clientExitCode?: number; timedOut: boolean } {
  const exit = /Client exited with code (-?\d+)/.exec(suiteOutput);
  const timedOut = /Client timed out after \d+ms|Scenario timed out after \d+ms/.test(suiteOutput);
  return { ...(exit && { clientExitCode: Number(exit[1]) }), timedOut };
}

/**
 * The client scenarios of `conformance list --client` (0.1: every line `  - name [versions]`) or of
 * `list --client --requirements <rev>` (0.2: the "Client scenarios" section, and the entries marked `[client]`
 * under "never scored"). Server scenarios are left out.
 */
export function parseClientScenarios(listOutput: string): string[] {
  const names: string[] = [];
  let section: 'client' | 'server' | 'unscored' | undefined;
  for (const line of listOutput.split(/\r?\n/)) {
    if (/^Client scenarios/.test(line)) section = 'client';
    else if (/^Server scenarios/.test(line)) section = 'server';
    else if (/never scored/.test(line)) section = 'unscored';
    const item = /^\s+- (\S+)(?:\s+\[([^\]]*)\])?\s*$/.exec(line);
    if (!item) continue;
    const [, name, tag] = item;
    if (section === 'client' || (section === 'unscored' && tag === 'client')) names.push(name as string);
  }
  return [...new Set(names)];
}

/** Expected failures per run (e.g. `0.2.0-alpha.12 @ 2026-07-28`), each scenario with the reason written next to it. */
export type Baseline = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * Reads test/conformance/expected-failures.yml, a two-level YAML mapping (run → scenario → reason). Only this
 * subset is read: `run:` at the start of a line, `  scenario: "reason"` indented below it, `#` comments. A scenario
 * without a reason, or listed twice in a run, is an error: every expected failure must say why.
 */
export function parseBaseline(text: string): Baseline {
  const baseline = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const where = `expected-failures line ${index + 1}`;
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (line.trim() === '') return;
    const top = /^(["']?)([^\s"'][^"']*?)\1:\s*$/.exec(line);
    if (top) {
      const run = top[2] as string;
      if (baseline.has(run)) throw new Error(`${where}: '${run}' is listed twice`);
      current = new Map();
      baseline.set(run, current);
      return;
    }
    const entry = /^\s+(["']?)([^\s"'][^"']*?)\1:\s*(.*)$/.exec(line);
    if (!entry || !current) throw new Error(`${where}: expected 'run:' or '  scenario: "reason"', got '${raw.trim()}'`);
    const scenario = entry[2] as string;
    const reason = unquote((entry[3] as string).trim());
    if (reason === '') throw new Error(`${where}: '${scenario}' has no reason`);
    if (current.has(scenario)) throw new Error(`${where}: '${scenario}' is listed twice`);
    current.set(scenario, reason);
  });
  return baseline;
}

function unquote(text: string): string {
  const quoted = /^"(.*)"$/.exec(text) ?? /^'(.*)'$/.exec(text);
  return quoted ? (quoted[1] as string).replace(/\\"/g, '"') : text;
}

export type Outcome = 'pass' | 'expected failure' | 'FAIL' | 'STALE';

/** A passing scenario listed as expected to fail is stale: the baseline must shrink as MCP Warden grows. */
export function outcomeOf(verdict: Verdict, expectedReason: string | undefined): Outcome {
  if (verdict.passed) return expectedReason === undefined ? 'pass' : 'STALE';
  return expectedReason === undefined ? 'FAIL' : 'expected failure';
}

/** Baseline entries that name no scenario of their run: a typo or a scenario the suite dropped. */
export function unknownBaselineEntries(baseline: Baseline, scenariosByRun: ReadonlyMap<string, readonly string[]>): string[] {
  const unknown: string[] = [];
  for (const [run, entries] of baseline) {
    const known = scenariosByRun.get(run);
    if (!known) {
      unknown.push(`${run} (no such run)`);
      continue;
    }
    for (const scenario of entries.keys()) if (!known.includes(scenario)) unknown.push(`${run}: ${scenario}`);
  }
  return unknown;
}

export interface SummaryRow {
  readonly scenario: string;
  readonly run: string;
  readonly verdict: Verdict;
  readonly outcome: Outcome;
  readonly seconds: number;
}

/** A plain-text table: scenario, run (suite version @ wire), checks, result. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const cells = rows.map((r) => [r.scenario, r.run, `${r.verdict.success} ok, ${r.verdict.failure} failed, ${r.verdict.warning} warnings`, r.outcome, `${r.seconds.toFixed(1)} s`]);
  const header = ['scenario', 'version @ wire', 'checks', 'result', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const format = (c: readonly string[]) => c.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format)].join('\n');
}
