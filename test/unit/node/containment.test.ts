import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeContainment, resolveExecutable } from '../../../src/node/containment';

describe('containment', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'warden-containment-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const script = (name: string, body: string, mode = 0o755) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, mode);
    return file;
  };

  describe('probeContainment', () => {
    it('falls back to the process group, saying why, where bubblewrap is missing or not wanted', async () => {
      assert.deepEqual(await probeContainment({ PATH: dir }, 'linux'), { kind: 'process-group', reason: 'bubblewrap (bwrap) is not installed' });
      assert.deepEqual(await probeContainment({ PATH: '/usr/bin' }, 'darwin'), { kind: 'process-group', reason: 'PID namespaces exist only on Linux (this is darwin)' });
      assert.deepEqual(await probeContainment({ PATH: '/usr/bin', MCP_WARDEN_CONTAINMENT: 'process-group' }, 'linux'), {
        kind: 'process-group',
        reason: 'MCP_WARDEN_CONTAINMENT=process-group is set',
      });
    });

    it('falls back when bubblewrap is installed but may not create namespaces, with its own message', async () => {
      script('bwrap', 'echo "bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2; exit 1');
      assert.deepEqual(await probeContainment({ PATH: dir }, 'linux'), {
        kind: 'process-group',
        reason: 'bubblewrap cannot create a PID namespace here (bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces.)',
      });
    });

    it('uses a bubblewrap that runs the probe', async () => {
      const bwrap = script('bwrap', 'exit 0');
      assert.deepEqual(await probeContainment({ PATH: dir }, 'linux'), { kind: 'pid-namespace', bwrap });
    });
  });

  describe('resolveExecutable', () => {
    it('finds a name on PATH, and a path with a slash relative to the working folder', () => {
      const tool = script('tool', 'exit 0');
      mkdirSync(join(dir, 'empty'));
      assert.equal(resolveExecutable('tool', `${join(dir, 'empty')}:${dir}`, '/'), tool);
      assert.equal(resolveExecutable('./tool', '', dir), tool);
      assert.equal(resolveExecutable(tool, '', '/'), tool);
    });

    it('fails like spawn: ENOENT for a missing command, EACCES for a file that is not executable', () => {
      script('plain', 'exit 0', 0o644);
      assert.throws(() => resolveExecutable('no-such-tool', dir, '/'), { code: 'ENOENT' });
      assert.throws(() => resolveExecutable('plain', dir, '/'), { code: 'EACCES' });
      assert.throws(() => resolveExecutable('./plain', '', dir), { code: 'EACCES' });
      assert.throws(() => resolveExecutable(dir, '', '/'), { code: 'EACCES' }, 'a folder is not a program');
    });
  });
});
