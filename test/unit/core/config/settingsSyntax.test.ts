import * as assert from 'node:assert/strict';
import { settingsSyntaxError } from '../../../../src/core/config/settingsSyntax';

describe('settingsSyntaxError', () => {
  it('accepts what VS Code accepts in a settings file: comments, trailing commas, an empty file', () => {
    assert.equal(settingsSyntaxError('// comment\n{\n  /* block */ "a": [1, 2,],\n  "b": { "c": true, },\n}\n'), undefined);
    assert.equal(settingsSyntaxError(''), undefined);
    assert.equal(settingsSyntaxError('  \n'), undefined);
    assert.equal(settingsSyntaxError('// only a comment\n'), undefined);
    assert.equal(settingsSyntaxError('{}'), undefined);
  });

  it('names the line, column and jsonc-parser error of the first syntax error', () => {
    const text = '{\n  "mcpWarden.servers": {\n    "a": { "command": "x" }\n    "b": { "command": "y" }\n  }\n}\n';
    assert.deepEqual(settingsSyntaxError(text), { line: 4, column: 5, code: 'CommaExpected' });
  });

  it('reports an unclosed object, a stray brace and an unterminated string', () => {
    assert.deepEqual(settingsSyntaxError('{\n  "a": 1\n'), { line: 3, column: 1, code: 'CloseBraceExpected' });
    assert.deepEqual(settingsSyntaxError('{ "a": 1 }}'), { line: 1, column: 11, code: 'EndOfFileExpected' });
    assert.equal(settingsSyntaxError('{ "a": "open }')?.code, 'UnexpectedEndOfString');
  });
});
