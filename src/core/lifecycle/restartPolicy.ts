/** When a crashed server is restarted, and when MCP Warden stops trying. */
export interface RestartPolicyOptions {
  /** Crashes within `windowMs` that make MCP Warden give up. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxCrashes: 5,
  windowMs: 3 * 60_000,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** Remembers recent crashes of one server: exponential backoff, and giving up after too many. */
export class CrashHistory {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Records a crash at `now` and says what to do about it. */
  record(now: number): { readonly giveUp: true } | { readonly giveUp: false; readonly delayMs: number; readonly attempt: number } {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count >= this.options.maxCrashes) return { giveUp: true };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (count - 1));
    return { giveUp: false, delayMs, attempt: count };
  }

  reset(): void {
    this.crashes = [];
  }

  describeLimit(): string {
    const minutes = this.options.windowMs / 60_000;
    return `${this.options.maxCrashes} times in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
}
