import * as assert from 'node:assert/strict';
import { accountKey, clientKey, parseStored, tokensKey, type AccountIndex } from '../../src/core/auth/authKeys';
import type { AuthEvent } from '../../src/core/auth/authPorts';
import { DEFAULT_OAUTH_SETTINGS } from '../../src/core/auth/oauthSettings';
import { MemoryAuthStore } from '../../src/node/auth/memoryAuthStore';
import { WardenOAuthProvider } from '../../src/node/auth/wardenOAuthProvider';

const ISSUER = 'https://as.example';
const SERVER_URL = 'https://mcp.example/mcp';
const REDIRECT = 'http://127.0.0.1:4444/callback';

function provider(store = new MemoryAuthStore(), extra: Partial<ConstructorParameters<typeof WardenOAuthProvider>[0]> = {}) {
  const events: AuthEvent[] = [];
  const secrets: string[] = [];
  const p = new WardenOAuthProvider({
    server: 'github',
    serverUrl: SERVER_URL,
    store,
    settings: DEFAULT_OAUTH_SETTINGS,
    redirectUri: REDIRECT,
    record: (e) => events.push(e),
    addSecrets: (v) => secrets.push(...v),
    now: () => 1_000,
    ...extra,
  });
  return { p, store, events, secrets };
}

describe('auth WardenOAuthProvider', () => {
  it('describes a native client with its loopback redirect URI and refresh tokens', () => {
    const { p } = provider();
    const metadata = p.clientMetadata;
    assert.equal(metadata.application_type, 'native');
    assert.deepEqual(metadata.redirect_uris, [REDIRECT]);
    assert.deepEqual(metadata.grant_types, ['authorization_code', 'refresh_token']);
  });

  it('stores tokens under issuer and resource with expires_at, indexes the account, and hides the tokens', async () => {
    const { p, store, events, secrets } = provider();
    await p.saveTokens({ access_token: 'at-123456', refresh_token: 'rt-123456', token_type: 'Bearer', expires_in: 60, scope: 'read' }, { issuer: ISSUER });
    const stored = parseStored<Record<string, unknown>>(await store.get(tokensKey(ISSUER, SERVER_URL)));
    assert.equal(stored?.['expires_at'], 61_000);
    assert.equal(stored?.['issuer'], ISSUER);
    const account = parseStored<AccountIndex>(await store.get(accountKey(SERVER_URL)));
    assert.deepEqual(account, { issuer: ISSUER, servers: ['github'], redirectUri: REDIRECT });
    assert.deepEqual(secrets, ['at-123456', 'rt-123456']);
    assert.deepEqual(events, [{ server: 'github', action: 'signed-in', issuer: ISSUER, resource: SERVER_URL, scope: 'read' }]);
    assert.doesNotMatch(JSON.stringify(events), /at-123456|rt-123456/);

    // A second provider (the next launch) finds them without a context, as the transport asks.
    const next = provider(store).p;
    assert.equal((await next.tokens())?.access_token, 'at-123456');
    assert.equal((await next.tokens({ issuer: 'https://other.example' }))?.access_token, undefined);
  });

  it('records a later save as a refresh, and an invalidation as a failed refresh that asks to sign in again', async () => {
    const { p, events, store } = provider();
    await p.saveTokens({ access_token: 'at-1111', refresh_token: 'rt-1111', token_type: 'Bearer' }, { issuer: ISSUER });
    await p.saveTokens({ access_token: 'at-2222', refresh_token: 'rt-2222', token_type: 'Bearer' }, { issuer: ISSUER });
    assert.equal(events[1]?.action, 'refreshed');
    await p.invalidateCredentials('tokens');
    assert.equal(await store.get(tokensKey(ISSUER, SERVER_URL)), undefined);
    assert.equal(events[2]?.action, 'refresh-failed');
    assert.equal(p.nextReason, 'expired');
  });

  it('keeps a dynamic registration per issuer and redirect URI', async () => {
    const { p, store, events } = provider();
    await p.saveClientInformation({ client_id: 'dyn-1', client_secret: 'cs-123456' }, { issuer: ISSUER });
    assert.ok(await store.get(clientKey(ISSUER, REDIRECT)));
    assert.equal((await p.clientInformation({ issuer: ISSUER }))?.client_id, 'dyn-1');
    assert.equal(await p.clientInformation({ issuer: 'https://other.example' }), undefined);
    p.setRedirectUri('http://127.0.0.1:5555/callback');
    assert.equal(await p.clientInformation({ issuer: ISSUER }), undefined);
    assert.deepEqual(events.map((e) => [e.action, e.client]), [['client-registered', 'dynamic']]);
  });

  it('uses a configured client id (and its secret) before anything else, and never stores it', async () => {
    const store = new MemoryAuthStore();
    const { p } = provider(store, { settings: { ...DEFAULT_OAUTH_SETTINGS, clientId: 'pre' }, clientSecret: 'shh-secret', clientMetadataUrl: 'https://warden.example/cimd.json' });
    assert.deepEqual(await p.clientInformation({ issuer: ISSUER }), { client_id: 'pre', client_secret: 'shh-secret', issuer: ISSUER });
    assert.equal(p.clientMetadataUrl, undefined);
    await p.saveClientInformation({ client_id: 'pre', issuer: ISSUER }, { issuer: ISSUER });
    assert.equal(store.values.size, 0);
  });

  it('offers the metadata document URL when no client id is configured, and names that identity', () => {
    const { p } = provider(undefined, { clientMetadataUrl: 'https://warden.example/cimd.json' });
    assert.equal(p.clientMetadataUrl, 'https://warden.example/cimd.json');
    assert.equal(p.identityOf('https://warden.example/cimd.json'), 'metadata-document');
    assert.equal(p.identityOf('abc'), 'dynamic');
  });

  it('holds the authorization URL for the hand-off instead of opening anything', () => {
    const { p } = provider();
    p.redirectToAuthorization(new URL('https://as.example/authorize?state=x'));
    assert.equal(p.hasPendingAuthorization, true);
    assert.equal(p.takePendingAuthorization()?.href, 'https://as.example/authorize?state=x');
    assert.equal(p.takePendingAuthorization(), undefined);
  });

  it('round-trips the verifier and discovery state, and forgets discovery when told', async () => {
    const { p } = provider();
    assert.throws(() => p.codeVerifier());
    p.saveCodeVerifier('v');
    assert.equal(p.codeVerifier(), 'v');
    p.saveDiscoveryState({ authorizationServerUrl: ISSUER });
    assert.equal(p.issuer, ISSUER);
    assert.equal(p.discoveryState()?.authorizationServerUrl, ISSUER);
    await p.invalidateCredentials('discovery');
    assert.equal(p.discoveryState(), undefined);
  });
});
