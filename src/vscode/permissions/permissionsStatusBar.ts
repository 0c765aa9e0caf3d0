import * as vscode from 'vscode';
import type { Disposable } from '../../core/disposable';
import { PermissionCommands } from '../../core/ids';
import type { NotificationPrompter } from './permissionPrompter';

/** "$(shield) 2" while permission questions wait (a notification may be hidden in the notification center); click to review. */
export class PermissionsStatusBar implements Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpWarden.permissions', vscode.StatusBarAlignment.Left, 9);
  private readonly subscription: vscode.Disposable;

  constructor(prompter: NotificationPrompter) {
    this.item.name = 'MCP Warden Permissions';
    this.item.command = PermissionCommands.reviewPermissions;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.subscription = prompter.onDidChangePending((count) => this.update(count));
    this.update(prompter.pendingCount);
  }

  private update(count: number): void {
    if (count === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(shield) ${count}`;
    this.item.tooltip = `MCP Warden: ${count} permission request${count === 1 ? '' : 's'} waiting for your answer`;
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
