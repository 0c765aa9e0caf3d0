import * as vscode from 'vscode';
import type { SandboxProfile } from '../core/sandbox/sandboxProfile';
import type { Disposable } from '../core/disposable';
import { Commands, Views } from '../core/ids';
import type { ServerSnapshot } from '../core/lifecycle/serverRegistry';
import type { ServerStateKind } from '../core/lifecycle/serverState';
import type { ToolCallResult } from '../core/lifecycle/session';
import { addServerInteractively } from './addServerCommand';
import { auditCommandHandlers } from './audit/auditCommands';
import { callToolInteractively } from './callToolCommand';
import { contentCommandHandlers, contentDocuments } from './content/contentCommands';
import { importServersInteractively } from './importServersCommand';
import type { ServersTreeNode } from './serversTree';
import type { Warden } from './warden';
import { registerCommandHandlers, type CommandHandler } from './commandHandlers';
import { revealServerDefinition, serverPathInSettings, workspaceSettingsFile } from './workspaceSettingsFile';


/** Every command, by ID. Each takes a tree node, a server name, or nothing (then it asks). */
const handlers: Record<(typeof Commands)[keyof typeof Commands], CommandHandler<Warden>> = {
  ...auditCommandHandlers,
  ...contentCommandHandlers,
  [Commands.startServer]: async (warden, arg) => {
    const name = await serverArgument(warden, arg, 'Start which server?', ['stopped', 'error']);
    if (!name) return;
    await warden.registry.start(name);
    reportFailedStart(warden, name);
  },
  [Commands.stopServer]: async (warden, arg) => {
    const name = await serverArgument(warden, arg, 'Stop which server?', ['running', 'starting', 'waiting', 'needs-sign-in']);
    if (name) await warden.registry.stop(name);
  },
  [Commands.restartServer]: async (warden, arg) => {
    const name = await serverArgument(warden, arg, 'Restart which server?', ['running', 'waiting', 'error', 'stopped']);
    if (!name) return;
    await warden.registry.restart(name);
    reportFailedStart(warden, name);
  },
  [Commands.startAllServers]: (warden) => warden.registry.startAll(),
  [Commands.stopAllServers]: (warden) => warden.registry.stopAll(),
  [Commands.showServerOutput]: async (warden, arg) => {
    const name = await serverArgument(warden, arg, 'Show the output of which server?');
    if (name) warden.channels.show(name);
  },
  [Commands.showLog]: (warden) => warden.log.show(true),
  [Commands.addServer]: async (warden) => {
    const name = await addServerInteractively(warden.registry.servers.map((s) => s.name));
    if (!name) return;
    await warden.reload();
    await vscode.commands.executeCommand(Commands.focusServers);
  },
  [Commands.importServers]: async (warden, arg) => {
    const { inputs } = await warden.configuration.read();
    const preselected = nodeServerName(arg);
    const imported = await importServersInteractively(warden.registry, inputs, preselected);
    if (imported.length > 0) await warden.reload();
  },
  [Commands.openServerSettings]: async (warden, arg) => {
    const name = await serverArgument(warden, arg, 'Open the definition of which server?');
    const server = name ? warden.registry.server(name) : undefined;
    if (!server) return;
    if (server.source.kind === 'file') {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const key = server.source.format === 'vscode' ? 'servers' : 'mcpServers';
      if (folder) await revealServerDefinition(vscode.Uri.joinPath(folder.uri, server.source.path), [key, server.name]);
      return;
    }
    const target = workspaceSettingsFile();
    if (target) await revealServerDefinition(target.uri, serverPathInSettings(server.name, target.inWorkspaceFile));
  },
  [Commands.callTool]: (warden, first, toolName, args) => callToolCommand(warden, first, toolName, args),
  [Commands.forgetInputs]: async (warden) => {
    const count = await warden.inputs.forgetAll();
    void vscode.window.showInformationMessage(`MCP Warden: forgot ${count} stored input${count === 1 ? '' : 's'}; they will be asked for again.`);
  },
  [Commands.focusServers]: () => vscode.commands.executeCommand(`${Views.servers}.focus`),
  [Commands.showSandboxProfile]: async (warden, arg) => {
    const name = await serverArgument(warden, arg, 'Show the sandbox profile of');
    if (name) await showSandboxProfile(warden, name);
  },
};

/** Registers every command. A failing command shows its error and logs it; it never rejects into the host. */
export function registerCommands(warden: Warden): Disposable[] {
  // A programmatic Call Tool (server and tool given) gets its own error back.
  return registerCommandHandlers(handlers, warden, warden.logger, (id, args) => id === Commands.callTool && typeof args[0] === 'string' && typeof args[1] === 'string');
}

/**
 * `mcpWarden.callTool`: with (serverName, toolName, args) it calls directly and returns the result, for other
 * extensions and tests; from a tool in the tree or the palette it asks for what is missing and shows the result.
 */
async function callToolCommand(warden: Warden, first: unknown, toolName: unknown, args: unknown): Promise<ToolCallResult | undefined> {
  if (typeof first === 'string' && typeof toolName === 'string') {
    const callArgs = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
    return warden.registry.callTool(first, toolName, callArgs);
  }
  const node = first as ServersTreeNode | undefined;
  const preset = node?.kind === 'tool' ? { serverName: node.serverName, toolName: node.tool.name } : { ...(typeof first === 'string' && { serverName: first }) };
  return callToolInteractively(warden.registry, warden.documents, preset, contentDocuments(warden));
}

function nodeServerName(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as ServersTreeNode | undefined;
  if (node?.kind === 'server' || node?.kind === 'group') return node.server.name;
  if (node?.kind === 'tool' || node?.kind === 'prompt' || node?.kind === 'resource' || node?.kind === 'resourceTemplate' || node?.kind === 'sandbox') return node.serverName;
  return undefined;
}

/** The server a command is about: from its argument, or picked by the user among servers in one of `states`. */
async function serverArgument(warden: Warden, arg: unknown, title: string, states?: readonly ServerStateKind[]): Promise<string | undefined> {
  const named = nodeServerName(arg);
  if (named) return named;
  const candidates = warden.registry.servers.filter((s) => s.status === 'configured' && (!states || states.includes(s.state.kind)));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: no server fits that command right now.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    candidates.map((s: ServerSnapshot) => ({ label: s.name, description: s.state.kind })),
    { title, placeHolder: 'Server' },
  );
  return pick?.label;
}

/** The effective profile of a server's current (or last) run, read-only, with what it means. */
async function showSandboxProfile(warden: Warden, name: string): Promise<void> {
  const status = warden.sandboxes.status(name);
  if (!status || status.kind === 'not-applicable') {
    void vscode.window.showInformationMessage(`MCP Warden: server '${name}' has no sandbox profile${status ? ' (it is an HTTP server: nothing of it runs here)' : ' yet: start it first'}.`);
    return;
  }
  const text = status.kind === 'sandboxed' ? profileDocument(name, status.profile, status.privateTemp) : `// Server '${name}' runs without the OS sandbox: ${status.reason}\n// Its fs.read, fs.write and net grants are advisory: recorded, not enforced.\n{}\n`;
  await warden.documents.show(`${name}-sandbox-profile.jsonc`, text, 'jsonc');
}

/** The profile as JSON, after a summary of what matters most: where the server may write and connect. */
function profileDocument(name: string, profile: SandboxProfile, privateTemp: string): string {
  const granted = profile.filesystem.allowWrite.filter((path) => path !== privateTemp);
  const { allowedDomains, deniedDomains, allowAllUnixSockets } = profile.network;
  const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));
  return [
    `// The OS sandbox profile of server '${name}' (read-only), built from its grants when it started.`,
    `// Writes: ${list(granted)}; and its own temp folder ${privateTemp}`,
    `// Network: ${allowedDomains.length === 0 ? 'no host without asking' : list(allowedDomains)}${deniedDomains.length > 0 ? `; denied: ${list(deniedDomains)}` : ''}`,
    `// Unix sockets: ${allowAllUnixSockets ? 'all (granted unix:*)' : 'none'}`,
    '// Reads: only allowRead (the baseline a server needs to run, and fs.read grants), minus the more specific denyRead.',
    JSON.stringify(profile, null, 2),
    '',
  ].join('\n');
}

/** After a start the user asked for: say so if it failed, with a way to the details. */
function reportFailedStart(warden: Warden, name: string): void {
  const state = warden.registry.server(name)?.state;
  if (state?.kind !== 'error') return;
  void vscode.window.showErrorMessage(`MCP Warden: server '${name}' did not start: ${state.message}`, 'Show Output', 'Open Definition').then((choice) => {
    if (choice === 'Show Output') warden.channels.show(name);
    if (choice === 'Open Definition') void vscode.commands.executeCommand(Commands.openServerSettings, name);
  });
}
