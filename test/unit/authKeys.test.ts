import * as assert from 'node:assert/strict';
import { accountKey, clientKey, expiresWithin, parseAuthKey, parseStored, resourceOf, tokensKey, withExpiry } from '../../src/core/auth/authKeys';

describe('auth storage keys', () => {
  it('keys tokens by issuer and resource, and a fragment does not make another resource', () => {
    const key = tokensKey('https://as.example', 'https://mcp.example/mcp#x');
    assert.equal(key, 'mcpWarden.oauth/tokens/https://as.example https://mcp.example/mcp');
    assert.notEqual(tokensKey('https://as.example', 'https://mcp.example/a'), tokensKey('https://as.example', 'https://mcp.example/b'));
    assert.notEqual(tokensKey('https://as1.example', 'https://mcp.example/a'), tokensKey('https://as2.example', 'https://mcp.example/a'));
  });

  it('keys client registrations by issuer and redirect URI', () => {
    assert.notEqual(clientKey('https://as.example', 'http://127.0.0.1:1/callback'), clientKey('https://as.example', 'http://127.0.0.1:2/callback'));
  });

  it('parses what it writes, and nothing else', () => {
    assert.deepEqual(parseAuthKey(tokensKey('https://as.example/t', 'https://mcp.example/mcp')), { kind: 'tokens', issuer: 'https://as.example/t', resource: 'https://mcp.example/mcp' });
    assert.deepEqual(parseAuthKey(clientKey('https://as.example', 'm2m')), { kind: 'client', issuer: 'https://as.example', redirectUri: 'm2m' });
    assert.deepEqual(parseAuthKey(accountKey('https://mcp.example/mcp')), { kind: 'account', resource: 'https://mcp.example/mcp' });
    assert.equal(parseAuthKey('mcpWarden.input/x'), undefined);
    assert.equal(parseAuthKey('mcpWarden.oauth/tokens/no-space'), undefined);
  });

  it('computes expires_at from expires_in at save time and tells when it is near', () => {
    const issued = { access_token: 'a', token_type: 'Bearer', expires_in: 120 };
    const tokens = withExpiry(issued, 1_000);
    assert.equal(tokens.expires_at, 121_000);
    assert.equal(expiresWithin(tokens, 60_000, 60_000), false);
    assert.equal(expiresWithin(tokens, 61_000, 60_000), true);
    const noExpiry: { access_token: string; expires_in?: number } = { access_token: 'a' };
    assert.equal(expiresWithin(withExpiry(noExpiry, 0), 1e12, 60_000), false);
  });

  it('reads damaged stored values as missing', () => {
    assert.equal(parseStored('{not json'), undefined);
    assert.equal(parseStored('"text"'), undefined);
    assert.deepEqual(parseStored('{"a":1}'), { a: 1 });
    assert.equal(resourceOf('https://x.example/p?q=1#f'), 'https://x.example/p?q=1');
  });
});
