// Throughput of Redactor.text on typical 500-character audit previews (the audit log must sustain ≥ 50,000
// events/s, and every event runs a few of these). Run alone: `npm run compile-tests && node out/bench/redaction.bench.js`.
import { Redactor } from '../src/core/redaction';
import { median, round } from './measure';

const PREVIEW_CHARS = 500;

/** Texts of the kinds the audit log and output channels see, each cut to a 500-character preview. */
export const SAMPLES: Readonly<Record<string, string>> = {
  'tool-call arguments (JSON)': JSON.stringify({
    path: 'src/components/settings/advancedSettingsPanel.tsx',
    encoding: 'utf8',
    query: 'select id, name, created_at from users where org_id = 42 order by created_at desc limit 50',
    options: { recursive: true, maxDepth: 4, include: ['**/*.ts', '**/*.tsx'], exclude: ['node_modules', 'dist'] },
    note: 'refactor the settings panel so that every control has a label and a description',
  }).repeat(2),
  'tool result (prose)':
    'The function parseConfig reads the workspace settings, validates every server definition and returns a ' +
    'snapshot. When a definition is invalid the problem is reported with the setting key at fault, for example ' +
    '"mcpWarden.servers.github.url must be https". The token validation failed once because the clock was off; ' +
    'after a restart the server came back and listed 14 tools in 230 ms. Nothing else changed in this session. '.repeat(2),
  'server log line': JSON.stringify({
    level: 'info',
    logger: 'filesystem',
    data: { message: 'listed directory', path: '/home/user/projects/app/src', entries: 37, elapsedMs: 12, cache: 'miss' },
  }).repeat(3),
  'text with secrets': 'connecting with Authorization: Bearer ghp_0123456789abcdefghijklmnopqrstuvwxyzAB and password=hunter22 ' +
    'to https://api.example.com/v1?api_key=abcd1234efgh&user=alice; npm_abcdefghijklmnopqrstuvwxyz0123456789 ' +
    'failed with 401; retrying with the refresh token in 3 s. '.repeat(3),
};

function preview(text: string): string {
  return text.slice(0, PREVIEW_CHARS);
}

/** What is measured: the Redactor, or another build of it to compare with (`compareWith`). */
export interface TextRedactor {
  addSecrets(values: Iterable<string>): void;
  text(text: string): string;
}

/** Nanoseconds per `text()` call on each sample, median of several rounds, with known secrets registered. */
export function benchRedaction(rounds = 7, callsPerRound = 20_000, redactor: TextRedactor = new Redactor()): Record<string, number> {
  // A window typically knows a handful of values from inputs and env files.
  redactor.addSecrets(['correct-horse-battery-staple', 's3cr3t-db-password', 'sk-live-0000000000000000', 'x9y8z7w6v5u4', 'a-long-client-secret-value-123']);
  const results: Record<string, number> = {};
  const all: number[] = [];
  for (const [name, raw] of Object.entries(SAMPLES)) {
    const text = preview(raw);
    for (let i = 0; i < 2000; i++) redactor.text(text); // warm up
    const perRound: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = process.hrtime.bigint();
      let sink = 0;
      for (let i = 0; i < callsPerRound; i++) sink += redactor.text(text).length;
      const ns = Number(process.hrtime.bigint() - started) / callsPerRound;
      if (sink === 0) throw new Error('nothing redacted');
      perRound.push(ns);
    }
    const ns = median(perRound);
    all.push(ns);
    results[`redactor.text ns/op: ${name} (${text.length} chars)`] = round(ns, 0);
  }
  results['redactor.text ns/op: mean of the samples'] = round(all.reduce((a, b) => a + b, 0) / all.length, 0);
  return results;
}

// `node out/bench/redaction.bench.js [path/to/other/redaction.js]`: this build, and another one (e.g. the
// previous release's, built with esbuild) in the same process, for a before/after comparison.
if (require.main === module) {
  void (async () => {
    const other = process.argv[2];
    const builds: [string, TextRedactor][] = [['this build', new Redactor()]];
    if (other) builds.unshift([other, new ((await import(other)) as { Redactor: new () => TextRedactor }).Redactor()]);
    for (const [name, redactor] of builds) {
      console.log(name);
      for (const [what, value] of Object.entries(benchRedaction(7, 20_000, redactor))) console.log(`  ${what.padEnd(72)} ${value}`);
    }
  })();
}
