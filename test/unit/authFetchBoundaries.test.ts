// What ServerAuth lets out: the bearer token stays with the server's own origin, OAuth traffic off this machine is
// https only, and the tokens of a grant without a browser are hidden and audited like any other.
import * as assert from 'node:assert/strict';
import type { FetchLike } from '@modelcontextprotocol/client';
import type { AuthEvent, LaunchAuth, SignInUser } from '../../src/core/auth/authPorts';
import { DEFAULT_OAUTH_SETTINGS } from '../../src/core/auth/oauthSettings';
import { MemoryAuthStore } from '../../src/node/auth/memoryAuthStore';
import { ServerAuth } from '../../src/node/auth/serverAuth';
import { RecordingLogger } from './fakes';

const SERVER = 'https://mcp.example/mcp';
const user: SignInUser = { confirm: async () => false, openBrowser: async () => false };
const launch: LaunchAuth = { settings: DEFAULT_OAUTH_SETTINGS, store: new MemoryAuthStore(), user, onWaiting: () => undefined, onResumed: () => undefined, record: () => undefined };

async function wrapped(): Promise<{ fetch: FetchLike; sent: { url: string; authorization: string | null }[] }> {
  const sent: { url: string; authorization: string | null }[] = [];
  const base: FetchLike = async (input, init) => {
    sent.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return new Response('{}', { status: 200 });
  };
  const auth = await ServerAuth.create('remote', SERVER, launch, 'mcpWarden.servers.remote', new RecordingLogger());
  return { fetch: auth.wrapFetch(base), sent };
}

describe('OAuth fetch boundaries', () => {
  it('sends the bearer token to the server it was issued for', async () => {
    const { fetch, sent } = await wrapped();
    await fetch(SERVER, { headers: { authorization: 'Bearer the-token' } });
    assert.equal(sent[0]?.authorization, 'Bearer the-token');
  });

  it('drops a bearer or DPoP token bound for any other origin, even another port of the same host', async () => {
    const { fetch, sent } = await wrapped();
    for (const elsewhere of ['https://attacker.example/collect', 'https://mcp.example:8443/mcp', 'https://sub.mcp.example/mcp']) {
      await fetch(elsewhere, { headers: { authorization: 'Bearer the-token' } });
      await fetch(elsewhere, { headers: { authorization: 'DPoP the-token' } });
    }
    assert.equal(sent.length, 6);
    assert.deepEqual(sent.map((s) => s.authorization), [null, null, null, null, null, null]);
  });

  it('refuses OAuth traffic over plain http off this machine, and allows it to loopback', async () => {
    const { fetch, sent } = await wrapped();
    await assert.rejects(fetch('http://auth.example/token', { method: 'POST' }), /https outside this machine/);
    await fetch('http://127.0.0.1:9000/token', { method: 'POST' });
    assert.deepEqual(sent.map((s) => s.url), ['http://127.0.0.1:9000/token']);
  });
});

describe('OAuth grants without a browser', () => {
  it('hide what they get from every log and audit it: signed-in for the first tokens of a run, refreshed for the next', async () => {
    const secrets: string[] = [];
    const events: AuthEvent[] = [];
    const machine: LaunchAuth = {
      ...launch,
      settings: { enabled: true, grant: 'client_credentials', clientId: 'm2m' },
      clientSecret: 'the-client-secret',
      record: (event) => events.push(event),
      addSecrets: (values) => secrets.push(...values),
    };
    const auth = await ServerAuth.create('remote', SERVER, machine, 'mcpWarden.servers.remote', new RecordingLogger());
    await auth.provider.saveTokens({ access_token: 'first-access-token', token_type: 'Bearer', scope: 'read' }, { issuer: 'https://as.example' });
    await auth.provider.saveTokens({ access_token: 'second-access-token', token_type: 'Bearer' }, { issuer: 'https://as.example' });
    assert.ok(secrets.includes('first-access-token') && secrets.includes('second-access-token') && secrets.includes('the-client-secret'));
    assert.deepEqual(
      events.map((e) => [e.action, e.client, e.issuer, e.resource, e.scope]),
      [
        ['signed-in', 'client_credentials', 'https://as.example', SERVER, 'read'],
        ['refreshed', 'client_credentials', 'https://as.example', SERVER, undefined],
      ],
    );
    assert.doesNotMatch(JSON.stringify(events), /access-token|client-secret/);
    assert.equal((await auth.provider.tokens())?.access_token, 'second-access-token', 'the SDK provider still keeps them');
  });
});
