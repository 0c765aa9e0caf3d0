import * as vscode from 'vscode';
import { AgentCommands, agentDisplayName, isAgentId, tokenVariable, type AgentId } from '../../core/gateway/agentConfigs/agents';
import type { GatewayEntry } from '../../core/gateway/agentConfigs/gatewayEntry';
import { agentConfigFormats } from '../../core/gateway/agentConfigs/index';
import { errorMessage, type Logger } from '../../core/ports';
import { addAgentEntry, removeAgentEntry, type AgentConfigEnvironment, type AgentConfigOutcome } from '../../node/gateway/agentConfigFiles';
import { agentTokenFilePath, removeAgentTokenFile, writeAgentTokenFile } from '../../node/gateway/agentTokenFile';
import { agentTargetRows, currentEnvironment, displayPath, stateText, type AgentTargetRow } from './agentTargets';
import type { GatewayAccess } from './gatewayAccess';

interface Deps {
  readonly context: vscode.ExtensionContext;
  readonly access: GatewayAccess;
  readonly logger: Logger;
  readonly environment: AgentConfigEnvironment;
}

/**
 * Registers `MCP Warden: Connect Another Agent…` and `MCP Warden: Disconnect Agent…`. Either takes an agent id as
 * its argument to skip the first pick. The terminals of this window get each connected agent's token variable.
 */
export function registerConnectAgentCommands(context: vscode.ExtensionContext, access: GatewayAccess, logger: Logger): vscode.Disposable {
  const deps: Deps = { context, access, logger, environment: currentEnvironment(context) };
  // Not persisted: VS Code would otherwise keep the tokens in its storage.
  context.environmentVariableCollection.persistent = false;
  context.environmentVariableCollection.description = 'MCP Warden: the gateway tokens of connected agents';
  void restoreTerminalVariables(deps);
  const run = (id: string, handler: (deps: Deps, agent?: AgentId) => Promise<void>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        await handler(deps, isAgentId(arg) ? arg : undefined);
      } catch (error) {
        logger.error(`${id}: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`MCP Warden: ${errorMessage(error)}`);
      }
    });
  return vscode.Disposable.from(run(AgentCommands.connectAgent, connect), run(AgentCommands.disconnectAgent, disconnect));
}

async function connect(deps: Deps, preselected?: AgentId): Promise<void> {
  const endpoint = deps.access.endpoint();
  if (!endpoint) {
    void vscode.window.showWarningMessage('MCP Warden: the gateway is not running, so there is nothing to connect an agent to.');
    return;
  }
  const rows = await agentTargetRows(deps.environment, projectFolders());
  const row = await pickRow(deps, rows.filter((r) => preselected === undefined || (r.target.agent === preselected && r.target.scope === 'user')), 'Connect which agent to MCP Warden?');
  if (!row) return;
  const { agent } = row.target;
  const format = agentConfigFormats[agent];
  const transport = await pickTransport(agent);
  if (!transport) return;
  const name = agentDisplayName(agent);
  const shown = displayPath(row.target.path, deps.environment.homeDir);
  const variable = tokenVariable(agent);
  const detail = [
    `MCP Warden adds the server 'mcp-warden' to ${row.target.path} (${format.describe.entryPath}) and keeps the previous file as ${row.target.path}.bak. Nothing else in the file changes.`,
    format.describe.tokenReference
      ? `The file gets no token, only the name of the variable ${variable}; ${name} needs that variable in its environment.`
      : `${name} cannot refer to environment variables in its settings: the token goes into a file only you can read, in MCP Warden's storage, and is deleted on Disconnect.`,
    row.target.scope === 'project' ? 'This file belongs to the project and can be committed; it holds no secret.' : '',
  ].filter(Boolean).join('\n\n');
  if ((await vscode.window.showWarningMessage(`Connect ${name} through ${shown}?`, { modal: true, detail }, 'Connect')) !== 'Connect') return;

  // The file first: if it cannot be written, the agent's current token (and connection) stay as they were.
  const tokenFile = format.describe.tokenReference ? undefined : agentTokenFilePath(deps.environment.globalStorageDir, agent);
  const entry: GatewayEntry = transport === 'http' ? { transport, url: endpoint.url } : { transport, command: endpoint.nodeCommand, bridgeScript: endpoint.bridgeScript, ...(endpoint.socketPath && { socket: endpoint.socketPath }), ...(tokenFile && { tokenFile }) };
  const outcome = await addAgentEntry(row.target, entry);
  if (outcome.kind === 'failed' || outcome.kind === 'foreign') {
    reportFailure(deps, name, outcome);
    return;
  }
  const token = await deps.access.mintToken(agent);
  if (tokenFile) await writeAgentTokenFile(deps.environment.globalStorageDir, agent, token);
  deps.logger.info(`connected ${agent} through ${row.target.path} (${transport}${outcome.kind === 'unchanged' ? ', file already up to date' : ''})`);
  if (!format.describe.tokenReference) {
    await offerFile(`MCP Warden: ${name} is connected through the stdio bridge (${shown}). If it does not list 'mcp-warden', restart its MCP servers.`, row.target.path);
    return;
  }
  deps.context.environmentVariableCollection.replace(variable, token);
  await offerToken(`MCP Warden: ${name} is connected through ${shown}. Set ${variable} in the environment ${name} starts from: terminals of this window have it already.`, row.target.path, token);
}

async function disconnect(deps: Deps, preselected?: AgentId): Promise<void> {
  const rows = await agentTargetRows(deps.environment, projectFolders());
  const connected = new Set<string>([...deps.access.connectedAgents(), ...rows.filter((r) => r.state.kind === 'ours').map((r) => r.target.agent)]);
  const agents = [...connected].filter(isAgentId).filter((a) => preselected === undefined || a === preselected);
  if (agents.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: no agent is connected.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    agents.map((agent) => {
      const files = rows.filter((r) => r.target.agent === agent && r.state.kind === 'ours').map((r) => displayPath(r.target.path, deps.environment.homeDir));
      return { label: agentDisplayName(agent), description: files.join(', ') || 'token only, no file entry found', agent };
    }),
    { title: 'Disconnect which agent from MCP Warden?' },
  );
  if (!picked) return;
  const { agent } = picked;
  const name = agentDisplayName(agent);
  const ours = rows.filter((r) => r.target.agent === agent && r.state.kind === 'ours');
  const detail = [...ours.map((r) => `The server 'mcp-warden' is removed from ${r.target.path} (the previous file is kept as .bak).`), `${name}'s token is revoked: it can no longer reach the gateway.`].join('\n');
  if ((await vscode.window.showWarningMessage(`Disconnect ${name}?`, { modal: true, detail }, 'Disconnect')) !== 'Disconnect') return;

  const outcomes = await Promise.all(ours.map((r) => removeAgentEntry(r.target)));
  await deps.access.revokeToken(agent);
  await removeAgentTokenFile(deps.environment.globalStorageDir, agent);
  deps.context.environmentVariableCollection.delete(tokenVariable(agent));
  deps.logger.info(`disconnected ${agent}: ${outcomes.map((o) => `${o.path} ${o.kind}`).join(', ') || 'no file entry'}`);
  const problems = outcomes.filter((o): o is Extract<AgentConfigOutcome, { kind: 'failed' | 'foreign' }> => o.kind === 'failed' || o.kind === 'foreign');
  for (const problem of problems) reportFailure(deps, name, problem);
  const foreign = rows.filter((r) => r.target.agent === agent && r.state.kind === 'foreign').map((r) => r.target.path);
  const leftAlone = foreign.length > 0 ? ` ${foreign.join(', ')} also has a server named 'mcp-warden' that is not MCP Warden's gateway: left alone.` : '';
  if (problems.length === 0) void vscode.window.showInformationMessage(`MCP Warden: ${name} is disconnected and its token revoked.${leftAlone}`);
}

type RowPick = vscode.QuickPickItem & { readonly row?: AgentTargetRow };

async function pickRow(deps: Deps, rows: readonly AgentTargetRow[], title: string): Promise<AgentTargetRow | undefined> {
  const item = (row: AgentTargetRow): RowPick => ({
    label: agentDisplayName(row.target.agent),
    description: displayPath(row.target.path, deps.environment.homeDir),
    detail: stateText(row.state),
    row,
  });
  const user = rows.filter((r) => r.target.scope === 'user').map(item);
  const folders = [...new Set(rows.filter((r) => r.folderName !== undefined).map((r) => r.folderName!))];
  const project = folders.flatMap((folder): RowPick[] => [
    { label: `In ${folder}: files a repository can hold`, kind: vscode.QuickPickItemKind.Separator },
    ...rows.filter((r) => r.folderName === folder).map(item),
  ]);
  const items = [...user, ...project];
  // An agent given as the command's argument: its user-level file, without asking.
  if (items.length === 1) return items[0]!.row;
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.row;
}

async function pickTransport(agent: AgentId): Promise<GatewayEntry['transport'] | undefined> {
  const { transports, defaultTransport } = agentConfigFormats[agent].describe;
  if (transports.length === 1) return transports[0];
  const http = { label: 'HTTP', description: `the token from ${tokenVariable(agent)}`, detail: 'Connects to the gateway on 127.0.0.1. The entry changes when the gateway’s port does: connect again then.', transport: 'http' as const };
  const stdio = { label: 'Stdio bridge', description: 'node runs MCP Warden’s bridge', detail: 'The agent starts the bridge, which reaches the gateway. The entry changes when MCP Warden is updated: connect again then.', transport: 'stdio' as const };
  const items = defaultTransport === 'http' ? [http, stdio] : [stdio, http];
  return (await vscode.window.showQuickPick(items, { title: `How should ${agentDisplayName(agent)} reach the gateway?` }))?.transport;
}

async function offerToken(message: string, path: string, token: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, 'Copy Token', 'Open File');
  // The clipboard is the only way the token leaves SecretStorage, besides Cline's token file and this window's terminals.
  if (choice === 'Copy Token') await vscode.env.clipboard.writeText(token);
  if (choice === 'Open File') await vscode.window.showTextDocument(vscode.Uri.file(path));
}

async function offerFile(message: string, path: string): Promise<void> {
  if ((await vscode.window.showInformationMessage(message, 'Open File')) === 'Open File') await vscode.window.showTextDocument(vscode.Uri.file(path));
}

function reportFailure(deps: Deps, name: string, outcome: Extract<AgentConfigOutcome, { kind: 'failed' | 'foreign' }>): void {
  const message =
    outcome.kind === 'foreign' ? `${outcome.path} has a server named 'mcp-warden' that is not MCP Warden's gateway; it was left alone. Rename or remove it, then try again.` : outcome.message;
  deps.logger.warn(`${name}: ${message}`);
  void vscode.window.showErrorMessage(`MCP Warden: ${message}`);
}

/** The workspace folders on disk, when the workspace is trusted. */
function projectFolders(): { name: string; path: string }[] {
  if (!vscode.workspace.isTrusted) return [];
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

async function restoreTerminalVariables(deps: Deps): Promise<void> {
  if (!deps.access.storedToken) return;
  for (const agent of deps.access.connectedAgents().filter(isAgentId)) {
    if (!agentConfigFormats[agent].describe.tokenReference) continue;
    const token = await deps.access.storedToken(agent).catch(() => undefined);
    if (token) deps.context.environmentVariableCollection.replace(tokenVariable(agent), token);
  }
}
