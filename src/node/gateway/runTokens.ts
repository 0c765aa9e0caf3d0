import { randomBytes } from 'node:crypto';
import { delegatingServerAgent } from '../../core/gateway/caller';
import { AgentTokenTable, type AgentOfToken } from './agentTokens';

/**
 * The tokens of delegating servers' runs: one per run, made when it starts and forgotten when it ends, never
 * stored. Kept apart from the agents' tokens, which alone come from SecretStorage, so only a run holds a
 * `server:<name>` identity.
 */
export class RunTokens {
  private readonly table = new AgentTokenTable();
  /** The run each server's token belongs to: the end of an older run does not revoke the newer one's. */
  private readonly runs = new Map<string, string>();

  /** A fresh token for this run of `server`; the token of its previous run stops working. */
  open(server: string, session: string): string {
    const token = randomBytes(32).toString('base64url');
    this.table.set(delegatingServerAgent(server), token);
    this.runs.set(server, session);
    return token;
  }

  close(server: string, session: string): void {
    if (this.runs.get(server) !== session) return;
    this.runs.delete(server);
    this.table.remove(delegatingServerAgent(server));
  }

  /** Servers whose current run holds a token. */
  servers(): string[] {
    return [...this.runs.keys()];
  }

  readonly agentOfToken: AgentOfToken = (token) => this.table.agentOfToken(token);
}
