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
 * it (a MAC over the rest of the record). Runs once per audit record, so the usual case, a record whose own keys
 * are already in sorted order and whose members are all strings, numbers, booleans or null, takes a fast path:
 * for such an object the engine's JSON.stringify writes exactly the canonical form.
 */
export function canonicalJsonWithMember(
  value: Readonly<Record<string, unknown>>,
  key: string,
  member: (canonicalWithout: string) => string,
): { readonly without: string; readonly with: string; readonly member: string } {
  const keys = Object.keys(value);
  return isSortedFlat(value, keys, key) ? withMemberInserted(JSON.stringify(value), keys, key, member) : canonicalJsonWithMemberSlowly(value, key, member);
}

/**
 * True when the object's own keys are in sorted order, none is `key` or starts with a digit (the engine orders
 * integer keys first, whatever the insertion order), and every value is flat.
 */
function isSortedFlat(value: Readonly<Record<string, unknown>>, keys: readonly string[], key: string): boolean {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = value[k];
    const first = k.charCodeAt(0);
    if (k === key || (i > 0 && keys[i - 1]! >= k) || (first >= 48 && first <= 57)) return false;
    if (v === undefined || typeof v === 'function' || (v !== null && typeof v === 'object')) return false;
  }
  return true;
}

/** `without` (canonical, flat) with the member `key` added in its sorted place. */
function withMemberInserted(
  without: string,
  sortedKeys: readonly string[],
  key: string,
  member: (canonicalWithout: string) => string,
): { readonly without: string; readonly with: string; readonly member: string } {
  const computed = member(without);
  const part = `${quoteKey(key)}:${JSON.stringify(computed)}`;
  const next = sortedKeys.find((k) => k > key);
  let withMember: string;
  if (without === '{}') withMember = `{${part}}`;
  else if (next === undefined) withMember = `${without.slice(0, -1)},${part}}`;
  else {
    // `,"next":` with an unescaped quote can only be the member boundary: inside a string every quote is escaped.
    const at = without.indexOf(`,${quoteKey(next)}:`);
    withMember = at === -1 ? `{${part},${without.slice(1)}` : `${without.slice(0, at)},${part}${without.slice(at)}`;
  }
  return { without, with: withMember, member: computed };
}

function canonicalJsonWithMemberSlowly(
  value: Readonly<Record<string, unknown>>,
  key: string,
  member: (canonicalWithout: string) => string,
): { readonly without: string; readonly with: string; readonly member: string } {
  const keys = Object.keys(value).sort();
  let without = '{';
  let insertAt = -1;
  let first = true;
  for (const k of keys) {
    const v = value[k];
    if (k === key || v === undefined || typeof v === 'function') continue;
    if (insertAt === -1 && k > key) insertAt = without.length;
    if (!first) without += ',';
    first = false;
    without += `${quoteKey(k)}:${canonicalJson(v)}`;
  }
  without += '}';
  const computed = member(without);
  const part = `${quoteKey(key)}:${JSON.stringify(computed)}`;
  let withMember: string;
  if (first) withMember = `{${part}}`;
  else if (insertAt === -1) withMember = `${without.slice(0, -1)},${part}}`;
  else if (insertAt === 1) withMember = `{${part},${without.slice(1)}`;
  else withMember = `${without.slice(0, insertAt)},${part}${without.slice(insertAt)}`; // insertAt is before a comma
  return { without, with: withMember, member: computed };
}
