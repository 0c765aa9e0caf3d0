import { isSecretKey } from './secretKeys';
import { TOKEN_SHAPES } from './secretPatterns';

export { isSecretKey };

/** What replaces a secret everywhere MCP Warden writes: output channels, the audit log, the views. */
export const REDACTED = '‹redacted›';

/**
 * One alternative of the redactor's combined pattern. `keep`: the alternative starts with one capturing group
 * that is kept (the "Bearer " before a token); the rest of the match is the secret. Otherwise the whole match is.
 * Every alternative starts with something specific, never with a lookbehind: a lookbehind is tried at every
 * position of every text (measured: the five lookbehind shapes of the previous redactor cost more than 80 shapes).
 */
interface Shape {
  readonly source: string;
  readonly keep?: true;
}

const SHAPES: readonly Shape[] = [
  // Authorization header values: with a digit, or long (so "token validation failed" stays readable)
  {
    source: String.raw`\b((?:Bearer|Basic|Token|token)\s+)(?:(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{24,})`,
    keep: true,
  },
  // JSON Web Tokens
  { source: String.raw`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*` },
  // PEM and PGP private keys (gitleaks' private-key rule); one cut off before its END line is hidden to the end
  {
    source: String.raw`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)`,
  },
  // user:password@ in URLs
  { source: String.raw`(://)[^/\s:@]+:[^/\s@]+(?=@)`, keep: true },
  // credentials in query strings, also under names that are not secret elsewhere (code, sig, key)
  {
    source: String.raw`([?&](?:access_token|id_token|refresh_token|token|api_key|apikey|key|password|secret|client_secret|code|sig)=)[^&\s#"']+`,
    keep: true,
  },
  ...TOKEN_SHAPES.map((source) => ({ source })),
];

// ---- Values after secret-looking keys in text: password=x, "apiKey": "x", \"token\":\"x\", password%3Dx ----

/** Ends of key names that may name a secret; `isSecretKey` decides on the whole name found before them. */
const KEY_STEMS = [
  'authorization', 'passphrase', 'password', 'passwd', 'pass', 'pwd', 'credentials', 'credential', 'creds', 'cookie', 'secret',
  'token', 'auth', 'apikey', 'key',
];
const KEY_STEM = `(?:${KEY_STEMS.flatMap((s) => [s, s[0]!.toUpperCase() + s.slice(1), s.toUpperCase()]).join('|')})(?:s|S)?`;
/** A quote: plain, escaped once or more (JSON inside a string), or URL-encoded. */
const QUOTE = String.raw`(?:\\*["']|%2[27])`;
const SEPARATOR = String.raw`${QUOTE}?[ \t]*(?:[:=]|%3[AaDd])[ \t]*`;
/** A value: up to its closing quote when quoted, else up to a space or a delimiter; never null/true/false. */
const KEY_VALUE = [
  String.raw`\\*"(?:[^"\\\r\n]|\\(?!\\*")[^\r\n]?)+`,
  String.raw`\\*'(?:[^'\\\r\n]|\\(?!\\*')[^\r\n]?)+`,
  String.raw`%2[27](?:[^%&\s"']|%(?!2[27])[0-9A-Fa-f]{2})+`,
  String.raw`(?!(?:null|true|false|undefined)\b)(?:(?:Bearer|Basic|Token|Digest)[ \t]+)?(?:[^\s"'\\&,;<>{}()[\]%]|%(?!2[267])[0-9A-Fa-f]{2})+`,
].join('|');
const KEY_VALUE_SOURCE = `(${KEY_STEM}${SEPARATOR})(${KEY_VALUE})`;
const KEY_CHAR = /[A-Za-z0-9_.-]/;
const PLAIN_WORD = /^[A-Za-z]{1,11}$/;

// Shapes that start at a word boundary share one `\b` test: most positions of a text are inside a word, and fail
// there at once instead of once per shape (measured: 3 times faster).
const WORD_SHAPES = SHAPES.filter((s) => s.source.startsWith(String.raw`\b`)).map((s) => ({ ...s, source: s.source.slice(2) }));
const OTHER_SHAPES = SHAPES.filter((s) => !s.source.startsWith(String.raw`\b`));
const ORDERED_SHAPES = [...WORD_SHAPES, ...OTHER_SHAPES];
const SHAPES_SOURCE = [String.raw`\b(?:${WORD_SHAPES.map((s) => s.source).join('|')})`, ...OTHER_SHAPES.map((s) => s.source)].join('|');
/** What stays of a hidden value: its opening quote and an authorization scheme ("Bearer "). */
const VALUE_KEPT = /^(?:\\*["']|%2[27])?(?:(?:Bearer|Basic|Token|Digest)[ \t]+)?/;

/**
 * Hides secrets before anything is written: known values (inputs, env files, `${env:…}` values), values after
 * secret-looking keys (in objects and in text), and common secret shapes (bearer tokens, JWTs, private keys, URL
 * credentials, service tokens). Text is scanned once, by one combined pattern.
 */
export class Redactor {
  private readonly known = new Set<string>();
  private pattern!: RegExp;
  /** Capture group numbers (1-based): the kept prefix of each `keep` shape, and the key=value head. */
  private keepGroups: number[] = [];
  private keyValueGroup = 0;

  constructor() {
    this.compile();
  }

  /** Remembers values to hide wherever they appear; values shorter than 4 characters are ignored. */
  addSecrets(values: Iterable<string>): void {
    let added = false;
    for (const value of values) {
      if (value.length >= 4 && !this.known.has(value)) {
        this.known.add(value);
        added = true;
      }
    }
    if (added) this.compile();
  }

  /** `text` with every secret replaced by ‹redacted›. */
  text(text: string): string {
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let match = pattern.exec(text);
    if (match === null) return text;
    let out = '';
    let copied = 0;
    for (; match !== null; match = pattern.exec(text)) {
      let replacement: string | undefined;
      const head = match[this.keyValueGroup];
      if (head !== undefined) {
        const value = match[this.keyValueGroup + 1]!;
        if (!isSecretKey(keyBefore(text, match.index, head)) || isProse(head, value)) {
          // Not a secret: look for secrets inside its value too, as for any other text.
          pattern.lastIndex = match.index + head.length;
          continue;
        }
        replacement = head + (VALUE_KEPT.exec(value)?.[0] ?? '') + REDACTED;
      } else {
        replacement = REDACTED;
        for (const group of this.keepGroups) {
          const kept = match[group];
          if (kept !== undefined) {
            replacement = kept + REDACTED;
            break;
          }
        }
      }
      if (match[0].length === 0) pattern.lastIndex++;
      out += text.slice(copied, match.index) + replacement;
      copied = match.index + match[0].length;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /**
   * A JSON value with everything under secret-looking keys and secret-looking text replaced. Copies only what
   * changes: a value with nothing to hide is returned as it is. Past 32 levels a whole subtree is hidden.
   */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 32) return REDACTED;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const redacted = this.value(item, depth + 1);
        if (redacted !== item) (copy ??= [...value])[i] = redacted;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      const redacted = isSecretKey(key) ? this.secretValue(member, depth + 1) : this.value(member, depth + 1);
      if (redacted !== member) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
    }
    return copy ?? value;
  }

  /** A value under a secret key: strings and numbers go, arrays of them too; objects are looked into. */
  private secretValue(value: unknown, depth: number): unknown {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return REDACTED;
    if (Array.isArray(value) && depth <= 32) return value.map((item: unknown) => this.secretValue(item, depth + 1));
    return this.value(value, depth);
  }

  private compile(): void {
    const literals = [...this.known].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // Group numbers follow the order of the sources: the key=value head and value first, then the shapes.
    this.keepGroups = [];
    let group = 1;
    this.keyValueGroup = group;
    group += 2;
    for (const shape of ORDERED_SHAPES) {
      if (shape.keep) this.keepGroups.push(group);
      group += countGroups(shape.source);
    }
    this.pattern = new RegExp([...literals, KEY_VALUE_SOURCE, SHAPES_SOURCE].join('|'), 'g');
  }
}

/**
 * "token: expired", "…env.API_TOKEN: no value was given": after a colon, one short plain word is prose, not a
 * secret. A value with a digit or a symbol, 12 letters or more, quoted, or after `=` is hidden.
 */
function isProse(head: string, value: string): boolean {
  return PLAIN_WORD.test(value) && !head.includes('=') && !/%3[Dd]/.test(head);
}

/** The whole key name whose last word starts at `offset`: `DB_` + `PASS`, `X-Api-` + `Key`, `%22` + `password`. */
function keyBefore(text: string, offset: number, head: string): string {
  let start = offset;
  while (start > 0 && KEY_CHAR.test(text[start - 1]!)) start--;
  // In URL-encoded text the name starts after an escape such as %26 or %22.
  if (start > 0 && text[start - 1] === '%') start = Math.min(offset, start + 2);
  return text.slice(start, offset) + /^[A-Za-z]+/.exec(head)![0];
}

function countGroups(source: string): number {
  return new RegExp(`${source}|`).exec('')!.length - 1;
}
