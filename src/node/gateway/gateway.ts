import type { Server } from '@modelcontextprotocol/server';
import { DisposableStore, type Disposable } from '../../core/disposable';
import { errorMessage, type Logger } from '../../core/ports';
import type { AgentOfToken } from './agentTokens';
import type { CatalogChanges } from '../../core/gateway/gatewayCatalog';
import { createGatewayServer, type AgentConnection, type GatewayContext, type GatewayRegistry } from './gatewayServer';
import { HttpListener } from './httpListener';
import { ModernInputs } from './modernInputs';
import { GatewayViews, keyOf } from './gatewayViews';
import { SocketListener } from './socketListener';

export interface GatewayLimits {
  /** Largest HTTP request body (413 beyond). */
  readonly maxBodyBytes: number;
  /** A 2025-era HTTP session no request used for this long is closed. */
  readonly sessionIdleMs: number;
  readonly maxSessionsPerAgent: number;
  /** How long a 2026-07-28 agent's call waits, parked, for the agent to answer a server's question. */
  readonly inputTimeoutMs: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  sessionIdleMs: 60 * 60_000,
  maxSessionsPerAgent: 16,
  inputTimeoutMs: 10 * 60_000,
};

export interface GatewayDeps {
  /** Every request an agent makes goes through `registry.request`: the permission gate and the audit log. */
  readonly registry: GatewayRegistry;
  /** The agent a bearer token belongs to (the editor keeps tokens in SecretStorage); see AgentTokenTable. */
  readonly agentOfToken: AgentOfToken;
  readonly logger: Logger;
  /** MCP Warden's version, as the gateway tells agents. */
  readonly version: string;
  /** Servers whose tools the aggregate lists directly (default: all); the others are reached with `search_tools`. */
  readonly exposedDirectly?: (server: string) => boolean;
  readonly limits?: Partial<GatewayLimits>;
}

export interface GatewayStartOptions {
  /** The port of the last run, so agents' configurations stay right; another is used when it is taken. */
  readonly preferredPort?: number;
  /** A directory only the user can enter, for the stdio bridge's Unix socket (ignored on Windows: a named pipe). */
  readonly socketDirectory?: string;
}

export interface GatewayEndpoint {
  readonly port: number;
  /** `http://127.0.0.1:<port>/mcp`: every running server, names prefixed `<server>__`. */
  readonly url: string;
  /** Where the stdio bridge connects (MCP_WARDEN_GATEWAY_SOCKET), when a socket directory was given. */
  readonly socketPath?: string;
  /** `http://127.0.0.1:<port>/servers/<name>/mcp`: one server, its own names. */
  serverUrl(name: string): string;
}

/**
 * MCP Warden's servers as one MCP server for other agents: Streamable HTTP on 127.0.0.1 (both protocol eras) and a
 * Unix socket for the stdio bridge. Holds no server of its own: it reads the registry's catalogues and sends every
 * request through the registry with the calling agent as caller.
 */
export class Gateway implements Disposable {
  private readonly limits: GatewayLimits;
  private readonly disposables = new DisposableStore();
  private readonly views: GatewayViews;
  private readonly modernInputs: ModernInputs;
  private readonly context: GatewayContext;
  private http: HttpListener | undefined;
  private socket: SocketListener | undefined;
  private current: GatewayEndpoint | undefined;

  constructor(private readonly deps: GatewayDeps) {
    this.limits = { ...DEFAULT_GATEWAY_LIMITS, ...deps.limits };
    this.modernInputs = this.disposables.add(new ModernInputs({ timeoutMs: this.limits.inputTimeoutMs }));
    this.views = new GatewayViews(() => deps.registry.servers, deps.exposedDirectly ?? (() => true));
    this.context = {
      registry: deps.registry,
      views: this.views,
      version: deps.version,
      modernInputs: this.modernInputs,
    };
    this.disposables.add(deps.registry.onDidChange(() => this.onRegistryChange()));
  }

  get endpoint(): GatewayEndpoint | undefined {
    return this.current;
  }

  async start(options: GatewayStartOptions = {}): Promise<GatewayEndpoint> {
    if (this.current) return this.current;
    const createServer = (connection: AgentConnection) => createGatewayServer(this.context, connection);
    const http = new HttpListener({
      agentOfToken: this.deps.agentOfToken,
      createServer,
      logger: this.deps.logger,
      maxBodyBytes: this.limits.maxBodyBytes,
      sessions: { idleMs: this.limits.sessionIdleMs, maxPerAgent: this.limits.maxSessionsPerAgent },
    });
    const port = await http.listen(options.preferredPort);
    this.http = http;
    let socketPath: string | undefined;
    if (options.socketDirectory !== undefined) {
      const socket = new SocketListener({ agentOfToken: this.deps.agentOfToken, createServer, logger: this.deps.logger });
      try {
        socketPath = await socket.listen(options.socketDirectory);
        this.socket = socket;
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
    const base = `http://127.0.0.1:${port}`;
    this.current = {
      port,
      url: `${base}/mcp`,
      ...(socketPath !== undefined && { socketPath }),
      serverUrl: (name) => `${base}/servers/${encodeURIComponent(name)}/mcp`,
    };
    this.deps.logger.info(`gateway: listening on ${this.current.url}${socketPath ? ` and ${socketPath}` : ''}`);
    return this.current;
  }

  /** Closes every agent connection and stops listening; calls of agents in flight are cancelled. */
  async stop(): Promise<void> {
    const http = this.http;
    const socket = this.socket;
    this.http = undefined;
    this.socket = undefined;
    this.current = undefined;
    this.modernInputs.cancelAll();
    await Promise.all([http?.close(), socket?.close()]);
  }

  dispose(): void {
    void this.stop();
    this.disposables.dispose();
  }

  /**
   * Looks at the lists again and tells agents of any change, for changes the registry does not report (e.g. which
   * servers are exposed directly).
   */
  listsChanged(): void {
    this.onRegistryChange();
  }

  private onRegistryChange(): void {
    const changes = this.views.refresh();
    const any: CatalogChanges = {
      tools: [...changes.values()].some((c) => c.tools),
      prompts: [...changes.values()].some((c) => c.prompts),
      resources: [...changes.values()].some((c) => c.resources),
    };
    if (!any.tools && !any.prompts && !any.resources) return;
    if (this.http) {
      // 2026-07-28 agents listen per handler, not per endpoint: each hears of any change.
      if (any.tools) this.http.notify.toolsChanged();
      if (any.prompts) this.http.notify.promptsChanged();
      if (any.resources) this.http.notify.resourcesChanged();
      for (const session of this.http.sessions.all()) {
        const changed = changes.get(keyOf(session.endpoint));
        if (changed) this.tell(session.server, changed);
      }
    }
    const aggregate = changes.get('');
    if (this.socket && aggregate) for (const server of this.socket.servers()) this.tell(server, aggregate);
  }

  private tell(server: Server, changed: CatalogChanges): void {
    const send = (notify: () => Promise<void>) => {
      // A connection that is closing, or not initialized yet, misses this one: it lists afresh when it starts.
      const failed = (error: unknown) => this.deps.logger.debug(`gateway: list_changed not sent: ${errorMessage(error)}`);
      try {
        notify().catch(failed);
      } catch (error) {
        failed(error);
      }
    };
    if (changed.tools) send(() => server.sendToolListChanged());
    if (changed.prompts) send(() => server.sendPromptListChanged());
    if (changed.resources) send(() => server.sendResourceListChanged());
  }
}
