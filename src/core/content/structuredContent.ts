/**
 * Structured content of a tool result, and what is known about its check against the tool's `outputSchema`.
 *
 * The check itself is the MCP SDK's: `Client.callTool` validates `structuredContent` against the output schema of
 * the tool as listed (its `tools/list` cache, kept current on list_changed) and rejects the call when it does not
 * match ("Structured content does not match the tool's output schema: …"). So a result that reaches us with a
 * schema was checked; a mismatch arrives as an error, which `schemaMismatch` recognises to say so plainly.
 */
export type StructuredCheck =
  /** The tool declares an output schema and the SDK found the content matches it. */
  | 'matches-schema'
  /** The tool declares no output schema: nothing to check against. */
  | 'no-schema'
  /** The result is an error result: the protocol does not check those. */
  | 'error-result';

export interface StructuredView {
  /** Pretty-printed JSON. */
  readonly json: string;
  readonly check: StructuredCheck;
}

/** The structured content of a result, if it has any. */
export function structuredView(result: { readonly structuredContent?: unknown; readonly isError?: boolean }, outputSchema: unknown): StructuredView | undefined {
  if (result.structuredContent === undefined) return undefined;
  const check: StructuredCheck = result.isError ? 'error-result' : outputSchema ? 'matches-schema' : 'no-schema';
  return { json: JSON.stringify(result.structuredContent, null, 2) ?? 'null', check };
}

/** One line on the check, for the result document. */
export function describeCheck(check: StructuredCheck): string {
  switch (check) {
    case 'matches-schema':
      return "✓ Matches the tool's output schema (checked on arrival).";
    case 'no-schema':
      return 'The tool declares no output schema: not checked.';
    case 'error-result':
      return 'An error result: not checked against the output schema.';
  }
}

/**
 * The reason, when a call failed because its structured content broke the tool's output schema (or was missing
 * though the tool declares one): the SDK's own message, which names the failing part.
 */
export function schemaMismatch(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  if (!message) return undefined;
  if (/does not match the tool's output schema|has an output schema but did not return structured content|Failed to validate structured content/.test(message)) {
    return message.replace(/^MCP error -?\d+: /, '');
  }
  return undefined;
}
