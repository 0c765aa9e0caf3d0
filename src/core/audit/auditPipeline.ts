import type { AuditInput, AuditSink } from './auditEvent';

/**
 * The one sink every producer writes to. It holds events until the log is open (bounded, so a log that never
 * opens costs at most `maxEarlyEvents`), and drops them while auditing is turned off.
 */
export class AuditPipeline implements AuditSink {
  private target: AuditSink | undefined;
  private early: (AuditInput | (() => AuditInput))[] = [];
  enabled = true;

  constructor(private readonly maxEarlyEvents = 10_000) {}

  record(event: AuditInput | (() => AuditInput)): void {
    if (!this.enabled) return;
    if (this.target) this.target.record(event);
    else if (this.early.length < this.maxEarlyEvents) this.early.push(event);
  }

  /** Connects the log; what was recorded before it opened goes first, in order. */
  connect(target: AuditSink): void {
    this.target = target;
    for (const event of this.early.splice(0)) target.record(event);
  }
}
