import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

/** Sees every JSON-RPC message of a session, in both directions, and its end. */
export interface TransportObserver {
  onSend(message: JSONRPCMessage): void;
  onReceive(message: JSONRPCMessage): void;
  onClose?(): void;
}

/** One observer that tells several. */
export function observeAll(observers: readonly TransportObserver[]): TransportObserver {
  return {
    onSend: (m) => observers.forEach((o) => o.onSend(m)),
    onReceive: (m) => observers.forEach((o) => o.onReceive(m)),
    onClose: () => observers.forEach((o) => o.onClose?.()),
  };
}

/**
 * Wraps a transport so an observer sees all traffic. A Proxy keeps everything else of the transport as it is
 * (its class, and the `pid`/`stderr` accessors by which the SDK recognizes a stdio transport).
 */
export function tapTransport<T extends Transport>(transport: T, observer: TransportObserver): T {
  let receiver: Transport['onmessage'];
  let closer: Transport['onclose'];
  const onclose = () => {
    observer.onClose?.();
    closer?.();
  };
  const send: Transport['send'] = (message, options) => {
    observer.onSend(message);
    return transport.send(message, options);
  };
  const onmessage: NonNullable<Transport['onmessage']> = (message, extra) => {
    observer.onReceive(message);
    receiver?.(message, extra);
  };
  return new Proxy(transport, {
    get(target, property, self) {
      if (property === 'send') return send;
      if (property === 'onmessage') return receiver;
      if (property === 'onclose') return closer;
      const value: unknown = Reflect.get(target, property, self);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value, self) {
      if (property === 'onmessage') {
        receiver = value as Transport['onmessage'];
        target.onmessage = receiver ? onmessage : undefined;
        return true;
      }
      if (property === 'onclose') {
        closer = value as Transport['onclose'];
        target.onclose = onclose;
        return true;
      }
      return Reflect.set(target, property, value, self);
    },
  });
}
