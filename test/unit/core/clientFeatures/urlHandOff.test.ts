import * as assert from 'node:assert/strict';
import { urlHandOff } from '../../../../src/core/clientFeatures/urlHandOff';

describe('urlHandOff', () => {
  it('shows an https URL in full, with the host it will reach', () => {
    assert.deepEqual(urlHandOff('https://example.com/sign-in?next=/home#top'), { ok: true, href: 'https://example.com/sign-in?next=/home#top', host: 'example.com', international: false });
    assert.equal(urlHandOff('http://127.0.0.1:8080/cb').ok, true);
  });

  it('shows a lookalike host as punycode, and says it is internationalized', () => {
    assert.deepEqual(urlHandOff('https://exämple.com/x'), { ok: true, href: 'https://xn--exmple-cua.com/x', host: 'xn--exmple-cua.com', international: true });
    // Cyrillic "а" in "pаypal": the user sees xn--, not a perfect copy of the real name.
    const lookalike = urlHandOff('https://p\u0430ypal.com/');
    assert.ok(lookalike.ok && lookalike.host.startsWith('xn--') && lookalike.international);
  });

  it('refuses a URL that hides its host behind user info, naming the real host', () => {
    assert.deepEqual(urlHandOff('https://accounts.example.com@evil.example/login'), { ok: false, reason: 'the URL carries a user name or password before its host (evil.example)' });
    assert.equal(urlHandOff('https://user:pw@example.com/').ok, false);
  });

  it('refuses what is not a web page, or too long to check, saying why', () => {
    assert.deepEqual(urlHandOff('javascript:alert(1)'), { ok: false, reason: '"javascript:alert(1)" is a javascript: link, not a web page' });
    assert.deepEqual(urlHandOff('file:///etc/passwd'), { ok: false, reason: '"file:///etc/passwd" is a file: link, not a web page' });
    assert.deepEqual(urlHandOff('vscode://ms-vscode.remote/x'), { ok: false, reason: '"vscode://ms-vscode.remote/x" is a vscode: link, not a web page' });
    assert.deepEqual(urlHandOff('not a url\u202E'), { ok: false, reason: '"not a url" is not a valid URL' });
    assert.deepEqual(urlHandOff(`https://example.com/${'a'.repeat(3000)}`), { ok: false, reason: 'the URL is longer than 2000 characters' });
  });
});
