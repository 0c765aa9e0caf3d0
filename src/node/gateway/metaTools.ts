// `search_tools` and `call_tool`: an agent finds tools by what they do without loading every schema, then calls one
// by its gateway name. Their descriptions never list tools, so they need no list_changed when the fleet changes.
import { ProtocolError, ProtocolErrorCode, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import type { SearchHit } from './catalogAdapter';

export const SEARCH_TOOLS = 'search_tools';
export const CALL_TOOL = 'call_tool';
const DEFAULT_LIMIT = 8;
const MAX_LIMIT = 50;

export const META_TOOLS: readonly Tool[] = [
  {
    name: SEARCH_TOOLS,
    title: 'Search tools',
    description:
      'Finds tools of the servers behind MCP Warden by what they do. Returns the best matches with their names (<server>__<tool>), ' +
      'descriptions and input schemas; call one with call_tool, or directly by name if it is listed.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What the tool should do, in a few words' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `How many tools to return (default ${DEFAULT_LIMIT})` },
        server: { type: 'string', description: 'Only tools of this server' },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: CALL_TOOL,
    title: 'Call a tool',
    description: 'Calls a tool found with search_tools, by its name (<server>__<tool>), with its arguments. The call passes MCP Warden\'s permissions like any other.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool name search_tools returned' },
        arguments: { type: 'object', description: "The tool's arguments, as its input schema describes them" },
      },
      required: ['name'],
    },
  },
];

export function searchArguments(args: Record<string, unknown>): { query: string; limit: number; server?: string } {
  const { query, limit, server } = args;
  if (typeof query !== 'string') throw invalid(`${SEARCH_TOOLS} needs a 'query' string`);
  const count = typeof limit === 'number' && Number.isFinite(limit) ? Math.min(Math.max(Math.trunc(limit), 1), MAX_LIMIT) : DEFAULT_LIMIT;
  return { query, limit: count, ...(typeof server === 'string' && { server }) };
}

export function callToolArguments(args: Record<string, unknown>): { name: string; arguments: Record<string, unknown> } {
  const { name, arguments: inner } = args;
  if (typeof name !== 'string' || name === CALL_TOOL || name === SEARCH_TOOLS) throw invalid(`${CALL_TOOL} needs the 'name' of a server's tool`);
  if (inner !== undefined && (typeof inner !== 'object' || inner === null || Array.isArray(inner))) throw invalid(`${CALL_TOOL}: 'arguments' must be an object`);
  return { name, arguments: (inner ?? {}) as Record<string, unknown> };
}

export function searchResult(hits: readonly SearchHit[]): CallToolResult {
  const tools = hits.map((h) => ({ ...h }));
  return { content: [{ type: 'text', text: JSON.stringify({ tools }) }], structuredContent: { tools } };
}

function invalid(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `MCP Warden: ${message}`);
}
