import type { LaunchAuth, ServerAuthDeps, SignInRequest } from '../auth/authPorts';
import { DEFAULT_OAUTH_SETTINGS } from '../auth/oauthSettings';
import { authAuditInput, nullAuditSink, refusedRequest, type AuditSink, type LifecycleAction } from '../audit/auditEvent';
import { definitionFingerprint, type ServerDefinition } from '../config/serverDefinition';
import type { LaunchSpec } from '../config/launchSpec';
import { DisposableStore, type Disposable } from '../disposable';
import { Emitter } from '../events';
import { errorMessage, type Clock, type Logger } from '../ports';
import { CrashHistory, DEFAULT_RESTART_POLICY, type RestartPolicyOptions } from './restartPolicy';
import { ServerState } from './serverState';
import { isPermanentLaunchError } from './launchError';
import type { Caller } from '../gateway/caller';
import { GATEWAY_TOKEN_VARIABLE, GATEWAY_URL_VARIABLE, type DelegationPort } from '../gateway/delegation';
import { EMPTY_CATALOG, type ClientRequestHandler, type ClientRequestMethod, type LaunchLimits, type OfferedFeatures, type RequestOptions, type ServerCatalog, type Session, type SessionLauncher } from './session';

/** What a launch consent check is told: the run it is for, and how to show that the user is being asked. */
export interface LaunchConsentContext {
  readonly session: string;
  readonly signal: AbortSignal;
  /** Called when the user has to be asked; `summary` says what would run. */
  readonly onWaiting: (summary: string) => void;
}

export interface SupervisorDeps {
  readonly launcher: SessionLauncher;
  /**
   * Replaces variables (asking for inputs, reading env files); throws a non-retryable LaunchError for a bad
   * definition. `signal` aborts when the user stops the server meanwhile: a stop never waits for it.
   */
  readonly resolveSpec: (definition: ServerDefinition, keyPath: string, signal: AbortSignal) => Promise<LaunchSpec>;
  /**
   * Finds or asks for the user's approval of this exact launch, before anything is resolved or run (an
   * `${input:…}` prompt included); throws a permanent LaunchError when it is denied.
   */
  readonly authorizeLaunch: (definition: ServerDefinition, keyPath: string, context: LaunchConsentContext) => Promise<void>;
  /** Answers the requests a server makes of the client (roots, sampling, elicitation) in one run, through the gate. */
  readonly clientRequests?: (serverName: string, session: string) => ClientRequestHandler;
  /** What is advertised to servers besides roots (sampling, elicitation), answered through `clientRequests`. */
  readonly offered?: OfferedFeatures;
  /** A server says a URL elicitation finished. */
  readonly onElicitationComplete?: (serverName: string, elicitationId: string) => void;
  /** A run of the server ended (stopped or crashed): what was granted for that session only goes with it. */
  readonly onSessionEnd?: (serverName: string, session: string) => void;
  /** The gateway, for servers with `delegate: true`: a token per run, revoked when the run ends. */
  readonly delegation?: DelegationPort;
  readonly limits: () => LaunchLimits;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly restartPolicy?: RestartPolicyOptions;
  /** Receives start, ready, stop, crash, restart and give-up. */
  readonly audit?: AuditSink;
  /**
   * Hides secrets in the messages of states, which views, notifications and the API show: an error can quote a
   * URL or a stderr line that holds a token.
   */
  readonly redact?: (text: string) => string;
  /** Learns the secrets of a launch (LaunchSpec.secrets: inputs, env values, a delegating run's token) before it runs. */
  readonly addSecrets?: (values: readonly string[]) => void;
  /**
   * OAuth for http/sse servers: each launch of one whose `oauth.enabled` is not false gets a LaunchAuth over this
   * store and user. Absent: a 401 is a start error.
   */
  readonly auth?: ServerAuthDeps;
}

/**
 * Runs one server: starts and stops it, restarts it after a crash with backoff, and gives up after too many
 * crashes. Operations run one at a time in the order they were asked for; `stop` also cancels a start in flight.
 */
export class ServerSupervisor implements Disposable {
  private _state: ServerState = ServerState.stopped;
  private session: Session | undefined;
  private readonly sessionListeners = new Set<Disposable>();
  private launchAbort: AbortController | undefined;
  private retryTimer: Disposable | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly crashes: CrashHistory;
  /** Resources subscribed to through `request`: made again in the next run after a restart or a crash. */
  private readonly subscriptions = new Set<string>();
  private readonly disposables = new DisposableStore();
  private readonly audit: AuditSink;
  /** The audit name of the current (or last) run of the server. */
  private sessionId = '';
  /** Requests in flight to the current run, with the gateway agent that made each (undefined: MCP Warden's own). */
  private readonly inFlight = new Map<object, Caller | undefined>();

  private readonly stateEmitter = this.disposables.add(new Emitter<ServerState>());
  private readonly catalogEmitter = this.disposables.add(new Emitter<ServerCatalog>());
  private readonly giveUpEmitter = this.disposables.add(new Emitter<string>());
  private readonly resourceEmitter = this.disposables.add(new Emitter<string>());
  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires when the server's tools, prompts or resources change. */
  readonly onDidChangeCatalog = this.catalogEmitter.event;
  /** Fires with the reason when MCP Warden stops restarting a crashing server. */
  readonly onDidGiveUp = this.giveUpEmitter.event;
  /** Fires with the URI of a subscribed resource the server says changed. */
  readonly onDidUpdateResource = this.resourceEmitter.event;

  constructor(
    private _definition: ServerDefinition,
    /** Setting key of the definition, e.g. `mcpWarden.servers.github`. */
    readonly keyPath: string,
    private readonly deps: SupervisorDeps,
  ) {
    this.crashes = new CrashHistory(deps.restartPolicy ?? DEFAULT_RESTART_POLICY);
    this.audit = deps.audit ?? nullAuditSink;
  }

  get name(): string {
    return this._definition.name;
  }

  get definition(): ServerDefinition {
    return this._definition;
  }

  get state(): ServerState {
    return this._state;
  }

  get catalog(): ServerCatalog {
    return this.session?.catalog ?? EMPTY_CATALOG;
  }

  /** Starts the server if it is not running; a user's start also forgets earlier crashes. */
  start(): Promise<void> {
    this.crashes.reset();
    this.cancelRetry();
    return this.enqueue(() => this.doStart());
  }

  /** Stops the server, cancelling a start or a pending restart; its resource subscriptions end with it. */
  stop(): Promise<void> {
    this.subscriptions.clear();
    this.launchAbort?.abort();
    this.cancelRetry();
    return this.enqueue(() => this.doStop());
  }

  /** Stops and starts the server; `reason` (default: the user asked) goes to its log and the audit log. */
  restart(reason = 'requested'): Promise<void> {
    this.crashes.reset();
    this.recordLifecycle('restart', reason);
    this.launchAbort?.abort();
    this.cancelRetry();
    return this.enqueue(async () => {
      await this.doStop(reason === 'requested' ? 'you restarted it' : reason);
      await this.doStart();
    });
  }

  /** Takes a new definition; restarts the server only if it runs and the launch-relevant fields changed. */
  update(definition: ServerDefinition): Promise<void> {
    const changed = definitionFingerprint(definition) !== definitionFingerprint(this._definition);
    this._definition = definition;
    if (!changed) return Promise.resolve();
    if (definition.disabled) return this.stop();
    if (ServerState.isActive(this._state)) {
      this.deps.logger.info('definition changed: restarting');
      return this.restart();
    }
    return Promise.resolve();
  }

  /** Sends a request the registry has let through the gate. */
  request(
    method: ClientRequestMethod,
    params: Readonly<Record<string, unknown>>,
    options: RequestOptions,
  ): Promise<unknown> {
    const session = this.session;
    if (!session || this._state.kind !== 'running') {
      const message = `server '${this.name}' is not running (${ServerState.label(this._state)})`;
      this.recordRefused(method, params, message, options.caller);
      return Promise.reject(new Error(message));
    }
    const sent = this.track(session.request(method, params, options), options.caller);
    if (method !== 'resources/subscribe' && method !== 'resources/unsubscribe') return sent;
    const uri = params['uri'];
    if (typeof uri !== 'string') return sent;
    return sent.then((result) => {
      if (method === 'resources/subscribe') this.subscriptions.add(uri);
      else this.subscriptions.delete(uri);
      return result;
    });
  }

  notifyRootsChanged(): void {
    if (this._state.kind === 'running') this.session?.notifyRootsChanged();
  }

  /** The callers of the requests in flight to the current run (undefined: MCP Warden's own), for delegation chains. */
  callersInFlight(): (Caller | undefined)[] {
    return [...this.inFlight.values()];
  }

  /** Keeps count of the requests in flight and who made them, so a request of the server can be attributed. */
  private track(sent: Promise<unknown>, caller: Caller | undefined): Promise<unknown> {
    const token = {};
    this.inFlight.set(token, caller);
    const done = () => void this.inFlight.delete(token);
    sent.then(done, done);
    return sent;
  }

  /**
   * The caller a request of the server belongs to: certain only while exactly one request is in flight (nothing
   * in an initialize-era server request names the call it serves). Two calls at once: nobody, and MCP Warden's
   * own interface answers.
   */
  private attributedCaller(): Caller | undefined {
    if (this.inFlight.size !== 1) return undefined;
    return this.inFlight.values().next().value;
  }

  /** The audit name of the current run, or `none` before the first. */
  get currentSession(): string {
    return this.sessionId || 'none';
  }

  /**
   * Records a request that never reached the server: the transport saw nothing, so without this record a
   * call made while the server restarts, or one the gate denied, would leave no trace.
   */
  recordRefused(method: string, params: Readonly<Record<string, unknown>>, reason: string, caller?: Caller): void {
    this.audit.record(refusedRequest(this.name, this.sessionId || 'none', method, params, reason, this.deps.clock.now(), caller));
  }

  /** Stops the server and releases everything; await `stop()` first for a clean shutdown. */
  dispose(): void {
    void this.stop().finally(() => this.disposables.dispose());
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation);
    this.queue = next.catch((error: unknown) => this.deps.logger.error(`lifecycle operation failed: ${errorMessage(error)}`));
    return next;
  }

  private async doStart(): Promise<void> {
    if (this._state.kind === 'running' || this._state.kind === 'starting' || this._state.kind === 'needs-approval' || this._state.kind === 'needs-sign-in') return;
    if (this._definition.disabled) {
      this.setState({ kind: 'error', message: 'the server is disabled (disabled: true)', gaveUp: false });
      return;
    }
    const abort = new AbortController();
    this.launchAbort = abort;
    this.sessionId = crypto.randomUUID().slice(0, 8);
    this.setState({ kind: 'starting', since: this.deps.clock.now() });
    const started = this.deps.clock.now();
    const definition = this._definition;
    this.recordLifecycle('start', definition.type === 'stdio' ? `stdio: ${[definition.command, ...definition.args].join(' ')}` : `${definition.type}: ${definition.url}`);
    try {
      const sessionId = this.sessionId;
      let asked = false;
      await untilAborted(
        this.deps.authorizeLaunch(definition, this.keyPath, {
          session: sessionId,
          signal: abort.signal,
          onWaiting: (summary) => {
            if (abort.signal.aborted) return;
            asked = true;
            this.setState({ kind: 'needs-approval', since: this.deps.clock.now(), summary });
          },
        }),
        abort.signal,
      );
      if (asked) this.setState({ kind: 'starting', since: this.deps.clock.now() });
      const resolved = await untilAborted(this.deps.resolveSpec(definition, this.keyPath, abort.signal), abort.signal);
      const spec = definition.type === 'stdio' && definition.delegate ? this.withGateway(resolved, sessionId) : resolved;
      this.deps.addSecrets?.(spec.secrets);
      const gated = this.deps.clientRequests?.(this.name, sessionId);
      const clientRequests: ClientRequestHandler | undefined = gated && ((request, signal) => {
        const caller = this.attributedCaller();
        return gated(request, signal, caller && { caller });
      });
      const session = await this.deps.launcher.launch({
        serverName: this.name,
        sessionId,
        keyPath: this.keyPath,
        spec,
        limits: this.deps.limits(),
        logger: this.deps.logger,
        signal: abort.signal,
        ...(clientRequests && { clientRequests }),
        ...(this.deps.offered && { offered: this.deps.offered }),
        ...(this.deps.onElicitationComplete && { onElicitationComplete: (id: string) => this.deps.onElicitationComplete?.(this.name, id) }),
        ...this.launchAuth(spec, sessionId, abort.signal),
      });
      if (abort.signal.aborted) {
        await session.close();
        this.endRun(sessionId);
        return;
      }
      this.attach(session);
      this.resubscribe(session);
      const { info } = session;
      this.deps.logger.info(
        `running: protocol ${info.protocolVersion} (${info.era}) over ${info.transport}, server ${info.serverInfo.name} ${info.serverInfo.version}` +
          `${info.pid ? `, pid ${info.pid}` : ''}, ${session.catalog.tools.length} tools, in ${this.deps.clock.now() - started} ms`,
      );
      this.audit.record({
        type: 'lifecycle',
        server: this.name,
        session: this.sessionId,
        action: 'ready',
        negotiated: {
          protocolVersion: info.protocolVersion,
          era: info.era,
          transport: info.transport,
          serverInfo: info.serverInfo,
          capabilities: info.capabilities,
          ...(info.pid !== undefined && { pid: info.pid }),
          tools: session.catalog.tools.length,
        },
      });
      this.setState({ kind: 'running', since: this.deps.clock.now(), session: info });
    } catch (error) {
      // The run never got a session: what was kept for it (session grants, its sandbox, its token) ends here.
      this.endRun(this.sessionId);
      if (abort.signal.aborted) return; // stop() or restart() takes it from here
      const message = errorMessage(error);
      this.deps.logger.error(`start failed: ${message}`);
      if (isPermanentLaunchError(error)) {
        this.recordLifecycle('start-failed', message);
        this.setState({ kind: 'error', message, gaveUp: false });
      } else {
        this.onCrash(message);
      }
    } finally {
      if (this.launchAbort === abort) this.launchAbort = undefined;
    }
  }

  private async doStop(restartReason?: string): Promise<void> {
    const session = this.session;
    if (session) {
      this.setState({ kind: 'stopping' });
      this.detach();
      try {
        await session.close(restartReason);
      } catch (error) {
        this.deps.logger.warn(`stop did not finish cleanly: ${errorMessage(error)}`);
      }
      this.deps.logger.info('stopped');
      this.recordLifecycle('stop', 'stopped by MCP Warden');
      this.endRun(this.sessionId);
    }
    if (this._state.kind !== 'stopped') this.setState(ServerState.stopped);
  }

  /**
   * OAuth for this launch of an http/sse server: a sign-in shows as `needs-sign-in` (the start deadline is the
   * launcher's and does not run meanwhile) and goes back to the state before it (starting, or running for a
   * sign-in during a call).
   */
  private launchAuth(spec: LaunchSpec, sessionId: string, signal: AbortSignal): { auth?: LaunchAuth } {
    const deps = this.deps.auth;
    if (!deps || spec.type === 'stdio') return {};
    const resolved = spec.oauth;
    const settings = resolved?.settings ?? DEFAULT_OAUTH_SETTINGS;
    if (!settings.enabled) return {};
    let before: ServerState | undefined;
    const clientMetadataUrl = deps.clientMetadataUrl?.();
    const signInTimeoutMs = deps.signInTimeoutMs?.();
    const auth: LaunchAuth = {
      settings,
      ...(resolved?.clientSecret !== undefined && { clientSecret: resolved.clientSecret }),
      ...(resolved?.privateKey !== undefined && { privateKey: resolved.privateKey }),
      store: deps.store,
      user: deps.user,
      onWaiting: (request: SignInRequest) => {
        if (signal.aborted || this.sessionId !== sessionId) return;
        if (this._state.kind !== 'needs-sign-in') before = this._state;
        this.setState({ kind: 'needs-sign-in', since: this.deps.clock.now(), issuer: request.issuer, reason: request.reason });
      },
      onResumed: () => {
        if (this._state.kind !== 'needs-sign-in' || this.sessionId !== sessionId) return;
        this.setState(before?.kind === 'running' ? before : { kind: 'starting', since: this.deps.clock.now() });
        before = undefined;
      },
      record: (event) => this.audit.record(authAuditInput(event, sessionId)),
      ...(this.deps.addSecrets && { addSecrets: this.deps.addSecrets }),
      ...(signInTimeoutMs !== undefined && { signInTimeoutMs }),
      ...(clientMetadataUrl && { clientMetadataUrl }),
    };
    return { auth };
  }

  /** What was kept for one run goes with it: session grants, its sandbox, its gateway token. */
  private endRun(session: string): void {
    this.deps.delegation?.close(this.name, session);
    this.deps.onSessionEnd?.(this.name, session);
  }

  /**
   * A delegating server's run gets the gateway's URL and a token of its own. Without a running gateway it gets
   * neither: its calls then fail on its side, and the log says why.
   */
  private withGateway(spec: LaunchSpec, session: string): LaunchSpec {
    if (spec.type !== 'stdio') return spec;
    const access = this.deps.delegation?.open(this.name, session);
    if (!access) {
      this.deps.logger.warn("delegate: MCP Warden's gateway is not running, so this run cannot call other servers' tools (it gets no MCP_WARDEN_GATEWAY_URL)");
      return spec;
    }
    this.deps.logger.info(`delegate: it may call other servers' tools through ${access.url}, as agent server:${this.name}`);
    return {
      ...spec,
      env: { ...spec.env, [GATEWAY_URL_VARIABLE]: access.url, [GATEWAY_TOKEN_VARIABLE]: access.token },
      gateway: { port: access.port },
      secrets: [...spec.secrets, access.token],
    };
  }

  /** A restarted server knows nothing of the subscriptions of its last run: they are made again. */
  private resubscribe(session: Session): void {
    for (const uri of this.subscriptions) {
      session.request('resources/subscribe', { uri }, { timeoutMs: this.deps.limits().startupTimeoutMs }).then(
        () => this.deps.logger.info(`subscribed again to ${uri}`),
        (error: unknown) => {
          this.subscriptions.delete(uri);
          this.deps.logger.warn(`could not subscribe again to ${uri}: ${errorMessage(error)}`);
        },
      );
    }
  }

  private attach(session: Session): void {
    this.session = session;
    this.sessionListeners.add(session.onDidChangeCatalog((catalog) => this.catalogEmitter.fire(catalog)));
    if (session.onDidUpdateResource) this.sessionListeners.add(session.onDidUpdateResource((uri) => this.resourceEmitter.fire(uri)));
    this.sessionListeners.add(
      session.onDidEnd((end) => {
        if (this.session !== session) return;
        this.detach();
        this.endRun(this.sessionId);
        this.deps.logger.error(`session ended: ${end.reason}`);
        if (end.fatal) {
          this.setState({ kind: 'error', message: end.reason, gaveUp: false });
        } else {
          this.onCrash(end.reason);
        }
      }),
    );
    this.catalogEmitter.fire(session.catalog);
  }

  private detach(): void {
    for (const listener of this.sessionListeners) listener.dispose();
    this.sessionListeners.clear();
    const hadCatalog = this.session !== undefined;
    this.session = undefined;
    if (hadCatalog) this.catalogEmitter.fire(EMPTY_CATALOG);
  }

  private onCrash(reason: string): void {
    this.recordLifecycle('crash', reason);
    const verdict = this.crashes.record(this.deps.clock.now());
    if (verdict.giveUp) {
      const message = `${reason} — it crashed ${this.crashes.describeLimit()}, so MCP Warden stopped restarting it`;
      this.deps.logger.error(message);
      this.recordLifecycle('give-up', message);
      this.setState({ kind: 'error', message, gaveUp: true });
      this.giveUpEmitter.fire(message);
      return;
    }
    this.deps.logger.warn(`restarting in ${verdict.delayMs} ms (attempt ${verdict.attempt})`);
    this.recordLifecycle('restart', `in ${verdict.delayMs} ms, attempt ${verdict.attempt}`);
    this.setState({ kind: 'waiting', retryAt: this.deps.clock.now() + verdict.delayMs, attempt: verdict.attempt, lastError: reason });
    this.retryTimer = this.deps.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(() => this.doStart());
    }, verdict.delayMs);
  }

  private recordLifecycle(action: LifecycleAction, detail: string): void {
    this.audit.record({ type: 'lifecycle', server: this.name, session: this.sessionId, action, detail });
  }

  private cancelRetry(): void {
    this.retryTimer?.dispose();
    this.retryTimer = undefined;
  }

  private setState(state: ServerState): void {
    const redact = this.deps.redact;
    if (redact && state.kind === 'error') state = { ...state, message: redact(state.message) };
    if (redact && state.kind === 'waiting') state = { ...state, lastError: redact(state.lastError) };
    this._state = state;
    this.stateEmitter.fire(state);
  }
}

/** `work`, or a rejection as soon as `signal` aborts: a stop must not wait for an env file or a prompt. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
