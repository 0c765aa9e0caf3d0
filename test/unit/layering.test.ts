import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The seams of ../shared/HOUSE_STYLE.md, checked on the source (the lint rule checks the same while editing):
// core imports neither 'vscode' nor node I/O; node does not import 'vscode'; only src/vscode and extension.ts may.
const SRC = join(__dirname, '../../../src');
const NODE_IO = /^(node:)?(child_process|fs|fs\/promises|net|http|https|http2|dgram|dns|tls|os|worker_threads|cluster|readline)$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const pattern = /(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4])!);
}

describe('layering', () => {
  const files = sources(SRC);

  it('finds the source', () => {
    assert.ok(files.length > 20);
  });

  for (const file of files) {
    const path = relative(SRC, file);
    const layer = path.split(/[\\/]/)[0];
    it(`${path} respects its layer`, () => {
      for (const spec of importsOf(file)) {
        if (layer === 'core') {
          assert.notEqual(spec, 'vscode', 'core must not import vscode');
          assert.doesNotMatch(spec, NODE_IO, 'core must not do node I/O');
          assert.doesNotMatch(spec, /^\.\.\/(node|vscode)\/|^\.\.\/\.\.\/(node|vscode)\//, 'core must not import node or vscode layers');
          assert.doesNotMatch(spec, /^@modelcontextprotocol\//, 'the SDK belongs in src/node');
        }
        if (layer === 'node') {
          assert.notEqual(spec, 'vscode', 'node must not import vscode');
          assert.doesNotMatch(spec, /^\.\.\/vscode\//, 'node must not import the vscode layer');
        }
      }
    });
  }
});
