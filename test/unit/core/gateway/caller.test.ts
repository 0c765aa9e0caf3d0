import * as assert from 'node:assert/strict';
import { callerLabel, canForward, elicitationModesOf, type Caller } from '../../../../src/core/gateway/caller';

const answer = () => Promise.resolve({ action: 'accept' });
const form = { method: 'elicitation/create' as const, params: { message: 'name?', requestedSchema: { type: 'object', properties: {} } } };
const url = { method: 'elicitation/create' as const, params: { mode: 'url', message: 'sign in', url: 'https://example.com', elicitationId: 'e1' } };

describe('where a server question goes', () => {
  it('reads the modes of an elicitation capability as the spec does: none named is form', () => {
    assert.deepEqual(elicitationModesOf({}), ['form']);
    assert.deepEqual(elicitationModesOf({ url: {} }), ['url']);
    assert.deepEqual(elicitationModesOf({ form: {}, url: {} }), ['form', 'url']);
    assert.deepEqual(elicitationModesOf(undefined), []);
  });

  it('forwards only what the agent can answer; a URL request to a form-only agent, and roots, stay with MCP Warden', () => {
    const formOnly: Caller = { agent: 'cursor', forward: { 'elicitation/create': answer }, elicitationModes: ['form'] };
    assert.equal(canForward(formOnly, form), answer);
    assert.equal(canForward(formOnly, url), undefined);
    assert.equal(canForward({ ...formOnly, elicitationModes: ['form', 'url'] }, url), answer);
    assert.equal(canForward(formOnly, { method: 'sampling/createMessage', params: {} }), undefined);
    assert.equal(canForward({ agent: 'x', forward: { 'sampling/createMessage': answer } }, { method: 'roots/list', params: {} }), undefined);
    assert.equal(canForward(undefined, form), undefined);
  });

  it('names a delegated request by its chain', () => {
    assert.equal(callerLabel({ agent: 'server:notes', chain: ['claude-code'] }), 'claude-code → server:notes');
  });
});
