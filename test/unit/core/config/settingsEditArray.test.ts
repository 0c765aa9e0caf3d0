import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { compactJson, editSettingsArray, readSettingsValue } from '../../../../src/core/config/settingsEdit';

describe('settingsEdit: array settings', () => {
  const original = `// top comment
{
  "editor.tabSize": 2, // trailing comment
  "grants": [
    // about the first
    { "n": 1 }, // one
    { "n": 2 },
    { "n": 3 } // three
  ],
  "after": true
}
`;
  const values = (text: string) => readSettingsValue(text, ['grants'], false);
  const keeps = (text: string, comments: string[]) => {
    for (const comment of comments) assert.ok(text.includes(comment), `lost ${comment}:\n${text}`);
    assert.doesNotThrow(() => parse(text));
  };

  it('appends one compact item per line after the last item and its comment', () => {
    const text = editSettingsArray(original, ['grants'], { append: [{ n: 4, s: 'x' }, { n: 5 }] }, false);
    assert.deepEqual(values(text), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4, s: 'x' }, { n: 5 }]);
    keeps(text, ['// top comment', '// trailing comment', '// about the first', '// one', '{ "n": 3 }, // three\n']);
    assert.match(text, /\n {4}\{ "n": 4, "s": "x" \},\n {4}\{ "n": 5 \}\n {2}\]/);
  });

  it('removes items with their own line and comment, keeping the others', () => {
    const middle = editSettingsArray(original, ['grants'], { remove: [1] }, false);
    assert.deepEqual(values(middle), [{ n: 1 }, { n: 3 }]);
    keeps(middle, ['// about the first', '// one', '// three']);
    const last = editSettingsArray(original, ['grants'], { remove: [2] }, false);
    assert.deepEqual(values(last), [{ n: 1 }, { n: 2 }]);
    assert.ok(!last.includes('// three'), 'the removed item’s comment goes with it');
    assert.match(last, /\{ "n": 2 \}\n {2}\]/);
    const tail = editSettingsArray(original, ['grants'], { remove: [1, 2] }, false);
    assert.deepEqual(values(tail), [{ n: 1 }]);
    keeps(tail, ['// one']);
  });

  it('replaces an item in place and empties an array to []', () => {
    const replaced = editSettingsArray(original, ['grants'], { replace: new Map([[1, { n: 20 }]]) }, false);
    assert.deepEqual(values(replaced), [{ n: 1 }, { n: 20 }, { n: 3 }]);
    keeps(replaced, ['// one', '// three']);
    const emptied = editSettingsArray(original, ['grants'], { remove: [0, 1, 2] }, false);
    assert.deepEqual(values(emptied), []);
    keeps(emptied, ['// top comment', '// trailing comment', '"after": true']);
  });

  it('creates the array in a file without it, an empty file, and a .code-workspace file', () => {
    const added = editSettingsArray('// c\n{\n\t"a": 1\n}\n', ['grants'], { append: [{ n: 1 }] }, false);
    assert.deepEqual(parse(added), { a: 1, grants: [{ n: 1 }] });
    assert.match(added, /\t"grants": \[\n\t\t\{ "n": 1 \}\n\t\]/);
    keeps(added, ['// c']);
    assert.deepEqual(parse(editSettingsArray('', ['grants'], { append: [{ n: 1 }] }, false)), { grants: [{ n: 1 }] });
    const workspace = editSettingsArray('{\n  "folders": [{ "path": "." }]\n}', ['grants'], { append: [{ n: 1 }] }, true);
    assert.deepEqual(readSettingsValue(workspace, ['grants'], true), [{ n: 1 }]);
  });

  it('keeps a trailing comma where the user wrote one', () => {
    const text = editSettingsArray('{\n  "grants": [\n    { "n": 1 }, // one\n  ]\n}', ['grants'], { append: [{ n: 2 }] }, false);
    assert.equal(text, '{\n  "grants": [\n    { "n": 1 }, // one\n    { "n": 2 },\n  ]\n}');
  });

  it('writes values compactly', () => {
    assert.equal(compactJson({ a: 'x', b: [1, { c: null }], d: undefined, e: {} }), '{ "a": "x", "b": [ 1, { "c": null } ], "e": {} }');
  });
});
