import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Settings, SETTINGS_SECTION, settingKey } from '../../core/ids';
import type { ServerRegistry } from '../../core/lifecycle/serverRegistry';
import { errorMessage, type Logger } from '../../core/ports';
import { privateRuntimeDir } from '../../node/privateRuntimeDir';
import { numberAtLeast, userSetting } from '../userSettings';
import { AgentTokenStore } from './agentTokenStore';
import type { GatewayAccess } from './gatewayAccess';
import type { GatewayEndpoint } from './gatewayEndpoint';
import { startGateway, type RunningGateway } from '../../node/gateway/lazyGateway';
import { RunTokens } from '../../node/gateway/runTokens';
import type { DelegationAccess, DelegationPort } from '../../core/gateway/delegation';

/** Workspace state key of the port the gateway had last: agents configured with it find it again after a reload. */
const LAST_PORT_KEY = 'mcpWarden.gateway.lastPort';

/**
 * Runs the gateway for this window (trusted workspaces only, `mcpWarden.gateway.enabled`), keeps its token table in
 * step with SecretStorage, and tells the editor's MCP client and Connect Another Agent… where it is.
 */
export class GatewayController implements GatewayEndpoint, GatewayAccess, DelegationPort, vscode.Disposable {
  private running: RunningGateway | undefined;
  /** Delegating servers' run tokens: they outlive a restart of the gateway, not the run. */
  private readonly runTokens = new RunTokens();
  /** Delegating servers whose run got no token, or the address of a gateway that is gone: restarted once it runs. */
  private readonly stale = new Set<string>();
  private exposed = exposedDirectly();
  private starting: Promise<void> = Promise.resolve();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly tokens: AgentTokenStore;
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ServerRegistry,
    private readonly logger: Logger,
  ) {
    this.tokens = new AgentTokenStore(context.secrets, logger);
    this.disposables.push(this.tokens, this.emitter);
    this.disposables.push(this.tokens.onDidChange(() => this.running?.setTokens(this.tokens.entries())));
    this.disposables.push({ dispose: this.registry.onDidChange(() => this.emitter.fire()).dispose });
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(settingKey(Settings.gatewayEnabled)) || e.affectsConfiguration(settingKey(Settings.gatewayPort))) void this.restart();
        else if (e.affectsConfiguration(settingKey(Settings.gatewayEditorDefinitions))) this.emitter.fire();
        if (e.affectsConfiguration(settingKey(Settings.gatewayExposeDirectly))) {
          this.exposed = exposedDirectly();
          this.running?.listsChanged();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
    );
  }

  /** Starts the gateway if it should run; a failure is logged and leaves the rest of MCP Warden as it is. */
  start(): Promise<void> {
    return this.restart();
  }

  get baseUrl(): string | undefined {
    return this.running?.baseUrl;
  }

  get mode(): 'aggregate' | 'perServer' {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION).get(Settings.gatewayEditorDefinitions) === 'perServer' ? 'perServer' : 'aggregate';
  }

  tokenFor(agent: string): Promise<string> {
    return this.tokens.tokenFor(agent);
  }

  /**
   * Every running server, with a version that changes when its tools do (VS Code then lists them again). A stopped
   * one is not offered: VS Code could only fail to start it.
   */
  servers(): readonly { readonly name: string; readonly version: string }[] {
    return this.registry.servers
      .filter((s) => s.status === 'configured' && s.state.kind === 'running')
      .map((s) => ({ name: s.name, version: createHash('sha256').update(JSON.stringify(s.catalog.tools.map((t) => [t.name, t.description]))).digest('hex').slice(0, 12) }));
  }

  endpoint(): { readonly url: string; readonly socketPath?: string; readonly bridgeScript: string; readonly nodeCommand: string } | undefined {
    const running = this.running;
    if (!running) return undefined;
    return {
      url: `${running.baseUrl}/mcp`,
      ...(running.socketPath && { socketPath: running.socketPath }),
      bridgeScript: join(this.context.extensionPath, 'dist', 'gateway-stdio.js'),
      // In VS Code desktop the extension host is Electron: the bridge's entry sets ELECTRON_RUN_AS_NODE=1, which
      // makes it run as node (plain node ignores it).
      nodeCommand: process.execPath,
    };
  }

  mintToken(agent: string): Promise<string> {
    return this.tokens.mint(agent);
  }

  revokeToken(agent: string): Promise<void> {
    return this.tokens.revoke(agent);
  }

  /** A delegating server's run starts: the gateway's address and a token for this run only, if the gateway runs. */
  open(server: string, session: string): DelegationAccess | undefined {
    const running = this.running;
    if (!running) {
      this.stale.add(server);
      return undefined;
    }
    this.stale.delete(server);
    return { url: `${running.baseUrl}/mcp`, port: running.port, token: this.runTokens.open(server, session) };
  }

  close(server: string, session: string): void {
    this.runTokens.close(server, session);
  }

  connectedAgents(): readonly string[] {
    return this.tokens.agents().filter((a) => a !== 'vscode');
  }

  async storedToken(agent: string): Promise<string | undefined> {
    await this.tokens.load();
    return this.tokens.entries().find(([a]) => a === agent)?.[1];
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }

  private restart(): Promise<void> {
    this.starting = this.starting.then(async () => {
      const previousPort = this.running?.port;
      await this.stop();
      if (!vscode.workspace.isTrusted || !userSetting(Settings.gatewayEnabled, (v): v is boolean => typeof v === 'boolean', true)) return;
      try {
        await this.tokens.load();
        const configured = userSetting(Settings.gatewayPort, numberAtLeast(0), 0);
        const preferredPort = configured || this.context.workspaceState.get<number>(LAST_PORT_KEY) || 0;
        this.running = await startGateway({
          registry: this.registry,
          logger: this.logger,
          tokens: this.tokens.entries(),
          preferredPort,
          socketDirectory: this.socketDirectory(),
          exposedDirectly: (server) => this.exposed(server),
          version: String((this.context.extension.packageJSON as { version?: unknown }).version ?? '0'),
          runTokens: this.runTokens.agentOfToken,
        });
        await this.context.workspaceState.update(LAST_PORT_KEY, this.running.port);
        this.restartDelegating(previousPort);
      } catch (error) {
        this.logger.error(`the gateway did not start: ${errorMessage(error)}. MCP Warden's servers still run; agents cannot reach them until it starts (see ${settingKey(Settings.gatewayEnabled)}).`);
      }
      this.emitter.fire();
    });
    return this.starting;
  }

  /**
   * Delegating servers that started while the gateway was off, or that hold the address of one on another port,
   * start again to get the address of this one.
   */
  private restartDelegating(previousPort: number | undefined): void {
    const port = this.running?.port;
    const moved = previousPort !== undefined && previousPort !== port ? this.runTokens.servers() : [];
    const servers = new Set([...this.stale, ...moved]);
    this.stale.clear();
    for (const server of servers) {
      const state = this.registry.server(server)?.state.kind;
      if (state !== 'running' && state !== 'starting') continue;
      void this.registry.restart(server, 'the gateway it delegates through started').catch((error: unknown) => this.logger.error(errorMessage(error)));
    }
  }

  private async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await running.close().catch((error: unknown) => this.logger.error(`the gateway did not stop cleanly: ${errorMessage(error)}`));
    this.emitter.fire();
  }

  /** One socket folder per workspace, at a path that stays the same across reloads (the bridge finds it again). */
  private socketDirectory(): string | undefined {
    const id = createHash('sha256').update(this.context.storageUri?.toString() ?? 'no-workspace').digest('hex').slice(0, 12);
    try {
      return join(privateRuntimeDir(), id);
    } catch (error) {
      this.logger.warn(`no stdio bridge for the gateway: ${errorMessage(error)}`);
      return undefined;
    }
  }
}

/** `mcpWarden.gateway.exposeDirectly`: `*` or the names listed. */
function exposedDirectly(): (server: string) => boolean {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(Settings.gatewayExposeDirectly);
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : ['*'];
  if (names.includes('*')) return () => true;
  const set = new Set(names);
  return (server) => set.has(server);
}
