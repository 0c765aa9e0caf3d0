import * as assert from 'node:assert/strict';
import { REDACTED, Redactor } from '../../../src/core/redaction';

const R = REDACTED;

describe('Redactor', () => {
  const shapes: [string, string, string][] = [
    ['a bearer token', 'Authorization: Bearer abc.DEF-ghi_123456', `Authorization: Bearer ${R}`],
    ['a JWT', 'id=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig-nature_1 end', `id=${R} end`],
    ['a PEM private key', 'k=-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- done', `k=${R} done`],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE is the id', `${R} is the id`],
    ['a named AWS secret key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key = ${R}`],
    ['a GitHub token', 'token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', `token ${R}`],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', R],
    ['a GitLab token', 'glpat-abcdefghij0123456789', R],
    ['a Slack token', 'xoxb-123456789012-abcdefghij', R],
    ['a Google API key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', R],
    ['an OpenAI key', 'OPENAI=sk-proj-abcdefghijklmnopqrstuvwxyz', `OPENAI=${R}`],
    ['an Anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz', R],
    ['a Stripe key', 'sk_live_abcdefghijklmnop1234', R],
    ['credentials in a URL', 'https://alice:hunter22@example.com/x', `https://${R}@example.com/x`],
    ['a token in a query string', 'https://x.example/cb?code=abc123&state=ok&access_token=zzz', `https://x.example/cb?code=${R}&state=ok&access_token=${R}`],
  ];
  for (const [what, input, expected] of shapes) {
    it(`hides ${what}`, () => assert.equal(new Redactor().text(input), expected));
  }

  it('leaves ordinary text alone', () => {
    const text = 'read_file {"path":"src/index.ts"} took 12 ms; the token count was 42; token validation failed; sk-short';
    assert.equal(new Redactor().text(text), text);
  });

  it('hides known values (inputs, env files) wherever they appear, longest first; ignores very short ones', () => {
    const redactor = new Redactor();
    redactor.addSecrets(['abc', 'correct-horse', 'correct-horse-battery']);
    assert.equal(redactor.text('a=correct-horse-battery b=correct-horse c=abc'), `a=${R} b=${R} c=abc`);
  });

  it('hides string values under secret-looking keys, deeply, and keeps the rest', () => {
    const value = {
      headers: { Authorization: 'whatever', Accept: 'json' },
      env: { API_TOKEN: 'x', DB_PASSWORD: 'y', HOME: '/home/u', MAX_TOKENS: '100' },
      args: [{ client_secret: 'z', note: 'Bearer abcdefghijkl123' }],
      max_tokens: 100,
    };
    assert.deepEqual(new Redactor().value(value), {
      headers: { Authorization: R, Accept: 'json' },
      env: { API_TOKEN: R, DB_PASSWORD: R, HOME: '/home/u', MAX_TOKENS: '100' },
      args: [{ client_secret: R, note: `Bearer ${R}` }],
      max_tokens: 100,
    });
  });
});
