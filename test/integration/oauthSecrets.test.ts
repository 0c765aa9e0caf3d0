// An attacker reading what MCP Warden shows and keeps outside SecretStorage (the audit records, every server's log
// as its output channel gets it, states and error messages) after a full flow (sign-in with a client secret, refresh,
// step-up, a failing call, a failing start with a wrong secret) finds no access token, refresh token, authorization
// code, PKCE verifier or client secret: every one the AS or the server saw is collected and searched for.
import * as assert from 'node:assert/strict';
import {
  authEvents,
  disposeOAuthRuns,
  failureOf,
  hasFailed,
  isRunning,
  oauthServer,
  preRegisteredClient,
  startOAuthServers,
  startWarden,
  untilExpired,
  type Warden,
} from './oauthHarness';

const CLIENT_SECRET = 'warden-client-secret-5f0e9c2d41b7';
const WRONG_SECRET = 'warden-wrong-secret-8a3b6e1f90c4';

describe('oauth secrets', function () {
  this.timeout(90_000);
  afterEach(disposeOAuthRuns);

  it('oauth: no token, code, verifier or client secret reaches the audit, the logs or error messages', async () => {
    const servers = await startOAuthServers({
      accessTokenTTL: 3,
      // 'broken' signs in to a resource of its own: with the first one's tokens it would never use its wrong secret.
      second: true,
      clients: [
        preRegisteredClient('warden-confidential', CLIENT_SECRET),
      ],
    });
    const oauth = (input: string) => ({ clientId: 'warden-confidential', clientSecret: `\${input:${input}}` });
    const warden = await startWarden(
      { remote: oauthServer(servers.url, oauth('good')), broken: oauthServer(servers.second!.url, oauth('wrong')) },
      { autostart: false, inputs: { good: CLIENT_SECRET, wrong: WRONG_SECRET } },
    );
    const errors: string[] = [];
    const call = (tool: string) => warden.registry.callTool('remote', tool, {}).catch((e: unknown) => errors.push(e instanceof Error ? `${e.message}\n${e.stack}` : String(e)));

    await warden.registry.start('remote');
    await warden.waitFor('remote', isRunning, 'running');
    await call('whoami');
    await untilExpired(warden.store.tokensFor(servers.url)!.access_token);
    await call('whoami'); // refresh
    await call('admin_stats'); // step-up
    await call('stubborn'); // fails after the retry limit
    await warden.registry.start('broken').catch((e: unknown) => errors.push(String(e)));
    const broken = await warden.waitFor('broken', hasFailed, 'failed (wrong client secret)');
    errors.push(failureOf(broken) ?? '');

    const secrets = collectSecrets(servers, warden);
    assert.ok(secrets.size >= 8, `collected ${secrets.size} secrets`);
    const shown = {
      audit: JSON.stringify(warden.audited),
      logs: ['remote', 'broken', '(registry)'].flatMap((s) => warden.log(s)).join('\n'),
      errors: errors.join('\n'),
      states: JSON.stringify([...warden.states.entries()]),
    };
    for (const [where, text] of Object.entries(shown)) {
      for (const secret of secrets) {
        for (const part of fragments(secret)) assert.ok(!text.includes(part), `${where} shows a secret (…${secret.slice(-6)}): ${excerpt(text, part)}`);
      }
    }

    // Not vacuous: the auth events are in the audit, and the logs say something.
    const actions = authEvents(warden.audited).map((e) => e.action);
    for (const action of ['signed-in', 'refreshed', 'step-up']) assert.ok(actions.includes(action), `audited: ${actions.join(', ')}`);
    assert.ok(shown.logs.length > 0 && shown.errors.length > 0);
  });
});

/** Every secret of the run, from where it travelled: the AS's token requests, the callbacks, the Bearer headers, the store. */
function collectSecrets(servers: Awaited<ReturnType<typeof startOAuthServers>>, warden: Warden): Set<string> {
  const secrets = new Set<string>([CLIENT_SECRET, WRONG_SECRET]);
  for (const r of servers.as.requests) {
    for (const field of ['code', 'code_verifier', 'refresh_token', 'client_secret']) {
      const value = r.body[field];
      if (value) secrets.add(value);
    }
  }
  for (const visit of warden.browser.visits) {
    const code = visit.callback?.searchParams.get('code');
    if (code) secrets.add(code);
  }
  for (const r of servers.requests) if (r.authorization?.startsWith('Bearer ')) secrets.add(r.authorization.slice(7));
  for (const value of warden.store.secrets()) secrets.add(value);
  return secrets;
}

/** The whole secret, and for long ones a tail (a JWT's signature; JWT headers are alike and not secret). */
function fragments(secret: string): string[] {
  return secret.length >= 32 ? [secret, secret.slice(-20)] : [secret];
}

function excerpt(text: string, part: string): string {
  const at = text.indexOf(part);
  return text.slice(Math.max(0, at - 120), at + part.length + 40);
}
