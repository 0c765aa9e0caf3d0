import * as assert from 'node:assert/strict';
import { describeQuery, matchLine } from '../../../../src/core/audit/auditQuery';
import { canonicalJson } from '../../../../src/core/canonicalJson';

const line = (fields: Record<string, unknown>) =>
  canonicalJson({ seq: 1, time: '2026-11-21T10:00:00.000Z', prev: '0', server: 'files', session: 's1', type: 'request', outcome: 'ok', method: 'tools/call', target: 'read_file', ...fields });

describe('auditQuery', () => {
  it('matches on server, session, kind, outcome, text and time', () => {
    const l = line({});
    assert.ok(matchLine(l, {}));
    assert.ok(matchLine(l, { server: 'files', session: 's1', types: ['request'], outcome: 'ok', text: 'READ_FILE' }));
    assert.equal(matchLine(l, { server: 'other' }), undefined);
    assert.equal(matchLine(l, { types: ['lifecycle'] }), undefined);
    assert.equal(matchLine(l, { outcome: 'error' }), undefined);
    assert.equal(matchLine(l, { text: 'write' }), undefined);
    assert.ok(matchLine(l, { from: Date.parse('2026-11-21T09:00:00Z'), to: Date.parse('2026-11-21T11:00:00Z') }));
    assert.equal(matchLine(l, { from: Date.parse('2026-11-21T10:00:01Z') }), undefined);
    assert.equal(matchLine('not json', {}), undefined);
  });

  it('describes a query for the view', () => {
    assert.equal(describeQuery({ server: 'files', outcome: 'error', text: 'read' }), 'server files · errors · "read"');
  });
});
