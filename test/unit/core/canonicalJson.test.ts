import * as assert from 'node:assert/strict';
import { canonicalJson, canonicalJsonWithMember } from '../../../src/core/canonicalJson';

describe('canonicalJsonWithMember', () => {
  const cases: Record<string, unknown>[] = [
    {},
    { a: 1 },
    { z: 1 },
    { a: 1, z: [2, { y: null, b: 'x' }] },
    { mac: 'old', a: 1 },
    { a: undefined, b: 2, n: 'x' },
    { z: 'a "quoted",\\"n":1 value', n: 'x', b: true, c: null, d: Number.NaN, e: -0 },
    { '10': 'integer keys', '9': 'sort as text', b: 'x' },
    { zeta: '\u2028é😀', alpha: 'x', maca: 'after mac', mab: 'before' },
    { alpha: 'sorted', beta: 2, gamma: null, zeta: true },
    { alpha: 'x', mad: undefined, zed: 1 },
    { alpha: 'x', mac: 'old', zed: 1 },
  ];
  for (const value of cases) {
    it(`serialises ${JSON.stringify(value)} with and without "mac" as canonicalJson does`, () => {
      const result = canonicalJsonWithMember(value, 'mac', (without) => `m(${without.length})`);
      const { mac: _ignored, ...rest } = value;
      assert.equal(result.without, canonicalJson(rest));
      assert.equal(result.member, `m(${canonicalJson(rest).length})`);
      assert.equal(result.with, canonicalJson({ ...rest, mac: result.member }));
    });
  }
});
