// The gateway as the editor starts it: the MCP server SDK and everything it needs, bundled apart as dist/gateway.js
// and loaded only when the gateway starts (see lazyGateway.ts), so a window that never runs it does not load it.
import { mkdirSync } from 'node:fs';
import type { Logger } from '../../core/ports';
import { isDelegatingServer } from '../../core/gateway/caller';
import { AgentTokenTable, type AgentOfToken } from './agentTokens';
import { Gateway } from './gateway';
import type { GatewayRegistry } from './gatewayServer';

export interface GatewayStart {
  readonly registry: GatewayRegistry;
  readonly logger: Logger;
  readonly tokens: readonly (readonly [agent: string, token: string])[];
  readonly preferredPort: number;
  /** A folder only the user can enter, this workspace's own: the bridge's socket is `gateway.sock` in it. */
  readonly socketDirectory: string | undefined;
  readonly exposedDirectly: (server: string) => boolean;
  readonly version: string;
  /** The tokens of delegating servers' runs (RunTokens), honoured besides the agents'. */
  readonly runTokens?: AgentOfToken;
}

/** A gateway that runs, as the controller sees it. */
export interface RunningGateway {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly socketPath: string | undefined;
  /** Replaces the tokens agents may present (after a Connect, a Disconnect, or a change in another window). */
  setTokens(tokens: readonly (readonly [agent: string, token: string])[]): void;
  /** Tells agents the lists changed (e.g. which servers are exposed directly). */
  listsChanged(): void;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayStart): Promise<RunningGateway> {
  let table = tableOf(options.tokens);
  const gateway = new Gateway({
    registry: options.registry,
    // Looked up through the current table: a revoked token stops working on its next request.
    agentOfToken: (token) => table.agentOfToken(token) ?? options.runTokens?.(token),
    logger: options.logger,
    version: options.version,
    exposedDirectly: options.exposedDirectly,
  });
  if (options.socketDirectory !== undefined) mkdirSync(options.socketDirectory, { recursive: true, mode: 0o700 });
  try {
    const endpoint = await gateway.start({
      ...(options.preferredPort > 0 && { preferredPort: options.preferredPort }),
      ...(options.socketDirectory !== undefined && { socketDirectory: options.socketDirectory }),
    });
    return {
      port: endpoint.port,
      baseUrl: `http://127.0.0.1:${endpoint.port}`,
      socketPath: endpoint.socketPath,
      setTokens: (tokens) => void (table = tableOf(tokens)),
      listsChanged: () => gateway.listsChanged(),
      close: async () => {
        await gateway.stop();
        gateway.dispose();
      },
    };
  } catch (error) {
    gateway.dispose();
    throw error;
  }
}

function tableOf(tokens: readonly (readonly [string, string])[]): AgentTokenTable {
  const table = new AgentTokenTable();
  // A `server:` identity comes only with a run's token: a stored token claiming one is not honoured.
  for (const [agent, token] of tokens) if (!isDelegatingServer(agent)) table.set(agent, token);
  return table;
}
