import { DisposableStore, type Disposable } from '../disposable';
import type { ServerRegistry, ServerSnapshot } from '../lifecycle/serverRegistry';
import { errorMessage, type Logger } from '../ports';
import { grantedRoots } from './clientRequestGate';
import { parseServerDeclarations, toDeclarations } from './declarations';
import { permissionLabel, type Declaration } from './permission';
import type { PermissionBroker } from './permissionBroker';
import type { PermissionGate } from './permissionGate';

export interface SessionWatcherDeps {
  readonly registry: ServerRegistry;
  readonly gate: PermissionGate;
  readonly broker: PermissionBroker;
  readonly logger: Logger;
  /** What a running server needs, in the order of the issue: its settings block, a bundle, what it declared itself. */
  readonly declarationsOf: (server: ServerSnapshot) => readonly Declaration[];
}

/**
 * Watches running servers for what needs the user without a request to wait on: the permissions a server
 * declared (asked once per run, batched by the prompter), tools whose definitions changed since they were allowed
 * (their grants are suspended: asked again, with the diff), and `fs.read` grants that change a server's roots.
 */
export class SessionWatcher implements Disposable {
  private readonly disposables = new DisposableStore();
  /** Per server: the run whose declarations were asked, the catalog whose pins were checked, the roots last told. */
  private readonly seen = new Map<string, { session?: string; catalog?: unknown; roots?: string }>();

  constructor(private readonly deps: SessionWatcherDeps) {
    this.disposables.add(deps.registry.onDidChange((name) => this.check(name)));
    this.disposables.add(deps.gate.onDidChange(() => this.checkRoots()));
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private check(name: string | undefined): void {
    for (const server of this.deps.registry.servers) {
      if (name !== undefined && server.name !== name) continue;
      if (server.state.kind !== 'running') {
        this.seen.delete(server.name);
        continue;
      }
      const seen = this.seen.get(server.name) ?? {};
      this.seen.set(server.name, seen);
      const session = this.deps.registry.sessionOf(server.name);
      if (seen.session !== session) {
        seen.session = session;
        seen.roots = rootsKey(this.deps.gate, server.name);
        this.askDeclarations(server, session);
      }
      if (seen.catalog !== server.catalog) {
        seen.catalog = server.catalog;
        this.checkPins(server, session);
      }
    }
  }

  /** Each declared permission that nothing decides yet becomes a question; the answers become grants. */
  private askDeclarations(server: ServerSnapshot, session: string): void {
    for (const declaration of this.deps.declarationsOf(server)) {
      const request = {
        server: server.name,
        session,
        permission: declaration.permission,
        method: `declared (${declaration.source})`,
        ...(declaration.reason !== undefined && { reason: declaration.reason }),
      };
      if (this.deps.gate.decide(request).verdict !== 'ask') continue;
      this.deps.broker.authorize(request).catch((error: unknown) => this.deps.logger.error(`could not ask about ${permissionLabel(declaration.permission)}: ${errorMessage(error)}`));
    }
  }

  /** A tool allowed under another definition: its grant is suspended, and the user is asked about the new one. */
  private checkPins(server: ServerSnapshot, session: string): void {
    for (const tool of server.catalog.tools) {
      const pin = this.deps.registry.toolPin(server.name, tool.name);
      const request = { server: server.name, session, permission: { kind: 'tool' as const, target: tool.name }, ...(pin !== undefined && { pin }), method: 'notifications/tools/list_changed' };
      const decision = this.deps.gate.decide(request);
      if (!decision.suspended) continue;
      this.deps.broker.recordGrant('suspended', decision.suspended, `the definition of tool '${tool.name}' changed since it was ${decision.suspended.decision === 'allow' ? 'allowed' : 'denied'}`, session);
      this.deps.broker
        .authorize(request, { definition: tool })
        .catch((error: unknown) => this.deps.logger.error(`could not ask about the changed tool '${tool.name}': ${errorMessage(error)}`));
    }
  }

  /** Servers whose `fs.read` grants changed are told their roots changed (they then ask `roots/list`). */
  private checkRoots(): void {
    for (const [name, seen] of this.seen) {
      const roots = rootsKey(this.deps.gate, name);
      if (seen.roots === roots) continue;
      seen.roots = roots;
      this.deps.registry.notifyRootsChanged(name);
    }
  }
}

function rootsKey(gate: PermissionGate, server: string): string {
  return grantedRoots(gate, server)
    .map((r) => r.uri)
    .sort()
    .join('\n');
}

/**
 * What a running server needs, in the order: its definition's `permissions` block, then what the server
 * declared through the permissions extension (validated here: at most 100 entries, reasons clipped). A bundle
 * manifest comes between them in a later issue.
 */
export function declarationsOf(server: ServerSnapshot, workspaceFolders: readonly string[]): Declaration[] {
  const fromSettings = toDeclarations(server.definition?.declarations ?? [], workspaceFolders, 'settings').declarations;
  const declared = server.state.kind === 'running' ? server.state.session.declarations : undefined;
  const fromServer = declared ? toDeclarations(parseServerDeclarations({ version: 1, permissions: declared }).declarations, workspaceFolders, 'server').declarations : [];
  const seen = new Set(fromSettings.map((d) => permissionLabel(d.permission)));
  return [...fromSettings, ...fromServer.filter((d) => !seen.has(permissionLabel(d.permission)))];
}
