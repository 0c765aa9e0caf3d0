import * as assert from 'node:assert/strict';
import { clientCapabilities, PERMISSIONS_EXTENSION_ID, readDeclarations } from '../../../src/node/serverRequests';

describe('serverRequests', () => {
  // Deliberately malformed payloads, as a server could send them: typed loosely on purpose.
  const payload = (value: unknown) => ({ [PERMISSIONS_EXTENSION_ID]: value }) as never;

  it('reads extensions[id] before experimental[id]', () => {
    const fromExtensions = { version: 1, permissions: [{ kind: 'net', target: 'a.example.com' }] };
    const fromExperimental = { version: 1, permissions: [{ kind: 'net', target: 'b.example.com' }] };
    assert.deepEqual(readDeclarations({ extensions: payload(fromExtensions), experimental: payload(fromExperimental) }), [{ kind: 'net', target: 'a.example.com' }]);
    assert.deepEqual(readDeclarations({ experimental: payload(fromExperimental) }), [{ kind: 'net', target: 'b.example.com' }]);
  });

  it('passes entries through as sent, keeping only objects with a string kind and target and a string reason', () => {
    const permissions = [
      { kind: 'fs.write', target: './build', reason: 'writes the site', extra: true },
      { kind: 'unknown.kind', target: '' },
      { kind: 'net' },
      'net:*',
      null,
      { kind: 'net', target: 'x.example.com', reason: 42 },
    ];
    assert.deepEqual(readDeclarations({ extensions: payload({ version: 1, permissions }) }), [
      { kind: 'fs.write', target: './build', reason: 'writes the site' },
      { kind: 'unknown.kind', target: '' },
      { kind: 'net', target: 'x.example.com' },
    ]);
  });

  it('has no declarations without a payload, without a permissions array, or for another version', () => {
    assert.equal(readDeclarations(undefined), undefined);
    assert.equal(readDeclarations({ tools: {} }), undefined);
    assert.equal(readDeclarations({ extensions: payload({ version: 1 }) }), undefined);
    assert.equal(readDeclarations({ extensions: payload({ version: 1, permissions: { kind: 'net' } }) }), undefined);
    assert.equal(readDeclarations({ extensions: payload({ version: 2, permissions: [{ kind: 'net', target: 'a' }] }) }), undefined);
    assert.deepEqual(readDeclarations({ extensions: payload({ version: 1, permissions: [] }) }), []);
  });

  it('advertises sampling and elicitation only when something answers them', () => {
    assert.deepEqual(Object.keys(clientCapabilities()).sort(), ['experimental', 'extensions', 'roots']);
    assert.deepEqual(Object.keys(clientCapabilities({ sampling: true, elicitation: true })).sort(), ['elicitation', 'experimental', 'extensions', 'roots', 'sampling', 'tasks']);
  });
});
