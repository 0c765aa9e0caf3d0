import * as vscode from 'vscode';
import type { Disposable } from '../../core/disposable';
import type { Grant, PermissionKind } from '../../core/permissions/permission';
import type { ListedGrant, PermissionGate } from '../../core/permissions/permissionGate';
import type { Enforcement } from '../../core/sandbox/enforcement';
import type { GrantUsage } from '../../core/permissions/grantUsage';

/** The elements of the Permissions view. */
export type PermissionsTreeNode =
  | { readonly kind: 'server'; readonly server: string; readonly grants: readonly ListedGrant[] }
  | { readonly kind: 'grant'; readonly listed: ListedGrant; readonly suspended: boolean };

/**
 * Whether a grant of `kind` is enforced for `server` now: file and network grants only while the server runs in
 * the OS sandbox (enforcement.ts); without it they are a record of intent, not a fence.
 */
export type EnforcementOf = (server: string, kind: PermissionKind) => Enforcement;

/** The current pin of what a grant is about (a tool's definition hash now), when known. */
export type CurrentPin = (server: string, kind: PermissionKind, target: string) => string | undefined;

/** The Permissions view: server → each grant with its decision, scope and whether MCP Warden enforces it. */
export class PermissionsTreeProvider implements vscode.TreeDataProvider<PermissionsTreeNode>, Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly gate: PermissionGate,
    private readonly currentPin: CurrentPin = () => undefined,
    private readonly enforcement: EnforcementOf = () => 'advisory',
    private readonly usage?: GrantUsage,
  ) {
    this.subscriptions = [gate.onDidChange(() => this.changeEmitter.fire())];
    if (usage) this.subscriptions.push(usage.onDidChange(() => this.changeEmitter.fire()));
  }

  /** Redraws (e.g. when a server's tools changed, so a grant may now be suspended). */
  refresh(): void {
    this.changeEmitter.fire();
  }

  getChildren(node?: PermissionsTreeNode): PermissionsTreeNode[] {
    if (!node) {
      const byServer = new Map<string, ListedGrant[]>();
      for (const listed of this.gate.list()) byServer.set(listed.grant.server, [...(byServer.get(listed.grant.server) ?? []), listed]);
      return [...byServer.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([server, grants]) => ({ kind: 'server', server, grants }));
    }
    if (node.kind === 'server') return [...node.grants].sort(byKindAndTarget).map((listed) => ({ kind: 'grant', listed, suspended: this.isSuspended(listed.grant) }));
    return [];
  }

  getTreeItem(node: PermissionsTreeNode): vscode.TreeItem {
    if (node.kind === 'server') {
      const item = new vscode.TreeItem(node.server, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `permissions:${node.server}`;
      item.description = `${node.grants.length} grant${node.grants.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('server-process');
      item.contextValue = 'permissionServer';
      return item;
    }
    const { grant, status } = node.listed;
    const item = new vscode.TreeItem(grant.target === '' ? grant.kind : `${grant.kind}: ${grant.target}`);
    item.id = `permissions:${grant.server}:${grant.kind}:${grant.target}:${grant.scope}:${grant.decision}:${grant.grantedAt}:${(grant.agents ?? []).join(',')}`;
    const enforcement = this.enforcement(grant.server, grant.kind);
    const usedBy = this.usage?.agentsOf(grant) ?? [];
    item.description = `${grantDescription(node.listed, node.suspended, enforcement)}${agentsDescription(grant, usedBy)}`;
    item.tooltip = grantTooltip(node.listed, node.suspended, enforcement, usedBy);
    item.iconPath = grantIcon(node.listed, node.suspended);
    item.contextValue = `grant.${status}`;
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }

  private isSuspended(grant: Grant): boolean {
    if (grant.pin === undefined) return false;
    const now = this.currentPin(grant.server, grant.kind, grant.target);
    return now !== undefined && now !== grant.pin;
  }
}

/** "allowed · workspace · enforced", "denied · session · advisory", "proposed", "tampered", "suspended". */
export function grantDescription({ grant, status }: ListedGrant, suspended: boolean, enforcement?: Enforcement): string {
  if (status === 'proposed' || status === 'tampered') return status;
  if (suspended) return 'suspended';
  const decided = grant.decision === 'allow' ? 'allowed' : 'denied';
  const confirmed = status === 'confirmed' ? ' (confirmed)' : '';
  return `${decided} · ${grant.scope}${confirmed}${enforcement ? ` · ${enforcement}` : ''}`;
}

/** " · for claude-code · used by claude-code, vscode": whom the grant covers and whom it decided for. */
function agentsDescription(grant: Grant, usedBy: readonly string[]): string {
  const covers = grant.agents ? ` · for ${grant.agents.join(', ')}` : '';
  return `${covers}${usedBy.length > 0 ? ` · used by ${usedBy.join(', ')}` : ''}`;
}

function grantTooltip({ grant, status }: ListedGrant, suspended: boolean, enforcement: Enforcement, usedBy: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${grant.decision === 'allow' ? 'Allowed' : 'Denied'}** for ${grant.scope === 'workspace' ? 'this workspace' : grant.scope === 'session' ? 'this session' : 'the next request'}\n\n`);
  md.appendText(`Server: ${grant.server}\nPermission: ${grant.kind}${grant.target === '' ? '' : ` ${grant.target}`}\nGranted: ${grant.grantedAt}\n`);
  if (grant.pin) md.appendText(`Pinned to: ${grant.pin}\n`);
  md.appendText(`Covers: ${grant.agents ? `the gateway agents ${grant.agents.join(', ')} only` : 'MCP Warden and every gateway agent (not servers delegating)'}\n`);
  if (usedBy.length > 0) md.appendText(`Used through the gateway by: ${usedBy.join(', ')}\n`);
  md.appendMarkdown('\n');
  md.appendMarkdown(`${STATUS_TEXT[status]}\n\n`);
  if (suspended) md.appendMarkdown('$(debug-pause) The definition changed since it was allowed: the next use asks again.\n\n');
  if (enforcement === 'advisory') md.appendMarkdown(`$(info) Advisory: ${ADVISORY_WHY[grant.kind] ?? 'recorded, not enforced.'}\n\n`);
  return md;
}

const ADVISORY_WHY: Partial<Record<PermissionKind, string>> = {
  'process.exec': 'the sandbox limits programs only to what the server can read (the system folders are readable), so which program a server runs is recorded, not enforced.',
  'fs.read': 'the server does not run in the OS sandbox (see its Sandbox row in the Servers view), so this is recorded, not enforced.',
  'fs.write': 'the server does not run in the OS sandbox (see its Sandbox row in the Servers view), so this is recorded, not enforced.',
  net: 'the server does not run in the OS sandbox (see its Sandbox row in the Servers view), so this is recorded, not enforced.',
};

const STATUS_TEXT: Record<ListedGrant['status'], string> = {
  sealed: '$(lock) Sealed on this machine: honoured.',
  confirmed: '$(check) Proposed by someone else and confirmed here: honoured.',
  proposed: '$(question) Not made on this machine: not honoured until you confirm it (Review Permission Requests…).',
  tampered: '$(warning) Changed by hand after it was sealed: ignored.',
  session: 'Kept in memory until the server stops.',
  once: 'Used up by the next matching request.',
};

function grantIcon({ grant, status }: ListedGrant, suspended: boolean): vscode.ThemeIcon {
  if (status === 'tampered') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  if (status === 'proposed') return new vscode.ThemeIcon('question');
  if (suspended) return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  return grant.decision === 'allow' ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('problemsErrorIcon.foreground'));
}

function byKindAndTarget(a: ListedGrant, b: ListedGrant): number {
  return a.grant.kind.localeCompare(b.grant.kind) || a.grant.target.localeCompare(b.grant.target);
}
