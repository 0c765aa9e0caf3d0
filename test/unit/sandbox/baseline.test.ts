import * as assert from 'node:assert/strict';
import { baselineReadPaths, type BaselineInputs } from '../../../src/node/sandbox/baseline';

const FOLDERS = [
  '/usr', '/bin', '/lib', '/lib64', '/etc/ssl', '/etc/alternatives', '/opt/node22/bin', '/home/u', '/home/u/.npm/_npx',
  '/home/u/.cache/uv', '/home/u/proj/node_modules/@scope/server/dist', '/home/u/py/src/server', '/home/u/.local/bin',
  '/home/u/.nvm/versions/node/v22.1.0/bin', '/home/u/.local/share/uv/python',
];
const FILES = [
  '/etc/passwd', '/etc/hosts', '/etc/resolv.conf', '/etc/nsswitch.conf', '/opt/node22/bin/node', '/usr/bin/python3', '/usr/bin/npx',
  '/home/u/proj/node_modules/@scope/server/dist/index.js', '/home/u/proj/package.json', '/home/u/py/pyproject.toml',
  '/home/u/py/src/server/main.py', '/home/u/.local/bin/uvx', '/home/u/.nvm/versions/node/v22.1.0/bin/node', '/home/u/tool.js',
  '/home/u/.local/bin/srv', '/opt/tools/srv/bin/srv',
];

// Every folder above a listed path exists too.
const ALL_FOLDERS = new Set([...FOLDERS, ...[...FOLDERS, ...FILES].flatMap((path) => path.split('/').slice(1, -1).map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`))]);
function fakeExists(path: string): 'file' | 'folder' | undefined {
  return ALL_FOLDERS.has(path) ? 'folder' : FILES.includes(path) ? 'file' : undefined;
}

function inputs(command: string, args: string[], overrides: Partial<BaselineInputs> = {}): BaselineInputs {
  return {
    command,
    args,
    cwd: '/home/u/proj',
    env: { PATH: '/home/u/.local/bin:/home/u/.nvm/versions/node/v22.1.0/bin:/usr/bin:relative' },
    execPath: '/opt/node22/bin/node',
    home: '/home/u',
    platform: 'linux',
    exists: fakeExists,
    ...overrides,
  };
}

describe('sandbox baseline', () => {
  it('holds the existing system paths and the runtime’s prefix, nothing of home', () => {
    const paths = baselineReadPaths(inputs('/usr/bin/python3', ['-m', 'server']));
    assert.deepEqual(paths, ['/bin', '/etc/alternatives', '/etc/hosts', '/etc/nsswitch.conf', '/etc/passwd', '/etc/resolv.conf', '/etc/ssl', '/lib', '/lib64', '/opt/node22', '/usr']);
  });

  it('adds the outermost node_modules holding a node script, found through PATH and symlinks', () => {
    const paths = baselineReadPaths(inputs('node', ['--enable-source-maps', 'node_modules/@scope/server/dist/index.js']));
    assert.ok(paths.includes('/home/u/proj/node_modules'));
    assert.ok(paths.includes('/home/u/.nvm/versions/node/v22.1.0'), 'the command’s install prefix');
    assert.ok(!paths.includes('/home/u/proj'), 'not the project around it');

    const linked = baselineReadPaths(inputs('srv', [], { realpath: (p) => (p === '/home/u/.local/bin/srv' ? '/opt/tools/srv/bin/srv' : p) }));
    assert.ok(linked.includes('/opt/tools/srv'), 'the prefix of where the link points');
    assert.ok(!linked.includes('/home/u/.local/bin'), 'not the folder of the link');
    assert.ok(!baselineReadPaths(inputs('missing', [])).some((p) => p.startsWith('/home/')), 'a command not found brings nothing');
  });

  it('adds the package folder of a python script, and only the script when it sits in home', () => {
    const py = baselineReadPaths(inputs('python3', ['/home/u/py/src/server/main.py']));
    assert.ok(py.includes('/home/u/py'));
    const loose = baselineReadPaths(inputs('node', ['../tool.js'], { exists: (p) => (p === '/home/u/tool.js' ? 'file' : undefined) }));
    assert.deepEqual(loose, ['/home/u/tool.js']);
  });

  it('adds launcher caches only for npx and uvx, and never home as a prefix', () => {
    const npx = baselineReadPaths(inputs('npx', ['-y', '@scope/server']));
    assert.ok(npx.includes('/home/u/.npm/_npx'));
    assert.ok(!npx.some((p) => p.includes('.cache/uv')));
    const uvx = baselineReadPaths(inputs('uvx', ['mcp-server-time']));
    assert.ok(uvx.includes('/home/u/.cache/uv') && uvx.includes('/home/u/.local/share/uv/python'));
    assert.ok(uvx.includes('/home/u/.local/bin'), '~/.local/bin/uvx: its folder, not ~/.local (which holds ~/.local/share)');
    assert.ok(!uvx.includes('/home/u/.local') && !uvx.includes('/home/u'));
    const node = baselineReadPaths(inputs('node', ['node_modules/@scope/server/dist/index.js']));
    assert.ok(!node.some((p) => p.includes('_npx') || p.includes('uv')));
  });

  it('has nothing to say on Windows', () => {
    assert.deepEqual(baselineReadPaths(inputs('node', [], { platform: 'win32' })), []);
  });
});
