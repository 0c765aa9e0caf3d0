import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { editSettingsArray, readSettingsValue } from '../../core/config/settingsEdit';
import { settingKey, Settings } from '../../core/ids';
import type { Grant } from '../../core/permissions/permission';
import { withFolderLock } from '../folderLock';

/** What to change in `mcpWarden.grants`. */
export interface GrantsChange {
  /** Added, replacing grants with the same server, kind and target. */
  readonly add?: readonly Grant[];
  /** Removed: grants with the same server, kind, target, decision and grantedAt. */
  readonly remove?: readonly Grant[];
}

/** Where a settings file's text comes from and goes to: the disk, or an editor holding unsaved changes. */
export interface SettingsText {
  /** `undefined` when the file does not exist yet. */
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

/** The settings file at `path`, on disk. */
export function settingsFileOnDisk(path: string): SettingsText {
  return {
    read: () => readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error))),
    write: async (text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    },
  };
}

/**
 * The lock folder for one settings file: outside the workspace (a repository must not be able to hold it, and a
 * lock must not show up in the user's source control), keyed by the file's path so every window agrees on it.
 */
export function grantsLockDir(base: string, settingsPath: string): string {
  return join(base, 'grant-locks', createHash('sha256').update(settingsPath).digest('hex').slice(0, 16));
}

/**
 * Changes `mcpWarden.grants` holding the file's lock, reading the file inside it: two windows writing at once
 * each apply their change to what the other wrote, so neither loses anything.
 */
export async function updateGrantsFile(lockDir: string, file: SettingsText, inWorkspaceFile: boolean, change: GrantsChange): Promise<void> {
  await mkdir(lockDir, { recursive: true });
  await withFolderLock(lockDir, 'the workspace grants', async () => {
    const before = (await file.read()) ?? '';
    const after = editGrantsText(before, inWorkspaceFile, change);
    if (after !== before) await file.write(after);
  });
}

/** The text of a settings file with `change` applied to `mcpWarden.grants`; comments and formatting kept. */
export function editGrantsText(text: string, inWorkspaceFile: boolean, change: GrantsChange): string {
  const path = [settingKey(Settings.grants)];
  const current = readSettingsValue(text, path, inWorkspaceFile);
  const items: unknown[] = Array.isArray(current) ? current : [];
  const remove = new Set<number>();
  items.forEach((item, index) => {
    if ((change.remove ?? []).some((grant) => sameGrant(item, grant))) remove.add(index);
  });
  const replace = new Map<number, unknown>();
  const append: Grant[] = [];
  for (const grant of lastPerSlot(change.add ?? [])) {
    const slots = items.map((item, index) => (sameSlot(item, grant) && !remove.has(index) ? index : -1)).filter((index) => index >= 0);
    if (slots.length === 0) {
      append.push(grant);
      continue;
    }
    replace.set(slots[0]!, grantValue(grant));
    for (const other of slots.slice(1)) remove.add(other);
  }
  if (remove.size === 0 && replace.size === 0 && append.length === 0 && (Array.isArray(current) || current === undefined)) return text;
  return editSettingsArray(text, path, { remove: [...remove], replace, append: append.map(grantValue) }, inWorkspaceFile);
}

/** A grant as it is written: its fields in a fixed, readable order. */
function grantValue(grant: Grant): Record<string, unknown> {
  const { server, kind, target, decision, scope, grantedAt, pin, seal, agents } = grant;
  return { server, kind, target, decision, scope, grantedAt, ...(agents !== undefined && { agents }), ...(pin !== undefined && { pin }), ...(seal !== undefined && { seal }) };
}

function lastPerSlot(grants: readonly Grant[]): Grant[] {
  const bySlot = new Map<string, Grant>();
  for (const grant of grants) bySlot.set(JSON.stringify([grant.server, grant.kind, grant.target, agentsKey(grant.agents)]), grant);
  return [...bySlot.values()];
}

function field(item: unknown, name: string): unknown {
  return typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[name] : undefined;
}

/** A slot holds one grant: a grant naming agents sits next to the one for every caller, not in its place. */
function sameSlot(item: unknown, grant: Grant): boolean {
  const agents = field(item, 'agents');
  return (
    field(item, 'server') === grant.server &&
    field(item, 'kind') === grant.kind &&
    field(item, 'target') === grant.target &&
    agentsKey(Array.isArray(agents) ? (agents as unknown[]).map(String) : undefined) === agentsKey(grant.agents)
  );
}

function agentsKey(agents: readonly string[] | undefined): string {
  return agents ? [...agents].sort().join('\0') : '';
}

function sameGrant(item: unknown, grant: Grant): boolean {
  return sameSlot(item, grant) && field(item, 'decision') === grant.decision && field(item, 'grantedAt') === grant.grantedAt;
}
