import * as vscode from 'vscode';
import { registerCommandHandlers, type CommandHandler } from '../commandHandlers';
import type { Disposable } from '../../core/disposable';
import { Commands, PermissionCommands } from '../../core/ids';
import type { Grant, PermissionKind } from '../../core/permissions/permission';
import type { Logger } from '../../core/ports';
import type { PermissionsTreeNode } from './permissionsTree';
import { grantDescription } from './permissionsTree';
import { grantLabel } from './questionText';
import type { WorkspacePermissions } from './workspacePermissions';

export interface PermissionCommandDeps {
  readonly permissions: WorkspacePermissions;
  /** The broker's revoke: memory and workspace grants; the next request is decided without them. */
  readonly revoke: (grants: Grant[]) => Promise<void>;
  readonly logger: Logger;
}


const handlers: Record<(typeof PermissionCommands)[keyof typeof PermissionCommands], CommandHandler<PermissionCommandDeps>> = {
  [PermissionCommands.revoke]: async (deps, arg) => {
    const node = arg as PermissionsTreeNode | undefined;
    const grants = node?.kind === 'grant' ? [node.listed.grant] : node?.kind === 'server' ? node.grants.map((l) => l.grant) : await pickGrants(deps);
    if (grants && grants.length > 0) await revoke(deps, grants);
  },
  [PermissionCommands.revokeAllForServer]: async (deps, arg) => {
    const server = serverName(arg) ?? (await pickServer(deps));
    if (!server) return;
    const grants = deps.permissions.gate.list(server).map((l) => l.grant);
    if (grants.length === 0) {
      void vscode.window.showInformationMessage(`MCP Warden: server '${server}' has no grants.`);
      return;
    }
    await revoke(deps, grants);
  },
  [PermissionCommands.reviewPermissions]: async (deps) => {
    if (await deps.permissions.prompter.review()) return;
    if (await deps.permissions.reviewProposed()) return;
    void vscode.window.showInformationMessage('MCP Warden: no permission request or proposed grant waits for a decision.');
  },
  [PermissionCommands.approveLaunch]: (deps, arg) => answerLaunch(deps, arg, 'allow'),
  [PermissionCommands.denyLaunch]: (deps, arg) => answerLaunch(deps, arg, 'deny'),
  [PermissionCommands.answerPermission]: (deps, server, kind, verdict, scope) => {
    if (typeof server !== 'string' || typeof kind !== 'string' || (verdict !== 'allow' && verdict !== 'deny')) {
      throw new Error('answerPermission takes a server name, a permission kind, "allow" or "deny", and optionally "once", "session" or "workspace"');
    }
    const asScope = scope === 'once' || scope === 'session' || scope === 'workspace' ? scope : undefined;
    return deps.permissions.prompter.answerPending(server, kind as PermissionKind, verdict, asScope);
  },
};

/** Registers the Permissions commands; a failing one shows its error and logs it. */
export function registerPermissionCommands(deps: PermissionCommandDeps): Disposable[] {
  return registerCommandHandlers(handlers, deps, deps.logger);
}

async function revoke(deps: PermissionCommandDeps, grants: Grant[]): Promise<void> {
  await deps.revoke(grants);
  const label = grants.length === 1 ? `the grant ${grantLabel(grants[0]!)}` : `${grants.length} grants`;
  void vscode.window.showInformationMessage(`MCP Warden: revoked ${label}; the next request asks again.`);
}

/** Approve Launch / Deny Launch: answers the open launch question of a server (from its item, a name, or a pick). */
async function answerLaunch(deps: PermissionCommandDeps, arg: unknown, verdict: 'allow' | 'deny'): Promise<void> {
  const { prompter } = deps.permissions;
  let server = serverName(arg);
  if (!server) {
    const waiting = [...new Set(prompter.questions.filter((q) => q.request.permission.kind === 'launch').map((q) => q.request.server))];
    if (waiting.length === 0) {
      void vscode.window.showInformationMessage('MCP Warden: no server waits for launch approval.');
      return;
    }
    server = waiting.length === 1 ? waiting[0] : await vscode.window.showQuickPick(waiting, { title: verdict === 'allow' ? 'Approve the launch of which server?' : 'Deny the launch of which server?' });
    if (!server) return;
  }
  if (prompter.answerPending(server, 'launch', verdict) > 0) return;
  // The question was dismissed (or timed out): starting the server asks it again.
  const choice = await vscode.window.showInformationMessage(`MCP Warden: no launch question of server '${server}' is open. Start it to be asked again.`, 'Start Server');
  if (choice === 'Start Server') await vscode.commands.executeCommand(Commands.startServer, server);
}

/** A server name from a command argument: a name, a Permissions view item, or a Servers view item. */
function serverName(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as { kind?: unknown; server?: unknown };
  if (node.kind === 'server' && typeof node.server === 'string') return node.server; // Permissions view
  if (node.kind === 'server' && typeof node.server === 'object' && node.server !== null) {
    const name = (node.server as { name?: unknown }).name; // Servers view
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

async function pickGrants(deps: PermissionCommandDeps): Promise<Grant[] | undefined> {
  const listed = deps.permissions.gate.list();
  if (listed.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: nothing is granted.');
    return undefined;
  }
  const picks = await vscode.window.showQuickPick(
    listed.map((l) => ({ label: grantLabel(l.grant), description: grantDescription(l, false), detail: `granted ${l.grant.grantedAt}`, grant: l.grant })),
    { canPickMany: true, title: 'MCP Warden: revoke which grants?', placeHolder: 'Select the grants to revoke' },
  );
  return picks?.map((p) => p.grant);
}

async function pickServer(deps: PermissionCommandDeps): Promise<string | undefined> {
  const servers = [...new Set(deps.permissions.gate.list().map((l) => l.grant.server))].sort();
  if (servers.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: nothing is granted.');
    return undefined;
  }
  return vscode.window.showQuickPick(servers, { title: 'Revoke every grant of which server?' });
}
