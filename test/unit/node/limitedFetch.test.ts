import * as assert from 'node:assert/strict';
import { limitedFetch } from '../../../src/node/limitedFetch';
import { MessageTooLargeError } from '../../../src/node/lineFramer';

const respond = (body: string, type: string) => async () => new Response(body, { headers: { 'content-type': type } });

describe('limitedFetch', () => {
  it('passes bodies within the limit through unchanged', async () => {
    const fetch = limitedFetch(10, () => assert.fail('not too large'), respond('{"ok":1}', 'application/json'));
    assert.equal(await (await fetch('http://x')).text(), '{"ok":1}');
  });

  it('fails a JSON body over the limit and says so first', async () => {
    const seen: MessageTooLargeError[] = [];
    const fetch = limitedFetch(10, (e) => seen.push(e), respond('x'.repeat(11), 'application/json'));
    await assert.rejects((await fetch('http://x')).text(), MessageTooLargeError);
    assert.equal(seen.length, 1);
  });

  it('counts each SSE event on its own', async () => {
    const events = 'data: 123456\n\n'.repeat(5);
    const ok = limitedFetch(12, () => assert.fail('each event is small'), respond(events, 'text/event-stream'));
    assert.equal(await (await ok('http://x')).text(), events);
    const big = limitedFetch(12, () => undefined, respond('data: 1234567890123\n\n', 'text/event-stream'));
    await assert.rejects((await big('http://x')).text(), /larger than 12 bytes/);
  });
});
