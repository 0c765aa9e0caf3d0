import type { Disposable } from './disposable';

/** A subscription function, shaped like `vscode.Event` so adapters can pass it through. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** A minimal event emitter for the core, which cannot use `vscode.EventEmitter`. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener; one that throws is reported to `onListenerError` and does not stop the others. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        Emitter.onListenerError(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }

  /** Where listener failures go; the extension points this at its log. */
  static onListenerError: (error: unknown) => void = () => {};
}
