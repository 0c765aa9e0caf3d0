import * as assert from 'node:assert/strict';
import { LogLineRedactor, MAX_LOG_LINE_CHARS, redactingLogger } from '../../../src/core/logRedaction';
import { REDACTED, Redactor } from '../../../src/core/redaction';
import { RecordingLogger } from '../fakes';

const R = REDACTED;
const BASE64 = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK', 'LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo'];

function redactor(): LogLineRedactor {
  const secrets = new Redactor();
  return new LogLineRedactor((t) => secrets.text(t));
}

describe('LogLineRedactor', () => {
  it('hides a private key written over several stderr lines, keeping the tag and what follows its END', () => {
    const lines = redactor();
    const written = [
      '[stderr] loading the signing key',
      '[stderr] -----BEGIN RSA PRIVATE KEY-----',
      ...BASE64.map((b) => `[stderr] ${b}`),
      '[stderr] -----END RSA PRIVATE KEY----- (done)',
      '[stderr] listening on stdio',
    ].map((line) => lines.line(line));
    assert.deepEqual(written, [
      '[stderr] loading the signing key',
      `[stderr] ${R}`,
      `[stderr] ${R}`,
      `[stderr] ${R}`,
      `[stderr] ${R}`,
      `[stderr] ${R} (done)`,
      '[stderr] listening on stdio',
    ]);
  });

  it('hides a key that begins after other text on its first line, and lines of other messages in between', () => {
    const lines = redactor();
    assert.equal(lines.line(`key=-----BEGIN OPENSSH PRIVATE KEY-----${BASE64[0]}`), `key=${R}`);
    assert.equal(lines.line('request timed out'), R);
    assert.equal(lines.line(`${BASE64[1]}-----END OPENSSH PRIVATE KEY-----`), R);
    assert.equal(lines.line('request timed out'), 'request timed out');
  });

  it('hides a whole key inside one message, and opens nothing', () => {
    const lines = redactor();
    assert.equal(lines.line(`[stderr] -----BEGIN PRIVATE KEY-----\n${BASE64.join('\n')}\n-----END PRIVATE KEY-----`), `[stderr] ${R}`);
    assert.equal(lines.line('next line'), 'next line');
  });

  it('stops hiding after a bounded number of lines when the END line never comes', () => {
    const secrets = new Redactor();
    const lines = new LogLineRedactor((t) => secrets.text(t), MAX_LOG_LINE_CHARS, 3);
    assert.equal(lines.line('-----BEGIN EC PRIVATE KEY-----'), R);
    assert.deepEqual(['a1', 'a2', 'a3', 'shown again', 'and again'].map((l) => lines.line(l)), [R, R, R, 'shown again', 'and again']);
  });

  it('cuts a line over 8 KiB and says how long it was, redacting only what can be shown', () => {
    const seen: number[] = [];
    const secrets = new Redactor();
    const lines = new LogLineRedactor((t) => (seen.push(t.length), secrets.text(t)));
    const huge = `command ${'x'.repeat(5 * 1024 * 1024)}`;
    assert.equal(lines.line(huge), `${huge.slice(0, MAX_LOG_LINE_CHARS)}… (${huge.length} chars)`);
    assert.deepEqual(seen, [2 * MAX_LOG_LINE_CHARS], 'a 5 MB line costs no more than a 16 KiB one');
    assert.equal(lines.line('short'), 'short');
  });

  it('still hides a secret that starts before the cut and ends after it', () => {
    const secrets = new Redactor();
    secrets.addSecrets(['correct-horse-battery-staple']);
    const lines = new LogLineRedactor((t) => secrets.text(t));
    const line = `${'a '.repeat((MAX_LOG_LINE_CHARS - 10) / 2)}correct-horse-battery-staple ${'b'.repeat(100_000)}`;
    const written = lines.line(line);
    assert.ok(!written.includes('correct-horse'), written.slice(MAX_LOG_LINE_CHARS - 20));
    assert.ok(written.endsWith(`… (${line.length} chars)`));
  });

  it('notices a key that begins past the cut of a long line', () => {
    const lines = redactor();
    assert.match(lines.line(`${'x'.repeat(100_000)} -----BEGIN RSA PRIVATE KEY-----`), /… \(100032 chars\)$/);
    assert.equal(lines.line(BASE64[0]!), R);
  });

  it('redactingLogger writes every level through the line redactor', () => {
    const target = new RecordingLogger();
    const logger = redactingLogger(target, redactor());
    logger.info('-----BEGIN PRIVATE KEY-----');
    logger.debug(BASE64[0]!);
    logger.error('-----END PRIVATE KEY-----');
    logger.warn('password=hunter2');
    logger.trace('ok');
    assert.deepEqual(target.lines, [`info ${R}`, `debug ${R}`, `error ${R}`, `warn password=${R}`, 'trace ok']);
  });
});
