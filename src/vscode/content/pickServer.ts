import * as vscode from 'vscode';
import type { ServerRegistry, ServerSnapshot } from '../../core/lifecycle/serverRegistry';

/** A running server that `offers` something, the one named or picked by the user; undefined if none or cancelled. */
export async function runningServer(registry: ServerRegistry, named: string | undefined, what: string, offers: (server: ServerSnapshot) => number): Promise<ServerSnapshot | undefined> {
  if (named) {
    const server = registry.server(named);
    if (!server || server.state.kind !== 'running') {
      void vscode.window.showErrorMessage(`MCP Warden: server '${named}' is not running; start it first.`);
      return undefined;
    }
    return server;
  }
  const candidates = registry.servers.filter((s) => s.state.kind === 'running' && offers(s) > 0);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`MCP Warden: no running server offers ${what}.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((server) => ({ label: server.name, description: `${offers(server)} ${what}`, server })),
    { title: `${what[0]?.toUpperCase()}${what.slice(1)}: server`, placeHolder: 'Pick a server' },
  );
  return pick?.server;
}

/** True when the server declared `completions` (the capability completion/complete needs). */
export function offersCompletions(server: ServerSnapshot): boolean {
  return server.state.kind === 'running' && server.state.session.capabilities['completions'] !== undefined;
}
