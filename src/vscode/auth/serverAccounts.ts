// Which account each http/sse server is signed in with, for the Servers view: read from the OAuth store through
// the engine's accountOf(), cached so the view can draw synchronously. No 'vscode' here (unit-tested on Node).
import type { AccountSummary } from '../../core/auth/authPorts';
import type { Disposable } from '../../core/disposable';
import { Emitter } from '../../core/events';

/** A remote server as the accounts care about it: its name and the URL its tokens are bound to. */
export interface RemoteServer {
  readonly name: string;
  readonly url: string;
}

export interface ServerAccountsDeps {
  /** The http/sse servers now configured. */
  readonly servers: () => readonly RemoteServer[];
  /** The engine's accounts.accountOf(store, url), bound to the store. */
  readonly accountOf: (url: string) => Promise<AccountSummary | undefined>;
  readonly onError: (error: unknown) => void;
}

/** The signed-in account of each remote server; fires `onDidChange` when one appears, changes or goes. */
export class ServerAccounts implements Disposable {
  private accounts = new Map<string, AccountSummary>();
  private generation = 0;
  private readonly changeEmitter = new Emitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly deps: ServerAccountsDeps) {}

  /** The account `server` is signed in with, if any (no token: a summary). */
  get(server: string): AccountSummary | undefined {
    return this.accounts.get(server);
  }

  /** True when some server is signed in (its expiry text then changes with time). */
  get any(): boolean {
    return this.accounts.size > 0;
  }

  /** The names of the servers signed in now. */
  get signedIn(): readonly string[] {
    return [...this.accounts.keys()];
  }

  /** Reads every remote server's account again; overlapping refreshes: the last one started wins. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const next = new Map<string, AccountSummary>();
    try {
      const servers = this.deps.servers();
      const found = await Promise.all(servers.map(async (server) => [server.name, await this.deps.accountOf(server.url)] as const));
      for (const [name, account] of found) if (account) next.set(name, account);
    } catch (error) {
      this.deps.onError(error);
      return;
    }
    if (generation !== this.generation) return;
    const changed = next.size !== this.accounts.size || [...next].some(([name, account]) => !sameAccount(account, this.accounts.get(name)));
    this.accounts = next;
    if (changed) this.changeEmitter.fire();
  }

  dispose(): void {
    this.generation++;
    this.changeEmitter.dispose();
  }
}

function sameAccount(a: AccountSummary, b: AccountSummary | undefined): boolean {
  return b !== undefined && a.issuer === b.issuer && a.resource === b.resource && a.scope === b.scope && a.expiresAt === b.expiresAt && a.hasRefreshToken === b.hasRefreshToken;
}
