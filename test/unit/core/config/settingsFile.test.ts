import * as assert from 'node:assert/strict';
import { scopesMatchSettingsText, settingsSyntaxError } from '../../../../src/core/config/settingsFile';

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

describe('scopesMatchSettingsText', () => {
  const servers = { a: { command: 'node', args: ['a.js'] } };
  const text = `// comment\n{\n  "mcpWarden.servers": ${JSON.stringify(servers)},\n}\n`;
  const key = 'mcpWarden.servers';

  it('is true once VS Code holds what the file says, in its workspace scope and merged', () => {
    assert.equal(scopesMatchSettingsText(text, false, { [key]: { defaultValue: {}, workspaceValue: servers, value: servers } }), true);
  });

  it('is false while VS Code still holds what the file said before', () => {
    assert.equal(scopesMatchSettingsText(text, false, { [key]: { defaultValue: {}, workspaceValue: {}, value: {} } }), false);
  });

  it('is false while the merged value lags behind the workspace scope (seen after a .code-workspace repair)', () => {
    const workspaceFile = `{ "folders": [], "settings": { "mcpWarden.servers": ${JSON.stringify(servers)} } }`;
    assert.equal(scopesMatchSettingsText(workspaceFile, true, { [key]: { defaultValue: {}, workspaceValue: servers, value: {} } }), false);
    assert.equal(scopesMatchSettingsText(workspaceFile, true, { [key]: { defaultValue: {}, workspaceValue: servers, value: servers } }), true);
  });

  it('compares only the workspace scope when the user has values of their own (VS Code merges them in)', () => {
    const user = { b: { url: 'https://example.com/mcp' } };
    assert.equal(scopesMatchSettingsText(text, false, { [key]: { defaultValue: {}, globalValue: user, workspaceValue: servers, value: { ...user, ...servers } } }), true);
  });

  it('takes a setting left out of the file as its default', () => {
    assert.equal(scopesMatchSettingsText('{}', false, { [key]: { defaultValue: {}, value: {} } }), true);
    assert.equal(scopesMatchSettingsText('{}', false, { [key]: { defaultValue: {}, workspaceValue: servers, value: servers } }), false);
  });
});
