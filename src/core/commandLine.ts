import { parseArgsStringToArgv } from 'string-argv';

/** Splits a command line the way a shell would split words (quotes group, no expansion). Empty when blank. */
export function splitCommandLine(line: string): string[] {
  return parseArgsStringToArgv(line);
}
