import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { canonicalJson } from '../canonicalJson';
import { readSettingsValue } from './settingsEdit';

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

/** What VS Code reports for one setting: the value of each scope, and the value they merge into. */
export interface SettingScopes {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  /** What `get()` returns. */
  readonly value: unknown;
}

/**
 * True when VS Code's values of these settings (keyed by full setting key) are those written in the workspace
 * settings file's text: the workspace value, and the merged value too when the user set none. False while VS Code
 * has not yet read the file as it is on disk, or while its merged value lags behind its workspace value.
 */
export function scopesMatchSettingsText(text: string, inWorkspaceFile: boolean, settings: Readonly<Record<string, SettingScopes>>): boolean {
  return Object.entries(settings).every(([key, scopes]) => {
    const written: unknown = readSettingsValue(text, [key], inWorkspaceFile);
    if (canonicalJson(written) !== canonicalJson(scopes.workspaceValue)) return false;
    return scopes.globalValue !== undefined || canonicalJson(written ?? scopes.defaultValue) === canonicalJson(scopes.value);
  });
}

/** The 1-based line and column of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
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
