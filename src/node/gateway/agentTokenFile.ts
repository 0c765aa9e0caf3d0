import { chmod, lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentId } from '../../core/gateway/agentConfigs/agents';
import { makePrivateFolders, writeFileAtomically } from './privateFiles';

// The one file that holds a gateway token: for an agent that cannot refer to an environment variable (Cline), the
// stdio bridge reads its token from here (`--token-file`). It sits in MCP Warden's globalStorage, outside every
// repository, 0600 in a 0700 folder, and goes when the agent is disconnected. It protects the token from other
// users of the machine; any process running as the user can read it, as it can read SecretStorage's keyring.

/** The folder of the token files. */
export function agentTokenFolder(globalStorageDir: string): string {
  return join(globalStorageDir, 'agent-tokens');
}

export function agentTokenFilePath(globalStorageDir: string, agent: AgentId): string {
  return join(agentTokenFolder(globalStorageDir), `${agent}.token`);
}

/** Writes the agent's token file (replacing an older one) and returns its path. */
export async function writeAgentTokenFile(globalStorageDir: string, agent: AgentId, token: string): Promise<string> {
  const folder = agentTokenFolder(globalStorageDir);
  await makePrivateFolders(folder);
  const info = await lstat(folder);
  if (!info.isDirectory()) throw new Error(`${folder} is not a folder; the token file was not written`);
  // A folder left from before, or made by someone else with a wider mode, is narrowed.
  await chmod(folder, 0o700);
  const path = agentTokenFilePath(globalStorageDir, agent);
  await writeFileAtomically(path, token, 0o600);
  return path;
}

/** Deletes the agent's token file; nothing happens when there is none. */
export async function removeAgentTokenFile(globalStorageDir: string, agent: AgentId): Promise<void> {
  await rm(agentTokenFilePath(globalStorageDir, agent), { force: true });
}
