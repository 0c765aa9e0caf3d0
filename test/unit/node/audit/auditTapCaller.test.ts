import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import { AuditTap } from '../../../../src/node/audit/auditTap';
import { sendingFor } from '../../../../src/node/callerContext';

describe('AuditTap and the calling agent', () => {
  it('names the agent a request was sent for, even when its answer comes in another context', async () => {
    const events: AuditInput[] = [];
    const tap = new AuditTap({ record: (e) => events.push(typeof e === 'function' ? e() : e) }, 'srv', 'sess');
    await sendingFor({ agent: 'server:notes', chain: ['cursor'] }, async () => {
      await Promise.resolve();
      tap.onSend({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a' } });
    });
    tap.onSend({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'b' } });
    tap.onReceive({ jsonrpc: '2.0', id: 2, result: { content: [] } });
    tap.onReceive({ jsonrpc: '2.0', id: 1, result: { content: [] } });
    const byTool = Object.fromEntries(events.map((e) => (e.type === 'request' ? [(e.request.params as { name: string }).name, [e.agent, e.chain]] : ['', []])));
    assert.deepEqual(byTool, { a: ['server:notes', ['cursor']], b: [undefined, undefined] });
  });
});
