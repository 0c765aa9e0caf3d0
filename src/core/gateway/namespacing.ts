/**
 * The gateway's names for the tools and prompts of many servers: `<server prefix>__<name>`.
 *
 * The rule, predictable from the set of servers and names alone (input order does not matter):
 * - A server's prefix is its id with every character outside [A-Za-z0-9_-] replaced by `_`. Servers are taken in
 *   name order (UTF-16 code units, not the locale); when a prefix is already taken, the server gets the first free of
 *   `<prefix>_2`, `<prefix>_3`… So adding a server that sorts first can rename a clashing one, and only such a one.
 * - A name (tool or prompt) keeps [A-Za-z0-9_.-] and has every other character replaced by `_`. Per server, names
 *   are taken in name order, servers in name order; a qualified name already taken (two names that sanitize alike,
 *   or `a__b` + `c` against `a` + `b__c`) gets the first free `_2`, `_3`… suffix.
 * - A prefix longer than 64 characters, or a qualified name longer than 128 (MCP's tool-name limit), is cut and
 *   ends with `_` + 8 hex digits of a hash of the uncut text. Prefixes stay ≤ 64 characters so every qualified name
 *   keeps its `__` (and so can never equal a gateway's own tool such as `search_tools`).
 * Since a prefix or name may itself contain `__`, a qualified name is never split to find its owner: `NameTable.parse`
 * looks it up in the table the names were made with.
 */

export const NAME_SEPARATOR = '__';
export const MAX_QUALIFIED_LENGTH = 128;
export const MAX_PREFIX_LENGTH = 64;
/** MCP's rule for tool names (2025-11-25, "Tool names"). */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** The server and name a qualified name stands for, as the server knows them. */
export interface NameOwner {
  readonly server: string;
  readonly name: string;
}

/**
 * FNV-1a (32 bits) over the UTF-16 code units of `text`, as 8 hex digits. Only to keep cut names apart and to
 * fingerprint catalogues, never for security, so a tiny non-cryptographic hash is enough.
 */
export function fnv1a32(text: string, basis = 0x811c9dc5): string {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Orders by UTF-16 code units, the same everywhere (localeCompare depends on the machine's locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sanitizeServerId(id: string): string {
  return id === '' ? '_' : id.replace(/[^A-Za-z0-9_-]/gu, '_');
}

export function sanitizeName(name: string): string {
  return name === '' ? '_' : name.replace(/[^A-Za-z0-9_.-]/gu, '_');
}

/** `text` cut to `max` characters, the cut ones ending with `_` + the hash of the whole text. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 9)}_${fnv1a32(text)}`;
}

/** The first of `base`, `base_2`, `base_3`… (each fitted to `max`) not in `taken`; adds it to `taken`. */
function claim(base: string, max: number, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const candidate = fit(n === 1 ? base : `${base}_${n}`, max);
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

/** Each server's prefix (see the rule above), by server id. */
export function serverPrefixes(servers: Iterable<string>): ReadonlyMap<string, string> {
  const taken = new Set<string>();
  const prefixes = new Map<string, string>();
  for (const server of [...new Set(servers)].sort(compareText)) {
    prefixes.set(server, claim(sanitizeServerId(server), MAX_PREFIX_LENGTH, taken));
  }
  return prefixes;
}

/** The names of one server to qualify (duplicates are qualified once). */
export interface ServerNames {
  readonly server: string;
  readonly names: readonly string[];
}

/** Qualified names both ways, for one kind of thing (tools, or prompts). */
export class NameTable {
  private readonly owners = new Map<string, NameOwner>();
  private readonly qualified = new Map<string, Map<string, string>>();

  /** `prefixes` defaults to `serverPrefixes` of these servers; pass one shared map to name tools and prompts alike. */
  constructor(servers: readonly ServerNames[], prefixes: ReadonlyMap<string, string> = serverPrefixes(servers.map((s) => s.server))) {
    const taken = new Set<string>();
    for (const { server, names } of [...servers].sort((a, b) => compareText(a.server, b.server))) {
      const prefix = prefixes.get(server);
      if (prefix === undefined) throw new Error(`no prefix for server '${server}'`);
      const byName = this.qualified.get(server) ?? new Map<string, string>();
      this.qualified.set(server, byName);
      for (const name of [...new Set(names)].sort(compareText)) {
        if (byName.has(name)) continue;
        const qualified = claim(`${prefix}${NAME_SEPARATOR}${sanitizeName(name)}`, MAX_QUALIFIED_LENGTH, taken);
        byName.set(name, qualified);
        this.owners.set(qualified, { server, name });
      }
    }
  }

  /** The qualified name of a server's tool or prompt, if the table has it. */
  qualify(server: string, name: string): string | undefined {
    return this.qualified.get(server)?.get(name);
  }

  /** Who a qualified name stands for; undefined for a name the table did not make. */
  parse(qualifiedName: string): NameOwner | undefined {
    return this.owners.get(qualifiedName);
  }

  get size(): number {
    return this.owners.size;
  }
}
