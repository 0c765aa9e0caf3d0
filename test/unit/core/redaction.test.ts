import * as assert from 'node:assert/strict';
import { isSecretKey, REDACTED, Redactor } from '../../../src/core/redaction';
import { keyWords } from '../../../src/core/secretKeys';

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

describe('isSecretKey', () => {
  const secret = [
    'password', 'DB_PASSWORD', 'db_pass', 'DB_PASS', 'MYSQL_PWD', 'passwd', 'passphrase', 'AUTH', 'auth', 'X-Auth-Key', 'X-Auth-Token',
    'basic_auth', 'Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'DD-API-KEY', 'DD_APP_KEY', 'Ocp-Apim-Subscription-Key',
    'x-api-key', 'api_key', 'apikey', 'apiKey', 'APIKey', 'OPENAI_API_KEY', 'accessToken', 'access_token', 'id_token', 'refreshToken',
    'SENTRY_AUTH_TOKEN', 'X-Amz-Security-Token', 'client_secret', 'clientSecret', 'secret', 'secrets', 'AWS_SECRET_ACCESS_KEY',
    'aws_access_key_id', 'private_key', 'privateKey', 'PRIVATE_KEY', 'signing_key', 'credential', 'credentials', 'creds', 'token',
    'GITHUB_TOKEN', 'npmAuthToken', 'secretKey',
  ];
  const notSecret = [
    'max_tokens', 'maxTokens', 'MAX_TOKENS', 'input_tokens', 'tokens', 'token_count', 'tokenType', 'token_type', 'token_url', 'auth_url',
    'authType', 'password_file', 'secret_name', 'author', 'authority', 'oauth', 'path', 'PWD', 'OLDPWD', 'pwd', 'key', 'sort_key',
    'partitionKey', 'monkey', 'keyboard', 'tokenizer', 'secretary', 'pass', 'passage', 'bypass', 'compass', 'passenger', 'HOME', 'url', 'name',
  ];
  for (const key of secret) it(`takes '${key}' for a secret`, () => assert.equal(isSecretKey(key), true));
  for (const key of notSecret) it(`does not take '${key}' for a secret`, () => assert.equal(isSecretKey(key), false));

  it('splits names into words at separators and case changes', () => {
    assert.deepEqual(
      ['X-Auth-Key', 'APIKey', 'accessToken', 'MYSQL_PWD', 'oauth2Token', 'max_tokens'].map(keyWords),
      [['x', 'auth', 'key'], ['api', 'key'], ['access', 'token'], ['mysql', 'pwd'], ['oauth2', 'token'], ['max', 'tokens']],
    );
  });
});

describe('Redactor.text: values after secret-looking keys', () => {
  const forms: [string, string, string][] = [
    ['key=value', 'connect password=hunter2 now', `connect password=${R} now`],
    ['key: value', 'db_pass: hunter2', `db_pass: ${R}`],
    ['key: a long word', 'password: correcthorsebattery', `password: ${R}`],
    ['key=word', 'password=hunter', `password=${R}`],
    ['"key":"value"', '{"user":"ann","password":"hunter2","port":5432}', `{"user":"ann","password":"${R}","port":5432}`],
    ['"key": "value with spaces"', '{"apiKey": "correct horse battery"}', `{"apiKey": "${R}"}`],
    ["'key': 'value'", "{'secret': 'hunter2', 'a': 1}", `{'secret': '${R}', 'a': 1}`],
    ['escaped JSON in a string', '"{\\"password\\":\\"hunter2\\",\\"user\\":\\"ann\\"}"', `"{\\"password\\":\\"${R}\\",\\"user\\":\\"ann\\"}"`],
    ['doubly escaped JSON', '\\\\\\"password\\\\\\":\\\\\\"hunter2\\\\\\"', `\\\\\\"password\\\\\\":\\\\\\"${R}\\\\\\"`],
    ['URL-encoded', 'body=user%3Dann%26password%3Dhunter2%26x%3D1', `body=user%3Dann%26password%3D${R}%26x%3D1`],
    ['URL-encoded JSON', '%7B%22password%22%3A%22hunter2%22%7D', `%7B%22password%22%3A%22${R}%22%7D`],
    ['a header line', 'X-Api-Key: abcd1234 and DD-API-KEY=zz99zz99', `X-Api-Key: ${R} and DD-API-KEY=${R}`],
    ['an authorization header, keeping its scheme', 'Authorization: Basic dXNlcjpwYXNz', `Authorization: Basic ${R}`],
    ['a query string', 'GET /cb?state=1&api_key=abcd1234&x=2', `GET /cb?state=1&api_key=${R}&x=2`],
    ['an env line', 'MYSQL_PWD=hunter2 AUTH=s3cr3t HOME=/home/u', `MYSQL_PWD=${R} AUTH=${R} HOME=/home/u`],
    ['a CLI flag', 'server --password=hunter2 --port=80', `server --password=${R} --port=80`],
  ];
  for (const [what, input, expected] of forms) {
    it(`hides ${what}`, () => assert.equal(new Redactor().text(input), expected));
  }

  it('keeps prose, non-secret keys and empty or null values readable', () => {
    const texts = [
      'token validation failed; the password was wrong; pass the key to the function',
      '{"key":"user:42","max_tokens":100,"author":"ann","path":"/src/a.ts","tokens":17,"token_type":"bearer"}',
      '{"password": null, "secret": "", "auth": {"type": "none"}}',
      'sort key=name, PWD=/home/u/project',
      'token: expired; Authorization: required; pass: 12, fail: 0',
      'mcpWarden.servers.s.env.API_TOKEN: no value was given for ${input:token}',
    ];
    for (const text of texts) assert.equal(new Redactor().text(text), text);
  });

  it('still finds secret shapes in values of non-secret keys', () => {
    assert.equal(new Redactor().text('url=https://alice:hunter22@example.com/x'), `url=https://${R}@example.com/x`);
    assert.equal(new Redactor().text('{"key":"ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"}'), `{"key":"${R}"}`);
  });
});

describe('Redactor: common token shapes (ported from gitleaks)', () => {
  const tokens: [string, string][] = [
    ['npm', 'npm_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['PyPI', `pypi-AgEIcHlwaS5vcmc${'A'.repeat(60)}`],
    ['Hugging Face', 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH'],
    ['GitLab runner', 'glrt-abcdefghij0123456789'],
    ['GitLab pipeline trigger', `glptt-${'a1'.repeat(20)}`],
    ['DigitalOcean', `dop_v1_${'ab12'.repeat(16)}`],
    ['SendGrid', `SG.${'a'.repeat(22)}.${'b'.repeat(43)}`],
    ['Slack user', 'xoxp-1234567890-1234567890-1234567890-abcdefabcdefabcdefabcdefabcdefab'],
    ['Slack webhook', `https://hooks.slack.com/services/${'T0A1B2C3D'}/${'B0A1B2C3D'}/${'a'.repeat(24)}`],
    ['Shopify', `shpat_${'ab12'.repeat(8)}`],
    ['Postman', `PMAK-${'a1'.repeat(12)}-${'b2'.repeat(17)}`],
    ['Linear', `lin_api_${'a1'.repeat(20)}`],
    ['Databricks', `dapi${'ab12'.repeat(8)}`],
    ['age', `AGE-SECRET-KEY-1${'QPZRY9X8GF'.repeat(5)}QPZRY9X8`],
    ['Vault', `hvs.${'a'.repeat(95)}`],
    ['Pulumi', `pul-${'ab12'.repeat(10)}`],
    ['Doppler', `dp.pt.${'a'.repeat(43)}`],
    ['RubyGems', `rubygems_${'ab12'.repeat(12)}`],
    ['Sentry user', `sntryu_${'ab12'.repeat(16)}`],
    ['Perplexity', `pplx-${'a'.repeat(48)}`],
    ['Grafana service account', `glsa_${'a'.repeat(32)}_abcdef12`],
    ['Notion', `ntn_${'1'.repeat(11)}${'a'.repeat(35)}`],
    ['Anthropic admin', `sk-ant-admin01-${'a'.repeat(93)}AA`],
    ['Stripe restricted', 'rk_prod_abcdefghijklmnop1234'],
    ['Twilio', `SK${'ab12'.repeat(8)}`],
    ['Azure AD client secret', 'abc8Q~abcdefghijklmnopqrstuvwxyz0123456'],
    ['1Password service account', `ops_eyJ${'a'.repeat(250)}`],
    ['PGP private key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----'],
    ['OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----'],
  ];
  for (const [what, token] of tokens) {
    it(`hides a ${what} token`, () => assert.equal(new Redactor().text(`before ${token} after`), `before ${R} after`));
  }

  it('hides a private key that is cut off before its END line, up to the end of the text', () => {
    assert.equal(new Redactor().text('key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc'), `key: ${R}`);
  });

  it('leaves look-alikes alone: git hashes, UUIDs, short prefixes', () => {
    const text = 'commit 3f2a9c0d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 id 123e4567-e89b-12d3-a456-426614174000 npm_short hf_x SG.x';
    assert.equal(new Redactor().text(text), text);
  });
});

describe('Redactor.value', () => {
  it('hides numbers and arrays under secret keys too', () => {
    assert.deepEqual(new Redactor().value({ pin: 1, password: 123456, secrets: ['a', 'b'], auth: { type: 'basic', password: 'x' } }), {
      pin: 1,
      password: R,
      secrets: [R, R],
      auth: { type: 'basic', password: R },
    });
  });

  it('hides the whole subtree past the depth limit', () => {
    let deep: unknown = { password: 'hunter2', note: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' };
    for (let i = 0; i < 40; i++) deep = i % 2 ? { level: deep } : [deep];
    const redacted = JSON.stringify(new Redactor().value({ top: 'visible', deep }));
    assert.ok(!redacted.includes('hunter2') && !redacted.includes('ghp_'), redacted);
    assert.ok(redacted.includes('"top":"visible"') && redacted.includes(R));
  });
});
