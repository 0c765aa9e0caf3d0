import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import * as nativePath from 'node:path';
import * as posixPath from 'node:path/posix';
import * as win32Path from 'node:path/win32';
import type { EditResult, EntryState } from '../../core/gateway/agentConfigs/agentConfigFormat';
import type { AgentId } from '../../core/gateway/agentConfigs/agents';
import { literalSecretIn, type GatewayEntry } from '../../core/gateway/agentConfigs/gatewayEntry';
import { agentConfigFormats } from '../../core/gateway/agentConfigs/index';
import { makePrivateFolders, writeFileAtomically } from './privateFiles';

/** What the paths of the agents' files depend on. */
export interface AgentConfigEnvironment {
  readonly homeDir: string;
  /** `CLAUDE_CONFIG_DIR` and `CODEX_HOME` move those agents' files. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** MCP Warden's globalStorage folder in the running editor (`context.globalStorageUri.fsPath`). */
  readonly globalStorageDir: string;
}

/** One agent configuration file MCP Warden may write. */
export interface AgentConfigTarget {
  readonly agent: AgentId;
  readonly scope: 'user' | 'project';
  readonly path: string;
  /** The folder every write must stay in, symlinks followed: home (or the folder an env variable names), the editor's globalStorage, or the workspace folder. */
  readonly root: string;
}

/** The agent's user-level file, or its project-level file below `projectFolder`; undefined when it has no project file. */
export function agentConfigTarget(agent: AgentId, environment: AgentConfigEnvironment, projectFolder?: string): AgentConfigTarget | undefined {
  const path = environment.platform === 'win32' ? win32Path : posixPath;
  const { userFile, projectFile } = agentConfigFormats[agent].describe;
  if (projectFolder !== undefined) {
    return projectFile ? { agent, scope: 'project', path: path.join(projectFolder, ...projectFile), root: projectFolder } : undefined;
  }
  const override = userFile.overrideEnv && environment.env[userFile.overrideEnv.name];
  if (userFile.overrideEnv && override && path.isAbsolute(override)) {
    return { agent, scope: 'user', path: path.join(override, ...userFile.overrideEnv.segments), root: override };
  }
  // Cline's folder is a sibling of ours in the editor's globalStorage, whichever editor (Code, Insiders, VSCodium, Cursor) runs.
  const root = userFile.base === 'home' ? environment.homeDir : path.dirname(environment.globalStorageDir);
  return { agent, scope: 'user', path: path.join(root, ...userFile.segments), root };
}

/** What the file says now; `missing` when there is no file. */
export async function readAgentEntryState(target: AgentConfigTarget): Promise<EntryState | { readonly kind: 'missing' }> {
  const text = await readText(target.path);
  return text === undefined ? { kind: 'missing' } : agentConfigFormats[target.agent].entryState(text);
}

/** The outcome of writing a file, with the file's path for the message. */
export type AgentConfigOutcome =
  | { readonly kind: 'written'; readonly path: string; readonly backup?: string }
  | { readonly kind: 'unchanged'; readonly path: string }
  /** A `mcp-warden` entry that is not MCP Warden's gateway: left alone. */
  | { readonly kind: 'foreign'; readonly path: string }
  /** Nothing was written; the message names the file and says why. */
  | { readonly kind: 'failed'; readonly path: string; readonly message: string };

export interface AddOptions {
  /** Strings that must not appear in the file more often after the write than before (the token). */
  readonly secrets?: readonly string[];
}

/** Writes the gateway entry into the agent's file (created when missing), replacing our older one. */
export async function addAgentEntry(target: AgentConfigTarget, entry: GatewayEntry, options: AddOptions = {}): Promise<AgentConfigOutcome> {
  const format = agentConfigFormats[target.agent];
  if (target.scope === 'project') {
    // A project file can be committed: it gets references to variables only, never a value that could be a secret.
    const literal = literalSecretIn(format.entryValue(entry));
    if (literal) return failed(target, `refused: the entry would hold a literal value at '${literal}' in a file a repository can hold`);
  }
  return editFile(target, (text) => format.addEntry(text, entry), options.secrets ?? []);
}

/** Removes the gateway entry from the agent's file if it is ours; a foreign `mcp-warden` entry is left alone. */
export async function removeAgentEntry(target: AgentConfigTarget): Promise<AgentConfigOutcome> {
  return editFile(target, (text) => agentConfigFormats[target.agent].removeEntry(text), []);
}

const ATTEMPTS = 3;

async function editFile(target: AgentConfigTarget, edit: (text: string) => EditResult, secrets: readonly string[]): Promise<AgentConfigOutcome> {
  let real: string;
  try {
    real = await resolveInsideRoot(target);
  } catch (error) {
    return failed(target, (error as Error).message);
  }
  const name = real === target.path ? target.path : `${target.path} (→ ${real})`;
  let before = await readText(real);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const result = edit(before ?? '');
    switch (result.kind) {
      case 'unchanged':
        return { kind: 'unchanged', path: target.path };
      case 'foreign':
        return { kind: 'foreign', path: target.path };
      case 'invalid':
        return failed(target, `${name}: ${result.message}; nothing was written`);
      case 'unsupported':
        return failed(target, `${name}: ${result.message}`);
    }
    const leaked = secrets.find((secret) => secret !== '' && count(result.text, secret) > count(before ?? '', secret));
    if (leaked !== undefined) return failed(target, `${name}: refused: the new content would hold the token; nothing was written`);
    // The agent may have rewritten its file meanwhile (Claude Code and Cline do, often): edit what is there now.
    const latest = await readText(real);
    if (latest !== before) {
      before = latest;
      continue;
    }
    const mode = before === undefined ? 0o600 : (await stat(real)).mode & 0o777;
    await makePrivateFolders(nativePath.dirname(real));
    let backup: string | undefined;
    if (before !== undefined) {
      backup = `${real}.bak`;
      await writeFileAtomically(backup, before, mode);
    }
    await writeFileAtomically(real, result.text, mode);
    return { kind: 'written', path: target.path, ...(backup !== undefined && { backup }) };
  }
  return failed(target, `${name}: the file kept changing while MCP Warden edited it; nothing was written`);
}

/**
 * The file to write: `target.path`, or where its symlinks lead when that is still inside `target.root`. Dotfile
 * managers link these files to a folder under home, which is followed; a link out of the root (a repository's
 * `.cursor/mcp.json` pointing at a file of the user's, `~/.cursor` pointing at another user's folder) is refused.
 */
async function resolveInsideRoot(target: AgentConfigTarget): Promise<string> {
  const path = nativePath;
  const root = await realpathOfNearest(target.root);
  let real: string;
  const info = await lstat(target.path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  if (info === undefined) real = await realpathOfNearest(target.path);
  else {
    real = await realpath(target.path).catch((error: NodeJS.ErrnoException) => {
      throw new Error(error.code === 'ENOENT' ? `${target.path} is a symlink to a file that does not exist; nothing was written` : error.message);
    });
    if (!(await stat(real)).isFile()) throw new Error(`${target.path} is not a regular file; nothing was written`);
  }
  const relative = path.relative(root, real);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`${target.path} leads to ${real}, outside ${target.root}: MCP Warden does not write through a link that leaves it; nothing was written`);
  }
  return real;
}

/** The real path of `path`'s nearest existing ancestor, with the rest of `path` appended. */
async function realpathOfNearest(path: string): Promise<string> {
  const paths = nativePath;
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return paths.join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const parent = paths.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.push(paths.basename(current));
      current = parent;
    }
  }
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function failed(target: AgentConfigTarget, message: string): AgentConfigOutcome {
  return { kind: 'failed', path: target.path, message };
}
