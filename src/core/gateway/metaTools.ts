import type { ToolInfo } from '../lifecycle/session';

/**
 * The gateway's own two tools, for fleets too large to list: find a tool, then call it by name. Their
 * descriptions name no server or tool, so they never change with the fleet (no `list_changed` for them). They cannot
 * clash with a server's tool: every qualified name contains `__` (namespacing.ts), these names do not.
 */

export const SEARCH_TOOLS_NAME = 'search_tools';
export const CALL_TOOL_NAME = 'call_tool';
export const MAX_SEARCH_LIMIT = 50;

export const SEARCH_TOOLS: ToolInfo = {
  name: SEARCH_TOOLS_NAME,
  title: 'Search tools',
  description:
    'Find tools of the MCP servers behind this gateway by what they do, when the tool you need is not in your tool list. ' +
    'Describe the task in a few words (e.g. "create an issue", "read a file"). Returns the best matches with their name, ' +
    'server and description; call one with call_tool, passing the returned name.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, description: 'What the tool should do, or part of its name.' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 8, description: 'At most this many results.' },
      server: { type: 'string', description: 'Only tools of this server (the "server" of a result).' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const CALL_TOOL: ToolInfo = {
  name: CALL_TOOL_NAME,
  title: 'Call a tool',
  description:
    'Call a tool found with search_tools: "name" is the name search_tools returned (server and tool, joined by "__"), ' +
    '"arguments" the tool\'s arguments. The call is checked and recorded exactly as a direct call of that tool.',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, description: 'The tool name as search_tools returned it.' },
      arguments: { type: 'object', additionalProperties: true, description: "The tool's arguments." },
    },
    required: ['name'],
    additionalProperties: false,
  },
};

export type MetaToolArguments<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface SearchToolsRequest {
  readonly query: string;
  readonly limit?: number;
  readonly server?: string;
}

export interface CallToolRequest {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The arguments of a `search_tools` call, or an error to return to the agent. A blank query is an error (not an
 * empty result), so an agent learns to describe the tool rather than concluding there is none.
 */
export function parseSearchToolsArguments(args: unknown): MetaToolArguments<SearchToolsRequest> {
  const input = args ?? {};
  if (!isRecord(input)) return { ok: false, error: 'search_tools: the arguments must be an object.' };
  const { query, limit, server } = input;
  if (typeof query !== 'string' || query.trim() === '') {
    return { ok: false, error: 'search_tools: "query" must be a non-empty string saying what the tool should do, e.g. "create an issue".' };
  }
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)) {
    return { ok: false, error: `search_tools: "limit" must be an integer from 1 to ${MAX_SEARCH_LIMIT}.` };
  }
  if (server !== undefined && typeof server !== 'string') return { ok: false, error: 'search_tools: "server" must be a string.' };
  return { ok: true, value: { query, ...(limit === undefined ? {} : { limit }), ...(server === undefined ? {} : { server }) } };
}

/** The arguments of a `call_tool` call, or an error to return to the agent. */
export function parseCallToolArguments(args: unknown): MetaToolArguments<CallToolRequest> {
  const input = args ?? {};
  if (!isRecord(input)) return { ok: false, error: 'call_tool: the arguments must be an object.' };
  const { name, arguments: toolArguments } = input;
  if (typeof name !== 'string' || name === '') return { ok: false, error: 'call_tool: "name" must be the name of a tool, as search_tools returned it.' };
  if (toolArguments !== undefined && !isRecord(toolArguments)) return { ok: false, error: 'call_tool: "arguments" must be an object.' };
  return { ok: true, value: { name, arguments: toolArguments ?? {} } };
}
