import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import { AuditTap } from '../../../../src/node/audit/auditTap';

function tapWithLog() {
  const events: AuditInput[] = [];
  let now = 100;
  const tap = new AuditTap({ record: (e) => events.push(typeof e === 'function' ? e() : e) }, 'srv', 'sess', () => (now += 5));
  return { tap, events };
}

describe('AuditTap', () => {
  it('pairs each request with its response, in either direction', () => {
    const { tap, events } = tapWithLog();
    tap.onSend({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
    tap.onReceive({ jsonrpc: '2.0', id: 1, method: 'roots/list' });
    tap.onSend({ jsonrpc: '2.0', id: 1, result: { roots: [] } });
    tap.onReceive({ jsonrpc: '2.0', id: 1, result: { content: [] } });
    assert.deepEqual(
      events.map((e) => (e.type === 'request' ? [e.direction, e.request.method, e.endedAt - e.startedAt] : e.type)),
      [['to-client', 'roots/list', 5], ['to-server', 'tools/call', 15]],
    );
  });

  it('records notifications, server log messages as such, and cancellations', () => {
    const { tap, events } = tapWithLog();
    tap.onSend({ jsonrpc: '2.0', method: 'notifications/initialized' });
    tap.onReceive({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'warning', logger: 'db', data: 'slow' } });
    tap.onSend({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'sleep' } });
    tap.onSend({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } });
    assert.deepEqual(events.map((e) => e.type), ['notification', 'server-log', 'request', 'notification']);
    const cancelled = events[2];
    assert.ok(cancelled?.type === 'request' && cancelled.response.error?.message === 'cancelled by the client');
  });

  it('records requests still waiting when the connection closes as failed', () => {
    const { tap, events } = tapWithLog();
    tap.onSend({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'sleep' } });
    tap.onClose();
    assert.equal(events.length, 1);
    const failed = events[0];
    assert.ok(failed?.type === 'request' && failed.response.error?.message === 'the connection closed before an answer came');
  });
});
