import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

// The seams of ../shared/HOUSE_STYLE.md, checked on the source (the lint rule checks the same while editing):
// core imports neither 'vscode' nor any Node module and uses no Node-only global; node does not import 'vscode';
// only src/vscode and extension.ts may.
const SRC = join(__dirname, '../../../src');
const NODE_MODULES = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NODE_GLOBAL = /(?<![.\w$'"`])(Buffer|process|require|__dirname|__filename|setImmediate)\s*[.(]/;

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
      if (layer === 'core') {
        const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
        assert.doesNotMatch(code, NODE_GLOBAL, 'core must not use a Node-only global (Buffer, process, require…)');
      }
      for (const spec of importsOf(file)) {
        if (layer === 'core') {
          assert.notEqual(spec, 'vscode', 'core must not import vscode');
          assert.ok(!NODE_MODULES.has(spec) && !spec.startsWith('node:'), `core must not import the Node module '${spec}'`);
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
