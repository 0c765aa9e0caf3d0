// Tokens from a real authorization server: bound to one resource and never sent to another (what each server's
// Authorization header carried), refreshed after expiry without the browser (the refresh token rotates), refreshed on
// a 401, and a refresh token the AS revoked leads to one new sign-in (reason `expired`), not a loop of failing calls.
import * as assert from 'node:assert/strict';
import {
  asCalls,
  claimsOf,
  disposeOAuthRuns,
  isRunning,
  oauthServer,
  startOAuthServers,
  startWarden,
  textOf,
  until,
  untilExpired,
  type McpRequest,
} from './oauthHarness';

const bearerOf = (r: McpRequest) => r.authorization?.replace(/^Bearer /, '');

describe('oauth tokens', function () {
  this.timeout(90_000);
  afterEach(disposeOAuthRuns);

  it('oauth: each token is bound to its resource and never sent to a second resource', async () => {
    const servers = await startOAuthServers({ second: true });
    const second = servers.second!;
    const warden = await startWarden({ first: oauthServer(servers.url), second: oauthServer(second.url) }, { autostart: false });
    await warden.registry.start('first');
    await warden.waitFor('first', isRunning, 'running');
    await warden.registry.start('second');
    await warden.waitFor('second', isRunning, 'running');
    await warden.registry.callTool('first', 'whoami', {});
    await warden.registry.callTool('second', 'whoami', {});

    const firstToken = warden.store.tokensFor(servers.url)!.access_token;
    const secondToken = warden.store.tokensFor(second.url)!.access_token;
    assert.equal(claimsOf(firstToken)['aud'], servers.url);
    assert.equal(claimsOf(secondToken)['aud'], second.url);
    assert.notEqual(firstToken, secondToken);
    // Each sign-in asked the AS for its own resource.
    assert.deepEqual(warden.browser.visits.map((v) => v.url.searchParams.get('resource')), [servers.url, second.url]);

    // Every token each server ever received was minted for it.
    const firstSeen = servers.requests.map(bearerOf).filter((t): t is string => Boolean(t));
    const secondSeen = second.requests.map(bearerOf).filter((t): t is string => Boolean(t));
    assert.ok(firstSeen.length > 0 && secondSeen.length > 0);
    assert.deepEqual([...new Set(firstSeen.map((t) => claimsOf(t)['aud']))], [servers.url]);
    assert.deepEqual([...new Set(secondSeen.map((t) => claimsOf(t)['aud']))], [second.url]);
    assert.ok(!secondSeen.includes(firstToken) && !firstSeen.includes(secondToken));
  });

  it('oauth: after the access token expires the next call refreshes it with no browser visit, and the refresh token rotates', async () => {
    const servers = await startOAuthServers({ accessTokenTTL: 3 });
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');
    const before = warden.store.tokensFor(servers.url)!;
    assert.ok(before.refresh_token, 'a refresh token was issued and kept');

    await untilExpired(before.access_token);
    const who = JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))) as { jti: string };

    const after = warden.store.tokensFor(servers.url)!;
    assert.notEqual(after.access_token, before.access_token);
    assert.equal(who.jti, claimsOf(after.access_token)['jti'], 'the call carried the refreshed token');
    assert.ok(after.refresh_token && after.refresh_token !== before.refresh_token, 'the refresh token rotated');
    assert.equal(await servers.as.refreshTokenActive(before.refresh_token), false, 'the AS consumed the old refresh token');
    const refreshes = asCalls(servers, 'POST', '/token').filter((r) => r.body['grant_type'] === 'refresh_token');
    assert.ok(refreshes.length >= 1 && refreshes.every((r) => r.status === 200 && r.body['resource'] === servers.url), JSON.stringify(refreshes.map((r) => [r.status, r.body['resource']])));
    assert.equal(warden.browser.visits.length, 1, 'no browser visit for a refresh');
    assert.equal(warden.browser.asked.length, 1);
    assert.equal(warden.server('remote').state.kind, 'running');
  });

  it('oauth: a token the server rejects with 401 before it expires is refreshed and the call retried', async () => {
    // Long-lived: nothing refreshes it ahead of time; only the server's 401 tells that it no longer works.
    const servers = await startOAuthServers({ accessTokenTTL: 300 });
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');
    const before = warden.store.tokensFor(servers.url)!;
    servers.rejectToken(before.access_token);
    const sentBefore = servers.requests.filter((r) => bearerOf(r) === before.access_token).length;

    const who = JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))) as { jti: string };

    assert.ok(servers.requests.filter((r) => bearerOf(r) === before.access_token).length > sentBefore, 'the rejected token was tried');
    const after = warden.store.tokensFor(servers.url)!;
    assert.notEqual(after.access_token, before.access_token);
    assert.equal(who.jti, claimsOf(after.access_token)['jti'], 'the retried call carried the new token');
    const refreshes = asCalls(servers, 'POST', '/token').filter((r) => r.body['grant_type'] === 'refresh_token');
    assert.equal(refreshes.length, 1);
    assert.equal(refreshes[0]!.body['refresh_token'], before.refresh_token);
    assert.equal(warden.browser.visits.length, 1, 'refreshed, not signed in again');
  });

  it('oauth: a refresh token revoked at the AS leads to one new sign-in (reason expired), not a loop of failing calls', async () => {
    const servers = await startOAuthServers({ accessTokenTTL: 3 });
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');
    const before = warden.store.tokensFor(servers.url)!;
    await servers.as.revokeRefreshToken(before.refresh_token!);
    await untilExpired(before.access_token);

    // The call may wait for the new sign-in or fail once; either way the user is asked again and it then works.
    const first = await warden.registry.callTool('remote', 'whoami', {}).then(
      (r) => ({ ok: true as const, text: textOf(r) }),
      (e: unknown) => ({ ok: false as const, text: e instanceof Error ? e.message : String(e) }),
    );
    await until(() => warden.browser.asked.length >= 2, 'a second sign-in request', 30_000);
    assert.equal(warden.browser.asked[1]!.reason, 'expired');
    assert.equal(warden.browser.asked[1]!.issuer, servers.issuer);
    await warden.waitFor('remote', isRunning, 'running after the new sign-in');
    const who = JSON.parse(first.ok ? first.text : textOf(await warden.registry.callTool('remote', 'whoami', {}))) as { sub: string };
    assert.equal(who.sub, 'alice');

    const withRevoked = asCalls(servers, 'POST', '/token').filter((r) => r.body['refresh_token'] === before.refresh_token);
    assert.ok(withRevoked.length >= 1 && withRevoked.length <= 2, `the revoked refresh token was tried ${withRevoked.length} times`);
    assert.equal(warden.browser.asked.length, 2, 'asked once more, no more');
    assert.equal(warden.browser.visits.length, 2);
    assert.notEqual(warden.store.tokensFor(servers.url)!.refresh_token, before.refresh_token);
  });
});
