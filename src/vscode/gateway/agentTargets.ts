import { homedir } from 'node:os';
import type * as vscode from 'vscode';
import type { EntryState } from '../../core/gateway/agentConfigs/agentConfigFormat';
import { AGENTS } from '../../core/gateway/agentConfigs/agents';
import { errorMessage } from '../../core/ports';
import { agentConfigTarget, readAgentEntryState, type AgentConfigEnvironment, type AgentConfigTarget } from '../../node/gateway/agentConfigFiles';

/** One file an agent could be connected through, with what it says now. */
export interface AgentTargetRow {
  readonly target: AgentConfigTarget;
  readonly state: EntryState | { readonly kind: 'missing' } | { readonly kind: 'unreadable'; readonly message: string };
  /** The workspace folder's name, for a project file. */
  readonly folderName?: string;
}

/** The paths of this machine and editor. */
export function currentEnvironment(context: vscode.ExtensionContext): AgentConfigEnvironment {
  return { homeDir: homedir(), env: process.env, platform: process.platform, globalStorageDir: context.globalStorageUri.fsPath };
}

/**
 * Each agent's user-level file, then its project-level files in the given folders (only for a trusted workspace:
 * a project file can be committed, and an untrusted repository's agent files are not ours to edit).
 */
export async function agentTargetRows(environment: AgentConfigEnvironment, folders: readonly { readonly name: string; readonly path: string }[]): Promise<AgentTargetRow[]> {
  const rows: Promise<AgentTargetRow>[] = [];
  for (const { id } of AGENTS) rows.push(row(agentConfigTarget(id, environment)!));
  for (const folder of folders) {
    for (const { id } of AGENTS) {
      const target = agentConfigTarget(id, environment, folder.path);
      if (target) rows.push(row(target, folder.name));
    }
  }
  return Promise.all(rows);
}

async function row(target: AgentConfigTarget, folderName?: string): Promise<AgentTargetRow> {
  try {
    return { target, state: await readAgentEntryState(target), ...(folderName !== undefined && { folderName }) };
  } catch (error) {
    return { target, state: { kind: 'unreadable', message: errorMessage(error) }, ...(folderName !== undefined && { folderName }) };
  }
}

/** What a row's state means to the user, in a few words. */
export function stateText(state: AgentTargetRow['state']): string {
  switch (state.kind) {
    case 'ours':
      return state.transport === 'http' ? 'connected (HTTP)' : 'connected (stdio bridge)';
    case 'absent':
      return 'not connected';
    case 'missing':
      return 'not connected: the file will be created';
    case 'foreign':
      return "holds another server named 'mcp-warden', left alone";
    case 'invalid':
    case 'unreadable':
      return `cannot be read: ${state.message}`;
  }
}

/** A path with the home folder shown as `~`. */
export function displayPath(path: string, homeDir: string): string {
  return path.startsWith(homeDir) && /^[\\/]/.test(path.slice(homeDir.length)) ? `~${path.slice(homeDir.length)}` : path;
}
