import * as assert from 'node:assert/strict';
import type { Grant, GrantScope, PermissionKind, Verdict } from '../../../src/core/permissions/permission';
import { buildSandboxProfile, DANGEROUS_NAMES, type ProfileInputs } from '../../../src/core/sandbox/profileBuilder';

function grant(kind: PermissionKind, target: string, decision: Verdict = 'allow', scope: GrantScope = 'session'): Grant {
  return { server: 'files', kind, target, decision, scope, grantedAt: '2026-01-01T00:00:00Z' };
}

// A small file system: folder → entry names. Anything else cannot be listed (a file, or missing).
const TREE: Record<string, string[]> = {
  '/home/u': ['.ssh', '.config', 'docs', 'proj', 'ws'],
  '/home/u/proj': ['src', 'out', 'README.md'],
  '/home/u/proj/out': ['build', 'cache'],
  '/home/u/proj/out/build': [],
  '/home/u/ws': ['a.txt'],
  '/run/warden': ['s1', 's2'],
  '/run/warden/s1': ['temp', 'sockets'],
  '/run/warden/s1/temp': [],
};

function inputs(grants: Grant[], overrides: Partial<ProfileInputs> = {}): ProfileInputs {
  return {
    grants,
    baseline: ['/usr', '/etc/ssl'],
    privateTemp: '/run/warden/s1/temp',
    socketFolder: '/run/warden/s1/sockets',
    home: '/home/u',
    protectedPaths: ['/var/lib/editor/secrets'],
    listFolder: (path) => TREE[path],
    ...overrides,
  };
}

describe('sandbox profile builder', () => {
  it('denies everything but the baseline, the grants, the run folders; secrets stay denied', () => {
    const profile = buildSandboxProfile(inputs([grant('fs.read', '/data/in'), grant('fs.write', '/data/out')]));
    assert.equal(profile.filesystem.denyRead[0], '/');
    for (const secret of ['/home/u/.ssh', '/home/u/.aws', '/home/u/.config/Code', '/var/lib/editor/secrets']) {
      assert.ok(profile.filesystem.denyRead.includes(secret), secret);
    }
    assert.deepEqual(profile.filesystem.allowRead, ['/data/in', '/data/out', '/etc/ssl', '/run/warden/s1/sockets', '/run/warden/s1/temp', '/usr']);
    assert.deepEqual(profile.filesystem.allowWrite, ['/data/out', '/run/warden/s1/temp']);
  });

  it('is deterministic: the same grants in any order and repeated give JSON-equal profiles', () => {
    const grants = [grant('fs.read', '/b/./x/'), grant('net', 'b.example.com'), grant('fs.write', '/a'), grant('net', 'A.example.com:443')];
    const one = JSON.stringify(buildSandboxProfile(inputs(grants)));
    const other = JSON.stringify(buildSandboxProfile(inputs([...grants].reverse().concat(grants))));
    assert.equal(one, other);
    const profile = buildSandboxProfile(inputs(grants));
    for (const list of [...Object.values(profile.filesystem), profile.network.allowedDomains]) {
      assert.deepEqual(list, [...new Set(list)].sort(), JSON.stringify(list));
    }
    assert.ok(profile.filesystem.allowRead.includes('/b/x'), 'paths are normalised');
  });

  it('keeps a secret denied under a broad grant and re-opens exactly the secret a grant names', () => {
    const broad = buildSandboxProfile(inputs([grant('fs.read', '/home/u')]));
    assert.ok(broad.filesystem.denyRead.includes('/home/u/.ssh'));
    assert.ok(broad.filesystem.allowRead.includes('/home/u'));

    const exact = buildSandboxProfile(inputs([grant('fs.read', '/home/u/.ssh')]));
    assert.ok(!exact.filesystem.denyRead.includes('/home/u/.ssh'), 'a grant of ~/.ssh itself re-opens it');
    assert.ok(exact.filesystem.denyRead.includes('/home/u/.aws'), 'and nothing else');
    assert.ok(exact.filesystem.allowRead.includes('/home/u/.ssh'));

    // Below a secret the grant is more specific than the deny: the deny stays, the one file is let through.
    const below = buildSandboxProfile(inputs([grant('fs.read', '/home/u/.ssh/known_hosts')]));
    assert.ok(below.filesystem.denyRead.includes('/home/u/.ssh'));
    assert.ok(below.filesystem.allowRead.includes('/home/u/.ssh/known_hosts'));
  });

  it('works around upstream bug #446: no read root holds a write root; its other entries stay readable', () => {
    const profile = buildSandboxProfile(inputs([grant('fs.read', '/home/u/proj'), grant('fs.write', '/home/u/proj/out/build')]));
    const { allowRead, allowWrite } = profile.filesystem;
    assert.ok(!allowRead.includes('/home/u/proj'), 'the read root holding the write root is split');
    assert.ok(!allowRead.includes('/home/u/proj/out'));
    for (const kept of ['/home/u/proj/src', '/home/u/proj/README.md', '/home/u/proj/out/cache', '/home/u/proj/out/build']) {
      assert.ok(allowRead.includes(kept), kept);
    }
    assert.ok(allowWrite.includes('/home/u/proj/out/build'));
    for (const read of allowRead) {
      for (const write of allowWrite) assert.ok(!write.startsWith(`${read}/`), `${write} lies inside read root ${read}`);
    }
  });

  it('splits a read root holding the private temp, and never re-opens a denied entry while splitting', () => {
    const temp = buildSandboxProfile(inputs([grant('fs.read', '/run/warden')]));
    assert.deepEqual(
      temp.filesystem.allowRead.filter((p) => p.startsWith('/run/')),
      ['/run/warden/s1/sockets', '/run/warden/s1/temp', '/run/warden/s2'],
    );

    const home = buildSandboxProfile(inputs([grant('fs.read', '/home/u'), grant('fs.write', '/home/u/ws'), grant('fs.read', '/home/u/docs', 'deny')]));
    const { allowRead, denyRead } = home.filesystem;
    assert.ok(!allowRead.includes('/home/u'));
    assert.ok(!allowRead.includes('/home/u/.ssh'), 'a secret listed in home is not re-opened by the split');
    assert.ok(!allowRead.includes('/home/u/docs'), 'nor is a path the user denied');
    assert.ok(denyRead.includes('/home/u/.ssh') && denyRead.includes('/home/u/docs'));
    assert.ok(allowRead.includes('/home/u/.config'), 'its protected children stay denied, more specific');
    assert.ok(denyRead.includes('/home/u/.config/gcloud'));
    assert.ok(allowRead.includes('/home/u/proj') && allowRead.includes('/home/u/ws'));
  });

  it('keeps a read root it cannot list, and does not split a root inside or equal to a write root', () => {
    const unlisted = buildSandboxProfile(inputs([grant('fs.read', '/srv'), grant('fs.write', '/srv/data')]));
    assert.ok(unlisted.filesystem.allowRead.includes('/srv'));

    const inside = buildSandboxProfile(inputs([grant('fs.write', '/home/u/proj'), grant('fs.read', '/home/u/proj'), grant('fs.write', '/home/u/proj/out/build')]));
    assert.ok(inside.filesystem.allowRead.includes('/home/u/proj'));
    assert.ok(!inside.filesystem.allowRead.includes('/home/u/proj/src'));
  });

  it('denies writes to dangerous names in each folder write root unless a write grant names them', () => {
    const profile = buildSandboxProfile(inputs([grant('fs.write', '/home/u/ws'), grant('fs.write', '/home/u/proj/README.md'), grant('fs.write', '/home/u/ws/secret', 'deny')]));
    const { denyWrite } = profile.filesystem;
    for (const name of DANGEROUS_NAMES) assert.ok(denyWrite.includes(`/home/u/ws/${name}`), name);
    assert.ok(denyWrite.includes('/home/u/ws/.git/hooks') && denyWrite.includes('/home/u/ws/.mcp.json'));
    assert.ok(denyWrite.includes('/home/u/ws/secret'), 'fs.write deny grants');
    assert.ok(!denyWrite.some((p) => p.startsWith('/home/u/proj/README.md/')), 'a file write root has nothing inside');
    assert.ok(!denyWrite.some((p) => p.startsWith('/run/warden/')), 'the private temp is the run’s own');

    const opened = buildSandboxProfile(inputs([grant('fs.write', '/home/u/ws'), grant('fs.write', '/home/u/ws/.vscode/settings.json')]));
    assert.ok(!opened.filesystem.denyWrite.includes('/home/u/ws/.vscode'));
    assert.ok(opened.filesystem.denyWrite.includes('/home/u/ws/.git/hooks'));
  });

  it('hides every run folder but its own, even inside a read grant, and never lists the others', () => {
    const listed: string[] = [];
    const profile = buildSandboxProfile(
      inputs([grant('fs.read', '/srv')], {
        privateTemp: '/srv/runs/files-1/temp',
        socketFolder: '/srv/runs/files-1/sockets',
        runsFolder: '/srv/runs',
        listFolder: (path) => {
          listed.push(path);
          return { '/srv': ['data', 'runs'], '/srv/runs': ['files-1', 'other-2'] }[path];
        },
      }),
    );
    assert.ok(profile.filesystem.denyRead.includes('/srv/runs'));
    assert.ok(profile.filesystem.allowRead.includes('/srv/data'));
    assert.ok(profile.filesystem.allowRead.includes('/srv/runs/files-1/sockets'));
    assert.ok(profile.filesystem.allowWrite.includes('/srv/runs/files-1/temp'));
    assert.ok(!profile.filesystem.allowRead.some((p) => p.includes('other-2')));
    assert.ok(!listed.includes('/srv/runs'), 'the runs folder is not listed: its entries come and go');
  });

  it('lets a deny grant win over an allow of the same path; ignores once grants and non-absolute targets', () => {
    const profile = buildSandboxProfile(
      inputs([
        grant('fs.read', '/data'),
        grant('fs.read', '/data', 'deny'),
        grant('fs.write', '/out'),
        grant('fs.write', '/out', 'deny'),
        grant('fs.read', '/once', 'allow', 'once'),
        grant('fs.read', 'relative/path'),
        grant('fs.read', 'C:\\Users'),
      ]),
    );
    assert.ok(profile.filesystem.denyRead.includes('/data'));
    assert.ok(!profile.filesystem.allowRead.includes('/data'));
    assert.ok(!profile.filesystem.allowWrite.includes('/out'));
    assert.ok(profile.filesystem.denyWrite.includes('/out'));
    assert.ok(!profile.filesystem.allowRead.some((p) => p === '/once' || p.includes('relative') || p.includes('Users')));
  });

  it('lists a deny only inside something allowed: a Deny of a path that is hidden anyway changes nothing', () => {
    const plain = buildSandboxProfile(inputs([grant('fs.read', '/data')]));
    const withDenies = buildSandboxProfile(inputs([grant('fs.read', '/data'), grant('fs.read', '/elsewhere/x', 'deny'), grant('fs.write', '/elsewhere/y', 'deny')]));
    assert.deepEqual(withDenies.filesystem, plain.filesystem);
    const home = inputs([]).home;
    const secretDenied = buildSandboxProfile(inputs([grant('fs.read', home), grant('fs.read', `${home}/.ssh/id_rsa`, 'deny')]));
    assert.deepEqual(secretDenied.filesystem, buildSandboxProfile(inputs([grant('fs.read', home)])).filesystem, 'a deny inside a hidden secret');
    const inside = buildSandboxProfile(inputs([grant('fs.read', '/data'), grant('fs.read', '/data/private', 'deny')]));
    assert.ok(inside.filesystem.denyRead.includes('/data/private'));
  });

  it('builds the network lists from net grants: `*` any host, IPv6 in brackets, unix:* for Unix sockets', () => {
    const profile = buildSandboxProfile(
      inputs([
        grant('net', 'API.github.com:443'),
        grant('net', '*.example.com'),
        grant('net', '::1'),
        grant('net', '[::1]:8080'),
        grant('net', '*'),
        grant('net', 'evil.example.com', 'deny'),
        grant('net', 'not a host'),
        grant('net', 'unix:*'),
      ]),
    );
    assert.deepEqual(profile.network, {
      allowedDomains: ['*', '*.example.com', '[::1]', '[::1]:8080', 'api.github.com:443'],
      deniedDomains: ['evil.example.com'],
      allowAllUnixSockets: true,
    });
    assert.equal(buildSandboxProfile(inputs([grant('net', '*')])).network.allowAllUnixSockets, false, '* does not allow Unix sockets');
    assert.equal(buildSandboxProfile(inputs([grant('net', 'unix:*'), grant('net', 'unix:*', 'deny')])).network.allowAllUnixSockets, false);
  });
});
