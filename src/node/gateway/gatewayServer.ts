import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  isInputRequiredResult,
  type CallToolResult,
  type ClientCapabilities,
  type CompleteResult,
  type GetPromptResult,
  type InputRequiredResult,
  type Prompt,
  type ReadResourceResult,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import type { ServerRegistry } from '../../core/lifecycle/serverRegistry';
import type { ClientRequestMethod, ProgressUpdate, ToolInfo } from '../../core/lifecycle/session';
import { progressReporter } from './agentProgress';
import { elicitationModesOf, type Caller, type ForwardHandler } from '../../core/gateway/caller';
import { failedRequest, failedToolCall } from './gatewayErrors';
import { CALL_TOOL, CALL_TOOL_NAME, SEARCH_TOOLS, SEARCH_TOOLS_NAME, parseCallToolArguments, parseSearchToolsArguments } from '../../core/gateway/metaTools';
import type { NameOwner } from '../../core/gateway/namespacing';
import type { GatewayView } from '../../core/gateway/gatewayCatalog';
import { metaToolError, searchResult } from './metaTools';
import type { Endpoint, GatewayViews } from './gatewayViews';
import type { ModernInputs } from './modernInputs';

/** The part of the registry the gateway uses: snapshots, change events, and the one gated, audited request path. */
export type GatewayRegistry = Pick<ServerRegistry, 'servers' | 'server' | 'onDidChange' | 'request'>;

/** What every gateway server instance shares. */
export interface GatewayContext {
  readonly registry: GatewayRegistry;
  /** What each endpoint shows, rebuilt only after the registry changed. */
  readonly views: GatewayViews;
  readonly version: string;
  /** Parks backing calls of 2026-07-28 agents while they answer a server's question (multi-round-trip). */
  readonly modernInputs?: ModernInputs;
}

/** Who is on the other end of one gateway server instance. */
export interface AgentConnection {
  readonly endpoint: Endpoint;
  /** The id the agent's token maps to. */
  readonly agent: string;
}

/**
 * A low-level MCP server for one agent connection (a legacy session or stdio connection) or one modern request:
 * its handlers read the live catalogue, so a list is never stale, and send every request through
 * `registry.request` with the agent as caller.
 */
export function createGatewayServer(context: GatewayContext, connection: AgentConnection): Server {
  const server = new Server(
    { name: 'mcp-warden-gateway', title: 'MCP Warden', version: context.version },
    {
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {}, logging: {} },
      instructions:
        connection.endpoint.kind === 'aggregate'
          ? 'MCP Warden: the tools, prompts and resources of the servers MCP Warden runs, named <server>__<name>. ' +
            'Use search_tools to find tools by what they do and call_tool to call one. Every request passes MCP Warden\'s permissions and audit log.'
          : `MCP Warden: server '${connection.endpoint.server}', through MCP Warden's permissions and audit log.`,
    },
  );
  const handlers = new GatewayHandlers(context, connection, server);
  server.setRequestHandler('tools/list', () => ({ tools: handlers.listTools() }));
  server.setRequestHandler('tools/call', (request, ctx) => handlers.callTool(request.params.name, request.params.arguments ?? {}, ctx));
  server.setRequestHandler('prompts/list', () => ({ prompts: handlers.view().prompts as Prompt[] }));
  server.setRequestHandler('prompts/get', (request, ctx) => handlers.getPrompt(request.params.name, request.params.arguments ?? {}, ctx));
  server.setRequestHandler('resources/list', () => ({ resources: [...handlers.view().resources] }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [...handlers.view().resourceTemplates] }));
  server.setRequestHandler('resources/read', (request, ctx) => handlers.readResource(request.params.uri, ctx));
  server.setRequestHandler('completion/complete', (request, ctx) => handlers.complete(request.params as unknown as Record<string, unknown>, ctx));
  return server;
}

class GatewayHandlers {
  constructor(
    private readonly context: GatewayContext,
    private readonly connection: AgentConnection,
    private readonly server: Server,
  ) {}

  view(): GatewayView {
    return this.context.views.view(this.connection.endpoint);
  }

  listTools(): Tool[] {
    const listed = this.view().listedTools.map(wireTool);
    return this.connection.endpoint.kind === 'aggregate' ? [wireTool(SEARCH_TOOLS), wireTool(CALL_TOOL), ...listed] : listed;
  }

  async callTool(name: string, args: Record<string, unknown>, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    if (this.connection.endpoint.kind === 'aggregate') {
      if (name === SEARCH_TOOLS_NAME) {
        const parsed = parseSearchToolsArguments(args);
        if (!parsed.ok) return metaToolError(parsed.error);
        const { query, ...options } = parsed.value;
        return searchResult(this.context.views.search(this.connection.endpoint).search(query, options), this.view());
      }
      if (name === CALL_TOOL_NAME) {
        const parsed = parseCallToolArguments(args);
        if (!parsed.ok) return metaToolError(parsed.error);
        if (parsed.value.name === CALL_TOOL_NAME || parsed.value.name === SEARCH_TOOLS_NAME) return metaToolError('call_tool: "name" must be a tool of a server, not the gateway\'s own.');
        return this.callTool(parsed.value.name, { ...parsed.value.arguments }, ctx);
      }
    }
    const known = this.view().tool(name);
    const target = known ? { server: known.server, name: known.tool.name } : this.guess(name);
    if (!target) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: no tool is named '${name}'; tools here are named <server>__<tool>`);
    try {
      const result = await this.send(target.server, 'tools/call', { name: target.name, arguments: args }, ctx);
      if (isInputRequiredResult(result)) return result;
      return this.server.projectCallToolResult(result as CallToolResult, known?.tool.outputSchema);
    } catch (error) {
      return failedToolCall(error, { server: target.server, what: target.name, serverState: this.context.registry.server(target.server)?.state.kind }) as CallToolResult;
    }
  }

  async getPrompt(name: string, args: Record<string, string>, ctx: ServerContext): Promise<GetPromptResult> {
    const target = this.view().prompt(name) ?? this.guess(name);
    if (!target) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: no prompt is named '${name}'; prompts here are named <server>__<prompt>`);
    try {
      return (await this.send(target.server, 'prompts/get', { name: target.name, arguments: args }, ctx)) as GetPromptResult;
    } catch (error) {
      return failedRequest(error, { server: target.server, what: target.name, serverState: this.context.registry.server(target.server)?.state.kind });
    }
  }

  async readResource(uri: string, ctx: ServerContext): Promise<ReadResourceResult> {
    const target = this.view().resolveResource(uri);
    if (!target) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: no running server offers the resource '${uri}' (or two do: read it by the mcp-warden:// URI the list gives)`);
    let result: ReadResourceResult;
    try {
      result = (await this.send(target.server, 'resources/read', { uri: target.uri }, ctx)) as ReadResourceResult;
    } catch (error) {
      return failedRequest(error, { server: target.server, what: target.uri, serverState: this.context.registry.server(target.server)?.state.kind });
    }
    // The contents name the server's URIs: give them back as the agent knows them.
    const view = this.view();
    return { ...result, contents: result.contents.map((c) => ({ ...c, uri: view.publicResourceUri(target.server, c.uri) ?? c.uri })) };
  }

  async complete(params: Record<string, unknown>, ctx: ServerContext): Promise<CompleteResult> {
    const ref = params['ref'] as { type?: string; name?: string; uri?: string };
    let target: { server: string; ref: Record<string, unknown> } | undefined;
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const owner = this.view().prompt(ref.name);
      if (owner) target = { server: owner.server, ref: { ...ref, name: owner.name } };
    } else if (typeof ref.uri === 'string') {
      const resource = this.view().resolveResource(ref.uri);
      if (resource) target = { server: resource.server, ref: { ...ref, uri: resource.uri } };
    }
    if (!target) throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'MCP Warden: no running server offers what this completion refers to');
    try {
      return (await this.send(target.server, 'completion/complete', { ...params, ref: target.ref }, ctx)) as CompleteResult;
    } catch (error) {
      return failedRequest(error, { server: target.server, what: 'completion', serverState: this.context.registry.server(target.server)?.state.kind });
    }
  }

  /**
   * The server a name no running server lists was meant for: a server's own view names only that server; in the
   * aggregate, `<server>__<name>`. The registry then refuses it in its own words (not running, no such server, no
   * such tool) and audits the refusal.
   */
  private guess(name: string): NameOwner | undefined {
    if (this.connection.endpoint.kind === 'server') return { server: this.connection.endpoint.server, name };
    const at = name.indexOf('__');
    return at > 0 && at + 2 < name.length ? { server: name.slice(0, at), name: name.slice(at + 2) } : undefined;
  }

  /**
   * The one way out to a backing server: `registry.request` (gate, audit), with the agent as caller, the agent's
   * cancellation as signal and its progress token fed by the server's progress.
   */
  private send(serverName: string, method: ClientRequestMethod, params: Record<string, unknown>, ctx: ServerContext): Promise<unknown> {
    const client = this.clientOf(ctx);
    const request = (signal: AbortSignal, onProgress: ((update: ProgressUpdate) => void) | undefined, forward: Caller['forward']) => {
      const caller: Caller = {
        agent: this.connection.agent,
        ...(client.name !== undefined && { clientName: client.name }),
        ...(forward && { forward, elicitationModes: elicitationModesOf(client.capabilities?.elicitation) }),
      };
      return this.context.registry.request(serverName, method, params, { signal, ...(onProgress && { onProgress }), caller });
    };
    if (ctx.mcpReq.envelope === undefined) return request(ctx.mcpReq.signal, progressReporter(ctx), legacyForward(ctx, client.capabilities));
    // 2026-07-28: the agent answers a server's questions by retrying its call; the call waits for it, parked.
    const inputs = this.context.modernInputs;
    if (inputs && method === 'tools/call') return inputs.run(ctx, this.connection.agent, client.capabilities, (forward, signal, report) => request(signal, report, forward));
    return request(ctx.mcpReq.signal, progressReporter(ctx), undefined);
  }

  /** What the agent says about itself: per request in 2026-07-28, from `initialize` before. */
  private clientOf(ctx: ServerContext): { name?: string; capabilities?: ClientCapabilities } {
    const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    const info = (envelope?.[CLIENT_INFO_META_KEY] as { name?: unknown } | undefined) ?? this.server.getClientVersion();
    const capabilities = (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? this.server.getClientCapabilities();
    return { ...(typeof info?.name === 'string' && { name: info.name }), ...(capabilities && { capabilities }) };
  }
}

/** Elicitation and sampling go to a 2025 agent over its own session, when it declared it can answer them. */
function legacyForward(ctx: ServerContext, capabilities: ClientCapabilities | undefined): Caller['forward'] {
  const forward: { -readonly [K in keyof NonNullable<Caller['forward']>]: ForwardHandler } = {};
  if (capabilities?.elicitation) {
    forward['elicitation/create'] = (request, signal) => ctx.mcpReq.elicitInput(request.params as Parameters<ServerContext['mcpReq']['elicitInput']>[0], { signal });
  }
  if (capabilities?.sampling) {
    forward['sampling/createMessage'] = (request, signal) => ctx.mcpReq.requestSampling(request.params as Parameters<ServerContext['mcpReq']['requestSampling']>[0], { signal });
  }
  return Object.keys(forward).length > 0 ? forward : undefined;
}

/** A tool as agents see it: `taskSupport` is MCP Warden's own record of how to call it, not the wire's. */
function wireTool(tool: ToolInfo): Tool {
  const { taskSupport: _task, ...rest } = tool;
  return rest as Tool;
}
