import * as assert from 'node:assert/strict';
import { normalizePath, pathCovers, pathKey, resolvePath, type RealpathPort } from '../../../../src/core/permissions/pathTargets';

const exact = { caseInsensitive: false };
const folded = { caseInsensitive: true };

function covers(folder: string, path: string, options: Parameters<typeof pathKey>[1] = exact): boolean {
  const f = pathKey(folder, options);
  const p = pathKey(path, options);
  assert.ok(f && p, `${folder} and ${path} should both parse`);
  return pathCovers(f, p);
}

describe('path targets', () => {
  it('normalises `.`, `..`, repeated and trailing separators, with either separator', () => {
    assert.equal(normalizePath('/a/./b//c/'), '/a/b/c');
    assert.equal(normalizePath('/a/b/../c'), '/a/c');
    assert.equal(normalizePath('/'), '/');
    assert.equal(normalizePath('//'), '/');
    assert.equal(normalizePath('C:\\Users\\me\\..\\you\\'), 'C:\\Users\\you');
    assert.equal(normalizePath('c:/x//y/.'), 'C:/x/y');
    assert.equal(normalizePath('\\\\server\\share\\a\\..\\b'), '\\\\server\\share\\b');
  });

  it('refuses relative paths and paths that climb above the root', () => {
    assert.equal(normalizePath('docs/x'), undefined);
    assert.equal(normalizePath('./x'), undefined);
    assert.equal(normalizePath('/..'), undefined);
    assert.equal(normalizePath('/a/../../etc/passwd'), undefined);
    assert.equal(normalizePath('C:\\..\\Windows'), undefined);
    assert.equal(normalizePath('/a/\0b'), undefined);
    assert.equal(pathKey('/a/../../etc', exact), undefined);
  });

  it('resolves relative paths against a folder', () => {
    assert.equal(resolvePath('/ws', './build'), '/ws/build');
    assert.equal(resolvePath('/ws', 'out/../dist/'), '/ws/dist');
    assert.equal(resolvePath('/ws', '../sibling'), '/sibling');
    assert.equal(resolvePath('/ws', '/abs/x'), '/abs/x');
    assert.equal(resolvePath('C:\\ws', 'build'), 'C:\\ws\\build');
    assert.equal(resolvePath('/ws', '../../..'), undefined);
  });

  it('lets a folder cover what is below it, but not a sibling sharing a prefix', () => {
    assert.ok(covers('/a/b', '/a/b'));
    assert.ok(covers('/a/b', '/a/b/c/d.txt'));
    assert.ok(covers('/a/b/', '/a/b/c'));
    assert.ok(!covers('/a/b', '/a/bc'));
    assert.ok(!covers('/a/b', '/a'));
    assert.ok(covers('/', '/anything/at/all'));
    assert.ok(covers('C:\\', 'c:/x'));
    assert.ok(!covers('/a/b', '/a/b/../c'), '`..` is resolved before matching');
    assert.ok(covers('/a/b', '/a/x/../b/y'));
  });

  it('compares case only when the file system does', () => {
    assert.ok(!covers('/Users/Me/Project', '/users/me/project/src'));
    assert.ok(covers('/Users/Me/Project', '/users/me/project/src', folded));
    assert.ok(covers('C:\\Work', 'c:\\WORK\\file.txt', folded));
    assert.ok(!covers('C:\\Work', 'c:\\WORK\\file.txt'));
  });

  describe('with a realpath port', () => {
    // /ws/link → /outside; /ws/real exists; nothing else exists.
    const links: Record<string, string> = { '/ws': '/ws', '/ws/real': '/ws/real', '/ws/link': '/outside', '/outside': '/outside', '/': '/' };
    const realpath: RealpathPort = (path) => {
      const normal = normalizePath(path)!;
      for (const [from, to] of Object.entries(links).sort((a, b) => b[0].length - a[0].length)) {
        if (normal === from) return to;
      }
      throw new Error(`ENOENT: ${path}`);
    };
    const options = { caseInsensitive: false, realpath };

    it('follows a symlinked folder out of the workspace', () => {
      assert.ok(covers('/ws', '/ws/link', exact), 'as written it looks inside');
      assert.ok(!covers('/ws', '/ws/link', options));
      assert.equal(pathKey('/ws/link', options)?.key, '/outside');
    });

    it('resolves a file that does not exist yet through its nearest existing ancestor', () => {
      assert.equal(pathKey('/ws/link/new/file.txt', options)?.key, '/outside/new/file.txt');
      assert.ok(!covers('/ws', '/ws/link/new/file.txt', options));
      assert.ok(covers('/ws', '/ws/real/new.txt', options));
      assert.ok(covers('/outside', '/ws/link/x', options));
    });
  });
});
