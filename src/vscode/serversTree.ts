import * as vscode from 'vscode';
import type { ConfigProblem } from '../core/config/serverDefinition';
import type { Disposable } from '../core/disposable';
import type { ServerRegistry, ServerSnapshot } from '../core/lifecycle/serverRegistry';
import { ServerState } from '../core/lifecycle/serverState';
import type { PromptInfo, ResourceInfo, ResourceTemplateInfo, ToolInfo } from '../core/lifecycle/session';
import type { Event } from '../core/events';
import type { SandboxStatus } from '../core/sandbox/sandboxProfile';
import type { AccountSummary } from '../core/auth/authPorts';
import { accountDescription, accountTooltip } from './auth/signInText';

type GroupKind = 'tools' | 'prompts' | 'resources' | 'capabilities';

/** The elements of the Servers tree. */
export type ServersTreeNode =
  | { readonly kind: 'server'; readonly server: ServerSnapshot }
  | { readonly kind: 'problem'; readonly problem: ConfigProblem; readonly parent?: string }
  | { readonly kind: 'group'; readonly group: GroupKind; readonly server: ServerSnapshot }
  | { readonly kind: 'tool'; readonly serverName: string; readonly tool: ToolInfo }
  | { readonly kind: 'prompt'; readonly serverName: string; readonly prompt: PromptInfo }
  | { readonly kind: 'resource'; readonly serverName: string; readonly resource: ResourceInfo }
  | { readonly kind: 'resourceTemplate'; readonly serverName: string; readonly template: ResourceTemplateInfo }
  | { readonly kind: 'detail'; readonly id: string; readonly label: string; readonly description: string; readonly tooltip?: string }
  | { readonly kind: 'sandbox'; readonly serverName: string; readonly status: SandboxStatus }
  | { readonly kind: 'account'; readonly serverName: string; readonly account: AccountSummary };

/** How each server's runs are contained (sandbox/serverSandboxes.ts), for the view. */
export interface SandboxStatusSource {
  status(server: string): SandboxStatus | undefined;
  readonly onDidChange: Event<string>;
}

/** Which account each http/sse server is signed in with (auth/serverAccounts.ts), for the view. */
export interface AccountSource {
  get(server: string): AccountSummary | undefined;
  /** True when some server is signed in: its expiry text changes with time. */
  readonly any: boolean;
  readonly onDidChange: Event<void>;
}

/** How often an account's "expires in N min" is redrawn. */
const EXPIRY_REDRAW_MS = 30_000;

/** The Servers view: each server with its state, and under a running one its tools, prompts, resources and capabilities. */
export class ServersTreeProvider implements vscode.TreeDataProvider<ServersTreeNode>, Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscription: Disposable;
  private readonly sandboxSubscription: Disposable | undefined;
  private readonly accountSubscription: Disposable | undefined;
  private readonly expiryTimer: ReturnType<typeof setInterval> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly sandbox?: SandboxStatusSource,
    private readonly accounts?: AccountSource,
  ) {
    this.subscription = registry.onDidChange(() => this.scheduleRefresh());
    this.sandboxSubscription = sandbox?.onDidChange(() => this.scheduleRefresh());
    this.accountSubscription = accounts?.onDidChange(() => this.scheduleRefresh());
    if (accounts) this.expiryTimer = setInterval(() => accounts.any && this.scheduleRefresh(), EXPIRY_REDRAW_MS);
  }

  getChildren(node?: ServersTreeNode): ServersTreeNode[] {
    if (!node) {
      return [
        ...this.registry.problems.map((problem) => ({ kind: 'problem' as const, problem })),
        ...this.registry.servers.map((server) => ({ kind: 'server' as const, server })),
      ];
    }
    if (node.kind === 'server') {
      const status = this.sandbox?.status(node.server.name);
      const sandbox: ServersTreeNode[] = status && status.kind !== 'not-applicable' && hasChildren(node.server) && node.server.status === 'configured' ? [{ kind: 'sandbox', serverName: node.server.name, status }] : [];
      const account = this.accountOf(node.server);
      return [...(account ? [account] : []), ...serverChildren(node.server), ...sandbox];
    }
    if (node.kind === 'group') return groupChildren(node.group, node.server);
    return [];
  }

  getTreeItem(node: ServersTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server':
        return serverItem(node.server, this.sandbox?.status(node.server.name), this.accountOf(node.server)?.account);
      case 'sandbox':
        return sandboxItem(node.serverName, node.status);
      case 'account':
        return accountItem(node.serverName, node.account);
      case 'problem': {
        const item = new vscode.TreeItem(node.problem.keyPath);
        item.id = `problem:${node.parent ?? ''}:${node.problem.keyPath}:${node.problem.message}`;
        item.description = node.problem.message;
        item.tooltip = `${node.problem.keyPath}: ${node.problem.message}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        return item;
      }
      case 'group':
        return groupItem(node.group, node.server);
      case 'tool': {
        // The name is what agents call, so it is the label; the title only describes.
        const item = new vscode.TreeItem(node.tool.name);
        item.id = `tool:${node.serverName}:${node.tool.name}`;
        item.description = node.tool.title ?? firstLine(node.tool.description);
        item.tooltip = toolTooltip(node.tool);
        item.iconPath = new vscode.ThemeIcon('tools');
        item.contextValue = 'tool';
        // MCP Warden calls it as a task (status shown while it runs, Cancel cancels the task).
        if (node.tool.taskSupport === 'required') item.description = `runs as a task${item.description ? ` · ${item.description}` : ''}`;
        return item;
      }
      case 'prompt': {
        const item = new vscode.TreeItem(node.prompt.name);
        item.id = `prompt:${node.serverName}:${node.prompt.name}`;
        item.description = node.prompt.title ?? firstLine(node.prompt.description);
        item.tooltip = node.prompt.description ?? node.prompt.name;
        item.iconPath = new vscode.ThemeIcon('comment-discussion');
        item.contextValue = 'prompt';
        return item;
      }
      case 'resource': {
        const item = new vscode.TreeItem(node.resource.title ?? node.resource.name);
        item.id = `resource:${node.serverName}:${node.resource.uri}`;
        item.description = node.resource.uri;
        item.tooltip = [node.resource.uri, node.resource.mimeType, node.resource.description].filter(Boolean).join('\n');
        item.iconPath = new vscode.ThemeIcon('file');
        // Open Resource, Subscribe and Unsubscribe (package.json menus).
        item.contextValue = 'resource';
        return item;
      }
      case 'resourceTemplate': {
        const item = new vscode.TreeItem(node.template.title ?? node.template.name);
        item.id = `resourceTemplate:${node.serverName}:${node.template.uriTemplate}`;
        item.description = node.template.uriTemplate;
        item.tooltip = [node.template.uriTemplate, node.template.mimeType, node.template.description].filter(Boolean).join('\n');
        item.iconPath = new vscode.ThemeIcon('file-symlink-file');
        item.contextValue = 'resourceTemplate';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip ?? `${node.label}: ${node.description}`;
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearInterval(this.expiryTimer);
    this.subscription.dispose();
    this.sandboxSubscription?.dispose();
    this.accountSubscription?.dispose();
    this.changeEmitter.dispose();
  }

  /** The Account row of a configured http/sse server that is signed in. */
  private accountOf(server: ServerSnapshot): Extract<ServersTreeNode, { kind: 'account' }> | undefined {
    const account = server.status === 'configured' && server.definition && server.definition.type !== 'stdio' ? this.accounts?.get(server.name) : undefined;
    return account && { kind: 'account', serverName: server.name, account };
  }

  /** State changes come in bursts (start all, a settings change): redraw once per burst. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changeEmitter.fire();
    }, 30);
  }
}

function serverItem(server: ServerSnapshot, sandbox: SandboxStatus | undefined, account: AccountSummary | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(server.name, hasChildren(server) || account ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `server:${server.name}`;
  const { state } = server;
  if (server.status === 'invalid') {
    item.contextValue = 'server.invalid';
    item.description = `invalid: ${server.problems[0]?.message ?? ''}`;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  } else if (server.status === 'discovered') {
    item.contextValue = 'server.discovered';
    item.description = `in ${fileOf(server)} — import to run`;
    item.iconPath = new vscode.ThemeIcon('cloud-download');
  } else {
    // `server.needs-approval` shows Approve Launch and Deny Launch inline (package.json menus).
    // `.sandboxed` offers Show Sandbox Profile; the state stays first for the menus' `^server\.(running|…)\b`.
    // `.remote` (http/sse) offers Sign In, `.signedIn` Sign Out; `server.needs-sign-in` shows Sign In inline.
    const remote = server.definition && server.definition.type !== 'stdio' ? `.remote${account ? '.signedIn' : ''}` : '';
    item.contextValue = `server.${state.kind}${sandbox?.kind === 'sandboxed' ? '.sandboxed' : ''}${remote}`;
    item.description = stateDescription(server) + (state.kind === 'running' && sandbox && sandbox.kind !== 'not-applicable' ? (sandbox.kind === 'sandboxed' ? ' · sandboxed' : ' · not sandboxed') : '');
    item.iconPath = stateIcon(state);
  }
  item.tooltip = serverTooltip(server, account);
  return item;
}

/** The Account row under a signed-in http/sse server: issuer, scopes, expiry; never a token. */
function accountItem(serverName: string, account: AccountSummary): vscode.TreeItem {
  const item = new vscode.TreeItem('Account', vscode.TreeItemCollapsibleState.None);
  item.id = `account:${serverName}`;
  const now = Date.now();
  item.description = accountDescription(account, now);
  item.tooltip = accountTooltip(account, now);
  item.iconPath = new vscode.ThemeIcon('account');
  item.contextValue = 'account';
  return item;
}

/** The Sandbox row under a server: enforced with what, or why not. */
function sandboxItem(serverName: string, status: SandboxStatus): vscode.TreeItem {
  const item = new vscode.TreeItem('Sandbox', vscode.TreeItemCollapsibleState.None);
  item.id = `sandbox:${serverName}`;
  if (status.kind === 'sandboxed') {
    const { filesystem, network } = status.profile;
    const writes = filesystem.allowWrite.filter((path) => path !== status.privateTemp).length;
    item.description = `enforced · ${count(writes, 'write grant')} · ${count(network.allowedDomains.length, 'host')}${network.allowAllUnixSockets ? ' · Unix sockets' : ''}`;
    item.tooltip = 'Reads, writes and network are held to its grants by the OS sandbox. Show Sandbox Profile for the whole profile.';
    item.iconPath = new vscode.ThemeIcon('shield', new vscode.ThemeColor('testing.iconPassed'));
    item.contextValue = 'sandbox';
    item.command = { command: 'mcpWarden.showSandboxProfile', title: 'Show Sandbox Profile', arguments: [serverName] };
  } else {
    item.description = `not sandboxed — ${status.kind === 'unsandboxed' ? status.reason : ''}`;
    item.tooltip = `${status.kind === 'unsandboxed' ? status.reason : ''}\n\nIts file and network grants are advisory: recorded, not enforced.`;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  }
  return item;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function stateDescription(server: ServerSnapshot): string {
  const { state } = server;
  switch (state.kind) {
    case 'running':
      return `${state.session.protocolVersion} · ${state.session.transport}`;
    case 'starting':
      return 'starting…';
    case 'needs-approval':
      return `needs approval — ${state.summary}`;
    case 'needs-sign-in':
      return `needs sign-in — ${state.issuer}`;
    case 'stopping':
      return 'stopping…';
    case 'waiting':
      return `restarting (attempt ${state.attempt}) — ${state.lastError}`;
    case 'error':
      return `${state.gaveUp ? 'gave up' : 'error'}: ${state.message}`;
    case 'stopped':
      return server.definition?.disabled ? 'disabled' : 'stopped';
  }
}

function stateIcon(state: ServerState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
    case 'stopping':
      return new vscode.ThemeIcon('loading~spin');
    case 'needs-approval':
      return new vscode.ThemeIcon('shield', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'needs-sign-in':
      return new vscode.ThemeIcon('account', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'waiting':
      return new vscode.ThemeIcon('history', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'stopped':
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

function serverTooltip(server: ServerSnapshot, account: AccountSummary | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(server.name)}** — ${server.status === 'configured' ? ServerState.label(server.state) : server.status}\n\n`);
  md.appendMarkdown(`Defined in \`${server.keyPath}\`\n\n`);
  const definition = server.definition;
  if (definition?.type === 'stdio') md.appendMarkdown(`Command: \`${[definition.command, ...definition.args].join(' ')}\`\n\n`);
  else if (definition) md.appendMarkdown(`URL: \`${definition.url}\` (${definition.type})\n\n`);
  for (const problem of server.problems) md.appendMarkdown(`- \`${problem.keyPath}\`: ${escape(problem.message)}\n`);
  const { state } = server;
  if (state.kind === 'running') {
    const s = state.session;
    md.appendMarkdown(`Protocol ${s.protocolVersion} (${s.era} era) over ${s.transport}${s.pid ? `, pid ${s.pid}` : ''}\n\n`);
    md.appendMarkdown(`Server: ${escape(s.serverInfo.title ?? s.serverInfo.name)} ${escape(s.serverInfo.version)}\n\n`);
  } else if (state.kind === 'error') {
    md.appendMarkdown(`$(error) ${escape(state.message)}\n\n`);
  } else if (state.kind === 'waiting') {
    md.appendMarkdown(`$(history) ${escape(state.lastError)}; restart attempt ${state.attempt}\n\n`);
  } else if (state.kind === 'needs-approval') {
    md.appendMarkdown(`$(shield) Not started until you approve this launch: it ${escape(state.summary)}\n\n`);
    md.appendMarkdown('Approve Launch or Deny Launch (inline, or from the notification).\n\n');
  } else if (state.kind === 'needs-sign-in') {
    md.appendMarkdown(`$(account) Waiting for you to sign in to ${escape(state.issuer)}${state.reason === 'expired' ? ' again' : state.reason === 'step-up' ? ' for more access' : ''}: Sign In (inline, or from the notification) opens your browser. The start deadline waits meanwhile.\n\n`);
  }
  if (account) md.appendMarkdown(`$(account) Signed in to ${escape(account.issuer)}${account.scope ? ` (${escape(account.scope)})` : ''}\n\n`);
  return md;
}

function hasChildren(server: ServerSnapshot): boolean {
  return server.status === 'invalid' || server.state.kind === 'running' || server.state.kind === 'error';
}

function serverChildren(server: ServerSnapshot): ServersTreeNode[] {
  if (server.status === 'invalid') return server.problems.map((problem) => ({ kind: 'problem', problem, parent: server.name }));
  const { state } = server;
  if (state.kind === 'error') {
    return [{ kind: 'detail', id: `error:${server.name}`, label: state.gaveUp ? 'Gave up' : 'Error', description: state.message, tooltip: state.message }];
  }
  if (state.kind !== 'running') return [];
  const groups: GroupKind[] = ['tools', 'prompts', 'resources', 'capabilities'];
  return groups.map((group) => ({ kind: 'group', group, server }));
}

function groupItem(group: GroupKind, server: ServerSnapshot): vscode.TreeItem {
  const count = group === 'capabilities' ? undefined : server.catalog[group].length + (group === 'resources' ? (server.catalog.resourceTemplates?.length ?? 0) : 0);
  const label = { tools: 'Tools', prompts: 'Prompts', resources: 'Resources', capabilities: 'Capabilities' }[group];
  const item = new vscode.TreeItem(label, count === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `group:${server.name}:${group}`;
  if (count !== undefined) item.description = String(count);
  item.iconPath = new vscode.ThemeIcon({ tools: 'tools', prompts: 'comment-discussion', resources: 'files', capabilities: 'symbol-property' }[group]);
  item.contextValue = `group.${group}`;
  return item;
}

function groupChildren(group: GroupKind, server: ServerSnapshot): ServersTreeNode[] {
  const serverName = server.name;
  switch (group) {
    case 'tools':
      return server.catalog.tools.map((tool) => ({ kind: 'tool', serverName, tool }));
    case 'prompts':
      return server.catalog.prompts.map((prompt) => ({ kind: 'prompt', serverName, prompt }));
    case 'resources':
      return [
        ...server.catalog.resources.map((resource): ServersTreeNode => ({ kind: 'resource', serverName, resource })),
        ...(server.catalog.resourceTemplates ?? []).map((template): ServersTreeNode => ({ kind: 'resourceTemplate', serverName, template })),
      ];
    case 'capabilities': {
      if (server.state.kind !== 'running') return [];
      const s = server.state.session;
      const detail = (key: string, label: string, description: string, tooltip?: string): ServersTreeNode => ({
        kind: 'detail',
        id: `capability:${serverName}:${key}`,
        label,
        description,
        ...(tooltip !== undefined && { tooltip }),
      });
      return [
        detail('protocol', 'Protocol', `${s.protocolVersion} (${s.era} era)`),
        detail('transport', 'Transport', s.pid ? `${s.transport}, pid ${s.pid}` : s.transport),
        detail('server', 'Server', `${s.serverInfo.title ?? s.serverInfo.name} ${s.serverInfo.version}`),
        ...Object.entries(s.capabilities).map(([name, value]) => detail(`cap.${name}`, name, describeCapability(value), JSON.stringify(value, null, 2))),
        ...(s.clientCapabilities
          ? [detail('client', 'MCP Warden offers', Object.keys(s.clientCapabilities).join(', '), JSON.stringify(s.clientCapabilities, null, 2))]
          : []),
        ...(s.instructions ? [detail('instructions', 'Instructions', firstLine(s.instructions) ?? '', s.instructions)] : []),
      ];
    }
  }
}

function describeCapability(value: unknown): string {
  if (value && typeof value === 'object') {
    const flags = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== false && v !== undefined);
    return flags.length === 0 ? 'supported' : flags.map(([k]) => k).join(', ');
  }
  return String(value);
}

function toolTooltip(tool: ToolInfo): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(tool.name)}**${tool.title ? ` — ${escape(tool.title)}` : ''}\n\n`);
  if (tool.description) md.appendText(`${tool.description}\n\n`);
  const properties = (tool.inputSchema['properties'] ?? {}) as Record<string, { type?: unknown; description?: string }>;
  const required = new Set((tool.inputSchema['required'] as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(properties)) {
    md.appendMarkdown(`- \`${escape(name)}\`${required.has(name) ? '' : ' (optional)'}: ${escape(String(schema.type ?? 'any'))}${schema.description ? ` — ${escape(schema.description)}` : ''}\n`);
  }
  return md;
}

function fileOf(server: ServerSnapshot): string {
  return server.source.kind === 'file' ? server.source.path : 'settings';
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n', 1)[0];
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
