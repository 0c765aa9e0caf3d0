import { UnauthorizedError } from '@modelcontextprotocol/client';
import type {
  CallToolRequest,
  Client,
  CompleteRequest,
  GetPromptRequest,
  LoggingMessageNotification,
  Prompt,
  ReadResourceRequest,
  RequestOptions as SendOptions,
  Resource,
  ResourceTemplateType,
  SubscribeRequest,
  Tool,
  UnsubscribeRequest,
} from '@modelcontextprotocol/client';
import { Emitter } from '../core/events';
import type {
  ClientRequestMethod,
  PromptInfo,
  ResourceInfo,
  ResourceTemplateInfo,
  ServerCatalog,
  Session,
  SessionEnd,
  SessionInfo,
  RequestOptions,
  ToolCallResult,
  ToolInfo,
} from '../core/lifecycle/session';
import { errorMessage, type Logger } from '../core/ports';
import { TASKS_EXTENSION_ID } from '../core/tasks/taskWire';
import { CallCancelledError, SessionStoppedError } from './callErrors';
import { ListenedResources } from './resourceSubscriptions';
import { hostsOf, UrlElicitationNeededError, urlElicitationsOf, type RequiredUrlElicitation } from './urlElicitationRequired';
import { sendingFor } from './callerContext';
import { callToolAsTask, type TaskCallDeps } from './tasks/taskCall';
import { answerTaskInput } from './tasks/taskInput';
import { taskRequests } from './tasks/taskRequests';
import { onTaskStatusNotification } from './tasks/taskStatusFeed';

/** Progress nobody listens to: the handler still makes the SDK send a progress token, so progress extends the timeout. */
const ignoreProgress = (): void => undefined;

/**
 * After a request failed: signs the user in again when the server asked for it (a refused refresh, a step-up);
 * true when the request should be sent again. Throws when the user cancelled or the sign-in failed.
 */
export type SessionReauthorizer = (error: unknown, signal: AbortSignal | undefined) => Promise<boolean>;

/** Sign-ins one request may lead to before it fails: a refused refresh, then a step-up. */
const MAX_SIGN_INS_PER_REQUEST = 2;

/** Describes why the connection under a session closed: an exit code, a lost connection… */
export type EndExplainer = () => SessionEnd;

/**
 * A connected MCP client for one server. Keeps the catalog current from list-changed notifications and turns
 * an unexpected close of the connection into one `onDidEnd` event.
 */
export class McpSession implements Session {
  private readonly catalogEmitter = new Emitter<ServerCatalog>();
  private readonly endEmitter = new Emitter<SessionEnd>();
  private readonly resourceEmitter = new Emitter<string>();
  readonly onDidChangeCatalog = this.catalogEmitter.event;
  readonly onDidEnd = this.endEmitter.event;
  readonly onDidUpdateResource = this.resourceEmitter.event;
  private closing = false;
  private ended = false;
  /** Why close() ended the session for a restart, if it did: calls still running are told. */
  private restartReason: string | undefined;
  /** Set by close(): calls still running were stopped by us, not by the server. */
  private stopped = false;

  constructor(
    private readonly client: Client,
    readonly info: SessionInfo,
    private _catalog: ServerCatalog,
    private readonly explainEnd: EndExplainer,
    private readonly logger: Logger,
    private readonly isConnectionLoss: (error: unknown) => boolean,
    /**
     * `_meta` entries every request carries: in 2026-07-28, which has no `logging/setLevel`, the log level the
     * server should send (`io.modelcontextprotocol/logLevel`).
     */
    private readonly requestMeta?: Readonly<Record<string, unknown>>,
    /** Shows the browser steps of a -32042 error (URL elicitation required); without it the error passes as is. */
    private readonly onUrlElicitations?: (elicitations: readonly RequiredUrlElicitation[]) => void,
    private readonly listTimeoutMs = 30_000,
    /** OAuth servers: a request the server refused for authorization is sent again after the user signs in. */
    private readonly reauthorize?: SessionReauthorizer,
  ) {
    // Both eras: unsolicited in the initialize era, on the subscriptions/listen stream in 2026-07-28.
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      if (!this.closing) this.resourceEmitter.fire(notification.params.uri);
    });
    if (this.info.era === 'modern') {
      this.listened = new ListenedResources((filter, options) => client.listen(filter, options), subscribesToResources(this.info.capabilities), logger);
    }
    if (this.info.era === 'legacy' || hasTasksExtension(this.info.capabilities)) {
      this.tasks = {
        era: this.info.era,
        requests: taskRequests(client, this.info.era),
        onStatusNotification: (listener) => onTaskStatusNotification(client, listener),
        answerInput: answerTaskInput(client),
        logger,
      };
    }
  }

  /** How tool calls run as tasks on this connection; undefined when the server cannot run them. */
  private readonly tasks: TaskCallDeps | undefined;
  /** 2026-07-28: the subscribed resources, held as a subscriptions/listen stream; undefined in the initialize era. */
  private readonly listened: ListenedResources | undefined;

  /** The connection closed (the launcher wires the client's onclose here from the first byte). */
  connectionClosed(): void {
    this.end(this.explainEnd());
  }

  get catalog(): ServerCatalog {
    return this._catalog;
  }

  /** True once the session is closing or has ended: late notifications are ignored. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Takes a list the SDK re-fetched after a list-changed notification. */
  updateCatalog(part: 'tools' | 'prompts' | 'resources', items: readonly unknown[]): void {
    if (this.closing) return;
    const next = { ...this._catalog };
    if (part === 'tools') next.tools = uniqueTools(items as Tool[], this.logger);
    if (part === 'prompts') next.prompts = (items as Prompt[]).map(toPromptInfo);
    if (part === 'resources') next.resources = (items as Resource[]).map(toResourceInfo);
    this._catalog = next;
    this.logger.info(`${part} changed: now ${items.length}`);
    this.catalogEmitter.fire(next);
    // The SDK re-lists resources on list_changed, not templates, though the notification is about both.
    if (part === 'resources') void this.refreshTemplates();
  }

  private async refreshTemplates(): Promise<void> {
    const templates = await listTemplates(this.client, this.logger, this.listTimeoutMs);
    if (this.closing) return;
    this._catalog = { ...this._catalog, resourceTemplates: templates };
    this.logger.info(`resource templates changed: now ${templates.length}`);
    this.catalogEmitter.fire(this._catalog);
  }

  /** Sends one client request with the SDK's typed method for it, so results are validated as the SDK does. */
  request(method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<unknown> {
    const onProgress = options.onProgress;
    const sdkOptions: SendOptions = {
      timeout: options.timeoutMs,
      // A handler makes the SDK send a progress token; progress starts the timeout again, up to maxTotalMs.
      onprogress: onProgress ? (update) => onProgress({ progress: update.progress, ...(update.total !== undefined && { total: update.total }), ...(update.message !== undefined && { message: update.message }) }) : ignoreProgress,
      resetTimeoutOnProgress: true,
      ...(options.maxTotalMs !== undefined && { maxTotalTimeout: options.maxTotalMs }),
      ...(options.signal && { signal: options.signal }),
    };
    const meta = this.requestMeta;
    const sent = meta ? { ...params, _meta: { ...(params['_meta'] as Record<string, unknown> | undefined), ...meta } } : { ...params };
    const attempt = () => sendingFor(options.caller, () => (this.runsAsTask(method, params) ? this.callAsTask(sent, options, sdkOptions) : this.send(method, sent, sdkOptions)));
    const answer = this.reauthorize ? this.withSignIn(attempt, this.reauthorize, requestLabel(method, params), options.signal) : attempt();
    return answer.catch((error: unknown) => {
      const what = requestLabel(method, params);
      if (options.signal?.aborted) throw new CallCancelledError(what, error);
      if (this.stopped) throw new SessionStoppedError(what, error, this.restartReason);
      if (this.isConnectionLoss(error)) this.end({ reason: `connection lost: ${errorMessage(error)}`, fatal: false });
      const elicitations = this.onUrlElicitations && urlElicitationsOf(error);
      if (elicitations) {
        this.onUrlElicitations?.(elicitations);
        throw new UrlElicitationNeededError(what, hostsOf(elicitations), error);
      }
      throw error;
    });
  }

  private async withSignIn(attempt: () => Promise<unknown>, reauthorize: SessionReauthorizer, what: string, signal: AbortSignal | undefined): Promise<unknown> {
    for (let round = 0; ; round++) {
      try {
        return await attempt();
      } catch (error) {
        if (this.closing || signal?.aborted) throw error;
        if (round >= MAX_SIGN_INS_PER_REQUEST) {
          if (!(error instanceof UnauthorizedError)) throw error;
          throw new Error(`${what}: the server still asks for authorization after ${MAX_SIGN_INS_PER_REQUEST} sign-ins; it may need scopes your account cannot get`, { cause: error });
        }
        if (!(await reauthorize(error, signal))) throw error;
        this.logger.info(`${what}: signed in again, sending it again`);
      }
    }
  }

  async callTool(name: string, args: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<ToolCallResult> {
    return (await this.request('tools/call', { name, arguments: { ...args } }, options)) as ToolCallResult;
  }

  /**
   * 2025-11-25: a tool the server lists with `taskSupport: 'required'` (a plain call could only fail; `optional`
   * tools are called plainly, which is always valid and needs no polling). 2026-07-28 with the tasks extension
   * negotiated: every tool call, since the server decides which ones become tasks.
   */
  private runsAsTask(method: ClientRequestMethod, params: Readonly<Record<string, unknown>>): boolean {
    if (method !== 'tools/call' || !this.tasks) return false;
    if (this.info.era === 'modern') return true;
    return this._catalog.tools.find((tool) => tool.name === params['name'])?.taskSupport === 'required';
  }

  private callAsTask(params: Readonly<Record<string, unknown>>, options: RequestOptions, callOptions: SendOptions): Promise<unknown> {
    return callToolAsTask(this.tasks as TaskCallDeps, params, {
      callOptions,
      timeoutMs: options.timeoutMs,
      ...(options.maxTotalMs !== undefined && { maxTotalMs: options.maxTotalMs }),
      ...(options.signal && { signal: options.signal }),
      ...(options.onTaskStatus && { onTaskStatus: options.onTaskStatus }),
    });
  }

  notifyRootsChanged(): void {
    // 2026-07-28 removed notifications/roots/list_changed: roots are asked for with each request that needs them.
    if (this.closing || this.info.era === 'modern') return;
    void this.client.sendRootsListChanged().catch((error: unknown) => this.logger.debug(`roots/list_changed not sent: ${errorMessage(error)}`));
  }

  private send(method: ClientRequestMethod, params: Record<string, unknown>, options: SendOptions): Promise<unknown> {
    // The params come from callers that already shaped them for the method; the SDK validates the result.
    switch (method) {
      case 'tools/call':
        return this.client.callTool(params as CallToolRequest['params'], options);
      case 'prompts/get':
        return this.client.getPrompt(params as GetPromptRequest['params'], options);
      case 'resources/read':
        // Never served from the SDK's response cache: every read is a request the gate has decided.
        return this.client.readResource(params as ReadResourceRequest['params'], { ...options, cacheMode: 'bypass' });
      // 2026-07-28 has no such methods: the URI joins or leaves the filter of a subscriptions/listen stream.
      case 'resources/subscribe':
        if (this.listened) return this.listened.subscribe((params as SubscribeRequest['params']).uri, options.timeout ?? this.listTimeoutMs);
        return this.client.subscribeResource(params as SubscribeRequest['params'], options);
      case 'resources/unsubscribe':
        if (this.listened) return this.listened.unsubscribe((params as UnsubscribeRequest['params']).uri, options.timeout ?? this.listTimeoutMs);
        return this.client.unsubscribeResource(params as UnsubscribeRequest['params'], options);
      case 'completion/complete':
        return this.client.complete(params as CompleteRequest['params'], options);
    }
  }

  /** Ends the session on the client's side; for an HTTP session also ends it on the server. */
  async close(restartReason?: string): Promise<void> {
    this.closing = true;
    this.stopped = true;
    this.restartReason = restartReason;
    this.listened?.close();
    const transport = this.client.transport as { terminateSession?: () => Promise<void>; sessionId?: string } | undefined;
    if (transport?.sessionId && transport.terminateSession) {
      await transport.terminateSession().catch((error: unknown) => this.logger.debug(`session not terminated on the server: ${errorMessage(error)}`));
    }
    await this.client.close();
    this.catalogEmitter.dispose();
    this.endEmitter.dispose();
    this.resourceEmitter.dispose();
  }

  /** Ends the session from our side for a reason the transport cannot see, e.g. an oversized HTTP message. */
  end(end: SessionEnd): void {
    if (this.closing || this.ended) return;
    this.ended = true;
    this.endEmitter.fire(end);
    this.closing = true;
    this.listened?.close();
    void this.client.close().catch(() => undefined);
  }
}

/** The server declares `resources.subscribe`: it sends updates of the resources a client subscribed to. */
function subscribesToResources(capabilities: Readonly<Record<string, unknown>>): boolean {
  const resources = capabilities['resources'];
  return typeof resources === 'object' && resources !== null && (resources as { subscribe?: unknown }).subscribe === true;
}

/** The server runs tool calls as tasks of the 2026-07-28 tasks extension (declared under `capabilities.extensions`). */
function hasTasksExtension(capabilities: Readonly<Record<string, unknown>>): boolean {
  const extensions = capabilities['extensions'];
  return typeof extensions === 'object' && extensions !== null && TASKS_EXTENSION_ID in extensions;
}

/** Lists everything the server offers; a list that fails is logged and left empty, never fatal. */
export async function fetchCatalog(client: Client, logger: Logger, timeoutMs: number): Promise<ServerCatalog> {
  const capabilities = client.getServerCapabilities() ?? {};
  const list = async <T>(what: string, offered: unknown, fetch: () => Promise<T[]>): Promise<T[]> => {
    if (!offered) return [];
    try {
      return await fetch();
    } catch (error) {
      logger.warn(`could not list ${what}: ${errorMessage(error)}`);
      return [];
    }
  };
  const options = { timeout: timeoutMs };
  const [tools, prompts, resources, resourceTemplates] = await Promise.all([
    list('tools', capabilities.tools, async () => uniqueTools((await client.listTools(undefined, options)).tools, logger)),
    list('prompts', capabilities.prompts, async () => (await client.listPrompts(undefined, options)).prompts.map(toPromptInfo)),
    list('resources', capabilities.resources, async () => (await client.listResources(undefined, options)).resources.map(toResourceInfo)),
    capabilities.resources ? listTemplates(client, logger, timeoutMs) : Promise.resolve([]),
  ]);
  return { tools, prompts, resources, resourceTemplates };
}

/** `resources/templates/list`; a server that offers resources but not this method lists none. */
async function listTemplates(client: Client, logger: Logger, timeoutMs: number): Promise<ResourceTemplateInfo[]> {
  try {
    // Fetched fresh: after list_changed the SDK's cached list would be stale.
    const { resourceTemplates } = await client.listResourceTemplates(undefined, { timeout: timeoutMs, cacheMode: 'refresh' });
    return resourceTemplates.map(toTemplateInfo);
  } catch (error) {
    logger.warn(`could not list resource templates: ${errorMessage(error)}`);
    return [];
  }
}

/** Writes a server's `notifications/message` to its log, marked as coming from the server. */
export function logServerMessage(logger: Logger, params: LoggingMessageNotification['params']): void {
  const data = typeof params.data === 'string' ? params.data : JSON.stringify(params.data);
  const line = `[server log${params.logger ? ` ${params.logger}` : ''}] ${data}`;
  switch (params.level) {
    case 'debug':
      logger.debug(line);
      break;
    case 'info':
    case 'notice':
      logger.info(line);
      break;
    case 'warning':
      logger.warn(line);
      break;
    default:
      logger.error(line);
  }
}

/**
 * The tools a server lists, each name once: a server that lists a name twice could show the user one definition and
 * have another pinned, so only the first is kept (the one a client shows), and the log says so.
 */
function uniqueTools(tools: readonly Tool[], logger: Logger): ToolInfo[] {
  const seen = new Set<string>();
  const unique: ToolInfo[] = [];
  for (const tool of tools) {
    if (seen.has(tool.name)) {
      logger.warn(`the server lists the tool '${tool.name}' more than once: only its first definition is used`);
      continue;
    }
    seen.add(tool.name);
    unique.push(toToolInfo(tool));
  }
  return unique;
}

function toToolInfo(tool: Tool): ToolInfo {
  return {
    name: tool.name,
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(tool.description !== undefined && { description: tool.description }),
    ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema as Record<string, unknown> }),
    ...(tool.annotations !== undefined && { annotations: tool.annotations as Record<string, unknown> }),
    ...(typeof tool.execution?.taskSupport === 'string' && { taskSupport: tool.execution.taskSupport }),
  };
}

/** Names what a request was about in a cancellation message: the tool, prompt or resource. */
function requestLabel(method: ClientRequestMethod, params: Readonly<Record<string, unknown>>): string {
  const about = params['name'] ?? params['uri'] ?? (params['ref'] as { name?: unknown; uri?: unknown } | undefined)?.name ?? (params['ref'] as { uri?: unknown } | undefined)?.uri;
  return typeof about === 'string' ? about : method;
}

function toPromptInfo(prompt: Prompt): PromptInfo {
  return {
    name: prompt.name,
    ...(prompt.title !== undefined && { title: prompt.title }),
    ...(prompt.description !== undefined && { description: prompt.description }),
    ...(prompt.arguments !== undefined && { arguments: prompt.arguments }),
  };
}

function toTemplateInfo(template: ResourceTemplateType): ResourceTemplateInfo {
  return {
    uriTemplate: template.uriTemplate,
    name: template.name,
    ...(template.title !== undefined && { title: template.title }),
    ...(template.description !== undefined && { description: template.description }),
    ...(template.mimeType !== undefined && { mimeType: template.mimeType }),
  };
}

function toResourceInfo(resource: Resource): ResourceInfo {
  return {
    uri: resource.uri,
    name: resource.name,
    ...(resource.title !== undefined && { title: resource.title }),
    ...(resource.description !== undefined && { description: resource.description }),
    ...(resource.mimeType !== undefined && { mimeType: resource.mimeType }),
  };
}
