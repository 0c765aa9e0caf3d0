import * as assert from 'node:assert/strict';
import { completionParams, completionValues } from '../../../../src/core/content/completions';

describe('completions', () => {
  it('asks for a prompt argument with the arguments already answered', () => {
    assert.deepEqual(completionParams({ kind: 'prompt', name: 'team' }, 'name', 'A', { department: 'Engineering' }), {
      ref: { type: 'ref/prompt', name: 'team' },
      argument: { name: 'name', value: 'A' },
      context: { arguments: { department: 'Engineering' } },
    });
  });

  it('asks for a template variable by the template, without context when nothing is answered', () => {
    assert.deepEqual(completionParams({ kind: 'template', uriTemplate: 'demo://{id}' }, 'id', '', {}), { ref: { type: 'ref/resource', uri: 'demo://{id}' }, argument: { name: 'id', value: '' } });
  });

  it('takes string values only, each once, at most 100', () => {
    assert.deepEqual(completionValues({ completion: { values: ['a', 1, 'a', null, 'b'] } }), ['a', 'b']);
    assert.equal(completionValues({ completion: { values: Array.from({ length: 500 }, (_, i) => `v${i}`) } }).length, 100);
    assert.deepEqual(completionValues({ completion: 'x' }), []);
    assert.deepEqual(completionValues(undefined), []);
  });
});
