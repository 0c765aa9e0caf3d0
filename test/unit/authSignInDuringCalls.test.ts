import * as assert from 'node:assert/strict';
import { Client, InMemoryTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import type { LaunchAuth, SignInRequest, SignInUser } from '../../src/core/auth/authPorts';
import { DEFAULT_OAUTH_SETTINGS } from '../../src/core/auth/oauthSettings';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import { ServerSupervisor } from '../../src/core/lifecycle/serverSupervisor';
import type { ServerState } from '../../src/core/lifecycle/serverState';
import { MemoryAuthStore } from '../../src/node/auth/memoryAuthStore';
import { ServerAuth } from '../../src/node/auth/serverAuth';
import { WardenOAuthProvider } from '../../src/node/auth/wardenOAuthProvider';
import { McpSession } from '../../src/node/mcpSession';
import { approveEveryLaunch } from '../support/approveEverything';
import { FakeLauncher, flush, ManualClock, RecordingLogger } from './fakes';

const URL_ = 'https://mcp.example/mcp';
const definition: ServerDefinition = { name: 'remote', type: 'http', url: URL_, headers: {}, autostart: true, disabled: false } as ServerDefinition;
const askRequest: SignInRequest = { server: 'remote', issuer: 'https://as.example', reason: 'expired' };

/** A user who agrees to every sign-in and whose browser answers the loopback receiver with `code`. */
class BrowserUser implements SignInUser {
  readonly asked: SignInRequest[] = [];
  readonly opened: string[] = [];
  confirmSignals: AbortSignal[] = [];
  /** When set, confirm waits until its signal aborts (a user who does not answer). */
  silent = false;

  async confirm(request: SignInRequest, signal: AbortSignal): Promise<boolean> {
    this.asked.push(request);
    this.confirmSignals.push(signal);
    if (this.silent) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('withdrawn')), { once: true }));
    return true;
  }

  async openBrowser(url: string): Promise<boolean> {
    this.opened.push(url);
    const at = new URL(url);
    const callback = new URL(at.searchParams.get('redirect_uri') ?? '');
    callback.searchParams.set('code', 'the-code');
    callback.searchParams.set('state', at.searchParams.get('state') ?? '');
    void fetch(callback).catch(() => undefined);
    return true;
  }
}

function supervisorWithAuth() {
  const launcher = new FakeLauncher();
  const user = new BrowserUser();
  const supervisor = new ServerSupervisor(definition, 'mcpWarden.servers.remote', {
    launcher,
    authorizeLaunch: approveEveryLaunch,
    resolveSpec: async () => ({ type: 'http', url: URL_, headers: {}, secrets: [] }),
    limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }),
    clock: new ManualClock(),
    logger: new RecordingLogger(),
    auth: { store: new MemoryAuthStore(), user },
  });
  const states: ServerState['kind'][] = [];
  supervisor.onDidChangeState((s) => states.push(s.kind));
  const authOf = (i: number): LaunchAuth => {
    const auth = launcher.requests[i]?.auth;
    assert.ok(auth, 'the launch of an http server gets OAuth');
    return auth;
  };
  return { launcher, supervisor, states, authOf };
}

/** ServerAuth for a browser sign-in, with an authorization URL left by the SDK (its verifier saved just before). */
async function serverAuth(user: SignInUser) {
  const launch: LaunchAuth = { settings: DEFAULT_OAUTH_SETTINGS, store: new MemoryAuthStore(), user, onWaiting: () => undefined, onResumed: () => undefined, record: () => undefined };
  const oauth = await ServerAuth.create('remote', URL_, launch, 'mcpWarden.servers.remote', new RecordingLogger());
  const provider = oauth.provider as WardenOAuthProvider;
  const leaveAuthorization = (verifier: string, state: string) => {
    provider.saveCodeVerifier(verifier);
    const url = new URL('https://as.example/authorize');
    url.searchParams.set('redirect_uri', provider.redirectUrl);
    url.searchParams.set('state', state);
    provider.redirectToAuthorization(url);
  };
  const finished: { params: URLSearchParams; verifier: string }[] = [];
  const transport = {
    finishAuth: async (params: URLSearchParams) => {
      finished.push({ params, verifier: provider.codeVerifier() });
    },
  };
  return { oauth, provider, leaveAuthorization, finished, transport };
}

/** The state's kind, read afresh (TypeScript keeps narrowings from earlier assertions). */
const kindOf = (supervisor: ServerSupervisor): string => supervisor.state.kind;
const refused = () => new UnauthorizedError('sign-in needed');
const neverFetch = async (): Promise<Response> => {
  throw new Error('no request expected');
};

describe('auth sign-in during calls', () => {
  it('shows needs-sign-in only for a sign-in during the start; a running server stays running and serves calls', async () => {
    const { launcher, supervisor, states, authOf } = supervisorWithAuth();
    launcher.next = ['hang'];
    void supervisor.start();
    await flush();
    authOf(0).onWaiting({ ...askRequest, reason: 'sign-in' });
    assert.equal(supervisor.state.kind, 'needs-sign-in');
    authOf(0).onResumed();
    assert.equal(kindOf(supervisor), 'starting');
    await supervisor.stop();

    await supervisor.start();
    assert.equal(supervisor.state.kind, 'running');
    states.length = 0;
    authOf(1).onWaiting(askRequest);
    authOf(1).onWaiting({ ...askRequest, reason: 'step-up' });
    assert.equal(kindOf(supervisor), 'running', 'a sign-in during a call does not stop the server');
    const answer = await supervisor.request('tools/call', { name: 'echo', arguments: {} }, { timeoutMs: 1000 });
    assert.ok(answer, 'other calls go on while the user is asked');
    authOf(1).onResumed();
    assert.deepEqual(states, [], 'no state change at all');
    await supervisor.stop();
  });

  it('lets concurrent requests share one browser hand-off, exchanging the code with the verifier of its URL', async () => {
    const user = new BrowserUser();
    const { oauth, leaveAuthorization, finished, transport } = await serverAuth(user);
    leaveAuthorization('verifier-of-first', 'state-1');
    const first = oauth.signInAfter(refused(), transport, new AbortController().signal, neverFetch);
    // A second request is refused meanwhile: the SDK starts a flow of its own (a new verifier and URL).
    leaveAuthorization('verifier-of-second', 'state-2');
    const second = oauth.signInAfter(refused(), transport, new AbortController().signal, neverFetch);
    assert.deepEqual(await Promise.all([first, second]), [true, true]);
    assert.equal(user.asked.length, 1, 'one notification');
    assert.equal(user.opened.length, 1, 'one browser');
    assert.equal(finished.length, 1, 'one code exchange');
    assert.equal(finished[0]?.params.get('code'), 'the-code');
    assert.equal(finished[0]?.verifier, 'verifier-of-first');
    assert.equal(oauth.signInPending, false, "the second request's URL is dropped");
  });

  it('gives the hand-off up only when every waiting request stopped waiting', async () => {
    const user = new BrowserUser();
    user.silent = true;
    const { oauth, leaveAuthorization, transport } = await serverAuth(user);
    const a = new AbortController();
    const b = new AbortController();
    leaveAuthorization('v1', 's1');
    const first = oauth.signInAfter(refused(), transport, a.signal, neverFetch);
    leaveAuthorization('v2', 's2');
    const second = oauth.signInAfter(refused(), transport, b.signal, neverFetch);
    await flush();
    a.abort();
    await assert.rejects(first);
    await flush();
    assert.equal(user.confirmSignals[0]?.aborted, false, 'the other request still waits: the notification stays');
    b.abort();
    await assert.rejects(second);
    assert.equal(user.confirmSignals[0]?.aborted, true, 'nobody waits: the notification is withdrawn');
    assert.equal(user.asked.length, 1);
  });

  it('gives a sign-in a call waits for up when the session closes, not only with the call', async () => {
    const server = new McpServer({ name: 's', version: '1' }, { capabilities: { prompts: {} } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    let seen: AbortSignal | undefined;
    const reauthorize = (_error: unknown, signal: AbortSignal) =>
      new Promise<boolean>((_, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(new Error('sign-in withdrawn')), { once: true });
      });
    const info = { protocolVersion: 'test', era: 'legacy' as const, transport: 'streamable-http' as const, serverInfo: { name: 's', version: '1' }, capabilities: {} };
    const session = new McpSession(client, info, { tools: [], prompts: [], resources: [] }, () => ({ reason: 'closed', fatal: false }), new RecordingLogger(), () => false, undefined, undefined, 5_000, reauthorize);
    // The call has no signal of its own: only the session's close can end the wait.
    const call = session.request('prompts/get', { name: 'missing' }, { timeoutMs: 5_000 });
    call.catch(() => undefined);
    for (let i = 0; i < 50 && !seen; i++) await flush();
    assert.ok(seen, 'the refused request asked for a sign-in');
    assert.equal(seen.aborted, false);
    await session.close();
    assert.equal(seen.aborted, true);
    await assert.rejects(call);
    await server.close();
  });
});
