import { MessageTooLargeError } from './lineFramer';

type Fetch = typeof fetch;

/**
 * A fetch whose response bodies fail with MessageTooLargeError once one message passes `maxMessageBytes`: a
 * whole JSON body, or one event of an SSE stream (events end at a blank line). `onTooLarge` is told first, so
 * the session can end with that reason rather than with a parse error.
 */
export function limitedFetch(maxMessageBytes: number, onTooLarge: (error: MessageTooLargeError) => void, base: Fetch = fetch): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    const isEventStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    let messageBytes = 0;
    let previousByte = -1;
    const limiter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        let tooLarge = false;
        if (!isEventStream) {
          messageBytes += chunk.length;
          tooLarge = messageBytes > maxMessageBytes;
        } else {
          for (const byte of chunk) {
            // An event ends at "\n\n" ("\r\n" pairs count through their "\n"); line breaks are not counted.
            if (byte === 10) {
              if (previousByte === 10) messageBytes = 0;
            } else if (byte !== 13) messageBytes++;
            if (byte !== 13) previousByte = byte;
            if (messageBytes > maxMessageBytes) tooLarge = true;
          }
        }
        if (tooLarge) {
          const error = new MessageTooLargeError(maxMessageBytes);
          onTooLarge(error);
          controller.error(error);
          return;
        }
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(limiter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
