import * as assert from 'node:assert/strict';
import { accountKey, clientKey, tokensKey } from '../../src/core/auth/authKeys';
import type { AuthEvent } from '../../src/core/auth/authPorts';
import { accountOf, listAccounts, signOut, signOutEverywhere } from '../../src/node/auth/accounts';
import { MemoryAuthStore } from '../../src/node/auth/memoryAuthStore';

const ISSUER = 'https://as.example';
const RESOURCE = 'https://mcp.example/mcp';
const REDIRECT = 'http://127.0.0.1:4444/callback';

async function signedIn(revocationEndpoint?: string): Promise<MemoryAuthStore> {
  const store = new MemoryAuthStore();
  await store.set(tokensKey(ISSUER, RESOURCE), JSON.stringify({ access_token: 'at-secret', refresh_token: 'rt-secret', token_type: 'Bearer', scope: 'read', expires_at: 5000 }));
  await store.set(accountKey(RESOURCE), JSON.stringify({ issuer: ISSUER, servers: ['github'], redirectUri: REDIRECT, ...(revocationEndpoint && { revocationEndpoint }) }));
  await store.set(clientKey(ISSUER, REDIRECT), JSON.stringify({ client_id: 'dyn-1' }));
  return store;
}

describe('auth accounts', () => {
  it('summarizes an account without any token', async () => {
    const store = await signedIn();
    const account = await accountOf(store, `${RESOURCE}#frag`);
    assert.deepEqual(account, { issuer: ISSUER, resource: RESOURCE, scope: 'read', expiresAt: 5000, hasRefreshToken: true });
    assert.doesNotMatch(JSON.stringify(await listAccounts(store)), /secret/);
    assert.equal(await accountOf(store, 'https://other.example/mcp'), undefined);
  });

  it('revokes the access token when revoking the refresh token failed', async () => {
    const store = await signedIn('https://as.example/revoke');
    const posted: string[] = [];
    const fakeFetch = (async (_url: URL, init: RequestInit) => {
      posted.push(String(init.body));
      return new Response(null, { status: posted.length === 1 ? 400 : 200 });
    }) as unknown as typeof fetch;
    assert.equal(await signOut(store, RESOURCE, { fetch: fakeFetch }), true);
    assert.deepEqual(posted, ['token=rt-secret&token_type_hint=refresh_token&client_id=dyn-1', 'token=at-secret&token_type_hint=access_token&client_id=dyn-1']);
  });

  it('revokes the refresh token (its grant and access tokens go with it, RFC 7009 §2.1), then forgets them but keeps the registration', async () => {
    const store = await signedIn('https://as.example/revoke');
    const posted: string[] = [];
    const fakeFetch = (async (_url: URL, init: RequestInit) => {
      posted.push(String(init.body));
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const events: AuthEvent[] = [];
    assert.equal(await signOut(store, RESOURCE, { fetch: fakeFetch, record: (e) => events.push(e) }), true);
    assert.deepEqual(posted, ['token=rt-secret&token_type_hint=refresh_token&client_id=dyn-1']);
    assert.equal(await accountOf(store, RESOURCE), undefined);
    assert.deepEqual([...store.values.keys()].sort(), [accountKey(RESOURCE), clientKey(ISSUER, REDIRECT)].sort());
    // What stays of the account is the redirect URI the registration is kept under, so it is used again.
    assert.deepEqual(JSON.parse(store.values.get(accountKey(RESOURCE))!), { issuer: ISSUER, servers: [], redirectUri: REDIRECT });
    assert.equal(events[0]?.action, 'signed-out');
    assert.doesNotMatch(JSON.stringify(events), /secret/);
  });

  it('forgets the tokens even when revocation fails', async () => {
    const store = await signedIn('https://as.example/revoke');
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    assert.equal(await signOut(store, RESOURCE, { fetch: failing }), true);
    assert.equal(await store.get(tokensKey(ISSUER, RESOURCE)), undefined);
  });

  it('signs out everywhere and keeps nothing of OAuth', async () => {
    const store = await signedIn();
    await store.set('mcpWarden.input/other', 'kept');
    assert.equal(await signOutEverywhere(store), 1);
    assert.deepEqual([...store.values.keys()], ['mcpWarden.input/other']);
  });
});
