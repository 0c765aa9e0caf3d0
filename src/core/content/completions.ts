/** `completion/complete` for prompt arguments and resource template variables. */

export type CompletionTarget = { readonly kind: 'prompt'; readonly name: string } | { readonly kind: 'template'; readonly uriTemplate: string };

/** Servers may send up to 100 values; more are not shown. */
const MAX_VALUES = 100;

/**
 * The params of a completion request: what is typed so far for `argument`, and the arguments already answered
 * (`context.arguments`), so a server can narrow one by another.
 */
export function completionParams(target: CompletionTarget, argument: string, value: string, answered: Readonly<Record<string, string>>): Record<string, unknown> {
  const ref = target.kind === 'prompt' ? { type: 'ref/prompt', name: target.name } : { type: 'ref/resource', uri: target.uriTemplate };
  return { ref, argument: { name: argument, value }, ...(Object.keys(answered).length > 0 && { context: { arguments: { ...answered } } }) };
}

/** The values of a `completion/complete` result: strings only, each once, at most 100; nothing for anything malformed. */
export function completionValues(result: unknown): string[] {
  const completion = isRecord(result) ? result['completion'] : undefined;
  const values = isRecord(completion) ? completion['values'] : undefined;
  if (!Array.isArray(values)) return [];
  return [...new Set(values.filter((v): v is string => typeof v === 'string'))].slice(0, MAX_VALUES);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
