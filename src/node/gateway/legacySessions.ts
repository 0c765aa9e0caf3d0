// The 2025-era leg of the HTTP gateway: one Streamable HTTP session per agent connection, each with its own server
// instance, so that the agent can be sent requests (elicitation, sampling) and list_changed notifications.
import { randomUUID } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Disposable } from '../../core/disposable';
import { errorMessage, type Logger } from '../../core/ports';
import type { Endpoint } from './gatewayViews';

export interface LegacySessionLimits {
  /** A session no request used for this long is closed; its agent re-initializes (a 404 tells it to). */
  readonly idleMs: number;
  /** Sessions one agent may hold; opening one more closes its least recently used. */
  readonly maxPerAgent: number;
}

export interface LegacySession {
  readonly id: string;
  readonly agent: string;
  readonly endpoint: Endpoint;
  readonly server: Server;
  readonly transport: NodeStreamableHTTPServerTransport;
  lastUsed: number;
}

export class LegacySessions implements Disposable {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly limits: LegacySessionLimits,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(limits.idleMs, 60_000));
    this.sweeper.unref?.();
  }

  get(id: string): LegacySession | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    session.lastUsed = Date.now();
    // The map's order is the order of use (least recent first): re-inserting moves the session to the end. A clock
    // would tie for two uses in the same millisecond and close the wrong session at the cap.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  /** Every live session's server, for list_changed. */
  all(): Iterable<LegacySession> {
    return this.sessions.values();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A transport for a new session: it becomes one once its `initialize` succeeds. */
  async open(agent: string, endpoint: Endpoint, server: Server): Promise<NodeStreamableHTTPServerTransport> {
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => this.add({ id, agent, endpoint, server, transport, lastUsed: Date.now() }),
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id !== undefined && this.sessions.get(id)?.transport === transport) this.sessions.delete(id);
    };
    await server.connect(transport);
    return transport;
  }

  dispose(): void {
    clearInterval(this.sweeper);
    for (const session of [...this.sessions.values()]) this.close(session, 'the gateway stopped');
  }

  private add(session: LegacySession): void {
    this.sessions.set(session.id, session);
    const own = [...this.sessions.values()].filter((s) => s.agent === session.agent);
    for (const old of own.slice(0, Math.max(0, own.length - this.limits.maxPerAgent))) this.close(old, `agent '${old.agent}' opened more than ${this.limits.maxPerAgent} sessions`);
  }

  private sweep(): void {
    const before = Date.now() - this.limits.idleMs;
    for (const session of [...this.sessions.values()]) if (session.lastUsed < before) this.close(session, 'idle');
  }

  private close(session: LegacySession, why: string): void {
    this.sessions.delete(session.id);
    this.logger.info(`gateway: closed a session of agent '${session.agent}' (${why})`);
    session.server.close().catch((error: unknown) => this.logger.warn(`gateway: closing a session failed: ${errorMessage(error)}`));
  }
}
