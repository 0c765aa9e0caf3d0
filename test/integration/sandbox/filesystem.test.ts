import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidNamespaceDepth } from '../../../src/node/processes';
import { FILESYSTEM } from '../harness';
import { profileWith, requireSandboxTools, SANDBOX_FIXTURE, scratchFolder, startSandboxed, type SandboxedRun } from './sandboxSupport';

/**
 * server-filesystem is told it may use the whole test folder; only the sandbox holds it to what the profile grants:
 * `granted/` to read, `writable/` to write, `home/` to read except `home/.ssh` (as a user's secrets are held).
 */
describe('the OS sandbox holds a server to the folders its profile grants', function () {
  let root: ReturnType<typeof scratchFolder>;
  let run: SandboxedRun | undefined;
  let fixture: SandboxedRun | undefined;

  before(() => requireSandboxTools());

  beforeEach(() => {
    root = scratchFolder('mcpw-fs');
    for (const dir of ['granted', 'writable', 'sibling', 'home/.ssh']) mkdirSync(join(root.path, dir), { recursive: true });
    writeFileSync(join(root.path, 'granted/a.txt'), 'inside\n');
    writeFileSync(join(root.path, 'sibling/secret.txt'), 'SECRET\n');
    writeFileSync(join(root.path, 'home/notes.txt'), 'notes\n');
    writeFileSync(join(root.path, 'home/.ssh/id_test'), 'PRIVATE KEY\n');
    symlinkSync(join(root.path, 'sibling/secret.txt'), join(root.path, 'granted/link-to-secret'));
  });

  afterEach(async () => {
    await run?.stop();
    await fixture?.stop();
    run = fixture = undefined;
    root.remove();
  });

  const profile = () =>
    profileWith({
      read: [join(root.path, 'granted'), join(root.path, 'home')],
      denyRead: [join(root.path, 'home/.ssh')],
      write: [join(root.path, 'writable')],
    });
  const at = (path: string) => join(root.path, path);

  async function filesystemServer(): Promise<SandboxedRun> {
    run = await startSandboxed([FILESYSTEM, root.path], profile());
    return run;
  }

  async function fixtureServer(): Promise<SandboxedRun> {
    fixture = await startSandboxed([SANDBOX_FIXTURE], profile());
    return fixture;
  }

  it('reads inside the granted folder; the pid shown is the server, inside the sandbox', async function () {
    const server = await filesystemServer();
    const pid = server.transport.serverPid!;
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /server-filesystem/);
    assert.ok(pidNamespaceDepth(pid) > pidNamespaceDepth(process.pid), 'the server runs in the sandbox\'s PID namespace');
    const result = await server.call('read_text_file', { path: at('granted/a.txt') });
    assert.equal(result.isError, false, result.text);
    assert.equal(result.text, 'inside\n');
  });

  it('cannot read a sibling folder, nor through a symlink or `..` into it', async function () {
    const server = await filesystemServer();
    for (const path of [at('sibling/secret.txt'), at('granted/link-to-secret'), `${at('granted')}/../sibling/secret.txt`]) {
      const result = await server.call('read_text_file', { path });
      assert.equal(result.isError, true, `${path} was readable: ${result.text}`);
      assert.doesNotMatch(result.text, /SECRET/);
    }
  });

  it('cannot read ~/.ssh inside a readable home, also by way of `..`', async function () {
    const server = await filesystemServer();
    const notes = await server.call('read_text_file', { path: at('home/notes.txt') });
    assert.equal(notes.text, 'notes\n', 'the rest of home is readable');
    for (const path of [at('home/.ssh/id_test'), `${at('granted')}/../home/.ssh/id_test`]) {
      const result = await server.call('read_text_file', { path });
      assert.equal(result.isError, true, `${path} was readable: ${result.text}`);
      assert.doesNotMatch(result.text, /PRIVATE KEY/);
    }
  });

  it('cannot read /etc/shadow', async function () {
    const server = await fixtureServer();
    const result = await server.call('read_file', { path: '/etc/shadow' });
    assert.equal(result.isError, true, result.text);
    assert.match(result.text, /^error (ENOENT|EACCES)/);
  });

  it('writes inside the writable folder; a write anywhere else fails or never reaches the disk, and is reported', async function () {
    const server = await filesystemServer();
    const inside = await server.call('write_file', { path: at('writable/out.txt'), content: 'written' });
    assert.equal(inside.isError, false, inside.text);
    assert.equal(readFileSync(at('writable/out.txt'), 'utf8'), 'written');

    const readOnly = await server.call('write_file', { path: at('granted/b.txt'), content: 'nope' });
    assert.equal(readOnly.isError, true, readOnly.text);
    assert.match(readOnly.text, /EROFS|EACCES|EPERM/);
    assert.ok(!existsSync(at('granted/b.txt')));

    // A folder the server cannot see is an empty tmpfs in its view: the write may "succeed" there, and is lost.
    await server.call('write_file', { path: at('sibling/new.txt'), content: 'nope' });
    assert.ok(!existsSync(at('sibling/new.txt')), 'a write outside the profile reached the disk');
    await until(() => server.violations.some((l) => l.includes(at('granted/b.txt'))), 'the blocked write reported');
  });

  it('cannot create a hard link to a file it may not read, nor out of its write root', async function () {
    const server = await fixtureServer();
    const hidden = await server.call('hard_link', { from: at('sibling/secret.txt'), to: at('writable/secret-link') });
    assert.equal(hidden.isError, true, hidden.text);
    const readable = await server.call('hard_link', { from: at('granted/a.txt'), to: at('writable/a-link') });
    assert.equal(readable.isError, true, readable.text);
    assert.match(readable.text, /^error EXDEV/);
    assert.ok(!existsSync(at('writable/secret-link')) && !existsSync(at('writable/a-link')));
  });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
