import * as assert from 'node:assert/strict';
import { resolveLaunchSpec, type LaunchSpecPorts } from '../../../../src/core/config/launchSpec';
import type { ServerDefinition } from '../../../../src/core/config/serverDefinition';

function ports(overrides: Partial<LaunchSpecPorts> = {}): LaunchSpecPorts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    variables: { workspaceFolders: [{ name: 'ws', path: '/ws' }], userHome: '/home/u', env: {}, pathSeparator: '/' },
    askInput: async (id) => {
      asked.push(id);
      return `value-of-${id}`;
    },
    loadEnvFile: async () => ({ FROM_FILE: 'file-secret', SHARED: 'file' }),
    ...overrides,
  };
}

const stdio: ServerDefinition = {
  name: 's',
  type: 'stdio',
  command: '${workspaceFolder}/bin/server',
  args: ['--token', '${input:token}'],
  env: { SHARED: 'env', GONE: null, KEY: '${input:token}' },
  envFile: '${workspaceFolder}/.env',
  autostart: true,
  disabled: false,
};

describe('resolveLaunchSpec', () => {
  it('resolves a stdio definition: inputs asked once, env over envFile, cwd defaults to the folder', async () => {
    const p = ports();
    const spec = await resolveLaunchSpec(stdio, 'mcpWarden.servers.s', p);
    assert.deepEqual(p.asked, ['token']);
    assert.equal(spec.type, 'stdio');
    if (spec.type !== 'stdio') return;
    assert.equal(spec.command, '/ws/bin/server');
    assert.deepEqual(spec.args, ['--token', 'value-of-token']);
    assert.deepEqual(spec.env, { FROM_FILE: 'file-secret', SHARED: 'env', GONE: null, KEY: 'value-of-token' });
    assert.equal(spec.cwd, '/ws');
    assert.deepEqual([...spec.secrets].sort(), ['file', 'file-secret', 'value-of-token'].sort());
  });

  it('checks an http URL after replacing variables', async () => {
    const definition: ServerDefinition = { name: 'h', type: 'http', url: '${env:U}', headers: {}, autostart: true, disabled: false };
    const p = ports({ variables: { workspaceFolders: [], userHome: '/', env: { U: 'http://evil.example/mcp' }, pathSeparator: '/' } });
    await assert.rejects(resolveLaunchSpec(definition, 'mcpWarden.servers.h', p), /mcpWarden\.servers\.h\.url must be https/);
  });

  it('fails without starting when an input is cancelled or an env file is missing', async () => {
    await assert.rejects(
      resolveLaunchSpec(stdio, 'mcpWarden.servers.s', ports({ askInput: async () => undefined })),
      (e: Error & { retryable?: boolean }) => /no value was given for \$\{input:token\}/.test(e.message) && e.retryable === false,
    );
    const missing = ports({ loadEnvFile: async () => Promise.reject(new Error('ENOENT: no such file')) });
    await assert.rejects(resolveLaunchSpec(stdio, 'mcpWarden.servers.s', missing), /mcpWarden\.servers\.s\.envFile: cannot read '\/ws\/\.env': ENOENT/);
  });

  it('counts ${env:NAME} values as secrets, but not those of public variables, folders or setting words', async () => {
    const definition: ServerDefinition = {
      name: 'h',
      type: 'http',
      url: 'https://api.example.com/mcp?k=${env:MY_KEY}&home=${env:HOME}&lang=${env:LANG}&d=${env:XDG_DATA_HOME}&w=${env:WS}',
      headers: { 'X-Trace': '${env:TRACE_ID}', 'X-Debug': '${env:DEBUG}', 'X-Port': '${env:PORT}' },
      autostart: true,
      disabled: false,
    };
    const env = { MY_KEY: 'k-123-secret', HOME: '/home/u', LANG: 'en_US.UTF-8', XDG_DATA_HOME: '/home/u/.local/share', WS: '/ws', TRACE_ID: 'trace-77aa', DEBUG: 'true', PORT: '8080' };
    const spec = await resolveLaunchSpec(definition, 'mcpWarden.servers.h', ports({ variables: { workspaceFolders: [{ name: 'ws', path: '/ws' }], userHome: '/home/u', env, pathSeparator: '/' } }));
    assert.deepEqual([...spec.secrets].sort(), ['k-123-secret', 'trace-77aa']);
  });

  it('counts literal values of secret-named headers and env variables as secrets', async () => {
    const http: ServerDefinition = {
      name: 'h',
      type: 'http',
      url: 'https://api.example.com/mcp',
      headers: {
        'DD-API-KEY': 'dd-literal-1',
        'Ocp-Apim-Subscription-Key': 'apim-literal-2',
        'X-Auth-Key': 'auth-literal-3',
        'X-Functions-Key': 'fn-literal-4',
        Authorization: 'Bearer bearer-literal-5',
        Accept: 'application/json',
      },
      autostart: true,
      disabled: false,
    };
    const httpSpec = await resolveLaunchSpec(http, 'mcpWarden.servers.h', ports());
    assert.deepEqual([...httpSpec.secrets].sort(), ['apim-literal-2', 'auth-literal-3', 'bearer-literal-5', 'dd-literal-1', 'fn-literal-4']);

    const local: ServerDefinition = {
      ...stdio,
      args: [],
      envFile: undefined,
      env: { DB_PASS: 'pass-literal', MYSQL_PWD: '12345', AUTH: 'auth-literal', STRIPE_KEY: 'stripe-literal', MAX_TOKENS: '4096', LOG_LEVEL: 'debug', NO_AUTH: 'none' },
    };
    const stdioSpec = await resolveLaunchSpec(local, 'mcpWarden.servers.s', ports());
    assert.deepEqual([...stdioSpec.secrets].sort(), ['12345', 'auth-literal', 'pass-literal', 'stripe-literal']);
  });

  it('resolves a relative cwd and envFile against the first workspace folder', async () => {
    const loaded: string[] = [];
    const p = ports({
      variables: { workspaceFolders: [{ name: 'a', path: '/work/a' }, { name: 'b', path: '/work/b' }], userHome: '/home/u', env: {}, pathSeparator: '/' },
      loadEnvFile: async (path) => (loaded.push(path), {}),
    });
    const spec = await resolveLaunchSpec({ ...stdio, args: [], cwd: 'server/bin', envFile: './.env.local' }, 'mcpWarden.servers.s', p);
    assert.equal(spec.type === 'stdio' && spec.cwd, '/work/a/server/bin');
    assert.deepEqual(loaded, ['/work/a/.env.local']);
    const absolute = await resolveLaunchSpec({ ...stdio, args: [], cwd: '/opt/server', envFile: '/etc/server.env' }, 'mcpWarden.servers.s', p);
    assert.equal(absolute.type === 'stdio' && absolute.cwd, '/opt/server');
    assert.deepEqual(loaded, ['/work/a/.env.local', '/etc/server.env']);
    const windows = ports({ variables: { workspaceFolders: [{ name: 'w', path: 'C:\\work\\w' }], userHome: 'C:\\Users\\u', env: {}, pathSeparator: '\\' } });
    const onWindows = await resolveLaunchSpec({ ...stdio, args: [], envFile: undefined, cwd: 'tools\\srv' }, 'mcpWarden.servers.s', windows);
    assert.equal(onWindows.type === 'stdio' && onWindows.cwd, 'C:\\work\\w\\tools\\srv');
    const driveAbsolute = await resolveLaunchSpec({ ...stdio, args: [], envFile: undefined, cwd: 'D:/srv' }, 'mcpWarden.servers.s', windows);
    assert.equal(driveAbsolute.type === 'stdio' && driveAbsolute.cwd, 'D:/srv');
  });

  it('refuses a relative cwd or envFile when no folder is open, naming the key', async () => {
    const noFolder = ports({ variables: { workspaceFolders: [], userHome: '/home/u', env: {}, pathSeparator: '/' } });
    await assert.rejects(
      resolveLaunchSpec({ ...stdio, command: 'server', args: [], envFile: undefined, cwd: 'bin' }, 'mcpWarden.servers.s', noFolder),
      (e: Error & { retryable?: boolean }) => /^mcpWarden\.servers\.s\.cwd: 'bin' is a relative path and no workspace folder is open/.test(e.message) && e.retryable === false,
    );
    await assert.rejects(
      resolveLaunchSpec({ ...stdio, command: 'server', args: [], envFile: '.env' }, 'mcpWarden.servers.s', noFolder),
      /mcpWarden\.servers\.s\.envFile: '\.env' is a relative path/,
    );
  });
});
