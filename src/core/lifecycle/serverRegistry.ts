import { refusedRequest } from '../audit/auditEvent';
import { definitionFingerprint, type ConfigProblem, type ConfigSource, type ServerDefinition, type ServerEntry } from '../config/serverDefinition';
import { DisposableStore, type Disposable } from '../disposable';
import { Emitter } from '../events';
import { errorMessage, type Logger } from '../ports';
import { ServerState } from './serverState';
import { ServerSupervisor, type SupervisorDeps } from './serverSupervisor';
import { PermissionDeniedError } from '../permissions/permissionDenied';
import type { AuthorizeOptions, RequestAuthorizer } from '../permissions/permissionBroker';
import { PinCache, permissionForRequest, type RequestPermission } from '../permissions/requestPermissions';
import type { GateDecision, Hasher, PermissionRequest } from '../permissions/permission';
import { delegatingServerOf, type Caller } from '../gateway/caller';
import { delegatedCaller } from '../gateway/delegation';
import { EMPTY_CATALOG, type ClientRequestMethod, type ProgressUpdate, type ServerCatalog, type TaskStatusUpdate, type ToolCallResult } from './session';

/** What a caller of `request` may pass besides the request. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Told when the request waits for the user's permission: that wait does not count against the request timeout. */
  readonly onWaiting?: (message: string) => void;
  /** Told when the permission it waited for is granted: the request is sent now. */
  readonly onAllowed?: () => void;
  /** Told each progress report of the server while the request runs. */
  readonly onProgress?: (update: ProgressUpdate) => void;
  /** Told each new status of a tool call that runs as a task. */
  readonly onTaskStatus?: (update: TaskStatusUpdate) => void;
  /** The gateway agent the request comes from: part of the permission's subject and of the audit record. */
  readonly caller?: Caller;
}

/** What the configuration says right now: the servers to run, and what was found but not run. */
export interface ConfigSnapshot {
  /** Servers from `mcpWarden.servers`: usable or with problems. */
  readonly servers: readonly ServerEntry[];
  /** Servers found in `.vscode/mcp.json` / `.mcp.json`: shown for import, never started. */
  readonly discovered: readonly ServerEntry[];
  /** Problems of whole files or settings, e.g. a syntax error in mcp.json. */
  readonly problems: readonly ConfigProblem[];
}

export type ServerStatus = 'configured' | 'invalid' | 'discovered';

/** A read-only picture of one server for views and the API. */
export interface ServerSnapshot {
  readonly name: string;
  readonly status: ServerStatus;
  readonly source: ConfigSource;
  readonly keyPath: string;
  readonly definition?: ServerDefinition;
  readonly problems: readonly ConfigProblem[];
  readonly state: ServerState;
  readonly catalog: ServerCatalog;
}

export interface RegistryDeps {
  /** Everything a supervisor needs except its own logger. */
  readonly supervisor: Omit<SupervisorDeps, 'logger'>;
  readonly loggerFor: (serverName: string) => Logger;
  readonly logger: Logger;
  readonly requestTimeoutMs: () => number;
  /** The longest a request may run while its server reports progress (`mcpWarden.maxRequestSeconds`). */
  readonly maxRequestMs?: () => number;
  /** The permission gate every request passes (the broker: grants, questions, audit). */
  readonly authorizer: RequestAuthorizer;
  /** sha256 for the pins of tool and prompt definitions. */
  readonly hasher: Hasher;
}

/**
 * All servers of the workspace. Applies configuration changes by starting, stopping and restarting only the
 * servers whose definition changed; one server's failure never touches another.
 */
export class ServerRegistry implements Disposable {
  private readonly supervisors = new Map<string, ServerSupervisor>();
  private readonly supervisorListeners = new Map<string, DisposableStore>();
  private config: ConfigSnapshot = { servers: [], discovered: [], problems: [] };
  private applied = false;
  private readonly disposables = new DisposableStore();
  private readonly changeEmitter = this.disposables.add(new Emitter<string | undefined>());
  private readonly giveUpEmitter = this.disposables.add(new Emitter<{ readonly name: string; readonly message: string }>());
  private readonly resourceEmitter = this.disposables.add(new Emitter<{ readonly server: string; readonly uri: string }>());
  private readonly pins: PinCache;

  /** Fires with a server name when that server changed, or undefined when the set of servers changed. */
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidGiveUp = this.giveUpEmitter.event;
  /** Fires when a server says a resource subscribed to changed (`notifications/resources/updated`). */
  readonly onDidUpdateResource = this.resourceEmitter.event;

  constructor(private readonly deps: RegistryDeps) {
    this.pins = new PinCache(deps.hasher);
  }

  /**
   * Takes a new configuration. New servers with `autostart` are started when `autostart` is true here (the
   * workspace is trusted and this is not a reload the user did not ask for).
   */
  async applyConfiguration(config: ConfigSnapshot, options: { readonly autostart: boolean }): Promise<void> {
    this.config = config;
    const usable = new Map<string, { definition: ServerDefinition; keyPath: string }>();
    for (const entry of config.servers) if (entry.ok) usable.set(entry.name, { definition: entry.definition, keyPath: entry.keyPath });

    // Changes are audited from the second configuration on: the first is what the workspace opened with.
    const audit = this.applied ? this.deps.supervisor.audit : undefined;
    this.applied = true;
    const work: Promise<void>[] = [];
    for (const [name, supervisor] of this.supervisors) {
      const entry = usable.get(name);
      if (!entry || entry.keyPath !== supervisor.keyPath) {
        audit?.record({ type: 'config', server: name, action: 'removed', keyPath: supervisor.keyPath });
        work.push(this.remove(name, supervisor));
      }
    }
    for (const [name, { definition, keyPath }] of usable) {
      const existing = this.supervisors.get(name);
      if (existing) {
        if (definitionFingerprint(existing.definition) !== definitionFingerprint(definition) || existing.definition.autostart !== definition.autostart) {
          audit?.record({ type: 'config', server: name, action: 'changed', keyPath, definition });
        }
        work.push(existing.update(definition));
      } else {
        audit?.record({ type: 'config', server: name, action: 'added', keyPath, definition });
        const supervisor = this.add(definition, keyPath);
        if (options.autostart && definition.autostart && !definition.disabled) work.push(supervisor.start());
      }
    }
    this.changeEmitter.fire(undefined);
    await Promise.all(work.map((p) => p.catch((error: unknown) => this.deps.logger.error(errorMessage(error)))));
  }

  /** Every server, configured ones first, in configuration order. */
  get servers(): ServerSnapshot[] {
    const configured = this.config.servers.map((entry) => this.snapshotOf(entry, entry.ok ? 'configured' : 'invalid'));
    const names = new Set(configured.map((s) => s.name));
    const discovered = this.config.discovered.filter((e) => !names.has(e.name)).map((e) => this.snapshotOf(e, 'discovered'));
    return [...configured, ...discovered];
  }

  get problems(): readonly ConfigProblem[] {
    return this.config.problems;
  }

  server(name: string): ServerSnapshot | undefined {
    return this.servers.find((s) => s.name === name);
  }

  start(name: string): Promise<void> {
    return this.supervisor(name).start();
  }

  stop(name: string): Promise<void> {
    return this.supervisor(name).stop();
  }

  restart(name: string, reason?: string): Promise<void> {
    return this.supervisor(name).restart(reason);
  }

  /** Starts every enabled server in parallel; one failing start does not hold back the others. */
  async startAll(): Promise<void> {
    await Promise.allSettled([...this.supervisors.values()].filter((s) => !s.definition.disabled).map((s) => s.start()));
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.supervisors.values()].map((s) => s.stop()));
  }

  /** Calls a tool: `request('tools/call', …)`. */
  callTool(serverName: string, toolName: string, args: Readonly<Record<string, unknown>>, options: RequestOptions = {}): Promise<ToolCallResult> {
    return this.request(serverName, 'tools/call', { name: toolName, arguments: args }, options) as Promise<ToolCallResult>;
  }

  /**
   * The one path every request to a server takes, whoever makes it: the server must run and offer what is asked
   * for, then the permission gate decides (asking the user if no grant does; that wait does not count against the
   * request timeout), then the request goes out. A request refused on the way is audited too. A request a grant
   * decides goes out without a promise turn of its own: this runs on every call.
   */
  request(serverName: string, method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, options: RequestOptions = {}): Promise<unknown> {
    try {
      return this.requestNow(serverName, method, params, options);
    } catch (error) {
      // Whatever goes wrong reaches the caller as a rejection, never as a throw it did not expect.
      return Promise.reject(error as Error);
    }
  }

  private requestNow(serverName: string, method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<unknown> {
    const supervisor = this.supervisors.get(serverName);
    if (options.caller) {
      // A server calling through the gateway: its request continues the chain of the call it serves.
      const delegated = this.delegated(options.caller, serverName);
      if (delegated.refused !== undefined) {
        if (supervisor) supervisor.recordRefused(method, params, delegated.refused, delegated.caller);
        else this.deps.supervisor.audit?.record(refusedRequest(serverName, 'none', method, params, delegated.refused, Date.now(), delegated.caller));
        return Promise.reject(new Error(delegated.refused));
      }
      if (delegated.caller !== options.caller) options = { ...options, caller: delegated.caller };
    }
    if (!supervisor) return Promise.reject(this.refuseUnknown(serverName, method, params, options.caller));
    if (supervisor.state.kind !== 'running') return supervisor.request(method, params, { timeoutMs: this.deps.requestTimeoutMs(), ...(options.caller && { caller: options.caller }) });
    const catalog = supervisor.catalog;
    if (method === 'tools/call' && !this.pins.hasTool(catalog, params['name'])) {
      const reason = `server '${serverName}' has no tool named '${String(params['name'])}'`;
      supervisor.recordRefused(method, params, reason, options.caller);
      return Promise.reject(new Error(reason));
    }
    const needed = permissionForRequest(method, params, catalog, this.pins);
    if (!needed) return this.send(supervisor, method, params, options);
    const request: PermissionRequest = {
      server: serverName,
      session: supervisor.currentSession,
      permission: needed.permission,
      method,
      ...(needed.pin !== undefined && { pin: needed.pin }),
      ...(needed.annotations && { annotations: needed.annotations }),
      ...(options.caller && { agent: options.caller.agent }),
      ...(options.caller?.chain && { chain: options.caller.chain }),
    };
    const decided = this.deps.authorizer.decideWithoutAsking?.(request);
    if (decided) return this.sendIfAllowed(decided, supervisor, needed, method, params, options);
    const authorizeOptions: AuthorizeOptions = {
      ...(options.signal && { signal: options.signal }),
      ...(options.onWaiting && { onWaiting: options.onWaiting }),
      ...(needed.definition !== undefined && { definition: needed.definition }),
    };
    return this.deps.authorizer.authorize(request, authorizeOptions).then((decision) => {
      if (decision.verdict === 'allow') options.onAllowed?.();
      return this.sendIfAllowed(decision, supervisor, needed, method, params, options);
    });
  }

  /** The pin of a tool as the server lists it now (for grants made outside a request, e.g. a re-approval). */
  toolPin(serverName: string, toolName: string): string | undefined {
    const supervisor = this.supervisors.get(serverName);
    return supervisor && this.pins.tool(supervisor.catalog, toolName);
  }

  /** Tells a running server that its roots changed (its `fs.read` grants did). */
  notifyRootsChanged(serverName: string): void {
    this.supervisors.get(serverName)?.notifyRootsChanged();
  }

  /** The callers of the requests in flight to a server now (undefined: MCP Warden's own): who it is working for. */
  callersOf(serverName: string): (Caller | undefined)[] {
    return this.supervisors.get(serverName)?.callersInFlight() ?? [];
  }

  /** The caller with its delegation chain, and why it is refused if it is (a cycle, a chain too long). */
  private delegated(caller: Caller, target: string): ReturnType<typeof delegatedCaller> {
    const from = delegatingServerOf(caller.agent);
    return from === undefined ? { caller } : delegatedCaller(caller, target, this.callersOf(from));
  }

  /** The current run of a server, for session grants. */
  sessionOf(serverName: string): string {
    return this.supervisors.get(serverName)?.currentSession ?? 'none';
  }

  private sendIfAllowed(
    decision: GateDecision,
    supervisor: ServerSupervisor,
    needed: RequestPermission,
    method: ClientRequestMethod,
    params: Readonly<Record<string, unknown>>,
    options: RequestOptions,
  ): Promise<unknown> {
    if (decision.verdict === 'allow') return this.send(supervisor, method, params, options);
    const denied = new PermissionDeniedError(supervisor.name, needed.permission, decision.rule, `${method} of ${needed.what}`);
    supervisor.recordRefused(method, params, denied.message, options.caller);
    return Promise.reject(denied);
  }

  /** The timeout starts here: time spent waiting for the user's answer is not the server's. */
  private send(supervisor: ServerSupervisor, method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<unknown> {
    const maxTotalMs = this.deps.maxRequestMs?.();
    return supervisor.request(method, params, {
      timeoutMs: this.deps.requestTimeoutMs(),
      ...(maxTotalMs !== undefined && { maxTotalMs }),
      ...(options.signal && { signal: options.signal }),
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.onTaskStatus && { onTaskStatus: options.onTaskStatus }),
      ...(options.caller && { caller: options.caller }),
    });
  }

  /** A request for a server that is not (usably) configured: audited, and the error says why. */
  private refuseUnknown(serverName: string, method: string, params: Readonly<Record<string, unknown>>, caller: Caller | undefined): Error {
    let reason: string;
    try {
      this.supervisor(serverName);
      reason = `no server is named '${serverName}'`;
    } catch (error) {
      reason = errorMessage(error);
    }
    this.deps.supervisor.audit?.record(refusedRequest(serverName, 'none', method, params, reason, Date.now(), caller));
    return new Error(reason);
  }

  dispose(): void {
    for (const store of this.supervisorListeners.values()) store.dispose();
    for (const supervisor of this.supervisors.values()) supervisor.dispose();
    this.supervisors.clear();
    this.disposables.dispose();
  }

  private supervisor(name: string): ServerSupervisor {
    const supervisor = this.supervisors.get(name);
    if (supervisor) return supervisor;
    const entry = this.servers.find((s) => s.name === name);
    if (entry?.status === 'invalid') throw new Error(`server '${name}' cannot start: ${entry.problems.map((p) => `${p.keyPath} ${p.message}`).join('; ')}`);
    if (entry?.status === 'discovered') throw new Error(`server '${name}' is only defined in ${entry.keyPath.split(':')[0]}; import it into mcpWarden.servers first`);
    throw new Error(`no server is named '${name}'`);
  }

  private add(definition: ServerDefinition, keyPath: string): ServerSupervisor {
    const supervisor = new ServerSupervisor(definition, keyPath, { ...this.deps.supervisor, logger: this.deps.loggerFor(definition.name) });
    const listeners = new DisposableStore();
    listeners.add(supervisor.onDidChangeState(() => this.changeEmitter.fire(definition.name)));
    listeners.add(supervisor.onDidChangeCatalog(() => this.changeEmitter.fire(definition.name)));
    listeners.add(supervisor.onDidGiveUp((message) => this.giveUpEmitter.fire({ name: definition.name, message })));
    listeners.add(supervisor.onDidUpdateResource((uri) => this.resourceEmitter.fire({ server: definition.name, uri })));
    this.supervisors.set(definition.name, supervisor);
    this.supervisorListeners.set(definition.name, listeners);
    return supervisor;
  }

  private async remove(name: string, supervisor: ServerSupervisor): Promise<void> {
    this.supervisors.delete(name);
    await supervisor.stop();
    this.supervisorListeners.get(name)?.dispose();
    this.supervisorListeners.delete(name);
    supervisor.dispose();
  }

  private snapshotOf(entry: ServerEntry, status: ServerStatus): ServerSnapshot {
    const supervisor = status === 'configured' ? this.supervisors.get(entry.name) : undefined;
    return {
      name: entry.name,
      status,
      source: entry.source,
      keyPath: entry.keyPath,
      ...(entry.ok && { definition: entry.definition }),
      problems: entry.ok ? [] : entry.problems,
      state: supervisor?.state ?? ServerState.stopped,
      catalog: supervisor?.catalog ?? EMPTY_CATALOG,
    };
  }
}
