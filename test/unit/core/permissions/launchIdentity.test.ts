import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ServerDefinition, StdioServerDefinition } from '../../../../src/core/config/serverDefinition';
import type { VariableContext } from '../../../../src/core/config/variables';
import { describeLaunch } from '../../../../src/core/permissions/launchIdentity';
import { packageRunner } from '../../../../src/core/permissions/downloadedPackages';
import type { Hasher } from '../../../../src/core/permissions/permission';

const sha256: Hasher = { sha256: (text) => createHash('sha256').update(text).digest('hex') };
const SECRET = 'AKIA-very-secret-value-1234';
const variables: VariableContext = {
  workspaceFolders: [{ name: 'site', path: '/home/me/site' }],
  userHome: '/home/me',
  env: { AWS_SECRET_ACCESS_KEY: SECRET, HOME: '/home/me', TOKEN_DIR: '/etc' },
  pathSeparator: '/',
};
const files: StdioServerDefinition = {
  name: 'files',
  type: 'stdio',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-filesystem', './docs'],
  env: {},
  autostart: true,
  disabled: false,
};
const describe_ = (definition: ServerDefinition, context = variables) => describeLaunch(definition, context, sha256);

describe('launch identity', () => {
  it('summarises what runs and pins the canonical text', () => {
    const launch = describe_(files);
    assert.equal(launch.summary, 'runs `npx -y @modelcontextprotocol/server-filesystem ./docs`');
    assert.equal(launch.pin, createHash('sha256').update(launch.text).digest('hex'));
    assert.deepEqual(JSON.parse(launch.text), { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', './docs'], envNames: [] });
  });

  it('changes its pin when the command, an argument, cwd, env names or env file change, not for name or autostart', () => {
    const pin = describe_(files).pin;
    assert.notEqual(describe_({ ...files, command: 'bunx' }).pin, pin);
    assert.notEqual(describe_({ ...files, args: [...files.args, '/'] }).pin, pin);
    assert.notEqual(describe_({ ...files, cwd: '/tmp' }).pin, pin);
    assert.notEqual(describe_({ ...files, env: { DEBUG: '1' } }).pin, pin);
    assert.notEqual(describe_({ ...files, envFile: '.env' }).pin, pin);
    assert.equal(describe_({ ...files, name: 'other', autostart: false }).pin, pin);
  });

  it('changes its pin when a literal env value changes, without writing the value', () => {
    const a = describe_({ ...files, env: { NODE_OPTIONS: '--max-old-space-size=4096' } });
    const b = describe_({ ...files, env: { NODE_OPTIONS: '--require ./evil.js' } });
    assert.notEqual(a.pin, b.pin);
    assert.ok(!b.text.includes('evil') && !b.summary.includes('evil') && !b.notes.join().includes('evil'));
  });

  it('never shows or hashes an env value: `${env:X}` stays by name, and gets a note', () => {
    const launch = describe_({ ...files, args: ['--key', '${env:AWS_SECRET_ACCESS_KEY}'], env: { KEY: '${env:AWS_SECRET_ACCESS_KEY}', API_TOKEN: 'literal-secret-token' } });
    const everything = [launch.text, launch.summary, ...launch.notes].join('\n');
    assert.ok(!everything.includes(SECRET));
    assert.ok(!everything.includes('literal-secret-token'));
    assert.match(launch.summary, /--key \$\{env:AWS_SECRET_ACCESS_KEY\}/);
    assert.ok(launch.notes.includes('passes $AWS_SECRET_ACCESS_KEY from your environment'));
    assert.deepEqual(JSON.parse(launch.text).envNames, ['API_TOKEN', 'KEY']);
    const rotated = describeLaunch({ ...files, args: ['--key', '${env:AWS_SECRET_ACCESS_KEY}'], env: { KEY: '${env:AWS_SECRET_ACCESS_KEY}', API_TOKEN: 'another' } }, { ...variables, env: { AWS_SECRET_ACCESS_KEY: 'rotated' } }, sha256);
    assert.equal(rotated.pin, launch.pin, 'rotating a secret does not ask again');
  });

  it('keeps `${input:id}` as the literal placeholder, without asking', () => {
    const launch = describe_({ ...files, args: ['--token', '${input:token}'] });
    assert.deepEqual(JSON.parse(launch.text).args, ['--token', '${input:token}']);
    assert.match(launch.summary, /--token \$\{input:token\}/);
  });

  it('resolves folder and home variables', () => {
    const launch = describe_({ ...files, command: '${workspaceFolder}/bin/server', args: ['${userHome}/data'] });
    assert.equal(launch.summary, 'runs `/home/me/site/bin/server /home/me/data`');
  });

  it('notes the env file, with the home folder as ~', () => {
    const launch = describe_({ ...files, envFile: '${userHome}/.aws/credentials' });
    assert.ok(launch.notes.includes('reads env from `~/.aws/credentials`'), launch.notes.join());
  });

  it('notes a cwd outside every workspace folder, not one inside', () => {
    assert.ok(describe_({ ...files, cwd: '/etc' }).notes.includes('runs in /etc, outside the workspace'));
    assert.ok(describe_({ ...files, cwd: '../other' }).notes.includes('runs in ../other, outside the workspace'));
    assert.ok(describe_({ ...files, cwd: '${env:TOKEN_DIR}' }).notes.includes('runs in ${env:TOKEN_DIR}, outside the workspace'));
    assert.ok(!describe_({ ...files, cwd: './docs' }).notes.some((n) => n.includes('outside')));
    assert.ok(!describe_({ ...files, cwd: '${workspaceFolder}/docs/' }).notes.some((n) => n.includes('outside')));
    assert.ok(describe_({ ...files, cwd: '/home/me/site-evil' }).notes.includes('runs in /home/me/site-evil, outside the workspace'));
  });

  it('flags a downloaded package as a risk, and a local program as none', () => {
    const launch = describe_(files);
    assert.deepEqual(launch.risks, ['downloads and runs a package (npx) that no signature covers']);
    assert.ok(launch.notes.includes(launch.risks[0]!));
    assert.deepEqual(describe_({ ...files, command: 'node', args: ['server.js'] }).risks, []);
  });

  it('recognises the package runners', () => {
    const cases: [string, string[], string | undefined][] = [
      ['npx', ['-y', 'pkg'], 'npx'],
      ['/usr/local/bin/bunx', ['pkg'], 'bunx'],
      ['pnpm', ['dlx', 'pkg'], 'pnpm dlx'],
      ['yarn', ['dlx', 'pkg'], 'yarn dlx'],
      ['uvx', ['mcp-server-git'], 'uvx'],
      ['pipx', ['run', 'pkg'], 'pipx run'],
      ['uv', ['tool', 'run', 'pkg'], 'uv tool run'],
      ['docker', ['run', '-i', '--rm', 'mcp/github'], 'docker run'],
      ['podman', ['container', 'run', 'img'], 'podman run'],
      ['C:\\Program Files\\nodejs\\npx.cmd', ['pkg'], 'npx'],
      ['cmd', ['/c', 'npx', '-y', 'pkg'], 'npx'],
      ['npm', ['exec', 'pkg'], 'npm exec'],
      ['uv', ['run', 'server.py'], undefined],
      ['docker', ['ps'], undefined],
      ['pnpm', ['start'], undefined],
      ['node', ['npx'], undefined],
    ];
    for (const [command, args, expected] of cases) assert.equal(packageRunner(command, args), expected, `${command} ${args.join(' ')}`);
  });

  it('describes an http server by URL and header names only', () => {
    const launch = describe_({ name: 'docs', type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${input:token}', 'X-Api-Key': 'sekrit-literal' }, autostart: true, disabled: false });
    assert.equal(launch.summary, 'connects to `https://mcp.example.com/mcp`');
    assert.deepEqual(JSON.parse(launch.text).headerNames, ['Authorization', 'X-Api-Key']);
    assert.ok(!launch.text.includes('sekrit') && !launch.text.includes('Bearer'));
    const moved = describe_({ name: 'docs', type: 'http', url: 'https://evil.example.com/mcp', headers: {}, autostart: true, disabled: false });
    assert.notEqual(moved.pin, launch.pin);
  });
});
