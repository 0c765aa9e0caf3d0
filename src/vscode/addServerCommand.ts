import * as vscode from 'vscode';
import { splitCommandLine } from '../core/commandLine';
import { SERVER_NAME_PATTERN } from '../core/config/serverDefinition';
import { checkServerUrl } from '../core/config/serverUrl';
import { checkVariables } from '../core/config/variables';
import { settingKey, Settings } from '../core/ids';
import { editWorkspaceSettings, serverNamesInWorkspaceSettings } from './workspaceSettingsFile';

/**
 * `MCP Warden: Add Server`: asks for a stdio command or an http URL and a name, and writes the definition into
 * the workspace settings. Returns the new server's name, or undefined when cancelled.
 */
export async function addServerInteractively(existingNames: readonly string[]): Promise<string | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(terminal) Command (stdio)', description: 'a local program, e.g. npx, uvx, docker, node', transport: 'stdio' as const },
      { label: '$(globe) HTTP', description: 'a remote server over Streamable HTTP (falls back to legacy SSE)', transport: 'http' as const },
    ],
    { title: 'Add MCP Server (1/3): transport', placeHolder: 'How is the server reached?' },
  );
  if (!choice) return undefined;

  let definition: Record<string, unknown>;
  let suggestedName: string;
  if (choice.transport === 'stdio') {
    const line = await vscode.window.showInputBox({
      title: 'Add MCP Server (2/3): command',
      prompt: 'The command and its arguments. It runs without a shell; ${workspaceFolder}, ${env:NAME} and ${input:id} may be used.',
      placeHolder: 'npx -y @modelcontextprotocol/server-filesystem ${workspaceFolder}',
      ignoreFocusOut: true,
      validateInput: (value) => {
        const words = splitCommandLine(value);
        if (words.length === 0) return 'Enter a command';
        return words.flatMap(checkVariables)[0];
      },
    });
    if (line === undefined) return undefined;
    const [command = '', ...args] = splitCommandLine(line);
    definition = { command, ...(args.length > 0 && { args }) };
    suggestedName = suggestName(args.find((a) => !a.startsWith('-')) ?? command);
  } else {
    const url = await vscode.window.showInputBox({
      title: 'Add MCP Server (2/3): URL',
      prompt: 'The server endpoint: https://, or http:// to localhost',
      placeHolder: 'https://example.com/mcp',
      ignoreFocusOut: true,
      validateInput: (value) => (value.includes('${') ? checkVariables(value)[0] : checkServerUrl(value.trim())),
    });
    if (url === undefined) return undefined;
    definition = { url: url.trim() };
    suggestedName = suggestName(safeHostname(url));
  }

  const taken = new Set([...existingNames, ...(await serverNamesInWorkspaceSettings())]);
  let name = suggestedName;
  for (let i = 2; taken.has(name); i++) name = `${suggestedName}-${i}`;
  const chosen = await vscode.window.showInputBox({
    title: 'Add MCP Server (3/3): name',
    prompt: 'A name for the server in mcpWarden.servers',
    value: name,
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (!SERVER_NAME_PATTERN.test(value)) return "Use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
      if (taken.has(value)) return `A server named '${value}' already exists`;
      return undefined;
    },
  });
  if (chosen === undefined) return undefined;

  await editWorkspaceSettings([{ path: [settingKey(Settings.servers), chosen], value: definition }]);
  return chosen;
}

/** A server name from a package or host name: "@scope/server-files" → "files". */
function suggestName(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  const name = base
    .replace(/@[^@]*$/, '')
    .replace(/^(mcp-server-|server-|mcp-)/, '')
    .replace(/(-mcp|-server)$/, '')
    .replace(/\.(js|mjs|cjs|py|exe)$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return name || 'server';
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname.split('.').slice(-2, -1)[0] ?? 'server';
  } catch {
    return 'server';
  }
}
