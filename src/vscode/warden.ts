import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import { resolveLaunchSpec } from '../core/config/launchSpec';
import type { InputDefinition } from '../core/config/serverDefinition';
import { DisposableStore } from '../core/disposable';
import { Emitter } from '../core/events';
import { Views } from '../core/ids';
import { ServerRegistry, type ServerSnapshot } from '../core/lifecycle/serverRegistry';
import { errorMessage, systemClock, type Logger } from '../core/ports';
import { Redactor } from '../core/redaction';
import { loadEnvFile } from '../node/envFile';
import { lazyMcpLauncher } from '../node/lazyMcpLauncher';
import type { McpWardenApi, WardenServer } from './api';
import { ConfigurationSource } from './configurationSource';
import { channelLogger, ServerLogChannels } from './logChannels';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import { VscodeSamplingProvider } from './clientFeatures/samplingProvider';
import { SecretInputs } from './secretInputs';
import { ServersTreeProvider } from './serversTree';
import { ServersStatusBar } from './statusBar';
import { AuditTreeProvider } from './audit/auditTree';
import { WorkspaceAudit } from './audit/workspaceAudit';
import { gatedClientRequests, grantedRoots } from '../core/permissions/clientRequestGate';
import { launchConsent } from '../core/permissions/launchConsent';
import { PermissionBroker } from '../core/permissions/permissionBroker';
import { PermissionGate } from '../core/permissions/permissionGate';
import { GrantUsage } from '../core/permissions/grantUsage';
import { declarationsOf, SessionWatcher } from '../core/permissions/sessionWatcher';
import type { VariableContext } from '../core/config/variables';
import { HmacGrantSealer } from '../node/permissions/grantSealer';
import { nodeHasher } from '../node/permissions/hasher';
import { askTimeoutMs, gateOptions } from './permissions/permissionSettings';
import { PermissionsStatusBar } from './permissions/permissionsStatusBar';
import { PermissionsTreeProvider } from './permissions/permissionsTree';
import { WorkspacePermissions } from './permissions/workspacePermissions';
import { enforcementOf } from '../core/sandbox/enforcement';
import type { SandboxAvailability } from '../core/sandbox/sandboxProfile';
import { probeSandbox } from '../node/sandbox/sandboxAvailability';
import { SandboxSession } from '../node/sandbox/sandboxSession';
import { ServerSandboxes } from '../node/sandbox/serverSandboxes';
import { editorStoragePaths, sandboxMode } from './sandbox/sandboxSettings';
import { QuickInputElicitationPrompter } from './clientFeatures/elicitationPrompter';
import type { DelegationPort } from '../core/gateway/delegation';
import { accountOf, signOut, signOutEverywhere } from '../node/auth/accounts';
import { WardenAuth } from './auth/wardenAuth';

/** Workspace state key of which gateway agents used each grant (GrantUsage). */
const GRANT_USAGE_KEY = 'mcpWarden.grantUsage';

/**
 * Owns everything MCP Warden runs for one window: the registry of servers, their output channels, the view,
 * the status bar. Built by `activate()`, disposed on deactivation after every server has stopped.
 */
export class Warden implements vscode.Disposable {
  readonly disposables = new DisposableStore();
  readonly redactor = new Redactor();
  readonly log: vscode.LogOutputChannel;
  readonly logger: Logger;
  readonly channels: ServerLogChannels;
  readonly configuration: ConfigurationSource;
  readonly registry: ServerRegistry;
  readonly documents: ReadOnlyDocuments;
  readonly treeView: vscode.TreeView<unknown>;
  readonly audit: WorkspaceAudit;
  readonly auditTree: AuditTreeProvider;
  readonly inputs: SecretInputs;
  readonly gate: PermissionGate;
  readonly permissions: WorkspacePermissions;
  readonly broker: PermissionBroker;
  readonly grantUsage: GrantUsage;
  readonly sandboxes: ServerSandboxes;
  /** OAuth: tokens in SecretStorage, the sign-in notification, the accounts in the Servers view. */
  readonly auth: WardenAuth;
  private inputDefinitions: readonly InputDefinition[] = [];
  /** The gateway, once built (it needs the registry): delegating servers get their address and token from it. */
  private delegationTarget: DelegationPort | undefined;
  private warnedUnsandboxed = false;
  private reloading: Promise<void> = Promise.resolve();
  readonly ready: Promise<void>;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = this.disposables.add(vscode.window.createOutputChannel('MCP Warden', { log: true }));
    this.logger = channelLogger(this.log, (t) => this.redactor.text(t));
    Emitter.onListenerError = (error) => this.logger.error(`event listener failed: ${errorMessage(error)}`);
    this.channels = this.disposables.add(new ServerLogChannels((t) => this.redactor.text(t)));
    this.configuration = this.disposables.add(new ConfigurationSource());
    this.documents = this.disposables.add(new ReadOnlyDocuments());
    this.audit = new WorkspaceAudit(context, this.redactor, this.logger);
    const inputs = (this.inputs = new SecretInputs(context.secrets, () => this.inputDefinitions));

    this.gate = this.disposables.add(new PermissionGate(gateOptions()));
    const permissions = (this.permissions = this.disposables.add(
      new WorkspacePermissions(context, this.gate, this.logger, { makeSealer: (key, workspaceId) => new HmacGrantSealer(key, workspaceId) }),
    ));
    // Which agents each grant decided for, kept across reloads in this workspace's state (a view hint, not a record).
    const usage = (this.grantUsage = new GrantUsage());
    usage.restore(context.workspaceState.get(GRANT_USAGE_KEY));
    this.disposables.add(usage.onDidChange(() => void context.workspaceState.update(GRANT_USAGE_KEY, usage.toJSON())));
    this.disposables.add(usage);
    const broker = (this.broker = new PermissionBroker({
      gate: this.gate,
      prompter: permissions.prompter,
      store: {
        add: (grants) => permissions.store.add(grants),
        remove: (grants) => permissions.store.remove(grants),
        confirm: (grants) => permissions.confirm(grants),
      },
      sealer: permissions.sealer,
      audit: this.audit.pipeline,
      clock: systemClock,
      logger: this.logger,
      askTimeoutMs,
      usage,
    }));
    this.disposables.add(permissions.onDidFindTampered((grant) => broker.recordGrant('tampered', grant, 'a sealed grant was changed by hand: ignored')));
    this.disposables.add(permissions.onDidConfirm((grants) => grants.forEach((grant) => broker.recordGrant('confirmed', grant, 'a proposed grant, confirmed by you'))));
    const variables = (): VariableContext => ({
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath })),
      userHome: homedir(),
      env: process.env,
      pathSeparator: sep,
    });

    // Each sandboxed run gets a private folder under this one (its temp files, the runtime's sockets).
    // Short: the runtime's Unix sockets live below it, and a socket path has at most 108 bytes.
    const sandboxRoot = mkdtempSync(join(tmpdir(), 'mcpw-'));
    this.disposables.add({ dispose: () => rmSync(sandboxRoot, { recursive: true, force: true }) });
    let availability: Promise<SandboxAvailability> | undefined;
    const sandboxes = (this.sandboxes = this.disposables.add(
      new ServerSandboxes({
        gate: this.gate,
        authorizer: broker,
        audit: this.audit.pipeline,
        mode: sandboxMode,
        availability: () => (availability ??= probeSandbox(process.env, process.platform)),
        startSession: (options) => SandboxSession.start(options),
        restart: (server, reason) => this.registry.restart(server, reason),
        protectedPaths: () => editorStoragePaths(context),
        logger: this.logger,
        folderRoot: sandboxRoot,
        // Per workspace: a server of one repository cannot plant packages for the same launch in another.
        cacheRoot: join((context.storageUri ?? context.globalStorageUri).fsPath, 'package-caches'),
      }),
    ));
    const launcher = lazyMcpLauncher({
      clientInfo: { name: 'mcp-warden', title: 'MCP Warden', version: String(context.extension.packageJSON['version'] ?? '0.0.0') },
      audit: this.audit.pipeline,
      containmentFor: (request) => sandboxes.containmentFor(request),
      onServerFailure: (request, text) => sandboxes.inspectFailure(request.serverName, request.sessionId, text),
    });
    const elicitation = new QuickInputElicitationPrompter();
    const auth = (this.auth = this.disposables.add(new WardenAuth(context, { accountOf, signOut, signOutEverywhere }, this.logger)));
    this.registry = this.disposables.add(
      new ServerRegistry({
        supervisor: {
          launcher,
          resolveSpec: (definition, keyPath) =>
            resolveLaunchSpec(definition, keyPath, {
              variables: variables(),
              askInput: (id, serverName) => inputs.ask(id, serverName),
              loadEnvFile,
            }),
          // Every secret of a launch, a delegating run's gateway token included, is hidden from then on.
          addSecrets: (values) => this.redactor.addSecrets(values),
          limits: () => this.configuration.limits(),
          clock: systemClock,
          audit: this.audit.pipeline,
          redact: (text) => this.redactor.text(text),
          // The key that seals an approval must be loaded before a launch can be approved or checked.
          authorizeLaunch: async (definition, keyPath, consent) => {
            await permissions.ready;
            return launchConsent(broker, variables, nodeHasher)(definition, keyPath, consent);
          },
          clientRequests: gatedClientRequests(broker, {
            rootsOf: (server) => grantedRoots(this.gate, server),
            elicitation,
            sampling: new VscodeSamplingProvider({ documents: this.documents, loggerFor: (name) => this.channels.logger(name) }),
          }),
          offered: { elicitation: true, elicitationUrl: true, sampling: true, samplingTools: true },
          onElicitationComplete: (server, id) => elicitation.completed(server, id),
          delegation: {
            open: (server, session) => this.delegationTarget?.open(server, session),
            close: (server, session) => this.delegationTarget?.close(server, session),
          },
          onSessionEnd: (server, session) => {
            this.gate.endSession(server, session);
            sandboxes.endSession(server, session);
          },
          // Read as each server's supervisor is made: OAuth only in a trusted workspace.
          get auth() {
            return auth.serverDeps;
          },
        },
        loggerFor: (name) => this.channels.logger(name),
        logger: this.logger,
        requestTimeoutMs: () => this.configuration.limits().requestTimeoutMs,
        maxRequestMs: () => this.configuration.limits().maxRequestMs,
        authorizer: broker,
        hasher: nodeHasher,
      }),
    );
    this.disposables.add(
      new SessionWatcher({
        registry: this.registry,
        gate: this.gate,
        broker,
        logger: this.logger,
        declarationsOf: (server) => declarationsOf(server, variables().workspaceFolders.map((f) => f.path)),
      }),
    );
    const permissionsTree = this.disposables.add(
      new PermissionsTreeProvider(
        this.gate,
        (server, kind, target) => (kind === 'tool' ? this.registry.toolPin(server, target) : undefined),
        (server, kind) => enforcementOf(kind, sandboxes.status(server)?.kind),
        usage,
      ),
    );
    this.disposables.add(sandboxes.onDidChange(() => permissionsTree.refresh()));
    this.disposables.add(sandboxes.onDidChange((server) => this.warnIfUnsandboxed(server)));
    this.disposables.add(vscode.window.createTreeView(Views.permissions, { treeDataProvider: permissionsTree, showCollapseAll: true }));
    this.disposables.add(this.registry.onDidChange(() => permissionsTree.refresh()));
    this.disposables.add(new PermissionsStatusBar(permissions.prompter));

    const signIn = auth.attach(this.registry, this.audit.pipeline);
    for (const command of signIn.commands) this.disposables.add(command);
    const tree = this.disposables.add(new ServersTreeProvider(this.registry, sandboxes, signIn.accounts));
    this.treeView = this.disposables.add(vscode.window.createTreeView(Views.servers, { treeDataProvider: tree, showCollapseAll: true }));
    this.auditTree = this.disposables.add(new AuditTreeProvider(this.audit));
    this.auditTree.attach(this.disposables.add(vscode.window.createTreeView(Views.audit, { treeDataProvider: this.auditTree, showCollapseAll: true })));
    this.disposables.add(new ServersStatusBar(this.registry));
    this.disposables.add(this.registry.onDidGiveUp(({ name, message }) => void this.notifyGaveUp(name, message)));
    this.disposables.add(this.configuration.onDidChange(() => void this.reload()));
    this.ready = this.reload();
  }

  /** Where delegating servers reach the gateway (the GatewayController, built after this). */
  delegateThrough(target: DelegationPort): void {
    this.delegationTarget = target;
  }

  /** Re-reads the configuration and applies it; reloads never overlap, so the last one wins. */
  reload(): Promise<void> {
    const next = this.reloading.then(async () => {
      try {
        if (!vscode.workspace.isTrusted) this.logger.info('this workspace is not trusted: no server is started and no workspace definition is read');
        const { snapshot, inputs, settingsNotice } = await this.configuration.read();
        this.inputDefinitions = inputs;
        this.treeView.message = settingsNotice;
        for (const problem of snapshot.problems) this.logger.warn(`${problem.keyPath}: ${problem.message}`);
        for (const entry of snapshot.servers) {
          if (!entry.ok) for (const problem of entry.problems) this.logger.warn(`${problem.keyPath}: ${problem.message}`);
        }
        // Not awaited: a start can wait on the user (an ${input:…} prompt left open), and the next reload must not
        // wait for it. The registry takes the new definitions at once; each server's supervisor orders its own
        // starts and stops.
        void this.registry
          .applyConfiguration(snapshot, { autostart: vscode.workspace.isTrusted })
          .catch((error: unknown) => this.logger.error(`could not apply the configuration: ${errorMessage(error)}`));
      } catch (error) {
        this.logger.error(`could not apply the configuration: ${errorMessage(error)}`);
      }
    });
    this.reloading = next;
    return next;
  }

  /** The public API returned by `activate()`. */
  api(activationMs: number): McpWardenApi {
    const changes = this.disposables.add(new vscode.EventEmitter<string | undefined>());
    this.disposables.add(this.registry.onDidChange((name) => changes.fire(name)));
    return {
      apiVersion: 1,
      ready: this.ready,
      onDidChangeServers: changes.event,
      getServers: () => this.registry.servers.map(toWardenServer),
      getServer: (name) => {
        const server = this.registry.server(name);
        return server && toWardenServer(server);
      },
      getConfigurationProblems: () => this.registry.problems,
      callTool: (serverName, toolName, args = {}) => this.registry.callTool(serverName, toolName, args),
      startServer: (name) => this.registry.start(name),
      stopServer: (name) => this.registry.stop(name),
      restartServer: (name) => this.registry.restart(name),
      activationMs,
      auditLogFolder: this.audit.dir,
    };
  }

  /** Stops every server (stdin, SIGTERM, SIGKILL), writes the last audit records, and releases everything. */
  async shutdown(): Promise<void> {
    await this.registry.stopAll();
    await this.audit.close();
    this.dispose();
  }

  dispose(): void {
    this.disposables.dispose();
  }

  /**
   * Once per window: a server runs without the sandbox because this machine has none (preferred mode). Mode `off`
   * was the user's own choice and is only logged.
   */
  private warnIfUnsandboxed(server: string): void {
    const status = this.sandboxes.status(server);
    if (this.warnedUnsandboxed || status?.kind !== 'unsandboxed' || sandboxMode() !== 'preferred') return;
    this.warnedUnsandboxed = true;
    void vscode.window.showWarningMessage(`MCP Warden: server '${server}' runs without the OS sandbox. ${status.reason}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') this.channels.show(server);
    });
  }

  private async notifyGaveUp(name: string, message: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(`MCP Warden: server '${name}' keeps crashing. ${this.redactor.text(message)}`, 'Show Output', 'Restart');
    if (choice === 'Show Output') this.channels.show(name);
    if (choice === 'Restart') await this.registry.restart(name).catch((error: unknown) => this.logger.error(errorMessage(error)));
  }
}

function toWardenServer(server: ServerSnapshot): WardenServer {
  return {
    name: server.name,
    status: server.status,
    source: server.source.kind === 'file' ? server.source.path : 'settings',
    keyPath: server.keyPath,
    state: server.state,
    problems: server.problems,
    tools: server.catalog.tools,
    prompts: server.catalog.prompts,
    resources: server.catalog.resources,
  };
}
