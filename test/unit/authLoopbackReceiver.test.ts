import * as assert from 'node:assert/strict';
import { AuthorizationDeniedError, LoopbackReceiver, SignInTimeoutError } from '../../src/node/auth/loopbackReceiver';

async function refused(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/callback`).then(
    () => false,
    () => true,
  );
}

describe('auth loopback receiver', () => {
  it('listens on 127.0.0.1 and resolves with the callback of the expected state, then closes its port', async () => {
    const receiver = await LoopbackReceiver.open();
    assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const waited = receiver.wait('s1', 5000);
    const answer = await fetch(`${receiver.url}?code=c1&state=s1&iss=https%3A%2F%2Fas.example`);
    assert.equal(answer.status, 200);
    assert.match(await answer.text(), /Signed in/);
    const params = await waited;
    assert.equal(params.get('code'), 'c1');
    assert.equal(params.get('iss'), 'https://as.example');
    assert.equal(await refused(receiver.port), true);
  });

  it('refuses a callback with another state and keeps waiting for the right one', async () => {
    const receiver = await LoopbackReceiver.open();
    const waited = receiver.wait('right', 5000);
    const forged = await fetch(`${receiver.url}?code=evil&state=wrong`);
    assert.equal(forged.status, 400);
    const noState = await fetch(`${receiver.url}?code=evil`);
    assert.equal(noState.status, 400);
    await fetch(`${receiver.url}?code=good&state=right`);
    assert.equal((await waited).get('code'), 'good');
  });

  it('rejects with the authorization server error', async () => {
    const receiver = await LoopbackReceiver.open();
    const refused = assert.rejects(receiver.wait('s', 5000), (e: unknown) => e instanceof AuthorizationDeniedError && e.error === 'access_denied');
    await fetch(`${receiver.url}?error=access_denied&state=s`);
    await refused;
  });

  it("never passes on the page's own words: error_description, or an error that is not an RFC 6749 code", async () => {
    const receiver = await LoopbackReceiver.open();
    const phishing = encodeURIComponent('Your account is locked. Call +1 555 0100 to unlock it');
    const refused = assert.rejects(receiver.wait('s', 5000), (e: unknown) => e instanceof AuthorizationDeniedError && e.message === 'the authorization server answered an error');
    await fetch(`${receiver.url}?error=${phishing}&error_description=${phishing}&state=s`);
    await refused;
    const second = await LoopbackReceiver.open();
    const denied = assert.rejects(second.wait('t', 5000), (e: unknown) => e instanceof Error && e.message === 'the authorization server answered access_denied');
    await fetch(`${second.url}?error=access_denied&error_description=${phishing}&state=t`);
    await denied;
  });

  it('times out and closes the port', async () => {
    const receiver = await LoopbackReceiver.open();
    await assert.rejects(receiver.wait('s', 20), SignInTimeoutError);
    assert.equal(await refused(receiver.port), true);
  });

  it('stops waiting when aborted and closes the port', async () => {
    const receiver = await LoopbackReceiver.open();
    const abort = new AbortController();
    const rejected = assert.rejects(receiver.wait('s', 5000, abort.signal), (e: unknown) => (e as Error).name === 'AbortError');
    abort.abort();
    await rejected;
    assert.equal(await refused(receiver.port), true);
  });

  it('reuses a preferred port when it is free, and falls back to another when it is taken', async () => {
    const first = await LoopbackReceiver.open();
    const port = first.port;
    const second = await LoopbackReceiver.open(port);
    assert.notEqual(second.port, port);
    await first.close();
    await second.close();
    const third = await LoopbackReceiver.open(port);
    assert.equal(third.port, port);
    await third.close();
  });
});
