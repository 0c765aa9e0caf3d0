import * as assert from 'node:assert/strict';
import { definitionToSettingsValue, editSettingsText, readSettingsValue, serverNamesInSettingsText } from '../../../../src/core/config/settingsEdit';

describe('settingsEdit', () => {
  const original = `// top comment
{
\t// theme comment
\t"workbench.colorTheme": "Default Dark+", // trailing comment
\t"mcpWarden.servers": {
\t\t// existing server
\t\t"a": { "command": "x" }
\t}
}
`;

  it('adds a server keeping comments, other settings and tab indentation', () => {
    const text = editSettingsText(original, [{ path: ['mcpWarden.servers', 'b'], value: { url: 'https://b.example/mcp' } }], false);
    for (const kept of ['// top comment', '// theme comment', '// trailing comment', '// existing server', '"a": { "command": "x" }']) assert.ok(text.includes(kept), kept);
    assert.match(text, /\n\t\t"b": \{\n\t\t\t"url": "https:\/\/b\.example\/mcp"\n\t\t\}/);
    assert.deepEqual(serverNamesInSettingsText(text, false), ['a', 'b']);
  });

  it('creates the setting in an empty file and under "settings" of a .code-workspace file', () => {
    const fresh = editSettingsText('', [{ path: ['mcpWarden.servers', 'a'], value: { command: 'x' } }], false);
    assert.deepEqual(JSON.parse(fresh), { 'mcpWarden.servers': { a: { command: 'x' } } });
    const workspace = editSettingsText('{\n  "folders": [{ "path": "." }]\n}', [{ path: ['mcpWarden.servers', 'a'], value: { command: 'x' } }], true);
    assert.deepEqual(JSON.parse(workspace), { folders: [{ path: '.' }], settings: { 'mcpWarden.servers': { a: { command: 'x' } } } });
    assert.deepEqual(readSettingsValue(workspace, ['mcpWarden.servers', 'a'], true), { command: 'x' });
  });

  it('writes a definition with only what differs from the defaults', () => {
    assert.deepEqual(
      definitionToSettingsValue({ name: 'a', type: 'stdio', command: 'x', args: [], env: {}, autostart: true, disabled: false }),
      { command: 'x' },
    );
    assert.deepEqual(
      definitionToSettingsValue({ name: 'b', type: 'sse', url: 'https://b', headers: { A: '1' }, autostart: false, disabled: true }),
      { type: 'sse', url: 'https://b', headers: { A: '1' }, autostart: false, disabled: true },
    );
  });
});
