import * as vscode from 'vscode';
import { AUDIT_LOG_SERVER, SETTINGS_SESSION, type AuditRecord } from '../../core/audit/auditEvent';
import type { LogPosition, SessionSummary } from '../../core/audit/auditIndex';
import { describeQuery, type AuditQuery } from '../../core/audit/auditQuery';
import { recordDetail, recordLine, recordTitle } from '../../core/audit/auditText';
import type { Disposable } from '../../core/disposable';
import { Commands, ContextKeys } from '../../core/ids';
import type { WorkspaceAudit } from './workspaceAudit';

export const PAGE_SIZE = 100;

export type AuditTreeNode =
  | { readonly kind: 'status'; readonly label: string }
  | { readonly kind: 'server'; readonly server: string; readonly sessions: number }
  | { readonly kind: 'session'; readonly summary: SessionSummary }
  | { readonly kind: 'event'; readonly record: AuditRecord }
  | { readonly kind: 'more'; readonly key: string }
  | { readonly kind: 'empty'; readonly label: string };

interface LoadedPages {
  readonly records: AuditRecord[];
  next?: LogPosition;
  readonly summary: SessionSummary;
}

/**
 * The Audit Log view: server → session → events, newest first. Servers and sessions come from the log's
 * index; events are read a page at a time, backwards from the session's newest record, never the whole log.
 */
export class AuditTreeProvider implements vscode.TreeDataProvider<AuditTreeNode>, Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly pages = new Map<string, LoadedPages>();
  private readonly subscriptions: Disposable[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private _query: AuditQuery = {};
  private view: vscode.TreeView<AuditTreeNode> | undefined;

  constructor(private readonly audit: WorkspaceAudit) {
    this.subscriptions.push(audit.onDidChange(() => this.scheduleRefresh()));
  }

  attach(view: vscode.TreeView<AuditTreeNode>): void {
    this.view = view;
  }

  get query(): AuditQuery {
    return this._query;
  }

  set query(query: AuditQuery) {
    this._query = query;
    const filtered = Object.keys(query).length > 0;
    if (this.view) this.view.description = filtered ? describeQuery(query) : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.auditFiltered, filtered);
    this.refresh();
  }

  async getChildren(node?: AuditTreeNode): Promise<AuditTreeNode[]> {
    if (!node) {
      const log = this.audit.current ?? (await this.audit.ready);
      if (!log) return [{ kind: 'status', label: 'The audit log could not be opened: see the MCP Warden log' }];
      const servers = log.index.servers().filter((s) => this._query.server === undefined || s === this._query.server);
      return servers.map((server) => ({ kind: 'server', server, sessions: this.sessionsOf(server).length }));
    }
    if (node.kind === 'server') return this.sessionsOf(node.server).map((summary) => ({ kind: 'session', summary }));
    if (node.kind === 'session') {
      const loaded = await this.firstPage(node.summary);
      const children: AuditTreeNode[] = loaded.records.map((record) => ({ kind: 'event', record }));
      if (loaded.next) children.push({ kind: 'more', key: keyOf(node.summary) });
      if (children.length === 0) children.push({ kind: 'empty', label: 'No records match the filter' });
      return children;
    }
    return [];
  }

  getTreeItem(node: AuditTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'status':
      case 'empty':
        return new vscode.TreeItem(node.label);
      case 'server': {
        const isAudit = node.server === AUDIT_LOG_SERVER;
        const item = new vscode.TreeItem(isAudit ? 'Audit log' : node.server, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `audit-server:${node.server}`;
        item.description = isAudit ? 'records about the log itself' : plural(node.sessions, 'session');
        item.iconPath = new vscode.ThemeIcon(isAudit ? 'shield' : 'server-process');
        item.contextValue = 'auditServer';
        return item;
      }
      case 'session': {
        const s = node.summary;
        const label = s.session === SETTINGS_SESSION ? 'Settings changes' : s.server === AUDIT_LOG_SERVER ? 'Records' : localTime(s.firstTime);
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `audit-session:${keyOf(s)}`;
        item.description = [s.label, plural(s.count, 'record'), s.errors > 0 ? plural(s.errors, 'error') : undefined].filter(Boolean).join(' · ');
        item.tooltip = `session ${s.session} of ${s.server}\n${localTime(s.firstTime)} – ${localTime(s.lastTime)}\nrecords ${s.firstSeq}–${s.lastSeq}`;
        item.iconPath = new vscode.ThemeIcon(s.errors > 0 ? 'warning' : 'history');
        item.contextValue = 'auditSession';
        return item;
      }
      case 'event': {
        const r = node.record;
        const item = new vscode.TreeItem(recordTitle(r));
        item.id = `audit-event:${r.seq}`;
        item.description = `${localTime(r.time).slice(11)} ${recordDetail(r)}`;
        item.tooltip = recordLine(r);
        item.iconPath = eventIcon(r);
        item.contextValue = 'auditEvent';
        item.command = { command: Commands.showAuditRecord, title: 'Show Record', arguments: [r] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…');
        item.id = `audit-more:${node.key}:${this.pages.get(node.key)?.records.length ?? 0}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: Commands.loadMoreAuditRecords, title: 'Load More', arguments: [node.key] };
        return item;
      }
    }
  }

  /** Reads the next page of a session and shows it under the ones already there. */
  async loadMore(key: string): Promise<void> {
    const loaded = this.pages.get(key);
    if (!loaded?.next) return;
    const page = await this.audit.reader.page({ ...this._query, server: loaded.summary.server, session: loaded.summary.session }, {
      start: loaded.next,
      limit: PAGE_SIZE,
      stopBelowSeq: loaded.summary.firstSeq,
    });
    loaded.records.push(...page.records);
    loaded.next = page.next;
    this.changeEmitter.fire();
  }

  /** Forgets loaded pages and redraws: for a new filter, or a cleared log. */
  refresh(): void {
    this.pages.clear();
    this.changeEmitter.fire();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }

  private sessionsOf(server: string): SessionSummary[] {
    const sessions = this.audit.current?.index.sessionsOf(server) ?? [];
    const { from, to } = this._query;
    return sessions.filter((s) => (from === undefined || Date.parse(s.lastTime) >= from) && (to === undefined || Date.parse(s.firstTime) <= to));
  }

  private async firstPage(summary: SessionSummary): Promise<LoadedPages> {
    const key = keyOf(summary);
    const cached = this.pages.get(key);
    if (cached && cached.summary.lastSeq === summary.lastSeq) return cached;
    const page = await this.audit.reader.page({ ...this._query, server: summary.server, session: summary.session }, {
      start: summary.last,
      limit: PAGE_SIZE,
      stopBelowSeq: summary.firstSeq,
    });
    const loaded: LoadedPages = { records: [...page.records], summary, ...(page.next && { next: page.next }) };
    this.pages.set(key, loaded);
    return loaded;
  }

  /**
   * New records arrive in bursts: redraw at most twice a second. Loaded pages stay: a session whose newest
   * record changed reads its first page again (see firstPage), the others keep what "Load more" brought.
   */
  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changeEmitter.fire();
    }, 500);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function keyOf(summary: SessionSummary): string {
  return `${summary.server}\0${summary.session}`;
}

function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function eventIcon(record: AuditRecord): vscode.ThemeIcon {
  if (record.outcome === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  switch (record.type) {
    case 'request':
      return new vscode.ThemeIcon(record['direction'] === 'to-client' ? 'arrow-left' : 'arrow-right');
    case 'notification':
      return new vscode.ThemeIcon('bell');
    case 'lifecycle':
      return new vscode.ThemeIcon('debug-start');
    case 'server-log':
      return new vscode.ThemeIcon('output');
    case 'config':
      return new vscode.ThemeIcon('settings-gear');
    case 'permission':
      return new vscode.ThemeIcon(record['verdict'] === 'deny' ? 'circle-slash' : 'key');
    case 'auth':
      return new vscode.ThemeIcon('account');
    case 'audit':
      return new vscode.ThemeIcon('shield');
  }
}
