import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { finalizeEvent, PREVIEW_CHARS } from '../../../../src/core/audit/finalizeEvent';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { REDACTED, Redactor } from '../../../../src/core/redaction';

const base = { server: 'files', session: 's1', startedAt: 1000, endedAt: 1012 };

describe('finalizeEvent', () => {
  it('records a tool call: target, digest of the raw arguments, redacted preview, duration, sizes', () => {
    const args = { path: 'a.txt', token: 'hunter2-secret', note: 'Bearer abcdefgh12345' };
    const request = { method: 'tools/call', params: { name: 'read_file', arguments: args, _meta: { progressToken: 1 } } };
    const response = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hello' }] } };
    const fields = finalizeEvent(
      { type: 'request', ...base, direction: 'to-server', request, response: { result: response.result }, requestMessage: { jsonrpc: '2.0', id: 1, ...request }, responseMessage: response },
      new Redactor(),
    );
    assert.equal(fields.outcome, 'ok');
    assert.equal(fields['target'], 'read_file');
    assert.equal(fields['argsDigest'], createHash('sha256').update(canonicalJson(args)).digest('hex'));
    assert.equal(fields['args'], `{"note":"Bearer ${REDACTED}","path":"a.txt","token":"${REDACTED}"}`);
    assert.equal(fields['durationMs'], 12);
    assert.equal(fields['result'], '{"content":[{"text":"hello","type":"text"}]}');
    assert.ok((fields['requestBytes'] as number) > 50 && (fields['responseBytes'] as number) > 30);
  });

  it('marks a tool error result and a JSON-RPC error as errors, redacting the message', () => {
    const redactor = new Redactor();
    redactor.addSecrets(['s3cr3t-value']);
    const toolError = finalizeEvent({ type: 'request', ...base, direction: 'to-server', request: { method: 'tools/call', params: { name: 'x' } }, response: { result: { isError: true, content: [] } } }, redactor);
    assert.equal(toolError.outcome, 'error');
    assert.equal(toolError['toolError'], true);
    const rpcError = finalizeEvent({ type: 'request', ...base, direction: 'to-server', request: { method: 'resources/read', params: { uri: 'file:///x' } }, response: { error: { code: -32602, message: 'bad key s3cr3t-value' } } }, redactor);
    assert.deepEqual([rpcError.outcome, rpcError['target'], rpcError['error']], ['error', 'file:///x', `-32602 bad key ${REDACTED}`]);
  });

  it('marks server log messages as coming from the server, and keeps previews short', () => {
    const log = finalizeEvent({ type: 'server-log', server: 'a', session: 'b', level: 'error', logger: 'db', data: 'x'.repeat(2000) }, new Redactor());
    assert.equal(log['source'], 'server');
    assert.equal(log.outcome, 'error');
    assert.ok((log['message'] as string).length < PREVIEW_CHARS + 40);
    assert.match(log['message'] as string, /… \(2000 chars\)$/);
  });

  it('redacts definitions in settings changes and details of lifecycle events', () => {
    const change = finalizeEvent({ type: 'config', server: 'gh', action: 'changed', keyPath: 'mcpWarden.servers.gh', definition: { url: 'https://x', headers: { Authorization: 'Bearer literal-token-123' } } }, new Redactor());
    assert.equal(change['definition'], `{"headers":{"Authorization":"${REDACTED}"},"url":"https://x"}`);
    const crash = finalizeEvent({ type: 'lifecycle', server: 'gh', session: 's', action: 'crash', detail: 'stderr: token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB invalid' }, new Redactor());
    assert.equal(crash.outcome, 'error');
    assert.equal(crash['detail'], `stderr: token ${REDACTED} invalid`);
  });
});
