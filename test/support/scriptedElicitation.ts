// The user's side of elicitation, scripted: each request is recorded and answered by the next queued answer (what a
// user would type or click). Everything before it (the SDK, the gate) is the production path.
import type { ElicitationAnswer, ElicitationPrompter, ElicitationRequest } from '../../src/core/clientFeatures/elicitation';

type Answer = ElicitationAnswer | ((request: ElicitationRequest) => ElicitationAnswer);

export class ScriptedElicitation implements ElicitationPrompter {
  readonly requests: ElicitationRequest[] = [];
  readonly completions: { server: string; elicitationId: string }[] = [];
  /** The signals of the requests, in order: a request the server or the call gave up on is aborted. */
  readonly signals: AbortSignal[] = [];
  private readonly answers: Answer[] = [];
  private readonly waiting: (() => void)[] = [];

  /** Queues answers, in order. */
  answer(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  async elicit(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer> {
    this.requests.push(request);
    this.signals.push(signal);
    signal.addEventListener('abort', () => this.wake(), { once: true });
    this.wake();
    const next = this.answers.shift();
    // Nobody answers: like a form left open, until the request is aborted (then cancel, as the real one answers).
    if (next === undefined) return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ action: 'cancel' }), { once: true }));
    return typeof next === 'function' ? next(request) : next;
  }

  completed(server: string, elicitationId: string): void {
    this.completions.push({ server, elicitationId });
    this.wake();
  }

  /** Resolves once `check` holds (checked after every request and completion). */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}
