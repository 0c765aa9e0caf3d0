import * as assert from 'node:assert/strict';
import type { McpSubscription, SubscriptionFilter } from '@modelcontextprotocol/client';
import { ListenedResources } from '../../../src/node/resourceSubscriptions';
import { RecordingLogger } from '../fakes';

/** A fake `Client.listen`: records each stream it opens, honours what `honour` keeps, and lets a test end a stream. */
class FakeServer {
  readonly streams: { uris: readonly string[]; closed: boolean; end: (cause: 'graceful' | 'remote') => void }[] = [];
  honour = (uris: readonly string[]): readonly string[] => uris;
  failNext: Error | undefined;

  readonly listen = async (filter: SubscriptionFilter): Promise<McpSubscription> => {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const uris = filter.resourceSubscriptions ?? [];
    let settle: (cause: 'local' | 'graceful' | 'remote') => void = () => undefined;
    const closed = new Promise<'local' | 'graceful' | 'remote'>((resolve) => (settle = resolve));
    const stream = { uris, closed: false, end: (cause: 'graceful' | 'remote') => settle(cause) };
    this.streams.push(stream);
    return {
      honoredFilter: { resourceSubscriptions: [...this.honour(uris)] },
      closed,
      close: async () => {
        stream.closed = true;
        settle('local');
      },
    };
  };

  open(): (readonly string[])[] {
    return this.streams.filter((s) => !s.closed).map((s) => s.uris);
  }
}

describe('ListenedResources (2026-07-28 resource subscriptions as a subscriptions/listen stream)', () => {
  let server: FakeServer;
  let logger: RecordingLogger;
  let listened: ListenedResources;

  beforeEach(() => {
    server = new FakeServer();
    logger = new RecordingLogger();
    listened = new ListenedResources(server.listen, true, logger);
  });

  it('holds one stream with every subscribed URI: a change opens the new set before the old one closes', async () => {
    await listened.subscribe('a://1', 1000);
    await listened.subscribe('b://2', 1000);
    assert.deepEqual(server.streams.map((s) => [s.uris, s.closed]), [
      [['a://1'], true],
      [['a://1', 'b://2'], false],
    ]);
    await listened.unsubscribe('a://1', 1000);
    assert.deepEqual(server.open(), [['b://2']]);
    await listened.unsubscribe('b://2', 1000);
    assert.deepEqual(server.open(), []);
  });

  it('subscribing twice to a URI, or unsubscribing one never subscribed, opens nothing new', async () => {
    await listened.subscribe('a://1', 1000);
    await listened.subscribe('a://1', 1000);
    await listened.unsubscribe('z://9', 1000);
    assert.equal(server.streams.length, 1);
  });

  it('changes made at once all land: the last stream holds every URI', async () => {
    await Promise.all(['a://1', 'b://2', 'c://3'].map((uri) => listened.subscribe(uri, 1000)));
    assert.deepEqual(server.open(), [['a://1', 'b://2', 'c://3']]);
  });

  it('a refused or failed listen keeps the stream that was open', async () => {
    await listened.subscribe('a://1', 1000);
    server.honour = (uris) => uris.filter((u) => u !== 'secret://x');
    await assert.rejects(listened.subscribe('secret://x', 1000), /did not agree to send updates for secret:\/\/x \(it acknowledged a:\/\/1\)/);
    server.failNext = new Error('Subscription limit reached');
    await assert.rejects(listened.subscribe('b://2', 1000), /Subscription limit reached/);
    assert.deepEqual(server.open(), [['a://1']]);
    await listened.subscribe('c://3', 1000);
    assert.deepEqual(server.open(), [['a://1', 'c://3']]);
  });

  it('a server without resources.subscribe is refused before anything is sent', async () => {
    listened = new ListenedResources(server.listen, false, logger);
    await assert.rejects(listened.subscribe('a://1', 1000), /Server does not support resource subscriptions \(required for resources\/subscribe\)/);
    assert.equal(server.streams.length, 0);
  });

  it('a stream the server ends is logged, and the next subscribe opens it again with every URI', async () => {
    await listened.subscribe('a://1', 1000);
    server.streams[0]?.end('graceful');
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(logger.lines.join('\n'), /warn resource updates stopped \(the server ended the subscription\): a:\/\/1/);
    await listened.subscribe('a://1', 1000);
    assert.deepEqual(server.streams.map((s) => s.uris), [['a://1'], ['a://1']]);
  });

  it('after close, nothing more is opened', async () => {
    listened.close();
    await assert.rejects(listened.subscribe('a://1', 1000), /closing/);
    assert.equal(server.streams.length, 0);
  });
});
