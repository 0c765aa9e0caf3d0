import * as assert from 'node:assert/strict';
import { UriTemplate } from '../../../../src/core/content/uriTemplate';

// The examples of RFC 6570, section 3.2 (string values).
const values = { var: 'value', hello: 'Hello World!', path: '/foo/bar', x: '1024', y: '768', empty: '' };
const examples: [string, string][] = [
  ['{var}', 'value'],
  ['{hello}', 'Hello%20World%21'],
  ['{+hello}', 'Hello%20World!'],
  ['{+path}/here', '/foo/bar/here'],
  ['here?ref={+path}', 'here?ref=/foo/bar'],
  ['X{#var}', 'X#value'],
  ['{x,y}', '1024,768'],
  ['{x,hello,y}', '1024,Hello%20World%21,768'],
  ['{+x,hello,y}', '1024,Hello%20World!,768'],
  ['{#x,hello,y}', '#1024,Hello%20World!,768'],
  ['X{.var}', 'X.value'],
  ['X{.x,y}', 'X.1024.768'],
  ['{/var}', '/value'],
  ['{/var,x}/here', '/value/1024/here'],
  ['{;x,y}', ';x=1024;y=768'],
  ['{;x,y,empty}', ';x=1024;y=768;empty'],
  ['{?x,y}', '?x=1024&y=768'],
  ['{?x,y,empty}', '?x=1024&y=768&empty='],
  ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
  ['{var:3}', 'val'],
  ['{var:30}', 'value'],
  ['{+path:6}/here', '/foo/b/here'],
  ['{?undefined}', ''],
  ['{/var*}', '/value'],
];

describe('URI templates (RFC 6570)', () => {
  for (const [template, expected] of examples) {
    it(`${template} → ${expected || '(nothing)'}`, () => assert.equal(new UriTemplate(template).expand(values), expected));
  }

  it('lists each variable once, in order, without modifiers', () => {
    assert.deepEqual(new UriTemplate('demo://{owner}/{repo:3}{?owner,page*}').variables, ['owner', 'repo', 'page']);
  });

  it('encodes what a user types so it cannot leave its variable', () => {
    assert.equal(new UriTemplate('demo://resource/{id}').expand({ id: '../../etc/passwd?x#y' }), 'demo://resource/..%2F..%2Fetc%2Fpasswd%3Fx%23y');
    assert.equal(new UriTemplate('demo://{id}').expand({ id: 'é😀' }), 'demo://%C3%A9%F0%9F%98%80');
  });

  it('refuses templates that are not RFC 6570', () => {
    assert.throws(() => new UriTemplate('x://{unclosed'), /not closed/);
    assert.throws(() => new UriTemplate('x://}{a}'), /without its/);
    assert.throws(() => new UriTemplate('x://{a b}'), /not a variable/);
  });
});
