/**
 * What `Connect Another Agent…` and `Disconnect Agent…` need from the gateway: implemented by the gateway
 * controller. Agent ids are those of `AGENTS` (src/core/gateway/agentConfigs/agents.ts).
 */
export interface GatewayAccess {
  /** Where agents reach the gateway now; undefined when it is not running (say so and offer nothing). */
  endpoint(): { readonly url: string; readonly socketPath?: string; readonly bridgeScript: string; readonly nodeCommand: string } | undefined;
  /** A fresh token for this agent id (replaces an older one), kept in SecretStorage. */
  mintToken(agent: string): Promise<string>;
  revokeToken(agent: string): Promise<void>;
  connectedAgents(): readonly string[];
  /**
   * The agent's current token, if it has one. Optional: when present, the terminals of a new window get each
   * connected agent's variable again (the collection is not persisted, so a reload empties it).
   */
  storedToken?(agent: string): Promise<string | undefined>;
}
