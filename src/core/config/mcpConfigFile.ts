import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isRecord, parseInputs, parseServers } from './parseServers';
import { lineAndColumn } from './settingsFile';
import type { ConfigProblem, InputDefinition, McpFileFormat, ServerEntry } from './serverDefinition';

/** The MCP configuration files other clients write, which MCP Warden reads so they can be imported. */
export const MCP_CONFIG_FILES: readonly { readonly path: string; readonly format: McpFileFormat }[] = [
  { path: '.vscode/mcp.json', format: 'vscode' },
  { path: '.mcp.json', format: 'claude' },
];

export interface McpConfigFile {
  readonly path: string;
  readonly servers: readonly ServerEntry[];
  readonly inputs: readonly InputDefinition[];
  /** Syntax errors and a wrong shape; the servers that could be read are still listed. */
  readonly problems: readonly ConfigProblem[];
}

/** Reads one mcp.json-style file (JSON with comments). `path` is relative to the workspace folder. */
export function parseMcpConfigFile(text: string, path: string, format: McpFileFormat): McpConfigFile {
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: ConfigProblem[] = errors.map((e) => ({
    keyPath: path,
    message: `syntax error at ${describePosition(text, e.offset)}: ${describeParseError(printParseErrorCode(e.error))}`,
  }));
  if (problems.length > 0) return { path, servers: [], inputs: [], problems };
  if (!isRecord(root)) return { path, servers: [], inputs: [], problems: [{ keyPath: path, message: 'must contain a JSON object' }] };

  const serversKey = format === 'vscode' ? 'servers' : 'mcpServers';
  const source = { kind: 'file', path, format } as const;
  const servers = parseServers(root[serversKey], `${path}: ${serversKey}`, source, { strict: false });
  const parsedInputs = parseInputs(root['inputs'], `${path}: inputs`);
  return { path, servers, inputs: parsedInputs.inputs, problems: parsedInputs.problems };
}

function describePosition(text: string, offset: number): string {
  const { line, column } = lineAndColumn(text, offset);
  return `line ${line}, column ${column}`;
}

function describeParseError(code: string): string {
  // 'CommaExpected' → 'comma expected'
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
