import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** Where a settings file stops being JSON with comments, as jsonc-parser names it (e.g. `CommaExpected`). */
export interface SettingsSyntaxError {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly code: string;
}

/**
 * The first syntax error of a settings file's text, or undefined when it parses. Judged as VS Code's settings
 * editor does: comments and trailing commas are allowed, and a file with nothing in it (or only comments) is
 * an empty settings file, not an error.
 */
export function settingsSyntaxError(text: string): SettingsSyntaxError | undefined {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (!first) return undefined;
  if (value === undefined && errors.length === 1 && printParseErrorCode(first.error) === 'ValueExpected' && first.offset >= text.length) return undefined;
  return { ...lineAndColumn(text, first.offset), code: printParseErrorCode(first.error) };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
