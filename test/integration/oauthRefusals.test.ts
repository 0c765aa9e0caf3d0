// What MCP Warden refuses or gives up cleanly: metadata that names another issuer (a mix-up), an http issuer off
// loopback, the user cancelling in the notification, a browser sign-in that never finishes. And what it does not
// count against the server: the time the user takes to sign in is not part of the start deadline.
import * as assert from 'node:assert/strict';
import { HeadlessBrowser } from '../support/oauthBrowser';
import {
  asCalls,
  disposeOAuthRuns,
  failureOf,
  hasFailed,
  isRunning,
  oauthServer,
  startHostileMetadata,
  startOAuthServers,
  startWarden,
  textOf,
} from './oauthHarness';

describe('oauth refusals', function () {
  this.timeout(60_000);
  afterEach(disposeOAuthRuns);

  it('oauth: authorization server metadata naming another issuer is rejected before any sign-in', async () => {
    const servers = await startOAuthServers();
    // Served from its own URL, it claims to be the real AS (whose endpoints it lists): RFC 8414 §3.3 forbids that.
    const hostile = await startHostileMetadata(servers.issuer);
    const lured = await servers.protectedBy([hostile.url]);
    const warden = await startWarden({ remote: oauthServer(lured.url) });
    const failed = await warden.waitFor('remote', hasFailed, 'failed');

    assert.match(failureOf(failed) ?? '', /issuer/i);
    assert.ok(hostile.requests.length > 0, 'the metadata was fetched');
    assert.equal(warden.browser.visits.length, 0, 'no browser visit');
    assert.deepEqual(
      servers.as.requests.filter((r) => !r.path.startsWith('/.well-known/') && r.path !== '/jwks').map((r) => `${r.method} ${r.path}`),
      [],
      'nothing was sent to the endpoints the lie pointed at',
    );
    assert.deepEqual(warden.store.oauthKeys().filter((k) => k.includes('/tokens/')), []);
  });

  for (const [what, methods] of [
    ['offers only plain', ['plain']],
    ['says nothing of PKCE', undefined],
  ] as const) {
    it(`oauth: an authorization server that ${what} (no S256 advertised) is refused before the browser opens`, async () => {
      const servers = await startOAuthServers();
      // Honest about its issuer, but not advertising S256: a downgrade MCP Warden does not follow.
      const weak = await startHostileMetadata(servers.issuer, 'self', { code_challenge_methods_supported: methods });
      const lured = await servers.protectedBy([weak.url]);
      const warden = await startWarden({ remote: oauthServer(lured.url) });
      const failed = await warden.waitFor('remote', hasFailed, 'failed');

      assert.match(failureOf(failed) ?? '', /S256/);
      assert.ok(weak.requests.length > 0, 'the metadata was fetched');
      assert.equal(warden.browser.visits.length, 0, 'no browser visit');
      assert.deepEqual(warden.store.oauthKeys().filter((k) => k.includes('/tokens/')), []);
    });
  }

  it('oauth: an http issuer outside loopback is rejected', async () => {
    const servers = await startOAuthServers();
    const lured = await servers.protectedBy(['http://auth.mcp-warden.invalid']);
    const warden = await startWarden({ remote: oauthServer(lured.url) });
    const failed = await warden.waitFor('remote', hasFailed, 'failed');

    // Refused for being http, not for failing to resolve (.invalid never resolves: only the reason tells them apart).
    assert.match(failureOf(failed) ?? '', /https/i);
    assert.match(failureOf(failed) ?? '', /auth\.mcp-warden\.invalid/);
    assert.equal(warden.browser.visits.length, 0);
    assert.deepEqual(warden.store.oauthKeys().filter((k) => k.includes('/tokens/')), []);
  });

  it('oauth: cancel in the notification → a start error saying so, nothing stored, no browser', async () => {
    const servers = await startOAuthServers();
    const browser = new HeadlessBrowser({ kind: 'cancel' });
    const warden = await startWarden({ remote: oauthServer(servers.url) }, { browser });
    const failed = await warden.waitFor('remote', hasFailed, 'failed');

    assert.equal(failed.state.kind, 'error', 'a permanent error, not a retry that asks again');
    assert.match(failureOf(failed) ?? '', /cancel/i);
    assert.match(failureOf(failed) ?? '', /Sign In/);
    assert.equal(browser.asked.length, 1);
    assert.equal(browser.visits.length, 0);
    assert.equal(asCalls(servers, 'POST', '/token').length, 0);
    assert.deepEqual(warden.store.oauthKeys().filter((k) => k.includes('/tokens/')), []);
  });

  it('oauth: a browser sign-in that never finishes times out cleanly and closes the loopback receiver', async () => {
    const servers = await startOAuthServers();
    const browser = new HeadlessBrowser({ kind: 'never' });
    const warden = await startWarden({ remote: oauthServer(servers.url) }, { browser, signInTimeoutMs: 1500 });
    const failed = await warden.waitFor('remote', hasFailed, 'failed');

    assert.match(failureOf(failed) ?? '', /sign[- ]in/i);
    assert.equal(browser.visits.length, 1);
    const redirect = browser.visits[0]!.url.searchParams.get('redirect_uri')!;
    await assert.rejects(fetch(redirect, { signal: AbortSignal.timeout(5000) }), 'the receiver no longer listens');
    assert.deepEqual(warden.store.oauthKeys().filter((k) => k.includes('/tokens/')), []);
  });

  it('oauth: signing in never counts against the start deadline', async () => {
    const servers = await startOAuthServers();
    // The deadline is 2 s; the user takes 4 s in the browser.
    const browser = new HeadlessBrowser({ kind: 'complete', delayMs: 4000 });
    const warden = await startWarden({ remote: oauthServer(servers.url) }, { browser, startupTimeoutMs: 2000 });
    await warden.waitFor('remote', isRunning, 'running');

    assert.ok((warden.states.get('remote') ?? []).some((s) => s.kind === 'needs-sign-in'));
    assert.ok(!(warden.states.get('remote') ?? []).some((s) => s.kind === 'error' || s.kind === 'waiting'), 'no timeout, no retry');
    assert.equal(browser.visits.length, 1);
    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).sub, 'alice');
  });
});
