import * as assert from 'node:assert/strict';
import { argumentFields, parseArgument } from '../../../src/core/toolArguments';

describe('toolArguments', () => {
  const schema = {
    type: 'object',
    properties: {
      limit: { type: 'integer', description: 'How many' },
      query: { type: 'string' },
      mode: { enum: ['fast', 'exact'] },
      flags: { type: 'object' },
      verbose: { type: ['boolean', 'null'] },
    },
    required: ['query', 'mode'],
  };

  it('asks required arguments first, with a kind for each', () => {
    assert.deepEqual(
      argumentFields(schema).map((f) => [f.name, f.kind, f.required]),
      [['query', 'string', true], ['mode', 'enum', true], ['limit', 'integer', false], ['flags', 'json', false], ['verbose', 'boolean', false]],
    );
    assert.deepEqual(argumentFields({ type: 'object' }), []);
  });

  it('converts answers and explains wrong ones', () => {
    const [query, mode, limit, flags] = argumentFields(schema);
    assert.deepEqual(parseArgument(query!, '42'), { value: '42' });
    assert.deepEqual(parseArgument(mode!, '"fast"'), { value: 'fast' });
    assert.deepEqual(parseArgument(limit!, ' 7 '), { value: 7 });
    assert.deepEqual(parseArgument(limit!, '7.5'), { error: "'limit' must be a whole number" });
    assert.deepEqual(parseArgument(limit!, 'x'), { error: "'limit' must be a number" });
    assert.deepEqual(parseArgument(flags!, '{"a":1}'), { value: { a: 1 } });
    assert.match(JSON.stringify(parseArgument(flags!, '{a:1}')), /must be JSON/);
  });
});
