// Step-up: a tool that needs more scope answers 403 insufficient_scope; MCP Warden asks the user once more (the AS
// session is still there, so the browser shows consent only), gets a token with the union of scopes, and retries the
// call. A server that keeps answering 403 makes the call fail clearly after the retry limit instead of looping.
import * as assert from 'node:assert/strict';
import { claimsOf, disposeOAuthRuns, isRunning, oauthServer, startOAuthServers, startWarden, textOf } from './oauthHarness';

describe('oauth step-up', function () {
  this.timeout(60_000);
  afterEach(disposeOAuthRuns);

  it('oauth: 403 insufficient_scope → one more browser visit (consent only) → the call succeeds', async () => {
    const servers = await startOAuthServers();
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');
    assert.ok(!String(claimsOf(warden.store.tokensFor(servers.url)!.access_token)['scope']).includes('mcp:admin'));

    const result = JSON.parse(textOf(await warden.registry.callTool('remote', 'admin_stats', {}))) as { admin: boolean; scopes: string[] };

    assert.equal(result.admin, true);
    assert.equal(warden.browser.visits.length, 2);
    assert.deepEqual(warden.browser.visits[1]!.prompts, ['consent'], 'the AS session was reused: consent only');
    const asked = (warden.browser.visits[1]!.url.searchParams.get('scope') ?? '').split(' ');
    assert.ok(asked.includes('mcp:admin') && asked.includes('mcp:tools'), `step-up scope ${asked.join(' ')}`);
    assert.equal(warden.browser.visits[1]!.url.searchParams.get('resource'), servers.url);
    assert.equal(warden.browser.asked[1]?.reason, 'step-up');
    const scope = String(claimsOf(warden.store.tokensFor(servers.url)!.access_token)['scope']).split(' ');
    assert.ok(scope.includes('mcp:admin') && scope.includes('mcp:tools'), `stored token scope ${scope.join(' ')}`);
    // Still usable for the tools that needed less.
    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).sub, 'alice');
    assert.equal(warden.server('remote').state.kind, 'running');
  });

  it('oauth: a server that keeps answering 403 insufficient_scope fails the call clearly after the retry limit', async () => {
    const servers = await startOAuthServers();
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');

    await assert.rejects(warden.registry.callTool('remote', 'stubborn', {}), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /scope/i);
      return true;
    });

    const attempts = servers.requests.filter((r) => r.tool === 'stubborn').length;
    assert.ok(attempts >= 2 && attempts <= 3, `stubborn was called ${attempts} times (one try and at most 2 step-ups)`);
    assert.ok(warden.browser.visits.length <= 3, `${warden.browser.visits.length} browser visits`);
    // The failed call did not take the server down.
    assert.equal(warden.server('remote').state.kind, 'running');
    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).sub, 'alice');
  });
});
