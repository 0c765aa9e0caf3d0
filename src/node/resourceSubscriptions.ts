import { SdkError, SdkErrorCode, type McpSubscription, type SubscriptionFilter } from '@modelcontextprotocol/client';
import { errorMessage, type Logger } from '../core/ports';

/** Opens a `subscriptions/listen` stream: `Client.listen` of the SDK. */
export type Listen = (filter: SubscriptionFilter, options: { timeout: number }) => Promise<McpSubscription>;

/**
 * The resource subscriptions of a 2026-07-28 session. That era removed `resources/subscribe` and
 * `resources/unsubscribe`: a client asks for updates in the filter of a `subscriptions/listen` stream, and a filter
 * cannot change once the server acknowledged it. So the subscribed URIs are held open as one stream of their own
 * (the spec allows several at once; the SDK's list-changed stream stays untouched), and each change opens a stream
 * with the new set before the old one is closed, so no update falls in between.
 */
export class ListenedResources {
  private readonly uris = new Set<string>();
  private stream: McpSubscription | undefined;
  /** Changes run one after the other: each builds on the set the last one left. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly listen: Listen,
    /** The server declares `resources.subscribe`: without it no URI is honoured. */
    private readonly serverSubscribes: boolean,
    private readonly logger: Logger,
  ) {}

  /** Asks for updates of `uri`; resolves once the server acknowledged it, rejects if it would not. */
  subscribe(uri: string, timeoutMs: number): Promise<Record<string, never>> {
    if (!this.serverSubscribes) {
      // The SDK's wording for the same refusal in the initialize era (with strict capabilities).
      return Promise.reject(new SdkError(SdkErrorCode.CapabilityNotSupported, 'Server does not support resource subscriptions (required for resources/subscribe)'));
    }
    return this.change(() => new Set([...this.uris, uri]), uri, timeoutMs);
  }

  /** Stops the updates of `uri`: once this resolves, the server has been told. */
  unsubscribe(uri: string, timeoutMs: number): Promise<Record<string, never>> {
    return this.change(
      () => new Set([...this.uris].filter((u) => u !== uri)),
      undefined,
      timeoutMs,
    );
  }

  /** The session is closing: nothing more is opened (the client's close ends the stream). */
  close(): void {
    this.closed = true;
  }

  private change(next: () => Set<string>, added: string | undefined, timeoutMs: number): Promise<Record<string, never>> {
    const run = this.queue.then(() => this.apply(next(), added, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(next: Set<string>, added: string | undefined, timeoutMs: number): Promise<Record<string, never>> {
    if (this.closed) throw new SdkError(SdkErrorCode.ConnectionClosed, 'the session is closing');
    const old = this.stream;
    if (sameSet(next, this.uris) && (old || next.size === 0)) return {};
    let opened: McpSubscription | undefined;
    if (next.size > 0) {
      opened = await this.listen({ resourceSubscriptions: [...next] }, { timeout: timeoutMs });
      const honored = new Set(opened.honoredFilter.resourceSubscriptions ?? []);
      if (added !== undefined && !honored.has(added)) {
        await opened.close();
        throw new Error(`the server did not agree to send updates for ${added} (it acknowledged ${honored.size === 0 ? 'no resource' : [...honored].join(', ')})`);
      }
      this.watch(opened);
    }
    this.stream = opened;
    this.uris.clear();
    for (const uri of next) this.uris.add(uri);
    await old?.close();
    return {};
  }

  /** A stream the server or the connection ends leaves the subscriptions without updates: the log says so. */
  private watch(stream: McpSubscription): void {
    void stream.closed.then((cause) => {
      if (cause === 'local' || this.closed || this.stream !== stream) return;
      this.stream = undefined;
      this.logger.warn(`resource updates stopped (${cause === 'graceful' ? 'the server ended the subscription' : 'the subscription stream was lost'}): ${[...this.uris].join(', ')}; they are asked for again when the server restarts or on the next subscribe`);
    }, (error: unknown) => this.logger.debug(`subscription stream: ${errorMessage(error)}`));
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
