// The answers of the gateway's own tools, `search_tools` and `call_tool` (defined and parsed in
// src/core/gateway/metaTools.ts, ranked by src/core/gateway/toolSearch.ts).
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { GatewayView } from '../../core/gateway/gatewayCatalog';
import type { ToolSearchHit } from '../../core/gateway/toolSearch';

/** How many hits come with their input schema, so that calling one of the best needs no second round trip. */
const SCHEMAS_FOR = 3;

export function searchResult(hits: readonly ToolSearchHit[], view: GatewayView): CallToolResult {
  const tools = hits.map((hit, rank) => {
    const { score: _score, ...shown } = hit;
    const inputSchema = rank < SCHEMAS_FOR ? view.tool(hit.name)?.tool.inputSchema : undefined;
    return { ...shown, ...(inputSchema && { inputSchema }) };
  });
  return { content: [{ type: 'text', text: JSON.stringify({ tools }) }], structuredContent: { tools } };
}

/** A meta tool called with arguments it cannot use: a tool error the model reads, not a protocol error. */
export function metaToolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
