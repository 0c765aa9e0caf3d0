import * as assert from 'node:assert/strict';
import { readSettingsValue } from '../../../../src/core/config/settingsEdit';
import { finalizeEvent } from '../../../../src/core/audit/finalizeEvent';
import { recordDetail } from '../../../../src/core/audit/auditText';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { Redactor } from '../../../../src/core/redaction';
import type { Grant } from '../../../../src/core/permissions/permission';
import { editGrantsText } from '../../../../src/node/permissions/grantsFileWriter';
import { parseGrants } from '../../../../src/node/permissions/grantsSetting';

const grant = (extra: Partial<Grant> = {}): Grant => ({
  server: 'files',
  kind: 'tool',
  target: 'search',
  decision: 'allow',
  scope: 'workspace',
  grantedAt: '2026-12-03T10:00:00.000Z',
  pin: 'a'.repeat(64),
  ...extra,
});

describe('grants naming agents, in the settings file', () => {
  it('writes the agents and keeps a grant for one agent beside the one for every caller', () => {
    const text = editGrantsText('{}', false, { add: [grant(), grant({ agents: ['cursor'], grantedAt: '2026-12-03T11:00:00.000Z' })] });
    const written = readSettingsValue(text, ['mcpWarden.grants'], false) as Grant[];
    assert.equal(written.length, 2);
    assert.deepEqual(written[1]?.agents, ['cursor']);
    // The same slot (same agents) is replaced, not duplicated.
    const again = editGrantsText(text, false, { add: [grant({ agents: ['cursor'], decision: 'deny' })] });
    const after = readSettingsValue(again, ['mcpWarden.grants'], false) as Grant[];
    assert.deepEqual(after.map((g) => [g.agents, g.decision]), [[undefined, 'allow'], [['cursor'], 'deny']]);
  });

  it('reads agents back, and drops a grant whose agents list is malformed rather than widen it to every caller', () => {
    const problems: string[] = [];
    const grants = parseGrants(
      [
        { ...grant(), agents: ['claude-code', 'server:notes'] },
        { ...grant(), agents: [] },
        { ...grant(), agents: 'cursor' },
        { ...grant(), agents: [42] },
      ],
      (p) => problems.push(p),
    );
    assert.equal(grants.length, 1);
    assert.deepEqual(grants[0]?.agents, ['claude-code', 'server:notes']);
    assert.equal(problems.length, 3);
  });
});

describe('audit records naming the agent', () => {
  const context = () => ({ redactor: new Redactor(), digester: { digest: (t: string) => `d(${t.length})` } });

  it('puts agent and chain in canonical order in request and permission records', () => {
    const request = finalizeEvent(
      {
        type: 'request',
        server: 'files',
        session: 's1',
        direction: 'to-server',
        request: { method: 'tools/call', params: { name: 'search', arguments: { q: 'x' } } },
        response: { result: { content: [] } },
        startedAt: 1,
        endedAt: 2,
        agent: 'server:notes',
        chain: ['claude-code'],
      },
      context() as never,
    );
    const permission = finalizeEvent(
      { type: 'permission', server: 'files', session: 's1', action: 'decided', permission: 'tool:search', verdict: 'allow', rule: 'r', agent: 'cursor', chain: ['x'], agents: ['cursor'] },
      context() as never,
    );
    for (const fields of [request, permission]) {
      assert.equal(JSON.stringify(fields), canonicalJson(fields));
    }
    assert.equal(request['agent'], 'server:notes');
    assert.deepEqual(request['chain'], ['claude-code']);
    assert.equal(permission['agent'], 'cursor');
    // The view and the output channel say whose request it was, the chain first.
    assert.match(recordDetail(request as never), /for claude-code → server:notes$/);
  });
});
