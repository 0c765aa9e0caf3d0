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
});
