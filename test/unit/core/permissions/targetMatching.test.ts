import * as assert from 'node:assert/strict';
import type { PermissionKind } from '../../../../src/core/permissions/permission';
import { compileTarget, matchSpecificity, type MatchOptions } from '../../../../src/core/permissions/targetMatching';

const posix: MatchOptions = { caseInsensitivePaths: false };
const windows: MatchOptions = { caseInsensitivePaths: true };

function specificity(kind: PermissionKind, grant: string, request: string, options = posix): number {
  return matchSpecificity(compileTarget(kind, grant, options), compileTarget(kind, request, options));
}
const matches = (kind: PermissionKind, grant: string, request: string, options = posix) => specificity(kind, grant, request, options) >= 0;

describe('target matching', () => {
  it('resource patterns: `*` is any run of characters, everything else literal', () => {
    assert.ok(matches('resource', 'file:///docs/*', 'file:///docs/a/b.md'));
    assert.ok(matches('resource', 'file:///docs/*.md', 'file:///docs/a.md'));
    assert.ok(!matches('resource', 'file:///docs/*.md', 'file:///docs/a.mdx'));
    assert.ok(!matches('resource', 'file:///docs/a.md', 'file:///docs/aXmd'), 'a dot is literal');
    assert.ok(!matches('resource', 'db://t?x', 'db://tx'), 'a question mark is literal');
    assert.ok(matches('resource', '*', 'anything://at/all'));
    assert.ok(specificity('resource', 'file:///docs/a.md', 'file:///docs/a.md') > specificity('resource', 'file:///docs/*', 'file:///docs/a.md'));
    assert.ok(specificity('resource', 'file:///docs/*', 'file:///docs/a.md') > specificity('resource', '*', 'file:///docs/a.md'));
  });

  it('programs: a bare name covers that name anywhere; a path covers only that file', () => {
    assert.ok(matches('process.exec', 'git', 'git'));
    assert.ok(matches('process.exec', 'git', '/usr/bin/git'));
    assert.ok(!matches('process.exec', '/usr/bin/git', 'git'));
    assert.ok(matches('process.exec', '/usr/bin/git', '/usr/bin/../bin/git'));
    assert.ok(!matches('process.exec', '/usr/bin/git', '/tmp/git'));
    assert.ok(!matches('process.exec', 'git', '/usr/bin/gitk'));
    assert.ok(!matches('process.exec', 'git', './git'), 'a relative path names whatever is in the working directory');
    assert.ok(!matches('process.exec', './git', 'git'));
    assert.ok(!matches('process.exec', 'git', 'Git'));
    assert.ok(matches('process.exec', 'git', 'C:\\Program Files\\Git\\bin\\GIT.EXE', windows));
    assert.ok(specificity('process.exec', '/usr/bin/git', '/usr/bin/git') > specificity('process.exec', 'git', '/usr/bin/git'));
  });

  it('fs paths: a deeper folder is more specific, a relative target matches nothing', () => {
    assert.ok(specificity('fs.write', '/ws/build/out.js', '/ws/build/out.js') > specificity('fs.write', '/ws/build', '/ws/build/out.js'));
    assert.ok(specificity('fs.write', '/ws/build', '/ws/build/out.js') > specificity('fs.write', '/ws', '/ws/build/out.js'));
    assert.ok(!matches('fs.read', 'docs', '/ws/docs'));
    assert.ok(!matches('fs.read', '/ws', 'docs'));
  });

  it('tools, prompts and server requests match by exact target', () => {
    assert.ok(matches('tool', 'search', 'search'));
    assert.ok(!matches('tool', 'search', 'Search'));
    assert.ok(!matches('tool', 'search', 'search2'));
    assert.ok(matches('sampling', '', ''));
    assert.ok(matches('launch', '', ''));
  });
});
