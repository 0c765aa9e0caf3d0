// The gateway's Streamable HTTP face on 127.0.0.1: guards first (Host, Origin, bearer token), then the era of the
// request picks the leg: 2026-07-28 requests go to a per-request handler, 2025 traffic to a session of its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyInboundRequest, createMcpHandler, type AuthInfo, type McpHttpHandler, type Server } from '@modelcontextprotocol/server';
import { hostHeaderValidation, localhostOriginValidation, toNodeHandler, type NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { errorMessage, type Logger } from '../../core/ports';
import { SANDBOXED_GATEWAY_HOST } from '../../core/gateway/delegation';
import { bearerToken, type AgentOfToken } from './agentTokens';
import { sameEndpoint, type Endpoint } from './gatewayViews';
import type { AgentConnection } from './gatewayServer';
import { LegacySessions, type LegacySessionLimits } from './legacySessions';

export interface HttpListenerDeps {
  readonly agentOfToken: AgentOfToken;
  readonly createServer: (connection: AgentConnection) => Server;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly sessions: LegacySessionLimits;
}

/** Paths an agent may use: the aggregate, or one server's own view. */
const AGGREGATE_PATH = '/mcp';
const SERVER_PATH = /^\/servers\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/mcp$/;

type AgentRequest = http.IncomingMessage & { auth?: AuthInfo };

export class HttpListener {
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly modern: McpHttpHandler;
  private readonly modernNode: NodeMcpRequestHandler;
  readonly sessions: LegacySessions;
  // Loopback names, and the name sandboxed delegating servers use (SANDBOXED_GATEWAY_HOST, reserved, never public).
  private readonly hostOk = hostHeaderValidation(['localhost', '127.0.0.1', '[::1]', SANDBOXED_GATEWAY_HOST]);
  private readonly originOk = localhostOriginValidation();

  constructor(private readonly deps: HttpListenerDeps) {
    this.sessions = new LegacySessions(deps.sessions, deps.logger);
    this.modern = createMcpHandler(
      (rc) => {
        const agent = rc.authInfo?.clientId;
        const endpoint = rc.requestInfo && endpointOf(new URL(rc.requestInfo.url).pathname);
        // The listener sets both before it hands a request over; without them nothing is served.
        if (agent === undefined || !endpoint) throw new Error('gateway: a request reached the handler without its agent or path');
        return deps.createServer({ agent, endpoint });
      },
      { legacy: 'reject', maxRequestBodySize: deps.maxBodyBytes, onerror: (error) => deps.logger.debug(`gateway (2026-07-28): ${error.message}`) },
    );
    this.modernNode = toNodeHandler(this.modern, { maxRequestBodySize: deps.maxBodyBytes, onerror: (error) => deps.logger.warn(`gateway: ${error.message}`) });
  }

  /** Tells 2026-07-28 agents listening for changes (`subscriptions/listen`) that a list changed. */
  get notify(): McpHttpHandler['notify'] {
    return this.modern.notify;
  }

  /** Listens on 127.0.0.1: on the preferred port when it is free (agents' configs keep working), else on any. */
  async listen(preferredPort: number | undefined): Promise<number> {
    if (preferredPort !== undefined && preferredPort > 0) {
      try {
        return await this.listenOn(preferredPort);
      } catch (error) {
        this.deps.logger.info(`gateway: port ${preferredPort} is taken (${errorMessage(error)}); using another`);
      }
    }
    return this.listenOn(0);
  }

  async close(): Promise<void> {
    this.sessions.dispose();
    await this.modern.close().catch(() => undefined);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private listenOn(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  private async handle(req: AgentRequest, res: http.ServerResponse): Promise<void> {
    try {
      // DNS rebinding: a page that made a foreign name point at 127.0.0.1 sends that name as Host, and its Origin.
      if (!this.hostOk(req, res) || !this.originOk(req, res)) return;
      const token = bearerToken(req.headers.authorization);
      const agent = token === undefined ? undefined : this.deps.agentOfToken(token);
      if (!agent) return unauthorized(res, token === undefined);
      const endpoint = endpointOf(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      if (!endpoint) return answer(res, 404, 'MCP Warden: no MCP endpoint here; use /mcp, or /servers/<name>/mcp for one server');
      // The agent's id travels as authInfo: the factory and every handler read it from there, never the token.
      req.auth = { token: '', clientId: agent.id, scopes: [] };
      const sessionId = req.headers['mcp-session-id'];
      if (req.method !== 'POST') {
        if (typeof sessionId === 'string') return await this.legacy(req, res, undefined, agent.id, endpoint, sessionId);
        return await this.modernNode(req, res);
      }
      const body = await readJson(req, this.deps.maxBodyBytes);
      if (body.kind === 'too-large') return answer(res, 413, `MCP Warden: a request body may be at most ${this.deps.maxBodyBytes} bytes`, { connection: 'close' });
      if (body.kind === 'invalid') return answer(res, 400, 'MCP Warden: the request body is not JSON', undefined, -32700);
      if (isLegacy(req, body.value)) {
        return await this.legacy(req, res, body.value, agent.id, endpoint, typeof sessionId === 'string' ? sessionId : undefined);
      }
      return await this.modernNode(req, res, body.value);
    } catch (error) {
      this.deps.logger.warn(`gateway: ${req.method} ${req.url} failed: ${errorMessage(error)}`);
      if (!res.headersSent) answer(res, 500, 'MCP Warden: the gateway failed to handle this request', undefined, -32603);
      else res.end();
    }
  }

  private async legacy(req: AgentRequest, res: http.ServerResponse, body: unknown, agent: string, endpoint: Endpoint, sessionId: string | undefined): Promise<void> {
    if (sessionId !== undefined) {
      const session = this.sessions.get(sessionId);
      if (!session || !sameEndpoint(session.endpoint, endpoint)) return answer(res, 404, 'MCP Warden: session not found; initialize a new one', undefined, -32001);
      // Another agent's session id: the token says who this is, and it is not the session's agent.
      if (session.agent !== agent) return answer(res, 403, 'MCP Warden: this session belongs to another agent');
      return session.transport.handleRequest(req, res, body);
    }
    const server = this.deps.createServer({ agent, endpoint });
    const transport = await this.sessions.open(agent, endpoint, server);
    await transport.handleRequest(req, res, body);
    // Not an initialize: the transport refused it and no session began.
    if (transport.sessionId === undefined) await server.close();
  }
}

function endpointOf(path: string): Endpoint | undefined {
  if (path === AGGREGATE_PATH) return { kind: 'aggregate' };
  const match = SERVER_PATH.exec(path);
  return match ? { kind: 'server', server: match[1]! } : undefined;
}

/**
 * A plain `Bearer` challenge: no `resource_metadata`, and no OAuth discovery documents anywhere, since agents that
 * find either start an OAuth flow instead of sending the token they were configured with.
 */
function unauthorized(res: http.ServerResponse, missing: boolean): void {
  const message = missing
    ? 'MCP Warden: this gateway needs the bearer token MCP Warden issued to this agent (Authorization: Bearer …)'
    : 'MCP Warden: this token is not one MCP Warden issued, or it was revoked; connect the agent again';
  answer(res, 401, message, { 'www-authenticate': 'Bearer' });
}

function answer(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code = -32000): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

type Body = { readonly kind: 'ok'; readonly value: unknown } | { readonly kind: 'too-large' } | { readonly kind: 'invalid' };

async function readJson(req: http.IncomingMessage, maxBytes: number): Promise<Body> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return { kind: 'too-large' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { kind: 'too-large' };
    chunks.push(chunk as Buffer);
  }
  try {
    return { kind: 'ok', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { kind: 'invalid' };
  }
}

/**
 * The era of a POST, by the SDK's own classifier (what `isLegacyRequest` decides), from the headers and the body
 * already parsed: building a web Request only to ask cost about a fifth of a millisecond per call.
 */
function isLegacy(req: http.IncomingMessage, body: unknown): boolean {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const protocolVersionHeader = header('mcp-protocol-version');
  const mcpMethodHeader = header('mcp-method');
  const mcpNameHeader = header('mcp-name');
  const outcome = classifyInboundRequest({
    httpMethod: req.method ?? 'POST',
    body,
    ...(protocolVersionHeader !== undefined && { protocolVersionHeader }),
    ...(mcpMethodHeader !== undefined && { mcpMethodHeader }),
    ...(mcpNameHeader !== undefined && { mcpNameHeader }),
  });
  return outcome.kind === 'legacy';
}
