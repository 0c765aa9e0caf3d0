import * as assert from 'node:assert/strict';
import { parseInputs, parseServer, parseServers } from '../../../../src/core/config/parseServers';
import type { ServerEntry } from '../../../../src/core/config/serverDefinition';

const settings = { kind: 'settings' } as const;
const parse = (name: string, raw: unknown, strict = true) => parseServer(name, raw, `mcpWarden.servers.${name}`, settings, { strict });

function problemsOf(entry: ServerEntry): string[] {
  assert.equal(entry.ok, false, 'expected problems');
  return entry.ok ? [] : entry.problems.map((p) => `${p.keyPath}: ${p.message}`);
}

describe('parseServers', () => {
  it('infers stdio from command and http from url, with defaults', () => {
    const stdio = parse('files', { command: 'npx', args: ['-y', 'pkg'] });
    assert.ok(stdio.ok);
    assert.deepEqual(stdio.definition, { name: 'files', type: 'stdio', command: 'npx', args: ['-y', 'pkg'], env: {}, autostart: true, disabled: false });
    const http = parse('docs', { url: 'https://example.com/mcp', headers: { 'X-Key': '${input:key}' }, autostart: false });
    assert.ok(http.ok);
    assert.deepEqual(http.definition, {
      name: 'docs',
      type: 'http',
      url: 'https://example.com/mcp',
      headers: { 'X-Key': '${input:key}' },
      autostart: false,
      disabled: false,
    });
  });

  it('keeps envFile, cwd and null env values (which remove inherited variables)', () => {
    const entry = parse('s', { type: 'stdio', command: 'x', env: { A: '1', HOME: null }, envFile: '${workspaceFolder}/.env', cwd: '/tmp' });
    assert.ok(entry.ok && entry.definition.type === 'stdio');
    assert.deepEqual(entry.definition.env, { A: '1', HOME: null });
    assert.equal(entry.definition.envFile, '${workspaceFolder}/.env');
    assert.equal(entry.definition.cwd, '/tmp');
  });

  it('carries a permissions block as declarations, on stdio and http servers alike', () => {
    const stdio = parse('files', { command: 'x', permissions: { 'fs.write': [{ target: './build', reason: 'writes the site' }], net: ['api.github.com'] } });
    assert.ok(stdio.ok);
    assert.deepEqual(stdio.definition.declarations, [
      { kind: 'fs.write', target: './build', reason: 'writes the site' },
      { kind: 'net', target: 'api.github.com' },
    ]);
    const http = parse('docs', { url: 'https://example.com/mcp', permissions: { sampling: [''] } });
    assert.ok(http.ok);
    assert.deepEqual(http.definition.declarations, [{ kind: 'sampling', target: '' }]);
    const foreign = parse('other', { command: 'x', permissions: { allow: 'everything' } }, false);
    assert.ok(foreign.ok, 'a file written for another client keeps its server');
    assert.deepEqual(foreign.definition.declarations, []);
    const none = parse('plain', { command: 'x' });
    assert.ok(none.ok && !('declarations' in none.definition));
  });

  const invalid: [string, string, unknown, RegExp][] = [
    ['no command or url', 'a', {}, /mcpWarden\.servers\.a: needs `command` \(a stdio server\) or `url`/],
    ['both command and url', 'a', { command: 'x', url: 'https://x' }, /has both `command` and `url`/],
    ['empty command', 'a', { command: ' ' }, /mcpWarden\.servers\.a\.command: must be a non-empty string/],
    ['args not strings', 'a', { command: 'x', args: [1] }, /mcpWarden\.servers\.a\.args: must be an array of strings/],
    ['plain http to another host', 'a', { url: 'http://example.com/mcp' }, /mcpWarden\.servers\.a\.url: must be https: plain http is only allowed to a loopback host/],
    ['not a URL', 'a', { url: 'not a url' }, /mcpWarden\.servers\.a\.url: 'not a url' is not a valid URL/],
    ['ftp URL', 'a', { url: 'ftp://example.com' }, /must be an https:\/\/ URL, not ftp:/],
    ['credentials in the URL', 'a', { url: 'https://u:p@example.com' }, /must not contain credentials/],
    ['bad type', 'a', { type: 'websocket', command: 'x' }, /mcpWarden\.servers\.a\.type: must be one of stdio, http, sse/],
    ['unknown key', 'a', { command: 'x', comand: 'y' }, /mcpWarden\.servers\.a\.comand: is not a setting of a stdio server/],
    ['http key on stdio', 'a', { command: 'x', headers: {} }, /mcpWarden\.servers\.a\.headers: is not a setting of a stdio server/],
    ['bad env name', 'a', { command: 'x', env: { 'A-B': '1' } }, /mcpWarden\.servers\.a\.env\.A-B: is not a valid environment variable name/],
    ['env object value', 'a', { command: 'x', env: { A: {} } }, /mcpWarden\.servers\.a\.env\.A: must be a string or null/],
    ['unknown variable', 'a', { command: 'x', args: ['${workspaceRoot}'] }, /mcpWarden\.servers\.a\.args\[0\]: unknown variable \$\{workspaceRoot\}/],
    ['bad name', 'no spaces', { command: 'x' }, /'no spaces' is not a valid server name/],
    ['not an object', 'a', 'npx', /must be an object with `command`/],
    ['autostart not boolean', 'a', { command: 'x', autostart: 'yes' }, /mcpWarden\.servers\.a\.autostart: must be true or false/],
    ['permissions not an object', 'a', { command: 'x', permissions: ['net'] }, /mcpWarden\.servers\.a\.permissions: must be an object keyed by permission kind/],
    ['an unknown permission kind', 'a', { url: 'https://x.example', permissions: { 'fs.delete': ['/'] } }, /mcpWarden\.servers\.a\.permissions\.fs\.delete: is not a permission kind/],
    ['a bad net target', 'a', { command: 'x', permissions: { net: ['ok.com', 'not a host'] } }, /mcpWarden\.servers\.a\.permissions\.net\[1\]: target 'not a host' is not a host/],
  ];
  for (const [what, name, raw, expected] of invalid) {
    it(`reports ${what} with its key path`, () => {
      const problems = problemsOf(parse(name, raw));
      assert.ok(problems.some((p) => expected.test(p)), `no problem matching ${expected} in ${JSON.stringify(problems)}`);
    });
  }

  it('accepts http to loopback hosts, and URLs that are only known after variables are replaced', () => {
    for (const url of ['http://localhost:3000/mcp', 'http://127.0.0.1/mcp', 'http://[::1]:8080/', 'http://app.localhost/mcp', '${env:MCP_URL}']) {
      assert.ok(parse('a', { url }).ok, url);
    }
  });

  it('ignores keys of other clients in files written for them (non-strict)', () => {
    assert.ok(parse('a', { command: 'x', gallery: true, dev: {} }, false).ok);
  });

  it('reads every server of an object and reports a non-object value', () => {
    const entries = parseServers({ a: { command: 'x' }, b: { url: 'nope' } }, 'mcpWarden.servers', settings, { strict: true });
    assert.deepEqual(entries.map((e) => [e.name, e.ok]), [['a', true], ['b', false]]);
    const wrong = parseServers([], 'mcpWarden.servers', settings, { strict: true });
    assert.equal(wrong.length, 1);
    assert.match(problemsOf(wrong[0]!)[0] ?? '', /must be an object keyed by server name/);
    assert.deepEqual(parseServers(undefined, 'mcpWarden.servers', settings, { strict: true }), []);
  });
});

describe('parseInputs', () => {
  it('reads promptString inputs and reports unusable ones', () => {
    const { inputs, problems } = parseInputs(
      [{ id: 'token', type: 'promptString', description: 'API token', password: true }, { id: 'x', type: 'pickString' }, { type: 'promptString' }],
      'mcpWarden.inputs',
    );
    assert.deepEqual(inputs, [{ id: 'token', description: 'API token', password: true }]);
    assert.deepEqual(
      problems.map((p) => p.keyPath),
      ['mcpWarden.inputs[1].type', 'mcpWarden.inputs[2]'],
    );
  });
});
