// What ServerAuth's fetch lets out: the bearer token stays with the server's own origin, and OAuth traffic off this
// machine is https only. An attacker's metadata or a redirect the SDK follows by hand must not carry the token away.
import * as assert from 'node:assert/strict';
import type { FetchLike } from '@modelcontextprotocol/client';
import type { LaunchAuth, SignInUser } from '../../src/core/auth/authPorts';
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
