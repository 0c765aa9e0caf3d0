import * as assert from 'node:assert/strict';
import { blockedPaths, jitPermission, parseViolation, type PathKindPort } from '../../../src/core/sandbox/violations';

describe('sandbox violations', () => {
  it('reads the Linux monitor’s write lines (deny <syscall> <path>) as fs.write', () => {
    assert.deepEqual(parseViolation('deny openat /usr/evil'), { kind: 'fs.write', path: '/usr/evil' });
    assert.deepEqual(parseViolation('deny mkdir /tmp/sbx/npmcache'), { kind: 'fs.write', path: '/tmp/sbx/npmcache' });
    assert.deepEqual(parseViolation('deny renameat2 /home/u/My Files/a.txt'), { kind: 'fs.write', path: '/home/u/My Files/a.txt' });
    assert.deepEqual(parseViolation('  deny unlinkat /tmp/x/../y  '), { kind: 'fs.write', path: '/tmp/y' });
    assert.deepEqual(parseViolation('deny syscall /x'), { kind: 'fs.write', path: '/x' });
  });

  it('reads macOS seatbelt lines, telling reads from writes', () => {
    assert.deepEqual(parseViolation('node(4242) deny(1) file-read-data /Users/u/.ssh/id_rsa'), { kind: 'fs.read', path: '/Users/u/.ssh/id_rsa' });
    assert.deepEqual(parseViolation('node(4242) deny(1) file-write-create /Users/u/x'), { kind: 'fs.write', path: '/Users/u/x' });
  });

  it('reads the proxy’s network lines as net, with host and port', () => {
    assert.deepEqual(parseViolation('deny network-outbound example.com:80 (user denied)'), { kind: 'net', host: 'example.com', port: 80 });
    assert.deepEqual(parseViolation('deny network-outbound fixture.test:38085 (resolved to a loopback address)'), { kind: 'net', host: 'fixture.test', port: 38085 });
    assert.deepEqual(parseViolation('deny network-outbound ::1:443 (user denied)'), { kind: 'net', host: '::1', port: 443 });
    assert.deepEqual(parseViolation('deny socks-tunnel Db.Example.com:5432 (refuseOpaqueTunnels)'), { kind: 'net', host: 'db.example.com', port: 5432 });
    assert.deepEqual(parseViolation('deny http-request GET http://api.example.com:8080/v1?… (denied)'), { kind: 'net', host: 'api.example.com', port: 8080 });
    assert.deepEqual(parseViolation('deny http-request GET http://[::1]/x (denied)'), { kind: 'net', host: '::1' });
    assert.deepEqual(parseViolation('deny http-request CONNECT api.example.com:443 (denied)'), { kind: 'net', host: 'api.example.com', port: 443 });
  });

  it('ignores lines that are no file or network block', () => {
    for (const line of ['', 'allow openat /x', 'deny openat relative/path', 'deny mach-lookup com.apple.x', 'deny network-bind 0.0.0.0', 'node(1) deny(1) process-exec* /bin/ls', 'denying nothing']) {
      assert.equal(parseViolation(line), undefined, line);
    }
  });

  it('finds blocked paths in Node, Python and shell error text, once each', () => {
    const text = [
      "Error: ENOENT: no such file or directory, open '/tmp/y/secret.txt'",
      "Error: EACCES: permission denied, mkdir '/home/u/.cache/x'",
      "EROFS: read-only file system, rename '/data/a' -> '/data/b'",
      "PermissionError: [Errno 13] Permission denied: '/etc/shadow'",
      'cat: /srv/report.txt: No such file or directory',
      "touch: cannot touch '/opt/new': Read-only file system",
      '{"error":"EPERM: operation not permitted, open \\"/var/x\\""}',
      "Error: ENOENT: no such file or directory, open '/tmp/y/secret.txt'",
      "loaded config from '/etc/app.conf'",
    ].join('\n');
    assert.deepEqual(blockedPaths(text), [
      '/tmp/y/secret.txt',
      '/home/u/.cache/x',
      '/data/a',
      '/data/b',
      '/etc/shadow',
      '/srv/report.txt',
      '/opt/new',
      '/var/x',
    ]);
    assert.deepEqual(blockedPaths('all good'), []);
    assert.deepEqual(blockedPaths('Warning: Cannot access directory /tmp/fsx/notes, skipping'), ['/tmp/fsx/notes']);
    assert.deepEqual(blockedPaths("error: could not open '/srv/My Data/x.db'\nfailed to read /etc/app.conf; giving up"), ['/srv/My Data/x.db', '/etc/app.conf']);
    assert.deepEqual(blockedPaths('Secure MCP Filesystem Server running, allowed directories: /tmp/fsx/notes'), [], 'a path merely mentioned is no block');
  });

  it('asks for an existing path itself and a missing one’s nearest existing folder', () => {
    const tree: Record<string, 'file' | 'folder'> = { '/home': 'folder', '/home/u': 'folder', '/home/u/ws': 'folder', '/home/u/ws/a.txt': 'file' };
    const exists: PathKindPort = (path) => tree[path];
    assert.deepEqual(jitPermission({ kind: 'fs.read', path: '/home/u/ws/a.txt' }, exists), { kind: 'fs.read', target: '/home/u/ws/a.txt' });
    assert.deepEqual(jitPermission({ kind: 'fs.write', path: '/home/u/ws' }, exists), { kind: 'fs.write', target: '/home/u/ws' });
    assert.deepEqual(jitPermission({ kind: 'fs.write', path: '/home/u/ws/new/deep/b.txt' }, exists), { kind: 'fs.write', target: '/home/u/ws' });
    assert.equal(jitPermission({ kind: 'fs.write', path: '/home/u/ws/a.txt/x' }, exists), undefined, 'nothing is created below a file');
    assert.equal(jitPermission({ kind: 'fs.write', path: '/nowhere/x' }, exists), undefined, 'never the whole file system');
    assert.equal(jitPermission({ kind: 'fs.read', path: 'relative' }, exists), undefined);
  });
});
