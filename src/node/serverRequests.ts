import { ProtocolError, ProtocolErrorCode, type Client, type ClientCapabilities, type ServerCapabilities } from '@modelcontextprotocol/client';
import type { ClientRequestHandler, OfferedFeatures, ServerDeclaration, ServerRequestMethod } from '../core/lifecycle/session';
import { TASKS_EXTENSION_ID } from '../core/tasks/taskWire';
import { serveTaskAugmentedRequests } from './tasks/clientTaskRequests';

/** The permissions extension (docs/permissions-extension.md). */
export const PERMISSIONS_EXTENSION_ID = 'io.github.mcp-warden/permissions';
const PERMISSIONS_EXTENSION_SETTINGS = { version: 1 };

/**
 * What MCP Warden tells a server it supports. The permissions extension goes under both `extensions` (defined by
 * 2026-07-28) and `experimental` (the place before it): in the initialize era the client sends its capabilities
 * before it knows the server's version, and both members are allowed in every revision (capabilities are "not a
 * closed set"). Sampling and elicitation are advertised only when the client offers them (`offered`).
 */
export function clientCapabilities(offered: OfferedFeatures = {}): ClientCapabilities {
  return {
    roots: { listChanged: true },
    ...(offered.sampling && { sampling: offered.samplingTools ? { tools: {} } : {} }),
    ...(offered.elicitation && { elicitation: { form: { applyDefaults: true }, ...(offered.elicitationUrl && { url: {} }) } }),
    // 2025-11-25: the server may send what is offered as a task (clientTaskRequests.ts serves them); ignored in
    // 2026-07-28, which has no server→client tasks.
    ...((offered.sampling || offered.elicitation) && {
      tasks: {
        list: {},
        cancel: {},
        requests: { ...(offered.sampling && { sampling: { createMessage: {} } }), ...(offered.elicitation && { elicitation: { create: {} } }) },
      },
    }),
    experimental: { [PERMISSIONS_EXTENSION_ID]: { ...PERMISSIONS_EXTENSION_SETTINGS } },
    // Tool calls that run as tasks (2026-07-28); in 2025-11-25 calling a server's task tools needs only the
    // server's `tasks.requests.tools.call`.
    extensions: { [PERMISSIONS_EXTENSION_ID]: { ...PERMISSIONS_EXTENSION_SETTINGS }, [TASKS_EXTENSION_ID]: {} },
  };
}


const OFFERED_WITHOUT_HANDLER: Record<ServerRequestMethod, string> = {
  'roots/list': 'roots',
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
};

/**
 * Routes every server→client request to `handler`: the JSON-RPC requests of the initialize era and the input
 * requests of a 2026-07-28 `input_required` result alike (the SDK fulfils those through the same registered
 * handlers). Without a handler, roots/list answers an empty list and sampling/elicitation are refused.
 */
export function answerServerRequests(client: Client, handler: ClientRequestHandler | undefined, offered: OfferedFeatures = {}): void {
  if (handler) {
    const route =
      (method: ServerRequestMethod) =>
      async (request: { params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }): Promise<never> =>
        // The SDK validates the result against the method's schema before it is sent.
        (await handler({ method, params: request.params }, ctx.mcpReq.signal)) as never;
    client.setRequestHandler('roots/list', route('roots/list'));
    if (offered.sampling) client.setRequestHandler('sampling/createMessage', route('sampling/createMessage'));
    if (offered.elicitation) client.setRequestHandler('elicitation/create', route('elicitation/create'));
    // A server that asks for what was not offered still meets the handler (and so the gate and the audit log).
    client.fallbackRequestHandler = (request, ctx) => {
      const method = request.method as ServerRequestMethod;
      if (method !== 'sampling/createMessage' && method !== 'elicitation/create') {
        return Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: ${request.method}`));
      }
      return handler({ method, params: request.params }, ctx.mcpReq.signal) as Promise<never>;
    };
    const asTasks = (['sampling/createMessage', 'elicitation/create'] as const).filter((method) => (method === 'sampling/createMessage' ? offered.sampling : offered.elicitation));
    if (asTasks.length > 0 && !serveTaskAugmentedRequests(client, asTasks)) {
      // Declared in clientCapabilities: a build of the SDK that cannot serve them must not start a session.
      throw new Error('this build of the MCP SDK stores request handlers where MCP Warden cannot serve task-augmented requests');
    }
    return;
  }
  client.setRequestHandler('roots/list', () => ({ roots: [] }));
  // sampling and elicitation are not advertised, so the SDK would not take handlers for them: the fallback
  // answers a server that asks anyway (initialize era) with an error that says why.
  client.fallbackRequestHandler = (request) => {
    const feature = OFFERED_WITHOUT_HANDLER[request.method as ServerRequestMethod] as string | undefined;
    const message = feature ? `MCP Warden does not offer ${feature} (${request.method}) to this server` : `Method not found: ${request.method}`;
    return Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, message));
  };
}

/**
 * The server's declaration payload: `extensions[id]` (2026-07-28, also used by newer initialize-era servers) before
 * `experimental[id]`. Only the shape is checked here (an array of objects with string kind and target); what a
 * declaration means is decided in the core.
 */
export function readDeclarations(capabilities: ServerCapabilities | undefined): readonly ServerDeclaration[] | undefined {
  const payload = (capabilities?.extensions?.[PERMISSIONS_EXTENSION_ID] ?? capabilities?.experimental?.[PERMISSIONS_EXTENSION_ID]) as
    | { version?: unknown; permissions?: unknown }
    | undefined;
  // A later, incompatible version of the payload is not ours to read (docs/permissions-extension.md, Versioning).
  if (typeof payload?.version === 'number' && payload.version !== 1) return undefined;
  const entries = payload?.permissions;
  if (!Array.isArray(entries)) return undefined;
  const declarations: ServerDeclaration[] = [];
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { kind, target, reason } = entry as Record<string, unknown>;
    if (typeof kind !== 'string' || typeof target !== 'string') continue;
    declarations.push({ kind, target, ...(typeof reason === 'string' && { reason }) });
  }
  return declarations;
}
