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
import type { ClientRequestMethod, ToolInfo } from '../../core/lifecycle/session';
import { progressReporter } from './agentProgress';
import type { CatalogIndex, GatewayView, Qualified } from './catalogAdapter';
import type { Caller, ForwardHandler } from '../../core/gateway/caller';
import { failedRequest, failedToolCall } from './gatewayErrors';
import { CALL_TOOL, META_TOOLS, SEARCH_TOOLS, callToolArguments, searchArguments, searchResult } from './metaTools';
import type { ModernInputs } from './modernInputs';

/** The part of the registry the gateway uses: snapshots, change events, and the one gated, audited request path. */
export type GatewayRegistry = Pick<ServerRegistry, 'servers' | 'server' | 'onDidChange' | 'request'>;

/** What every gateway server instance shares. */
export interface GatewayContext {
  readonly registry: GatewayRegistry;
  /** The catalogue of a view, rebuilt only after the registry changed. */
  index(view: GatewayView): CatalogIndex;
  /** Servers whose tools the aggregate view lists; the others are found with `search_tools`. */
  readonly exposedDirectly: (server: string) => boolean;
  readonly version: string;
  /** Parks backing calls of 2026-07-28 agents while they answer a server's question (multi-round-trip). */
  readonly modernInputs?: ModernInputs;
}

/** Who is on the other end of one gateway server instance. */
export interface AgentConnection {
  readonly view: GatewayView;
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
        connection.view.kind === 'aggregate'
          ? 'MCP Warden: the tools, prompts and resources of the servers MCP Warden runs, named <server>__<name>. ' +
            'Use search_tools to find tools by what they do and call_tool to call one. Every request passes MCP Warden\'s permissions and audit log.'
          : `MCP Warden: server '${connection.view.server}', through MCP Warden's permissions and audit log.`,
    },
  );
  const handlers = new GatewayHandlers(context, connection, server);
  server.setRequestHandler('tools/list', () => ({ tools: handlers.listTools() }));
  server.setRequestHandler('tools/call', (request, ctx) => handlers.callTool(request.params.name, request.params.arguments ?? {}, ctx));
  server.setRequestHandler('prompts/list', () => ({ prompts: handlers.index().prompts.map((p) => ({ ...p.item, name: p.name }) as Prompt) }));
  server.setRequestHandler('prompts/get', (request, ctx) => handlers.getPrompt(request.params.name, request.params.arguments ?? {}, ctx));
  server.setRequestHandler('resources/list', () => ({ resources: handlers.index().resources.map((r) => ({ ...r.item })) }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: handlers.index().templates.map((t) => ({ ...t.item })) }));
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

  index(): CatalogIndex {
    return this.context.index(this.connection.view);
  }

  listTools(): Tool[] {
    const index = this.index();
    if (this.connection.view.kind === 'server') return index.tools.map(wireTool);
    return [...META_TOOLS, ...index.tools.filter((t) => this.context.exposedDirectly(t.server)).map(wireTool)];
  }

  async callTool(name: string, args: Record<string, unknown>, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    if (this.connection.view.kind === 'aggregate') {
      if (name === SEARCH_TOOLS) {
        const { query, limit, server } = searchArguments(args);
        return searchResult(this.index().search(query, limit, server));
      }
      if (name === CALL_TOOL) {
        const inner = callToolArguments(args);
        return this.callTool(inner.name, inner.arguments, ctx);
      }
    }
    const target = this.index().resolveTool(name);
    if (!target) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: no tool is named '${name}'; tools here are named <server>__<tool>`);
    const tool = this.index().tools.find((t) => t.server === target.server && t.item.name === target.name)?.item;
    const params = { name: target.name, arguments: args };
    try {
      const result = await this.send(target.server, 'tools/call', params, ctx);
      if (isInputRequiredResult(result)) return result;
      return this.server.projectCallToolResult(result as CallToolResult, tool?.outputSchema);
    } catch (error) {
      return failedToolCall(error, { server: target.server, what: target.name, serverState: this.context.registry.server(target.server)?.state.kind }) as CallToolResult;
    }
  }

  async getPrompt(name: string, args: Record<string, string>, ctx: ServerContext): Promise<GetPromptResult> {
    const target = this.index().resolvePrompt(name);
    if (!target) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: no prompt is named '${name}'; prompts here are named <server>__<prompt>`);
    try {
      return (await this.send(target.server, 'prompts/get', { name: target.name, arguments: args }, ctx)) as GetPromptResult;
    } catch (error) {
      return failedRequest(error, { server: target.server, what: target.name, serverState: this.context.registry.server(target.server)?.state.kind });
    }
  }

  async readResource(uri: string, ctx: ServerContext): Promise<ReadResourceResult> {
    const server = this.index().serverOfResource(uri);
    if (!server) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: no running server offers the resource '${uri}'`);
    try {
      return (await this.send(server, 'resources/read', { uri }, ctx)) as ReadResourceResult;
    } catch (error) {
      return failedRequest(error, { server, what: uri, serverState: this.context.registry.server(server)?.state.kind });
    }
  }

  async complete(params: Record<string, unknown>, ctx: ServerContext): Promise<CompleteResult> {
    const ref = params['ref'] as { type?: string; name?: string; uri?: string };
    let server: string | undefined;
    let forwarded = params;
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const target = this.index().resolvePrompt(ref.name);
      server = target?.server;
      if (target) forwarded = { ...params, ref: { ...ref, name: target.name } };
    } else if (typeof ref.uri === 'string') {
      const uri = ref.uri;
      server = this.index().templates.find((t) => t.item.uriTemplate === uri)?.server ?? this.index().serverOfResource(uri);
    }
    if (!server) throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'MCP Warden: no running server offers what this completion refers to');
    try {
      return (await this.send(server, 'completion/complete', forwarded, ctx)) as CompleteResult;
    } catch (error) {
      return failedRequest(error, { server, what: 'completion', serverState: this.context.registry.server(server)?.state.kind });
    }
  }

  /**
   * The one way out to a backing server: `registry.request` (gate, audit), with the agent as caller, the agent's
   * cancellation as signal and its progress token fed by the server's progress.
   */
  private send(serverName: string, method: ClientRequestMethod, params: Record<string, unknown>, ctx: ServerContext): Promise<unknown> {
    const modern = ctx.mcpReq.envelope !== undefined;
    const client = this.clientOf(ctx);
    const caller: Caller = {
      agent: this.connection.agent,
      ...(client.name !== undefined && { clientName: client.name }),
    };
    const onProgress = progressReporter(ctx);
    if (modern) {
      const inputs = this.context.modernInputs;
      if (inputs && method === 'tools/call') return inputs.run(ctx, this.connection.agent, client.capabilities, (forward, signal, report) =>
        this.context.registry.request(serverName, method, params, { signal, onProgress: report, caller: { ...caller, ...(forward && { forward }) } }),
      );
    }
    const forward = modern ? undefined : legacyForward(ctx, client.capabilities);
    return this.context.registry.request(
      serverName,
      method,
      params,
      { signal: ctx.mcpReq.signal, ...(onProgress && { onProgress }), caller: { ...caller, ...(forward && { forward }) } },
    );
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

function wireTool(tool: Qualified<ToolInfo>): Tool {
  const { name: _own, taskSupport: _task, ...rest } = tool.item;
  return { ...rest, name: tool.name } as Tool;
}
