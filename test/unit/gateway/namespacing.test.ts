import * as assert from 'node:assert/strict';
import { fnv1a32, NameTable, serverPrefixes, TOOL_NAME_PATTERN, type ServerNames } from '../../../src/core/gateway/namespacing';

function table(servers: ServerNames[]): NameTable {
  return new NameTable(servers);
}

/** Every (server, name) of the input with its qualified name. */
function mapping(servers: ServerNames[]): Record<string, string> {
  const names = table(servers);
  return Object.fromEntries(servers.flatMap((s) => s.names.map((n) => [`${s.server}/${n}`, names.qualify(s.server, n)!])));
}

describe('gateway namespacing', () => {
  it('joins server and tool with __ and parses the name back through the table', () => {
    const names = table([{ server: 'github', names: ['create_issue', 'get.me', 'list-repos'] }]);
    assert.equal(names.qualify('github', 'create_issue'), 'github__create_issue');
    assert.equal(names.qualify('github', 'get.me'), 'github__get.me');
    assert.equal(names.qualify('github', 'list-repos'), 'github__list-repos');
    assert.deepEqual(names.parse('github__create_issue'), { server: 'github', name: 'create_issue' });
    assert.equal(names.parse('github__nope'), undefined);
    assert.equal(names.qualify('gitlab', 'create_issue'), undefined);
  });

  it('replaces characters outside the rule in server ids and tool names, unicode included', () => {
    const names = table([
      { server: 'my server!', names: ['read file', 'café', 'emoji😀'] },
      { server: 'wëb', names: ['ok'] },
    ]);
    assert.equal(names.qualify('my server!', 'read file'), 'my_server___read_file');
    assert.equal(names.qualify('my server!', 'café'), 'my_server___caf_');
    assert.equal(names.qualify('my server!', 'emoji😀'), 'my_server___emoji_');
    assert.equal(names.qualify('wëb', 'ok'), 'w_b__ok');
    assert.deepEqual(names.parse('my_server___caf_'), { server: 'my server!', name: 'café' });
  });

  it('gives servers that sanitize alike _2, _3 in name order, whatever the input order', () => {
    assert.deepEqual(Object.fromEntries(serverPrefixes(['a_b', 'a.b', 'a b'])), { 'a b': 'a_b', 'a.b': 'a_b_2', a_b: 'a_b_3' });
    assert.deepEqual(Object.fromEntries(serverPrefixes(['a b', 'a_b', 'a.b'])), { 'a b': 'a_b', 'a.b': 'a_b_2', a_b: 'a_b_3' });
  });

  it('gives tools of one server that sanitize alike the same suffix rule, skipping names already taken', () => {
    const names = table([{ server: 's', names: ['x_y', 'x y', 'x!y', 'x_y_2'] }]);
    assert.equal(names.qualify('s', 'x y'), 's__x_y');
    assert.equal(names.qualify('s', 'x!y'), 's__x_y_2');
    assert.equal(names.qualify('s', 'x_y'), 's__x_y_3');
    assert.equal(names.qualify('s', 'x_y_2'), 's__x_y_2_2');
    assert.equal(names.size, 4);
  });

  it('never confuses a server named a__b with a tool named b__c: the table decides, not the separator', () => {
    const servers = [
      { server: 'a__b', names: ['c', 'x__y'] },
      { server: 'a', names: ['b__c'] },
    ];
    const names = table(servers);
    assert.equal(names.qualify('a', 'b__c'), 'a__b__c');
    assert.equal(names.qualify('a__b', 'c'), 'a__b__c_2');
    assert.equal(names.qualify('a__b', 'x__y'), 'a__b__x__y');
    // Splitting a__b__x__y at its first or its last __ would both be wrong.
    assert.deepEqual(names.parse('a__b__x__y'), { server: 'a__b', name: 'x__y' });
    assert.deepEqual(names.parse('a__b__c'), { server: 'a', name: 'b__c' });
    assert.deepEqual(names.parse('a__b__c_2'), { server: 'a__b', name: 'c' });
  });

  it('cuts long names to 128 characters with a hash, keeps them apart and keeps the __', () => {
    const long = 'x'.repeat(200);
    const servers = [{ server: 's'.repeat(100), names: [`${long}1`, `${long}2`, 'short'] }];
    const names = table(servers);
    const [first, second, short] = [`${long}1`, `${long}2`, 'short'].map((n) => names.qualify(servers[0]!.server, n)!);
    for (const name of [first!, second!, short!]) {
      assert.match(name, TOOL_NAME_PATTERN);
      assert.ok(name.includes('__'), name);
    }
    assert.equal(first!.length, 128);
    assert.notEqual(first, second);
    assert.match(first!, /_[0-9a-f]{8}$/);
    assert.equal(short!.length, 64 + 2 + 'short'.length, 'the server prefix is cut to 64');
    assert.deepEqual(names.parse(second!), { server: servers[0]!.server, name: `${long}2` });
  });

  it('makes the same names on every call and for every input order', () => {
    const servers: ServerNames[] = [
      { server: 'beta', names: ['t 1', 't_1', 'z'] },
      { server: 'alpha', names: ['q', 'p'] },
      { server: 'Beta', names: ['t_1'] },
      { server: 'be ta', names: ['t_1'] },
    ];
    const reversed = [...servers].reverse().map((s) => ({ ...s, names: [...s.names].reverse() }));
    assert.deepEqual(mapping(servers), mapping(reversed));
    assert.deepEqual(mapping(servers), mapping(servers));
    assert.equal(mapping(servers)['beta/t_1'], 'beta__t_1_2');
    assert.equal(mapping(servers)['be ta/t_1'], 'be_ta__t_1');
  });

  it('hashes with FNV-1a (published test vectors)', () => {
    assert.equal(fnv1a32(''), '811c9dc5');
    assert.equal(fnv1a32('a'), 'e40c292c');
    assert.equal(fnv1a32('foobar'), 'bf9cf968');
  });
});
