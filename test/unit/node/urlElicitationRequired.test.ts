import * as assert from 'node:assert/strict';
import type { ServerRequest } from '../../../src/core/lifecycle/session';
import { nullLogger } from '../../../src/core/ports';
import { askUrlElicitations, hostsOf, UrlElicitationNeededError, urlElicitationsOf } from '../../../src/node/urlElicitationRequired';

describe('urlElicitationRequired', () => {
  const step = (n: number) => ({ mode: 'url', url: `https://auth${n}.example.com/x`, message: `step ${n}`, elicitationId: `id-${n}` });

  it('reads the elicitations of a -32042 error only, keeping well-formed entries', () => {
    assert.equal(urlElicitationsOf(new Error('other')), undefined);
    assert.equal(urlElicitationsOf({ code: -32000, data: { elicitations: [step(1)] } }), undefined);
    assert.deepEqual(urlElicitationsOf({ code: -32042 }), []);
    assert.deepEqual(urlElicitationsOf({ code: -32042, data: { elicitations: [step(1), null, { url: 5 }, { url: 'https://a.example', elicitationId: 'b' }] } }), [
      { url: 'https://auth1.example.com/x', message: 'step 1', elicitationId: 'id-1' },
      { url: 'https://a.example', message: '', elicitationId: 'b' },
    ]);
  });

  it('asks through the handler as URL elicitations, at most three, and names their hosts in the error', async () => {
    const seen: ServerRequest[] = [];
    const list = urlElicitationsOf({ code: -32042, data: { elicitations: [1, 2, 3, 4, 5].map(step) } }) ?? [];
    const connection = new AbortController();
    const signals: AbortSignal[] = [];
    askUrlElicitations(async (request, signal) => void (seen.push(request), signals.push(signal)), list, nullLogger, connection.signal);
    await Promise.resolve();
    connection.abort();
    assert.ok(signals.length === 3 && signals.every((s) => s.aborted), 'the steps are withdrawn when the connection closes');
    assert.deepEqual(seen.map((r) => [r.method, (r.params as { mode: string; url: string }).mode, (r.params as { url: string }).url]), [
      ['elicitation/create', 'url', 'https://auth1.example.com/x'],
      ['elicitation/create', 'url', 'https://auth2.example.com/x'],
      ['elicitation/create', 'url', 'https://auth3.example.com/x'],
    ]);
    assert.deepEqual(hostsOf([...list, { url: 'not a url', message: '', elicitationId: 'x' }]), ['auth1.example.com', 'auth2.example.com', 'auth3.example.com']);
    const error = new UrlElicitationNeededError('pay', ['auth1.example.com'], new Error('cause'));
    assert.match(error.message, /^'pay' needs you to finish a step in your browser first \(auth1\.example\.com\): .* then call it again$/);
  });
});
