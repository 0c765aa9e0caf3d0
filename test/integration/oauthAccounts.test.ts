// Accounts after a real sign-in: what the Servers view shows (no token), Sign Out (tokens gone from the store,
// revoked at the AS, the next start signs in again) and Sign Out Everywhere (every oauth key gone, nothing else).
import * as assert from 'node:assert/strict';
import { accountOf, listAccounts, signOut, signOutEverywhere } from '../../src/node/auth/accounts';
import { disposeOAuthRuns, isRunning, oauthServer, preRegisteredClient, startOAuthServers, startWarden, until } from './oauthHarness';

describe('oauth accounts', function () {
  this.timeout(60_000);
  afterEach(disposeOAuthRuns);

  it('oauth: sign out removes the tokens, revokes them at the AS, and the next start needs sign-in', async () => {
    const servers = await startOAuthServers();
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');
    const tokens = warden.store.tokensFor(servers.url)!;

    const account = await accountOf(warden.store, servers.url);
    assert.equal(account?.issuer, servers.issuer);
    assert.equal(account?.resource, servers.url);
    assert.equal(account?.hasRefreshToken, true);
    assert.ok(!JSON.stringify(account).includes(tokens.access_token) && !JSON.stringify(account).includes(tokens.refresh_token!));

    await signOut(warden.store, servers.url);

    assert.equal(warden.store.tokensFor(servers.url), undefined);
    assert.deepEqual(warden.store.oauthKeys().filter((k) => k.includes('/tokens/')), []);
    // What stays of the account is the redirect URI its registration is kept under: no token, no server.
    const left = warden.store.oauthKeys().filter((k) => k.includes('/account/'));
    assert.deepEqual(left.map((k) => Object.keys(JSON.parse(warden.store.entries.get(k)!)).sort()), [['issuer', 'loopbackPort', 'redirectUri', 'servers']]);
    assert.equal(await accountOf(warden.store, servers.url), undefined);
    assert.equal(await servers.as.refreshTokenActive(tokens.refresh_token!), false, 'revoked at the AS');

    await warden.registry.restart('remote');
    await until(() => warden.browser.asked.length === 2, 'a new sign-in request');
    assert.equal(warden.browser.asked[1]!.reason, 'sign-in');
    await warden.waitFor('remote', isRunning, 'running after signing in again');
  });

  it('oauth: sign out everywhere empties every oauth key and leaves other secrets alone', async () => {
    const servers = await startOAuthServers({ second: true });
    const warden = await startWarden({ first: oauthServer(servers.url), second: oauthServer(servers.second!.url) }, { autostart: false });
    await warden.store.set('someone-else/secret', 'kept');
    await warden.registry.start('first');
    await warden.waitFor('first', isRunning, 'running');
    await warden.registry.start('second');
    await warden.waitFor('second', isRunning, 'running');
    assert.deepEqual((await listAccounts(warden.store)).map((a) => a.resource).sort(), [servers.url, servers.second!.url].sort());

    await signOutEverywhere(warden.store);

    assert.deepEqual(warden.store.oauthKeys(), []);
    assert.deepEqual(await listAccounts(warden.store), []);
    assert.equal(await warden.store.get('someone-else/secret'), 'kept');
  });

  it('oauth: sign out of a server with a pre-registered client (id and secret) revokes its refresh token at the AS', async () => {
    const secret = 'accounts-preregistered-secret-2c9d';
    const servers = await startOAuthServers({
      clients: [
        preRegisteredClient('warden-accounts', secret),
      ],
    });
    const warden = await startWarden(
      { remote: oauthServer(servers.url, { clientId: 'warden-accounts', clientSecret: '${input:accountsSecret}' }) },
      { inputs: { accountsSecret: secret } },
    );
    await warden.waitFor('remote', isRunning, 'running');
    const tokens = warden.store.tokensFor(servers.url)!;
    assert.equal(await servers.as.refreshTokenActive(tokens.refresh_token!), true);

    await signOut(warden.store, servers.url);

    assert.equal(warden.store.tokensFor(servers.url), undefined);
    const revocations = servers.as.requests.filter((r) => r.path === '/token/revocation');
    assert.ok(revocations.length > 0, 'asked the AS to revoke');
    assert.deepEqual(revocations.map((r) => r.status), revocations.map(() => 200), 'the AS accepted the revocation (client authenticated)');
    assert.equal(await servers.as.refreshTokenActive(tokens.refresh_token!), false, 'the grant no longer works at the AS');
  });
});
