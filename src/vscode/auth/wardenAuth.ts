import * as vscode from 'vscode';
import { authAuditInput, type AuditSink } from '../../core/audit/auditEvent';
import type { AccountSummary, AuthEvent, AuthSecretStore, ServerAuthDeps } from '../../core/auth/authPorts';
import { DisposableStore, type Disposable } from '../../core/disposable';
import type { ServerRegistry } from '../../core/lifecycle/serverRegistry';
import { errorMessage, type Logger } from '../../core/ports';
import { AUTH_KEY_PREFIX } from '../../core/auth/authKeys';
import { AuthCommands } from '../../core/ids';
import { registerAuthCommands } from './authCommands';
import { clientMetadataUrl, signInTimeoutMs } from './authSettings';
import { SecretStorageAuthStore } from './secretStorageAuthStore';
import { ServerAccounts, type RemoteServer } from './serverAccounts';
import { VsCodeSignInUser } from './signInUser';

/** The engine's accounts API (src/node/auth/accounts.ts), passed in so this file stays an editor adapter. */
export interface AccountsApi {
  accountOf(store: AuthSecretStore, url: string): Promise<AccountSummary | undefined>;
  signOut(store: AuthSecretStore, url: string, options: { record: (event: AuthEvent) => void }): Promise<unknown>;
  signOutEverywhere(store: AuthSecretStore, options: { record: (event: AuthEvent) => void }): Promise<unknown>;
}

/** Account rows are read again this long after the last change of a burst (a start fires several). */
const ACCOUNTS_REFRESH_DELAY_MS = 100;

/**
 * OAuth in the editor: tokens in SecretStorage, the sign-in notification and browser, the accounts of the Servers
 * view, and Sign In / Sign Out / Sign Out Everywhere. Built before the registry (the supervisor needs `serverDeps`),
 * attached to it after.
 */
export class WardenAuth implements vscode.Disposable {
  readonly store: SecretStorageAuthStore;
  readonly user: VsCodeSignInUser;
  private readonly disposables = new DisposableStore();
  private readonly deps: ServerAuthDeps;
  private accountsModel: ServerAccounts | undefined;
  private registry: ServerRegistry | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly api: AccountsApi,
    private readonly logger: Logger,
  ) {
    this.store = new SecretStorageAuthStore(context.secrets);
    this.user = this.disposables.add(
      new VsCodeSignInUser({ signInAgain: (server) => this.signInAgain(server), logger }),
    );
    this.deps = { store: this.store, user: this.user, clientMetadataUrl, signInTimeoutMs };
  }

  /**
   * `SupervisorDeps.auth`: read when a server's supervisor is made, which in an untrusted workspace never happens
   * (no definition is read there); the check keeps OAuth out of an untrusted workspace even so.
   */
  get serverDeps(): ServerAuthDeps | undefined {
    return vscode.workspace.isTrusted ? this.deps : undefined;
  }

  /** The accounts of the registry's http/sse servers, kept current; the Sign In / Out commands. */
  attach(registry: ServerRegistry, audit: AuditSink): { accounts: ServerAccounts; commands: Disposable[] } {
    this.registry = registry;
    const servers = (): RemoteServer[] =>
      registry.servers.flatMap((s) => (s.status === 'configured' && s.definition && s.definition.type !== 'stdio' ? [{ name: s.name, url: s.definition.url }] : []));
    const accounts = (this.accountsModel = this.disposables.add(
      new ServerAccounts({
        servers,
        accountOf: (url) => this.api.accountOf(this.store, url),
        onError: (error) => this.logger.warn(`could not read the signed-in accounts: ${errorMessage(error)}`),
      }),
    ));
    this.disposables.add(registry.onDidChange(() => this.scheduleRefresh()));
    this.disposables.add(this.context.secrets.onDidChange((event) => event.key.startsWith(AUTH_KEY_PREFIX) && this.scheduleRefresh()));
    this.scheduleRefresh();
    // A sign-out is audited in the server's current (or last) session; the engine says what was revoked.
    const record = (event: AuthEvent) => audit.record(() => authAuditInput(event, registry.sessionOf(event.server)));
    const commands = registerAuthCommands({
      registry,
      user: this.user,
      accounts,
      signOut: (url) => this.api.signOut(this.store, url, { record }),
      signOutEverywhere: () => this.api.signOutEverywhere(this.store, { record }),
      logger: this.logger,
    });
    return { accounts, commands };
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.disposables.dispose();
  }

  /**
   * Sign In on a notification whose question was withdrawn: only a server that is not running and not signing in
   * (a later question, or its browser hand-off) is started again, so a stale button never interrupts a sign-in.
   */
  private signInAgain(server: string): void {
    const state = this.registry?.server(server)?.state.kind;
    if (state === 'stopped' || state === 'error') void vscode.commands.executeCommand(AuthCommands.signIn, server);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.accountsModel?.refresh();
    }, ACCOUNTS_REFRESH_DELAY_MS);
  }
}
