/** Replaces known secret values (inputs, env-file values) in text before it is logged. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Remembers values to hide; very short values are ignored, as hiding them would garble every line. */
  add(values: Iterable<string>): void {
    let added = false;
    for (const value of values) {
      if (value.length >= 4 && !this.secrets.has(value)) {
        this.secrets.add(value);
        added = true;
      }
    }
    if (added) {
      const escaped = [...this.secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(escaped.join('|'), 'g');
    }
  }

  redact(text: string): string {
    return this.pattern ? text.replace(this.pattern, '‹redacted›') : text;
  }
}
