import * as assert from 'node:assert/strict';
import { canonicalJson } from '../../../../src/core/canonicalJson';
import { definitionFingerprint, type ServerDefinition } from '../../../../src/core/config/serverDefinition';

describe('definitionFingerprint', () => {
  const base: ServerDefinition = { name: 'a', type: 'stdio', command: 'x', args: ['1'], env: { B: '2', A: '1' }, autostart: true, disabled: false };

  it('ignores key order, the name and autostart, but not what decides the launch', () => {
    assert.equal(definitionFingerprint(base), definitionFingerprint({ ...base, env: { A: '1', B: '2' }, autostart: false, name: 'b' }));
    assert.notEqual(definitionFingerprint(base), definitionFingerprint({ ...base, args: ['2'] }));
    assert.notEqual(definitionFingerprint(base), definitionFingerprint({ ...base, disabled: true }));
    assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('leaves declarations out: changing what a server asks for restarts nothing', () => {
    assert.equal(definitionFingerprint(base), definitionFingerprint({ ...base, declarations: [{ kind: 'net', target: 'api.github.com', reason: 'x' }] }));
  });
});
