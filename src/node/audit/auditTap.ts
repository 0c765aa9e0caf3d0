import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import type { AuditDirection, AuditSink } from '../../core/audit/auditEvent';
import type { TransportObserver } from '../transportTap';
import type { Caller } from '../../core/gateway/caller';
import { callerContext } from '../callerContext';

type Id = string | number;

interface Pending {
  readonly message: { method: string; params?: unknown };
  readonly startedAt: number;
  /** The gateway agent the request was sent for (requests to the server only). */
  readonly caller?: Caller | undefined;
}

/**
 * Turns a session's JSON-RPC traffic into audit events: each request with its outcome (either direction),
 * each notification, and the server's log messages. It only remembers and queues; the log finalizes later.
 */
export class AuditTap implements TransportObserver {
  private readonly ours = new Map<Id, Pending>();
  private readonly theirs = new Map<Id, Pending>();

  constructor(
    private readonly audit: AuditSink,
    private readonly server: string,
    private readonly session: string,
    private readonly now: () => number = Date.now,
  ) {}

  onSend(message: JSONRPCMessage): void {
    this.observe(message, 'to-server');
  }

  onReceive(message: JSONRPCMessage): void {
    this.observe(message, 'to-client');
  }

  /** Records every request still waiting as failed: its answer will never come. */
  onClose(): void {
    for (const [map, direction] of [[this.ours, 'to-server'], [this.theirs, 'to-client']] as const) {
      for (const pending of map.values()) this.recordRequest(direction, pending, undefined, 'the connection closed before an answer came');
      map.clear();
    }
  }

  /** `direction` is where the message goes: to-server for what we send. */
  private observe(message: JSONRPCMessage, direction: AuditDirection): void {
    const m = message as { id?: Id; method?: string; params?: unknown };
    const requests = direction === 'to-server' ? this.ours : this.theirs;
    const answered = direction === 'to-server' ? this.theirs : this.ours;
    if (m.method !== undefined && m.id !== undefined) {
      const caller = direction === 'to-server' ? callerContext.getStore() : undefined;
      requests.set(m.id, { message: m as { method: string; params?: unknown }, startedAt: this.now(), caller });
    } else if (m.method !== undefined) {
      this.recordNotification(direction, m.method, m.params);
    } else if (m.id !== undefined) {
      // A response: it answers a request that went the other way.
      const pending = answered.get(m.id);
      if (!pending) return;
      answered.delete(m.id);
      this.recordRequest(direction === 'to-server' ? 'to-client' : 'to-server', pending, message);
    }
  }

  private recordNotification(direction: AuditDirection, method: string, params: unknown): void {
    const { server, session } = this;
    if (method === 'notifications/message' && direction === 'to-client') {
      const p = (params ?? {}) as { level?: string; logger?: string; data?: unknown };
      this.audit.record(() => ({ type: 'server-log', server, session, level: String(p.level ?? 'info'), ...(p.logger !== undefined && { logger: String(p.logger) }), data: p.data }));
      return;
    }
    if (method === 'notifications/cancelled' && direction === 'to-server') {
      const id = (params as { requestId?: Id } | undefined)?.requestId;
      const pending = id !== undefined ? this.ours.get(id) : undefined;
      if (pending && id !== undefined) {
        this.ours.delete(id);
        this.recordRequest('to-server', pending, undefined, 'cancelled by the client');
      }
    }
    this.audit.record(() => ({ type: 'notification', server, session, direction, method, ...(params !== undefined && { params }) }));
  }

  private recordRequest(direction: AuditDirection, pending: Pending, response?: JSONRPCMessage, failure?: string): void {
    const { server, session } = this;
    const endedAt = this.now();
    this.audit.record(() => {
      const r = response as { result?: unknown; error?: { code?: number; message?: string } } | undefined;
      return {
        type: 'request',
        server,
        session,
        direction,
        request: pending.message,
        response: failure
          ? { error: { message: failure } }
          : r?.error
            ? { error: { ...(r.error.code !== undefined && { code: r.error.code }), message: String(r.error.message ?? 'error') } }
            : { result: r?.result },
        startedAt: pending.startedAt,
        endedAt,
        requestMessage: pending.message,
        ...(response !== undefined && { responseMessage: response }),
        ...(pending.caller && { agent: pending.caller.agent }),
        ...(pending.caller?.chain?.length && { chain: pending.caller.chain }),
      };
    });
  }
}
