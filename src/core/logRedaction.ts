import { REDACTED } from './redaction';
import type { Logger } from './ports';

/** Longest line an output channel gets; the rest is cut and its length said ("… (5242880 chars)"). */
export const MAX_LOG_LINE_CHARS = 8 * 1024;
/** Most lines hidden after a private key's BEGIN line without its END line; then lines show again. */
export const MAX_HIDDEN_KEY_LINES = 200;

const KEY_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
/** A tag a line keeps when its text is hidden: "[stderr] ". */
const LINE_TAG = /^\[[\w-]{1,20}\] /;

/**
 * Redacts a stream of log lines for one output channel. The Redactor sees one line at a time, so a private key
 * written over several stderr lines would pass line by line: this remembers that a key began, hides every line
 * until its END line (at most MAX_HIDDEN_KEY_LINES, so a missing END cannot hide a log forever), and cuts lines
 * longer than MAX_LOG_LINE_CHARS.
 */
export class LogLineRedactor {
  /** Lines hidden since the last unterminated BEGIN line; undefined outside a key. */
  private hiddenLines: number | undefined;

  constructor(
    private readonly redact: (text: string) => string,
    private readonly maxLineChars = MAX_LOG_LINE_CHARS,
    private readonly maxHiddenLines = MAX_HIDDEN_KEY_LINES,
  ) {}

  /** The message as it may be written; a message of several lines is handled line by line. */
  line(message: string): string {
    // Only what can be shown is redacted, so a 5 MB line costs no more than a short one; twice the limit, so a
    // secret that starts before the cut is still seen whole.
    const limit = this.maxLineChars * 2;
    const head = message.length > limit ? message.slice(0, limit) : message;
    const out = this.redactText(head);
    if (head.length < message.length) this.follow(message.slice(limit));
    return out.length > this.maxLineChars ? `${out.slice(0, this.maxLineChars)}… (${message.length} chars)` : out;
  }

  private redactText(text: string): string {
    if (this.hiddenLines === undefined) {
      this.follow(text);
      // The Redactor itself hides a whole key, and one cut off by the end of the text up to that end.
      return this.redact(text);
    }
    // Inside a key begun by an earlier line: hide line by line until its END.
    const newline = text.indexOf('\n');
    const first = newline < 0 ? text : text.slice(0, newline);
    const end = find(KEY_END, first, 'first');
    if (end) {
      this.hiddenLines = undefined;
      return tagOf(first) + REDACTED + this.redactText(text.slice(end.index + end.length));
    }
    if (++this.hiddenLines > this.maxHiddenLines) {
      this.hiddenLines = undefined;
      return this.redactText(text);
    }
    return tagOf(first) + REDACTED + (newline < 0 ? '' : `\n${this.redactText(text.slice(newline + 1))}`);
  }

  /** Notes whether `text` leaves a private key open: a BEGIN line after the last END line. */
  private follow(text: string): void {
    const begin = find(KEY_BEGIN, text, 'last');
    const end = find(KEY_END, text, 'last');
    if (begin && (!end || end.index < begin.index)) this.hiddenLines = 0;
    else if (end) this.hiddenLines = undefined;
  }
}

/** A Logger that writes every message through a LogLineRedactor. */
export function redactingLogger(target: Logger, lines: LogLineRedactor): Logger {
  return {
    trace: (m) => target.trace(lines.line(m)),
    debug: (m) => target.debug(lines.line(m)),
    info: (m) => target.info(lines.line(m)),
    warn: (m) => target.warn(lines.line(m)),
    error: (m) => target.error(lines.line(m)),
    get traceEnabled() {
      return target.traceEnabled;
    },
  };
}

function tagOf(line: string): string {
  return LINE_TAG.exec(line)?.[0] ?? '';
}

function find(pattern: RegExp, text: string, which: 'first' | 'last'): { index: number; length: number } | undefined {
  if (!text.includes('PRIVATE KEY')) return undefined;
  let found: { index: number; length: number } | undefined;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    found = { index: m.index, length: m[0].length };
    if (which === 'first') break;
  }
  return found;
}
