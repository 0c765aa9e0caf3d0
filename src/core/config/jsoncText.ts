/**
 * Where things are in the text of a JSON-with-comments file, for edits that keep its comments and layout: settings
 * files (settingsEdit.ts) and agents' MCP files (gateway/agentConfigs/jsonEdit.ts).
 */

/** The offset of the comma after `offset`, skipping blanks and comments, if the next token is one. */
export function commaAfter(text: string, offset: number): number | undefined {
  let i = offset;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) i++;
    else if (text.startsWith('//', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) i = text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 2;
    else return text[i] === ',' ? i : undefined;
  }
  return undefined;
}

/** Past blanks and a `//` comment that end the line at `offset` (not past the line break). */
export function endOfLineComment(text: string, offset: number): number {
  return offset + /^[ \t]*(\/\/[^\r\n]*)?/.exec(text.slice(offset))![0].length;
}

/** The offset of the line break ending the line at `offset` (the text's length on the last line). */
export function lineEnd(text: string, offset: number): number {
  const match = /\r?\n/.exec(text.slice(offset));
  return match ? offset + match.index : text.length;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Only blanks before `offset` on its line. */
export function onOwnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

export function indentOfLine(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];
}

/** The length of the line break at `offset`: 2, 1, or 0 when there is none. */
export function eolLengthAt(text: string, offset: number): number {
  return text.startsWith('\r\n', offset) ? 2 : text.startsWith('\n', offset) ? 1 : 0;
}
