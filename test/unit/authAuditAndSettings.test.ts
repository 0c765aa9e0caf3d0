import * as assert from 'node:assert/strict';
import { authAuditInput } from '../../src/core/audit/auditEvent';
import { csvHeader, csvRow, recordLine } from '../../src/core/audit/auditText';
import { finalizeEvent } from '../../src/core/audit/finalizeEvent';
import type { AuditRecord } from '../../src/core/audit/auditEvent';
import { parseOAuthField } from '../../src/core/config/oauthField';
import { parseServer } from '../../src/core/config/parseServers';
import { resolveLaunchSpec } from '../../src/core/config/launchSpec';
import { Redactor } from '../../src/core/redaction';

const digester = { digest: (text: string) => `digest(${text})` };

describe('auth audit record', () => {
  const event = authAuditInput({ server: 'github', action: 'sign-in-failed', issuer: 'https://as.example', resource: 'https://mcp.example/mcp', scope: 'read', detail: 'refused tok-123456' }, 's1');

  it('keeps the fields in canonical (sorted) order, an error outcome for a failure, and redacts known secrets', () => {
    const redactor = new Redactor();
    redactor.addSecrets(['tok-123456']);
    const fields = finalizeEvent(event, { redactor, digester });
    assert.deepEqual(Object.keys(fields), [...Object.keys(fields)].sort());
    assert.equal(fields.type, 'auth');
    assert.equal(fields.outcome, 'error');
    assert.equal(fields['issuer'], 'https://as.example');
    assert.doesNotMatch(JSON.stringify(fields), /tok-123456/);
    assert.equal(finalizeEvent(authAuditInput({ server: 'g', action: 'signed-in' }, 's'), { redactor, digester }).outcome, 'ok');
  });

  it('reads as a line and as a CSV row with issuer, resource and scope columns', () => {
    const record = { ...finalizeEvent(event, { redactor: new Redactor(), digester }), seq: 7, time: 't', prev: 'p', mac: 'm' } as AuditRecord;
    assert.match(recordLine(record), /^#7 github#s1 auth sign-in-failed https:\/\/as\.example — scope read · refused/);
    const header = csvHeader().trim().split(',');
    const row = csvRow(record).trim().split(',');
    assert.equal(row[header.indexOf('issuer')], 'https://as.example');
    assert.equal(row[header.indexOf('resource')], 'https://mcp.example/mcp');
    assert.equal(row[header.indexOf('action')], 'sign-in-failed');
  });
});

describe('auth settings (oauth field)', () => {
  const at = 'mcpWarden.servers.x.oauth';

  it('refuses a literal secret, naming the key path and never echoing it', () => {
    const { problems } = parseOAuthField({ clientId: 'c', clientSecret: 'hunter2-literal' }, at);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.keyPath, `${at}.clientSecret`);
    assert.match(problems[0]?.message ?? '', /a secret must be an \$\{input:…\} reference/);
    assert.doesNotMatch(JSON.stringify(problems), /hunter2/);
  });

  it('checks each key and the combinations', () => {
    const keys = (raw: unknown) => parseOAuthField(raw, at).problems.map((p) => p.keyPath);
    assert.deepEqual(keys({ grant: 'password' }), [`${at}.grant`]);
    assert.deepEqual(keys({ grant: 'client_credentials', clientSecret: '${input:s}' }), [`${at}.clientId`]);
    assert.deepEqual(keys({ grant: 'client_credentials', clientId: 'c' }), [at]);
    assert.deepEqual(keys({ scopes: ['a b'] }), [`${at}.scopes`]);
    assert.deepEqual(keys({ clientAuth: 'private_key_jwt', clientId: 'c', grant: 'client_credentials', clientSecret: '${input:s}' }), [`${at}.privateKey`]);
    assert.deepEqual(keys({ colour: 1 }), [`${at}.colour`]);
    assert.deepEqual(keys('yes'), [at]);
    assert.deepEqual(parseOAuthField({ enabled: false }, at).settings, { enabled: false, grant: 'authorization_code' });
  });

  it('is part of an http definition, and its secrets are answered as inputs of the launch', async () => {
    const entry = parseServer('x', { url: 'https://mcp.example/mcp', oauth: { clientId: 'c', clientSecret: '${input:cs}' } }, 'mcpWarden.servers.x', { kind: 'settings' }, { strict: true });
    assert.ok(entry.ok);
    const asked: string[] = [];
    const spec = await resolveLaunchSpec(entry.definition, entry.keyPath, {
      variables: { workspaceFolders: [], userHome: '/home/u', env: {}, pathSeparator: '/' },
      askInput: async (id) => (asked.push(id), 'client-secret-value'),
      loadEnvFile: async () => ({}),
    });
    assert.deepEqual(asked, ['cs']);
    assert.equal(spec.type === 'stdio' ? undefined : spec.oauth?.clientSecret, 'client-secret-value');
    assert.ok(spec.secrets.includes('client-secret-value'));
  });

  it('reports a bad oauth in settings but leaves it out of a file written for another client', () => {
    const bad = { url: 'https://mcp.example/mcp', oauth: { clientSecret: 'literal' } };
    assert.equal(parseServer('x', bad, 'mcpWarden.servers.x', { kind: 'settings' }, { strict: true }).ok, false);
    const fromFile = parseServer('x', bad, 'servers.x', { kind: 'file', path: '/w/.vscode/mcp.json', format: 'vscode' }, { strict: false });
    assert.ok(fromFile.ok && fromFile.definition.type !== 'stdio' && fromFile.definition.oauth === undefined);
  });
});
