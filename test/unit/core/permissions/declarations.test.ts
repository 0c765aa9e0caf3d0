import * as assert from 'node:assert/strict';
import {
  MAX_REASON_CHARS,
  MAX_SERVER_DECLARATIONS,
  parsePermissionsSetting,
  parseServerDeclarations,
  toDeclarations,
} from '../../../../src/core/permissions/declarations';

const AT = 'mcpWarden.servers.files.permissions';

describe('declarations', () => {
  describe('the settings block', () => {
    it('reads targets as strings or {target, reason}', () => {
      const { declarations, problems } = parsePermissionsSetting(
        { 'fs.write': [{ target: './build', reason: 'writes the site' }], net: ['api.github.com', '*.example.com:443'], sampling: [{ reason: 'summaries' }] },
        AT,
      );
      assert.deepEqual(problems, []);
      assert.deepEqual(declarations, [
        { kind: 'fs.write', target: './build', reason: 'writes the site' },
        { kind: 'net', target: 'api.github.com' },
        { kind: 'net', target: '*.example.com:443' },
        { kind: 'sampling', target: '', reason: 'summaries' },
      ]);
    });

    it('reports unknown kinds and bad shapes with their key path, keeping the good entries', () => {
      const { declarations, problems } = parsePermissionsSetting(
        { net: ['api.github.com', 'not a host', 42], 'fs.delete': ['/x'], launch: [''], tool: 'search', sampling: ['x'], 'fs.read': [{ target: '/a', why: 'x' }, { target: '/b', reason: 3 }] },
        AT,
      );
      assert.deepEqual(declarations, [{ kind: 'net', target: 'api.github.com' }]);
      const byKey = Object.fromEntries(problems.map((p) => [p.keyPath, p.message]));
      assert.match(byKey[`${AT}.net[1]`] ?? '', /'not a host' is not a host/);
      assert.match(byKey[`${AT}.net[2]`] ?? '', /must be a target string/);
      assert.match(byKey[`${AT}.fs.delete`] ?? '', /is not a permission kind/);
      assert.match(byKey[`${AT}.launch`] ?? '', /is not declared/);
      assert.match(byKey[`${AT}.tool`] ?? '', /must be an array/);
      assert.match(byKey[`${AT}.sampling[0]`] ?? '', /takes no target/);
      assert.match(byKey[`${AT}.fs.read[0]`] ?? '', /'why' is not a key/);
      assert.match(byKey[`${AT}.fs.read[1]`] ?? '', /reason/);
      assert.equal(problems.length, 8);
      assert.deepEqual(parsePermissionsSetting(['net'], AT).problems.map((p) => p.keyPath), [AT]);
    });

    it('turns them into Declarations: relative paths against the first folder, hosts canonical', () => {
      const { declarations } = parsePermissionsSetting({ 'fs.write': ['./build/', '/abs//x'], 'fs.read': ['../shared'], net: ['API.GitHub.com'] }, AT);
      const { declarations: resolved, dropped } = toDeclarations(declarations, ['/home/me/site', '/other'], 'settings');
      assert.deepEqual(dropped, []);
      assert.deepEqual(
        resolved.map((d) => `${d.permission.kind} ${d.permission.target} ${d.source}`),
        ['fs.write /home/me/site/build settings', 'fs.write /abs/x settings', 'fs.read /home/me/shared settings', 'net api.github.com settings'],
      );
      const noFolder = toDeclarations(declarations, [], 'settings');
      assert.deepEqual(noFolder.declarations.map((d) => d.permission.target), ['/abs/x', 'api.github.com']);
      assert.equal(noFolder.dropped.length, 2);
      assert.match(toDeclarations([{ kind: 'fs.read', target: '../../..' }], ['/a'], 'settings').dropped[0] ?? '', /climbs above the root/);
    });
  });

  describe('the protocol extension payload', () => {
    it('reads version 1 declarations', () => {
      const { declarations, messages } = parseServerDeclarations({
        version: 1,
        permissions: [{ kind: 'fs.read', target: '/data', reason: 'reads the data' }, { kind: 'sampling', reason: 'asks the model' }],
      });
      assert.deepEqual(messages, []);
      assert.deepEqual(declarations, [{ kind: 'fs.read', target: '/data', reason: 'reads the data' }, { kind: 'sampling', target: '', reason: 'asks the model' }]);
    });

    it('drops anything malformed with a message, and never throws', () => {
      const { declarations, messages } = parseServerDeclarations({
        version: 1,
        permissions: [null, { kind: 'launch', target: '' }, { kind: 'net', target: 'a b' }, { kind: 'tool' }, { kind: 'net', target: 'x.com', reason: 7 }, { kind: 'net', target: 'ok.com' }],
      });
      assert.deepEqual(declarations, [{ kind: 'net', target: 'ok.com' }]);
      assert.equal(messages.length, 5);
      assert.ok(messages.every((m) => m.endsWith('dropped')));
      for (const raw of [undefined, null, 'x', [], { version: 2, permissions: [] }, { version: 1, permissions: {} }, { version: 1n }]) {
        const parsed = parseServerDeclarations(raw);
        assert.deepEqual(parsed.declarations, []);
        assert.equal(parsed.messages.length, 1, String(raw));
      }
      const hostile = { version: 1, get permissions(): never { throw new Error('boom'); } };
      assert.deepEqual(parseServerDeclarations(hostile).declarations, []);
    });

    it('keeps at most 100 entries and clips reasons to 500 characters on one line', () => {
      const many = Array.from({ length: 150 }, (_, i) => ({ kind: 'net', target: `h${i}.example.com`, reason: `${'x'.repeat(600)}\nline two` }));
      const { declarations, messages } = parseServerDeclarations({ version: 1, permissions: many });
      assert.equal(declarations.length, MAX_SERVER_DECLARATIONS);
      assert.match(messages[0] ?? '', /150 permissions; only the first 100/);
      assert.equal(declarations[0]!.reason!.length, MAX_REASON_CHARS);
      assert.ok(!declarations[0]!.reason!.includes('\n'));
      assert.equal(parseServerDeclarations({ version: 1, permissions: [{ kind: 'net', target: 'a.com', reason: 'one\u001b[31mtwo' }] }).declarations[0]?.reason, 'one [31mtwo');
    });
  });
});
