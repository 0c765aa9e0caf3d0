import * as assert from 'node:assert/strict';
import { PROTECTED_UNDER_HOME, protectedDenials, protectedPathOf, protectedUnderHome } from '../../../src/core/sandbox/protectedPaths';

describe('protected paths', () => {
  it('lists the secrets under home, each group with a reason', () => {
    const all = protectedUnderHome('/home/u/');
    for (const secret of [
      '.ssh', '.aws', '.azure', '.config/gcloud', '.config/gh', '.gnupg', '.netrc', '.git-credentials', '.docker/config.json',
      '.kube', '.npmrc', '.pypirc', '.mozilla', '.config/google-chrome', 'Library/Application Support/Google/Chrome',
      'Library/Keychains', '.local/share/keyrings', '.password-store', '.config/Code', '.config/Code - Insiders',
      '.vscode-server', '.local/share/code-server', 'Library/Application Support/Code',
    ]) {
      assert.ok(all.includes(`/home/u/${secret}`), secret);
    }
    for (const group of PROTECTED_UNDER_HOME) assert.ok(group.why.length > 10 && !group.why.includes('\n'), group.why);
    assert.deepEqual(protectedUnderHome('relative'), []);
  });

  it('keeps every secret denied but the ones a grant names exactly; adds the host’s own', () => {
    const denied = protectedDenials('/home/u', ['/var/editor/state.vscdb', 'not/absolute', '/'], ['/home/u', '/home/u/.aws', '/home/u/.ssh/id_test']);
    assert.ok(!denied.includes('/home/u/.aws'), 'an exact grant re-opens that path');
    assert.ok(denied.includes('/home/u/.ssh'), 'a grant below a secret leaves the secret itself denied');
    assert.ok(denied.includes('/home/u/.gnupg'), 'a broad grant (home) re-opens nothing');
    assert.ok(denied.includes('/var/editor/state.vscdb'));
    assert.ok(!denied.includes('/') && !denied.some((p) => p.includes('not/absolute')));
    assert.deepEqual(denied, [...denied].sort());
  });

  it('tells which secret a path lies at or below', () => {
    assert.equal(protectedPathOf('/home/u/.ssh/id_ed25519', '/home/u'), '/home/u/.ssh');
    assert.equal(protectedPathOf('/home/u/.sshx', '/home/u'), undefined);
    assert.equal(protectedPathOf('/home/u', '/home/u'), undefined);
    assert.equal(protectedPathOf('/var/editor/x', '/home/u', ['/var/editor']), '/var/editor');
  });
});
