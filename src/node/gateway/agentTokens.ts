import { createHash } from 'node:crypto';

/** The agent a bearer token belongs to; the editor side keeps the tokens (SecretStorage) and implements it. */
export type AgentOfToken = (token: string) => { readonly id: string } | undefined;

/**
 * Tokens by the sha256 of their value: a lookup hashes the presented token first, so how long it takes says
 * nothing about how much of a real token it matched. The map is only ever keyed by digests.
 */
export class AgentTokenTable {
  private readonly agents = new Map<string, string>();

  set(agent: string, token: string): void {
    this.remove(agent);
    this.agents.set(digest(token), agent);
  }

  remove(agent: string): void {
    for (const [key, id] of this.agents) if (id === agent) this.agents.delete(key);
  }

  readonly agentOfToken: AgentOfToken = (token) => {
    const id = this.agents.get(digest(token));
    return id === undefined ? undefined : { id };
  };
}

/** The token of an `Authorization: Bearer <token>` header, else undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return match?.[1];
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
