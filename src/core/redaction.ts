/** What replaces a secret everywhere MCP Warden writes: output channels, the audit log, the views. */
export const REDACTED = '‹redacted›';

/**
 * Shapes of secrets, matched anywhere in text. Lookbehinds keep the readable part ("Bearer ", "https://")
 * and hide only the secret. One alternation, so text is scanned once.
 */
const SECRET_SHAPES: readonly string[] = [
  // Authorization header values: with a digit, or long (so "token validation failed" stays readable)
  String.raw`(?<=\b(?:Bearer|Basic|Token|token)\s+)(?:(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{24,})`,
  // JSON Web Tokens
  String.raw`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`,
  // PEM private keys
  String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`,
  // AWS access key ids, and secret keys where they are named
  String.raw`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b`,
  String.raw`(?<=(?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey)["']?\s*[=:]\s*["']?)[A-Za-z0-9/+=]{40}`,
  // GitHub, GitLab, Slack, Google, OpenAI / Anthropic, Stripe tokens
  String.raw`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b`,
  String.raw`\bgithub_pat_[A-Za-z0-9_]{22,255}\b`,
  String.raw`\bglpat-[A-Za-z0-9_-]{20,}`,
  String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\bAIza[0-9A-Za-z_-]{35}`,
  String.raw`\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}`,
  String.raw`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`,
  // user:password@ in URLs, and credentials in query strings
  String.raw`(?<=\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+(?=@)`,
  String.raw`(?<=[?&](?:access_token|id_token|refresh_token|token|api_key|apikey|key|password|secret|client_secret|code|sig)=)[^&\s#"']+`,
];

/** Keys whose string values are secrets whatever they look like: headers, env variables, arguments. */
const SECRET_KEY = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|passwd|pwd|private[-_]?key|client[-_]?secret|credentials?)$|token|secret|password|passphrase/i;
const NOT_SECRET_KEY = /^(?:max_?tokens?|tokens?_?(?:count|limit|used)|token_?type)$/i;

/**
 * Hides secrets before anything is written: known values (inputs, env files), values under secret-looking
 * keys, and common secret shapes (bearer tokens, JWTs, private keys, cloud and service tokens).
 */
export class Redactor {
  private readonly known = new Set<string>();
  private pattern = new RegExp(SECRET_SHAPES.join('|'), 'g');

  /** Remembers values to hide wherever they appear; values shorter than 4 characters are ignored. */
  addSecrets(values: Iterable<string>): void {
    let added = false;
    for (const value of values) {
      if (value.length >= 4 && !this.known.has(value)) {
        this.known.add(value);
        added = true;
      }
    }
    if (!added) return;
    const literals = [...this.known].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp([...literals, ...SECRET_SHAPES].join('|'), 'g');
  }

  /** `text` with every secret replaced by ‹redacted›. */
  text(text: string): string {
    this.pattern.lastIndex = 0;
    return this.pattern.test(text) ? text.replace(this.pattern, REDACTED) : text;
  }

  /**
   * A JSON value with secret-keyed strings and secret-looking text replaced. Copies only what changes: a value
   * with nothing to hide is returned as it is.
   */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 32) return value;
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
      const redacted = typeof member === 'string' && isSecretKey(key) ? REDACTED : this.value(member, depth + 1);
      if (redacted !== member) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
    }
    return copy ?? value;
  }
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}
