import * as vscode from 'vscode';
import type { Disposable } from '../core/disposable';
import { Commands } from '../core/ids';
import type { ServerRegistry } from '../core/lifecycle/serverRegistry';
import { ServerState } from '../core/lifecycle/serverState';

/** "MCP 3/4": running servers of those that can run; click to reveal the Servers view. */
export class ServersStatusBar implements Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpWarden.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: Disposable;

  constructor(private readonly registry: ServerRegistry) {
    this.item.name = 'MCP Warden';
    this.item.command = Commands.focusServers;
    this.subscription = registry.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const servers = this.registry.servers.filter((s) => s.status === 'configured' && !s.definition?.disabled);
    if (servers.length === 0) {
      this.item.hide();
      return;
    }
    const running = servers.filter((s) => s.state.kind === 'running').length;
    const failing = servers.filter((s) => s.state.kind === 'error' || s.state.kind === 'waiting');
    this.item.text = `$(${failing.length > 0 ? 'warning' : 'server-process'}) MCP ${running}/${servers.length}`;
    this.item.backgroundColor = failing.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = servers.map((s) => `${s.name}: ${ServerState.label(s.state)}`).join('\n');
    this.item.accessibilityInformation = { label: `MCP Warden: ${running} of ${servers.length} servers running` };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
