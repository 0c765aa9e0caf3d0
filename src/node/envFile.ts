import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';

/** Reads a dotenv file (`KEY=value` lines, quotes, comments) into variables. */
export async function loadEnvFile(path: string): Promise<Record<string, string>> {
  return parse(await readFile(path, 'utf8'));
}
