// Signing in to a real authorization server (oidc-provider) from the real launcher: discovery from the 401, dynamic
// registration (once), PKCE S256 and RFC 8707 `resource` as the AS saw them, the needs-sign-in state, and a client
// registered beforehand. The Client ID Metadata Document path is not here: oidc-provider cannot fetch client ids that
// are URLs, so CIMD is covered by the conformance suite's auth/basic-cimd scenario.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signOut } from '../../src/node/auth/accounts';
import { HeadlessBrowser } from '../support/oauthBrowser';
import {
  asCalls,
  authEvents,
  claimsOf,
  disposeOAuthRuns,
  failureOf,
  hasFailed,
  isRunning,
  oauthServer,
  preRegisteredClient,
  startOAuthServers,
  startWarden,
  textOf,
  until,
} from './oauthHarness';

describe('oauth sign-in', function () {
  this.timeout(60_000);
  afterEach(disposeOAuthRuns);

  it('oauth: discovers the AS from the 401, registers once, signs in with PKCE S256 and resource, and starts with its tools', async () => {
    const servers = await startOAuthServers();
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    const running = await warden.waitFor('remote', isRunning, 'running');

    // The state passed through needs-sign-in, naming the issuer, before running.
    const kinds = (warden.states.get('remote') ?? []).map((s) => s.kind);
    const waiting = kinds.indexOf('needs-sign-in');
    assert.ok(waiting >= 0 && waiting < kinds.lastIndexOf('running'), `states: ${kinds.join(' → ')}`);
    const signIn = warden.states.get('remote')!.find((s) => s.kind === 'needs-sign-in');
    assert.deepEqual(signIn && { issuer: signIn.issuer, reason: signIn.reason }, { issuer: servers.issuer, reason: 'sign-in' });
    assert.deepEqual(warden.browser.asked.map((r) => [r.server, r.issuer, r.reason]), [['remote', servers.issuer, 'sign-in']]);

    // Discovery: the metadata URL of the 401 (RFC 9728), then the AS metadata (RFC 8414 or OpenID).
    assert.ok(servers.requests.some((r) => r.method === 'POST' && r.authorization === undefined), 'a first request without a token');
    assert.ok(servers.requests.some((r) => r.method === 'GET' && r.path === '/.well-known/oauth-protected-resource/mcp'));
    assert.ok(servers.as.requests.some((r) => r.method === 'GET' && /^\/\.well-known\/(oauth-authorization-server|openid-configuration)/.test(r.path)));

    // Dynamic registration, once.
    const registrations = asCalls(servers, 'POST', '/reg');
    assert.equal(registrations.length, 1);
    assert.equal(registrations[0]!.status, 201);

    // The authorization request the browser was sent with: PKCE S256, resource, the challenge's scope, loopback.
    assert.equal(warden.browser.visits.length, 1);
    const visit = warden.browser.visits[0]!;
    const authorization = visit.url.searchParams;
    assert.equal(authorization.get('code_challenge_method'), 'S256');
    assert.match(authorization.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.equal(authorization.get('resource'), servers.url);
    assert.ok((authorization.get('scope') ?? '').split(' ').includes('mcp:tools'), `scope ${authorization.get('scope')}`);
    const redirect = new URL(authorization.get('redirect_uri') ?? '');
    assert.equal(redirect.hostname, '127.0.0.1');
    assert.deepEqual(visit.prompts, ['login', 'consent']);
    // The AS answered with its issuer (RFC 9207) and a code, to MCP Warden's loopback receiver.
    assert.equal(visit.callback?.searchParams.get('iss'), servers.issuer);
    assert.ok(visit.callback?.searchParams.get('code'));

    // The token request: the verifier matches the challenge, and the same resource.
    const exchanges = asCalls(servers, 'POST', '/token').filter((r) => r.body['grant_type'] === 'authorization_code');
    assert.equal(exchanges.length, 1);
    const exchange = exchanges[0]!;
    assert.equal(exchange.status, 200);
    assert.equal(exchange.body['resource'], servers.url);
    assert.equal(createHash('sha256').update(exchange.body['code_verifier'] ?? '').digest('base64url'), authorization.get('code_challenge'));

    // The server runs with its tools, and a call carries the token minted for it.
    assert.deepEqual(running.catalog.tools.map((t) => t.name).sort(), ['admin_stats', 'stubborn', 'whoami']);
    const who = JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))) as { sub: string; client_id: string };
    assert.equal(who.sub, 'alice');
    assert.equal(who.client_id, authorization.get('client_id'));
    const stored = warden.store.tokensFor(servers.url);
    assert.ok(stored, `tokens stored under the issuer and resource: ${warden.store.oauthKeys().join(', ')}`);
    assert.equal(claimsOf(stored.access_token)['aud'], servers.url);
  });

  it('oauth: a second sign-in reuses the dynamic registration', async () => {
    const servers = await startOAuthServers();
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');
    const firstClient = warden.browser.visits[0]!.url.searchParams.get('client_id');

    // The tokens are gone (expired and not refreshable, say); the registration stays.
    for (const key of warden.store.oauthKeys().filter((k) => k.startsWith('mcpWarden.oauth/tokens/'))) await warden.store.delete(key);
    await warden.registry.restart('remote');
    await until(() => warden.browser.visits.length === 2 || warden.server('remote').state.kind === 'error', 'a second browser visit');
    await warden.waitFor('remote', isRunning, 'running again');

    assert.equal(asCalls(servers, 'POST', '/reg').length, 1, 'registered once');
    assert.equal(warden.browser.visits[1]!.url.searchParams.get('client_id'), firstClient);
    assert.equal(warden.browser.asked.length, 2);
    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).client_id, firstClient);
  });

  it('oauth: behind a forwarded callback address (code-server, remote windows) a later sign-in keeps the address and the registration', async () => {
    const servers = await startOAuthServers();
    const proxy = await startPortProxy();
    const browser = new ForwardedBrowser(proxy.url);
    const warden = await startWarden({ remote: oauthServer(servers.url) }, { browser });
    await warden.waitFor('remote', isRunning, 'running');
    const first = warden.browser.visits[0]!.url.searchParams.get('redirect_uri');
    assert.match(first ?? '', /\/proxy\/\d+\/callback$/, 'the browser came back through the forwarded address');

    await warden.registry.stop('remote');
    await signOut(warden.store, servers.url);
    await warden.registry.start('remote');
    await warden.waitFor('remote', isRunning, 'running again');

    assert.equal(warden.browser.visits[1]!.url.searchParams.get('redirect_uri'), first, 'the same forwarded address');
    assert.equal(asCalls(servers, 'POST', '/reg').length, 1, 'registered once');
    assert.ok(proxy.forwarded >= 2, 'both callbacks went through the forwarding');
  });

  it('oauth: a pre-registered client id and its secret (an ${input:…}) are used, with no dynamic registration', async () => {
    const secret = 'pre-registered-secret-7d1c0b5a9e';
    const servers = await startOAuthServers({
      clients: [
        preRegisteredClient('warden-preregistered', secret),
      ],
    });
    const warden = await startWarden(
      { remote: oauthServer(servers.url, { clientId: 'warden-preregistered', clientSecret: '${input:remoteClientSecret}' }) },
      { inputs: { remoteClientSecret: secret } },
    );
    await warden.waitFor('remote', isRunning, 'running');

    assert.equal(asCalls(servers, 'POST', '/reg').length, 0, 'no dynamic registration');
    assert.equal(warden.browser.visits[0]!.url.searchParams.get('client_id'), 'warden-preregistered');
    const exchange = asCalls(servers, 'POST', '/token').find((r) => r.body['grant_type'] === 'authorization_code');
    assert.equal(exchange?.status, 200);
    // The secret authenticated the client (client_secret_basic), and PKCE still went along.
    const basic = Buffer.from((exchange.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    assert.equal(basic, `warden-preregistered:${secret}`);
    assert.ok(exchange.body['code_verifier']);
    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).client_id, 'warden-preregistered');
    assert.ok(!warden.states.get('remote')!.some((s) => s.kind === 'error'));
    assert.ok(warden.states.get('remote')!.some((s) => s.kind === 'needs-sign-in'));
  });

  it('oauth: an AS with no dynamic registration: the user is asked for the client id once, outside the start deadline', async () => {
    const servers = await startOAuthServers({
      registration: false,
      clients: [{ ...preRegisteredClient('warden-public', ''), client_secret: undefined, token_endpoint_auth_method: 'none' }],
    });
    const metadata = (await (await fetch(`${servers.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata['registration_endpoint'], undefined, 'the AS offers no registration');
    const browser = new HeadlessBrowser();
    browser.clientId = 'warden-public';
    const warden = await startWarden({ remote: oauthServer(servers.url) }, { startupTimeoutMs: 3000, browser });
    await warden.waitFor('remote', isRunning, 'running');

    assert.deepEqual(warden.browser.askedForClientId, [servers.issuer]);
    assert.equal(warden.browser.visits[0]!.url.searchParams.get('client_id'), 'warden-public');
    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).client_id, 'warden-public');
    assert.ok(authEvents(warden.audited).some((e) => e.action === 'client-registered' && e['client'] === 'entered'));
    // Kept like a registration: signing in again (after a sign-out) does not ask again.
    await warden.registry.stop('remote');
    await signOut(warden.store, servers.url);
    await warden.registry.start('remote');
    await warden.waitFor('remote', isRunning, 'running again');
    assert.equal(warden.browser.askedForClientId.length, 1);
    assert.equal(warden.browser.visits.length, 2);
  });

  it('oauth: an AS with no dynamic registration and no client id entered: a start error naming oauth.clientId', async () => {
    const servers = await startOAuthServers({ registration: false });
    const warden = await startWarden({ remote: oauthServer(servers.url) });
    const failed = await warden.waitFor('remote', hasFailed, 'failed');
    assert.deepEqual(warden.browser.askedForClientId, [servers.issuer]);
    assert.match(failureOf(failed) ?? '', /oauth\.clientId/);
    assert.equal(warden.browser.visits.length, 0);
  });

  it('oauth: an AS that offers DPoP and a server that takes only Bearer tokens (no DPoP in its metadata): the server starts', async () => {
    // oidc-provider's default, and common (Keycloak too); the MCP server is the SDK's requireBearerAuth.
    const servers = await startOAuthServers({ dpop: true });
    const metadata = (await (await fetch(`${servers.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.ok(Array.isArray(metadata['dpop_signing_alg_values_supported']), 'the AS offers DPoP');
    const prm = (await (await fetch(`${new URL(servers.url).origin}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    assert.equal(prm['dpop_bound_access_tokens_required'], undefined);
    assert.equal(prm['dpop_signing_alg_values_supported'], undefined, 'the resource does not say it takes DPoP');

    const warden = await startWarden({ remote: oauthServer(servers.url) });
    await warden.waitFor('remote', isRunning, 'running');

    assert.equal(JSON.parse(textOf(await warden.registry.callTool('remote', 'whoami', {}))).sub, 'alice');
    assert.ok(servers.requests.filter((r) => r.authorization).every((r) => r.authorization!.startsWith('Bearer ')));
  });
});

/** What code-server's asExternalUri does to a loopback URL: its own address, the port only inside the path. */
class ForwardedBrowser extends HeadlessBrowser {
  constructor(private readonly proxyUrl: string) {
    super();
  }
  async externalUrl(url: string): Promise<string> {
    const local = new URL(url);
    return `${this.proxyUrl}/proxy/${local.port}${local.pathname}`;
  }
}

/** A forwarder like code-server's `/proxy/<port>/…`: GET requests to a loopback port, answered as that port answers. */
async function startPortProxy(): Promise<{ url: string; forwarded: number }> {
  const state = { url: '', forwarded: 0 };
  const server = createServer((req, res) => {
    const match = /^\/proxy\/(\d+)(\/.*)$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    state.forwarded++;
    void fetch(`http://127.0.0.1:${match[1]}${match[2]}`).then(
      async (answer) => res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(await answer.text()),
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxies.push(server);
  return state;
}

const proxies: Server[] = [];
afterEach(() => {
  for (const server of proxies.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});
