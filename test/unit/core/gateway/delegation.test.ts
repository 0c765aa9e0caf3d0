import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseServer } from '../../../../src/core/config/parseServers';
import { definitionFingerprint, type StdioServerDefinition } from '../../../../src/core/config/serverDefinition';
import type { VariableContext } from '../../../../src/core/config/variables';
import { chainThrough, delegatedCaller, MAX_DELEGATION_CHAIN } from '../../../../src/core/gateway/delegation';
import type { Hasher } from '../../../../src/core/permissions/permission';
import { describeLaunch } from '../../../../src/core/permissions/launchIdentity';

describe('delegation: the chain of a request a server makes through the gateway', () => {
  const relay = { agent: 'server:relay' };

  it('continues the chain of the one call in flight on the delegating server', () => {
    assert.deepEqual(delegatedCaller(relay, 'fixture', [{ agent: 'claude-code' }]).caller.chain, ['claude-code']);
    assert.deepEqual(delegatedCaller(relay, 'fixture', [{ agent: 'server:notes', chain: ['cursor'] }]).caller.chain, ['cursor', 'server:notes']);
  });

  it("starts empty when MCP Warden's own UI made the call, nobody did, or several calls run at once", () => {
    assert.deepEqual(delegatedCaller(relay, 'fixture', [undefined]).caller.chain, []);
    assert.deepEqual(delegatedCaller(relay, 'fixture', []).caller.chain, []);
    assert.deepEqual(delegatedCaller(relay, 'fixture', [{ agent: 'claude-code' }, { agent: 'cursor' }]).caller.chain, []);
  });

  it('leaves a caller that is not a server alone, chain and all', () => {
    const agent = { agent: 'claude-code', chain: ['made-up'] };
    assert.equal(delegatedCaller(agent, 'relay', []).caller, agent);
    assert.equal(delegatedCaller(agent, 'relay', []).refused, undefined);
  });

  it('refuses a server calling its own tools, and a server already in the chain', () => {
    assert.match(delegatedCaller(relay, 'relay', []).refused ?? '', /server 'relay' may not call its own tools/);
    const cycle = delegatedCaller({ agent: 'server:b' }, 'a', [{ agent: 'server:a', chain: ['claude-code'] }]);
    assert.match(cycle.refused ?? '', /delegation cycle: claude-code → server:a → server:b → server 'a'/);
    assert.deepEqual(cycle.caller.chain, ['claude-code', 'server:a'], 'the refusal is recorded with the chain');
  });

  it('checks every call in flight when it cannot tell which one a request serves', () => {
    const refused = delegatedCaller({ agent: 'server:b' }, 'a', [{ agent: 'cursor' }, { agent: 'server:a', chain: ['claude-code'] }]);
    assert.match(refused.refused ?? '', /cycle/);
    assert.deepEqual(refused.caller.chain, []);
  });

  it(`refuses chains of more than ${MAX_DELEGATION_CHAIN} callers`, () => {
    const three = { agent: 'server:c', chain: ['claude-code', 'server:a', 'server:b'] };
    assert.equal(delegatedCaller({ agent: 'server:d' }, 'e', [{ agent: 'server:b', chain: ['claude-code', 'server:a'] }]).refused, undefined);
    assert.match(delegatedCaller({ agent: 'server:d' }, 'e', [three]).refused ?? '', /longer than 4 callers/);
  });

  it('chainThrough: who caused a call, outermost first', () => {
    assert.deepEqual(chainThrough(undefined), []);
    assert.deepEqual(chainThrough({ agent: 'server:b', chain: ['claude-code', 'server:a'] }), ['claude-code', 'server:a', 'server:b']);
  });
});

describe('delegate: true in a server definition', () => {
  const sha256: Hasher = { sha256: (text) => createHash('sha256').update(text).digest('hex') };
  const variables: VariableContext = { workspaceFolders: [{ name: 'ws', path: '/ws' }], userHome: '/home/me', env: {}, pathSeparator: '/' };
  const parse = (raw: unknown) => parseServer('relay', raw, 'mcpWarden.servers.relay', { kind: 'settings' }, { strict: true });

  it('is read for stdio servers (default false, kept only when true), and refused for http ones', () => {
    const on = parse({ command: 'node', args: ['r.js'], delegate: true });
    assert.equal(on.ok && on.definition.type === 'stdio' && on.definition.delegate, true);
    const off = parse({ command: 'node', args: ['r.js'], delegate: false });
    assert.equal(off.ok && 'delegate' in off.definition, false);
    const http = parse({ url: 'https://example.com/mcp', delegate: true });
    assert.equal(http.ok, false);
    assert.equal(parse({ command: 'node', delegate: 'yes' }).ok, false);
  });

  it('is part of the launch: the fingerprint (a restart) and the launch pin (approval) change; unset leaves both as they were', () => {
    const base: StdioServerDefinition = { name: 'relay', type: 'stdio', command: 'node', args: ['r.js'], env: {}, autostart: true, disabled: false };
    const delegating: StdioServerDefinition = { ...base, delegate: true };
    assert.notEqual(definitionFingerprint(base), definitionFingerprint(delegating));
    assert.notEqual(describeLaunch(base, variables, sha256).pin, describeLaunch(delegating, variables, sha256).pin);
    assert.equal(describeLaunch(base, variables, sha256).text.includes('delegate'), false);
    assert.ok(describeLaunch(delegating, variables, sha256).notes.some((n) => /gateway/.test(n)));
  });
});
