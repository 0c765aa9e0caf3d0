import * as assert from 'node:assert/strict';
import { DETAIL_CHARS, finalizeEvent, PREVIEW_CHARS, utf8Length, type FinalizeContext } from '../../../../src/core/audit/finalizeEvent';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { REDACTED, Redactor } from '../../../../src/core/redaction';

const base = { server: 'files', session: 's1', startedAt: 1000, endedAt: 1012 };
/** A stand-in for the keyed digest of src/node (an HMAC there): visible here, so tests can see what was digested. */
const digester = { digest: (text: string) => `digest(${text})` };
const context = (redactor = new Redactor()): FinalizeContext => ({ redactor, digester });

describe('finalizeEvent', () => {
  it('records a tool call: target, digest of the raw arguments, redacted preview, duration, sizes', () => {
    const args = { path: 'a.txt', token: 'hunter2-secret', note: 'Bearer abcdefgh12345' };
    const request = { method: 'tools/call', params: { name: 'read_file', arguments: args, _meta: { progressToken: 1 } } };
    const response = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hello' }] } };
    const fields = finalizeEvent(
      { type: 'request', ...base, direction: 'to-server', request, response: { result: response.result }, requestMessage: { jsonrpc: '2.0', id: 1, ...request }, responseMessage: response },
      context(),
    );
    assert.equal(fields.outcome, 'ok');
    assert.equal(fields['target'], 'read_file');
    assert.equal(fields['argsDigest'], `digest(${canonicalJson(args)})`, 'the keyed digest of the raw arguments');
    assert.equal(fields['args'], `{"note":"Bearer ${REDACTED}","path":"a.txt","token":"${REDACTED}"}`);
    assert.equal(fields['durationMs'], 12);
    assert.equal(fields['result'], '{"content":[{"text":"hello","type":"text"}]}');
    assert.ok((fields['requestBytes'] as number) > 50 && (fields['responseBytes'] as number) > 30);
  });

  it('marks a tool error result and a JSON-RPC error as errors, redacting the message', () => {
    const redactor = new Redactor();
    redactor.addSecrets(['s3cr3t-value']);
    const toolError = finalizeEvent({ type: 'request', ...base, direction: 'to-server', request: { method: 'tools/call', params: { name: 'x' } }, response: { result: { isError: true, content: [] } } }, context(redactor));
    assert.equal(toolError.outcome, 'error');
    assert.equal(toolError['toolError'], true);
    const rpcError = finalizeEvent({ type: 'request', ...base, direction: 'to-server', request: { method: 'resources/read', params: { uri: 'file:///x' } }, response: { error: { code: -32602, message: 'bad key s3cr3t-value' } } }, context(redactor));
    assert.deepEqual([rpcError.outcome, rpcError['target'], rpcError['error']], ['error', 'file:///x', `-32602 bad key ${REDACTED}`]);
  });

  it('marks server log messages as coming from the server, and keeps previews short', () => {
    const log = finalizeEvent({ type: 'server-log', server: 'a', session: 'b', level: 'error', logger: 'db', data: 'x'.repeat(2000) }, context());
    assert.equal(log['source'], 'server');
    assert.equal(log.outcome, 'error');
    assert.ok((log['message'] as string).length < PREVIEW_CHARS + 40);
    assert.match(log['message'] as string, /… \(2000 chars\)$/);
  });

  it('redacts definitions in settings changes and details of lifecycle events', () => {
    const change = finalizeEvent({ type: 'config', server: 'gh', action: 'changed', keyPath: 'mcpWarden.servers.gh', definition: { url: 'https://x', headers: { Authorization: 'Bearer literal-token-123' } } }, context());
    assert.equal(change['definition'], `{"headers":{"Authorization":"hmac:digest(Bearer li"},"url":"https://x"}`);
    const crash = finalizeEvent({ type: 'lifecycle', server: 'gh', session: 's', action: 'crash', detail: 'stderr: token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB invalid' }, context());
    assert.equal(crash.outcome, 'error');
    assert.equal(crash['detail'], `stderr: token ${REDACTED} invalid`);
  });

  it('records env and header names of a settings change with keyed digests of their values, never the values', () => {
    const definition = {
      command: 'db-server',
      args: ['--verbose'],
      env: { DB_PASS: 'correct-horse', MYSQL_PWD: 'battery-staple', AUTH: 'x9', PLAIN: null },
      headers: { 'DD-API-KEY': 'dd-0123', 'Ocp-Apim-Subscription-Key': 'ocp-4567', 'X-Auth-Key': 'xak-89ab' },
    };
    const change = finalizeEvent({ type: 'config', server: 'db', action: 'added', keyPath: 'mcpWarden.servers.db', definition }, context());
    const text = String(change['definition']);
    for (const value of ['correct-horse', 'battery-staple', 'dd-0123', 'ocp-4567', 'xak-89ab']) assert.ok(!text.replace(/digest\([^)]*\)/g, '').includes(value), value);
    assert.match(text, /"DB_PASS":"hmac:digest\(correct-h/);
    assert.match(text, /"PLAIN":null/);
    assert.match(text, /"X-Auth-Key":"hmac:/);
  });

  it('caps a detail of several megabytes, and says how long it was', () => {
    const detail = `stdio: ${'a'.repeat(5 * 1024 * 1024)}`;
    const start = finalizeEvent({ type: 'lifecycle', server: 'big', session: 's', action: 'start', detail }, context());
    assert.equal(String(start['detail']).length, DETAIL_CHARS + `… (${detail.length} chars)`.length);
    assert.match(String(start['detail']), /… \(5242887 chars\)$/);
  });

  it('marks a call MCP Warden refused', () => {
    const refused = finalizeEvent({ type: 'request', ...base, direction: 'to-server', request: { method: 'tools/call', params: { name: 'x', arguments: {} } }, response: { error: { message: 'refused by MCP Warden: restarting' } }, refused: true }, context());
    assert.deepEqual([refused.outcome, refused['refused'], refused['error'], refused['requestBytes']], ['error', true, 'refused by MCP Warden: restarting', 0]);
  });

  it('counts UTF-8 bytes without encoding', () => {
    for (const text of ['', 'ascii', 'é', '€uro', '😀 x', '\ud800 lone surrogate']) assert.equal(utf8Length(text), Buffer.byteLength(text, 'utf8'), text);
  });

  it('records a permission decision in canonical order (so the writer MACs it without sorting a copy), secrets hidden', () => {
    const redactor = new Redactor();
    redactor.addSecrets(['s3cr3t-value']);
    const fields = finalizeEvent(
      { type: 'permission', server: 'files', session: 's1', action: 'decided', permission: 'resource:db://s3cr3t-value', verdict: 'deny', rule: 'denied by you this once', scope: 'once', method: 'resources/read', asked: true, waitedMs: 1200 },
      context(redactor),
    );
    const keys = Object.keys(fields);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(JSON.stringify(fields), canonicalJson(fields));
    assert.equal(fields.outcome, 'error', 'a denial is marked');
    assert.equal(fields['permission'], `resource:db://${REDACTED}`);
  });
});
