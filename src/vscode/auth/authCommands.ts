import * as vscode from 'vscode';
import { registerCommandHandlers, type CommandHandler } from '../commandHandlers';
import type { Disposable } from '../../core/disposable';
import type { ServerRegistry, ServerSnapshot } from '../../core/lifecycle/serverRegistry';
import { errorMessage, type Logger } from '../../core/ports';
import type { ServersTreeNode } from '../serversTree';
import { AuthCommands } from '../../core/ids';
import type { ServerAccounts } from './serverAccounts';
import type { VsCodeSignInUser } from './signInUser';

export interface AuthCommandDeps {
  readonly registry: ServerRegistry;
  readonly user: VsCodeSignInUser;
  readonly accounts: ServerAccounts;
  /** The engine's accounts.signOut(store, url): revokes at the authorization server if it can, forgets the tokens. */
  readonly signOut: (url: string) => Promise<unknown>;
  /** The engine's accounts.signOutEverywhere(store). */
  readonly signOutEverywhere: () => Promise<unknown>;
  readonly logger: Logger;
}


const handlers: Record<(typeof AuthCommands)[keyof typeof AuthCommands], CommandHandler<AuthCommandDeps>> = {
  [AuthCommands.signIn]: async (deps, arg) => {
    const server = await remoteServer(deps, arg, 'Sign in for which server?', () => true);
    if (server) await signIn(deps, server);
  },
  [AuthCommands.signOut]: async (deps, arg) => {
    const server = await remoteServer(deps, arg, 'Sign out of which server?', (s) => deps.accounts.get(s.name) !== undefined);
    if (server) await signOut(deps, server);
  },
  [AuthCommands.signOutEverywhere]: async (deps) => {
    const choice = await vscode.window.showWarningMessage(
      'MCP Warden: sign out everywhere?',
      {
        modal: true,
        detail: 'MCP Warden forgets every token and client registration it keeps in secret storage, and revokes the tokens where the authorization server allows it. Servers that need a sign-in ask again when they start.',
      },
      'Sign Out Everywhere',
    );
    if (choice !== 'Sign Out Everywhere') return;
    const signedIn = deps.accounts.signedIn;
    await deps.signOutEverywhere();
    await deps.accounts.refresh();
    await restartRunning(deps, signedIn);
    void vscode.window.showInformationMessage(`MCP Warden: signed out everywhere${signedIn.length > 0 ? ` (${signedIn.map((s) => `'${s}'`).join(', ')})` : ''}.`);
  },
};

/** Registers Sign In, Sign Out and Sign Out Everywhere; a failing one shows its error and logs it. */
export function registerAuthCommands(deps: AuthCommandDeps): Disposable[] {
  return registerCommandHandlers(handlers, deps, deps.logger);
}

/**
 * Sign In: answers the server's open sign-in question if it has one; else starts it (again), and the engine asks as
 * soon as the server answers 401. A running server already has what it needs.
 */
async function signIn(deps: AuthCommandDeps, server: ServerSnapshot): Promise<void> {
  if (deps.user.answer(server.name, true)) return;
  const account = deps.accounts.get(server.name);
  if (server.state.kind === 'running') {
    const message = account
      ? `MCP Warden: server '${server.name}' is signed in to ${account.issuer}. To use another account, Sign Out first.`
      : `MCP Warden: server '${server.name}' runs without asking for a sign-in.`;
    void vscode.window.showInformationMessage(message);
    return;
  }
  if (server.state.kind === 'stopped') await deps.registry.start(server.name);
  else await deps.registry.restart(server.name, 'sign-in');
  const after = deps.registry.server(server.name)?.state;
  if (after?.kind === 'error') void vscode.window.showErrorMessage(`MCP Warden: server '${server.name}' did not start: ${after.message}`);
}

async function signOut(deps: AuthCommandDeps, server: ServerSnapshot): Promise<void> {
  const account = deps.accounts.get(server.name);
  const url = urlOf(server);
  if (!url) return;
  await deps.signOut(url);
  await deps.accounts.refresh();
  await restartRunning(deps, [server.name]);
  void vscode.window.showInformationMessage(`MCP Warden: server '${server.name}' signed out${account ? ` of ${account.issuer}` : ''}.`);
}

/** After a sign-out, a running server still holds its session: restarted, it asks to sign in again. */
async function restartRunning(deps: AuthCommandDeps, names: readonly string[]): Promise<void> {
  const running = names.filter((name) => deps.registry.server(name)?.state.kind === 'running');
  // Not awaited one by one: each restart waits for its own sign-in.
  for (const name of running) void deps.registry.restart(name, 'signed out').catch((error: unknown) => deps.logger.error(`${name}: ${errorMessage(error)}`));
}

function urlOf(server: ServerSnapshot): string | undefined {
  return server.definition && server.definition.type !== 'stdio' ? server.definition.url : undefined;
}

/** The http/sse server a command is about: its row (or account row) or name, or one picked among those that `fit`. */
async function remoteServer(deps: AuthCommandDeps, arg: unknown, title: string, fit: (server: ServerSnapshot) => boolean): Promise<ServerSnapshot | undefined> {
  const named = serverNameOf(arg);
  if (named) {
    const server = deps.registry.server(named);
    if (server && urlOf(server)) return server;
    void vscode.window.showErrorMessage(`MCP Warden: '${named}' is not an http or sse server: only those sign in.`);
    return undefined;
  }
  const candidates = deps.registry.servers.filter((s) => s.status === 'configured' && urlOf(s) !== undefined && fit(s));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: no http or sse server fits that command right now.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    candidates.map((server) => ({ label: server.name, description: deps.accounts.get(server.name)?.issuer ?? server.state.kind, server })),
    { title, placeHolder: 'Server' },
  );
  return pick?.server;
}

function serverNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as ServersTreeNode | undefined;
  if (node?.kind === 'server') return node.server.name;
  if (node?.kind === 'account') return node.serverName;
  return undefined;
}
