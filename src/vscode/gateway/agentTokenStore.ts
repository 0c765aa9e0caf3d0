import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Disposable } from '../../core/disposable';
import { errorMessage, type Logger } from '../../core/ports';

/** One SecretStorage entry holds every agent's token: SecretStorage has no listing, and Disconnect must find them. */
const KEY = 'mcpWarden.gateway.agentTokens';
/** Agent ids are ours (`claude-code`, `vscode`, `server:notes`): short, printable, no separators that could confuse a log. */
const AGENT_ID = /^[a-z0-9][a-z0-9:._-]{0,63}$/;

/**
 * The gateway's bearer tokens, one per agent, kept only in VS Code's SecretStorage (per user, so every window and
 * every reload presents the same tokens, and a Disconnect in one window revokes the agent in all). 32 random bytes each.
 */
export class AgentTokenStore implements Disposable {
  private tokens = new Map<string, string>();
  private loaded: Promise<void> | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Fires when tokens changed, here or in another window. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== KEY) return;
      this.loaded = undefined;
      void this.load().then(() => this.emitter.fire());
    });
  }

  /** Reads the tokens once (again after another window changed them). */
  load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    try {
      this.tokens = parseTokens(await this.secrets.get(KEY), this.logger);
    } catch (error) {
      this.logger.error(`could not read the gateway's agent tokens from SecretStorage: ${errorMessage(error)}`);
    }
  }

  /** Every agent with a token, and its token (for the gateway's lookup table). */
  entries(): readonly (readonly [agent: string, token: string])[] {
    return [...this.tokens];
  }

  agents(): string[] {
    return [...this.tokens.keys()].sort();
  }

  /** The agent's token, minted on first use. */
  async tokenFor(agent: string): Promise<string> {
    await this.load();
    return this.tokens.get(agent) ?? this.mint(agent);
  }

  /** A fresh token for the agent: the old one stops working at once. */
  async mint(agent: string): Promise<string> {
    if (!AGENT_ID.test(agent)) throw new Error(`'${agent}' is not an agent id MCP Warden gives tokens to`);
    await this.load();
    const token = `mcpw_${randomBytes(32).toString('base64url')}`;
    this.tokens.set(agent, token);
    await this.save();
    return token;
  }

  async revoke(agent: string): Promise<void> {
    await this.load();
    if (!this.tokens.delete(agent)) return;
    await this.save();
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private async save(): Promise<void> {
    await this.secrets.store(KEY, JSON.stringify(Object.fromEntries(this.tokens)));
    this.emitter.fire();
  }
}

function parseTokens(text: string | undefined, logger: Logger): Map<string, string> {
  const tokens = new Map<string, string>();
  if (text === undefined) return tokens;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    for (const [agent, token] of Object.entries(value)) {
      if (AGENT_ID.test(agent) && typeof token === 'string' && token.length >= 32) tokens.set(agent, token);
    }
  } catch (error) {
    // Deny when unsure: no token is honoured, and the next Connect mints new ones.
    logger.error(`the gateway's agent tokens in SecretStorage are unreadable (${errorMessage(error)}): no agent can connect until it is connected again`);
  }
  return tokens;
}
