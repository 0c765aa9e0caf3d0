/**
 * JSON with the keys of every object sorted and no whitespace, so equal values always give equal text. The
 * audit log hashes records in this form, and definitions are compared in it. `undefined` members are left
 * out, as JSON.stringify does. It is on the audit log's hot path, hence the hand-tuned loops.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined || typeof item === 'function' ? 'null' : canonicalJson(item);
    }
    return `${out}]`;
  }
  const toJson = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJson === 'function') return canonicalJson(toJson.call(value));
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function') continue;
    if (!first) out += ',';
    first = false;
    out += `${quoteKey(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/** Keys repeat in every record: quote each once. */
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * The canonical JSON of an object without `key`, and with `key` set to the string `member(without)` computed from
 * it (a MAC over the rest of the record), serialising the other members only once.
 */
export function canonicalJsonWithMember(
  value: Readonly<Record<string, unknown>>,
  key: string,
  member: (canonicalWithout: string) => string,
): { readonly without: string; readonly with: string; readonly member: string } {
  const keys = Object.keys(value)
    .filter((k) => k !== key && value[k] !== undefined && typeof value[k] !== 'function')
    .sort();
  const parts = keys.map((k) => `${quoteKey(k)}:${canonicalJson(value[k])}`);
  const without = `{${parts.join(',')}}`;
  const computed = member(without);
  let at = keys.findIndex((k) => k > key);
  if (at === -1) at = keys.length;
  parts.splice(at, 0, `${quoteKey(key)}:${JSON.stringify(computed)}`);
  return { without, with: `{${parts.join(',')}}`, member: computed };
}
