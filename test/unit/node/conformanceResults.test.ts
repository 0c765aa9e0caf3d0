import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clientOutcome,
  judgeRun,
  outcomeOf,
  parseBaseline,
  parseClientScenarios,
  summaryTable,
  unknownBaselineEntries,
  type Check,
} from '../../../src/node/conformance/suiteResults';

const check = (status: string, id = 'c'): Check => ({ id, status });

describe('conformance results', () => {
  describe('judgeRun', () => {
    const clean = { suiteExitCode: 0, timedOut: false };

    it('passes with at least one SUCCESS and nothing else wrong; INFO and SKIPPED do not count', () => {
      const verdict = judgeRun({ ...clean, checks: [check('SUCCESS'), check('INFO'), check('SKIPPED')] });
      assert.deepEqual(verdict, { passed: true, success: 1, failure: 0, warning: 0, problems: [] });
    });

    it('fails on a WARNING, a FAILURE, no checks at all, or no SUCCESS', () => {
      assert.deepEqual(judgeRun({ ...clean, checks: [check('SUCCESS'), { id: 'w', status: 'WARNING', errorMessage: 'meh' }] }).problems, ['WARNING w: meh']);
      assert.equal(judgeRun({ ...clean, checks: [check('SUCCESS'), check('FAILURE')] }).passed, false);
      assert.deepEqual(judgeRun({ ...clean, checks: undefined }).problems, ['no checks.json was written']);
      assert.deepEqual(judgeRun({ ...clean, checks: [check('INFO')] }).problems, ['no check succeeded']);
    });

    it('fails when the client exits non-zero, times out, or the suite exits non-zero, however good the checks', () => {
      const checks = [check('SUCCESS')];
      assert.deepEqual(judgeRun({ ...clean, checks, clientExitCode: 1 }).problems, ['the client exited with code 1']);
      assert.deepEqual(judgeRun({ ...clean, checks, timedOut: true }).problems, ['timed out']);
      assert.deepEqual(judgeRun({ ...clean, checks, suiteExitCode: 1 }).problems, ['the suite exited with code 1']);
    });
  });

  it('reads the client exit code and time-outs from the suite output', () => {
    assert.deepEqual(clientOutcome('x\nClient exited with code 1\nStderr: …'), { clientExitCode: 1, timedOut: false });
    assert.deepEqual(clientOutcome('Client timed out after 30000ms'), { timedOut: true });
    assert.deepEqual(clientOutcome('Passed: 1/1'), { timedOut: false });
  });

  it('lists the client scenarios of 0.1 and of a 0.2 requirements list, never server scenarios', () => {
    const v01 = 'Client scenarios (test against a client):\n  - initialize [2025-06-18,2025-11-25]\n  - auth/basic-cimd [2025-11-25]\n';
    assert.deepEqual(parseClientScenarios(v01), ['initialize', 'auth/basic-cimd']);
    const v02 = [
      'Required for 2026-07-28 (69 scenarios, frozen; run at the 2026-07-28 wire):',
      '',
      'Server scenarios (test against a server):',
      '  - server-stateless',
      '',
      'Client scenarios (test against a client):',
      '  - tools_call',
      '  - request-metadata',
      '',
      'Run and reported, but never scored:',
      '  extension (16):',
      '    - auth/dpop [client]',
      '    - tasks-lifecycle [server]',
      '  added-after-release (1):',
      '    - json-schema-2020-12-preservation [client]',
    ].join('\n');
    assert.deepEqual(parseClientScenarios(v02), ['tools_call', 'request-metadata', 'auth/dpop', 'json-schema-2020-12-preservation']);
  });

  describe('parseBaseline', () => {
    it('reads run → scenario → reason, with quotes, apostrophes and comments', () => {
      const baseline = parseBaseline(['# why', '"0.1.16":', '  auth/a: "auth: the server\'s 401"  # trailing', "  auth/b: 'plain'", '', '0.2 @ 2026-07-28:', '  auth/a: unquoted reason'].join('\n'));
      assert.deepEqual([...baseline.keys()], ['0.1.16', '0.2 @ 2026-07-28']);
      assert.deepEqual([...baseline.get('0.1.16')!], [
        ['auth/a', "auth: the server's 401"],
        ['auth/b', 'plain'],
      ]);
      assert.equal(baseline.get('0.2 @ 2026-07-28')!.get('auth/a'), 'unquoted reason');
    });

    it('refuses an entry without a reason, a duplicate, or an entry outside a run', () => {
      assert.throws(() => parseBaseline('"0.1.16":\n  auth/a: ""'), /line 2: 'auth\/a' has no reason/);
      assert.throws(() => parseBaseline('"0.1.16":\n  auth/a:'), /has no reason/);
      assert.throws(() => parseBaseline('"0.1.16":\n  auth/a: "x"\n  auth/a: "y"'), /listed twice/);
      assert.throws(() => parseBaseline('"0.1.16":\n"0.1.16":'), /listed twice/);
      assert.throws(() => parseBaseline('  auth/a: "x"'), /line 1: expected/);
    });

    it('reads the checked-in baseline: only the auth scenarios MCP Warden has no grant for (and one suite bug) are listed, each with its reason', () => {
      const baseline = parseBaseline(readFileSync(join(__dirname, '../../../../test/conformance/expected-failures.yml'), 'utf8'));
      assert.ok(baseline.size > 0);
      for (const [, entries] of baseline) {
        for (const [scenario, reason] of entries) {
          if (scenario.startsWith('auth/')) {
            assert.match(scenario, /^auth\/(cross-app-access-complete-flow|enterprise-managed-authorization|wif-jwt-bearer|2025-03-26-oauth-metadata-backcompat)$/, scenario);
            assert.match(reason, /^(auth|extension) \((Enterprise-Managed Authorization|workload identity federation|suite bug)/, scenario);
          }
          else assert.match(scenario, /^sep-2640-/, `only the skills extension is expected to fail besides auth, not ${scenario}`);
        }
      }
    });
  });

  it('calls a passing scenario that is listed stale, and an unlisted failure a failure', () => {
    const passed = judgeRun({ checks: [check('SUCCESS')], suiteExitCode: 0, timedOut: false });
    const failed = judgeRun({ checks: [check('FAILURE')], suiteExitCode: 1, timedOut: false });
    assert.equal(outcomeOf(passed, undefined), 'pass');
    assert.equal(outcomeOf(passed, 'auth: …'), 'STALE');
    assert.equal(outcomeOf(failed, 'auth: …'), 'expected failure');
    assert.equal(outcomeOf(failed, undefined), 'FAIL');
  });

  it('finds baseline entries that no run has', () => {
    const baseline = parseBaseline('"a":\n  s1: "r"\n  typo: "r"\n"b":\n  s1: "r"');
    assert.deepEqual(unknownBaselineEntries(baseline, new Map([['a', ['s1']]])), ['a: typo', 'b (no such run)']);
  });

  it('prints one aligned row per scenario', () => {
    const verdict = judgeRun({ checks: [check('SUCCESS')], suiteExitCode: 0, timedOut: false });
    const table = summaryTable([{ scenario: 'tools_call', run: '0.1.16', verdict, outcome: 'pass', seconds: 1.23 }]);
    assert.deepEqual(table.split('\n')[2]!.split(/\s{2,}/), ['tools_call', '0.1.16', '1 ok, 0 failed, 0 warnings', 'pass', '1.2 s']);
  });
});
