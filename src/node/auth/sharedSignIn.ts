// One browser sign-in for every request of a server that needs it at the same time: the user sees one
// notification, and each request goes on (or fails) with its outcome.

/**
 * A sign-in that requests join. It runs with a signal of its own, which aborts when every request that joined has
 * stopped waiting (its call was cancelled, its session closed): nobody is then left to use the sign-in.
 */
export class SharedSignIn {
  private waiting = 0;
  private readonly abort = new AbortController();
  readonly done: Promise<void>;

  constructor(run: (signal: AbortSignal) => Promise<void>) {
    this.done = run(this.abort.signal);
    this.done.catch(() => undefined);
  }

  /** Waits for the sign-in; rejects with its failure, or with `signal`'s reason when this request stops waiting. */
  join(signal: AbortSignal): Promise<void> {
    this.waiting++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      if (--this.waiting === 0) this.abort.abort(new Error('no request waits for the sign-in any more'));
    };
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        leave();
        reject(signal.reason instanceof Error ? signal.reason : new Error('the request was cancelled while it waited for a sign-in'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.done.then(resolve, reject).finally(() => {
        left = true;
        signal.removeEventListener('abort', onAbort);
      });
    });
  }
}
