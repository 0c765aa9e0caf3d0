import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { settingKey, Settings } from '../../core/ids';
import type { Grant } from '../../core/permissions/permission';
import { grantsLockDir, settingsFileOnDisk, updateGrantsFile, type GrantsChange, type SettingsText } from '../../node/permissions/grantsFileWriter';
import { workspaceSettingsFile } from '../workspaceSettingsFile';
import type { GrantStore } from './brokerApi';

/**
 * `mcpWarden.grants` in the workspace settings file (never user settings). Each change re-reads the file under a
 * lock shared by every window (see grantsFileWriter.ts); a file open in an editor with unsaved changes is
 * changed through the editor, so those changes are kept.
 */
export class WorkspaceGrantsFile implements Omit<GrantStore, 'confirm'> {
  /** `lockBase`: a folder outside the workspace every window of this profile shares (global storage). */
  constructor(private readonly lockBase: string) {}

  add(grants: readonly Grant[]): Promise<void> {
    return this.update({ add: grants });
  }

  remove(grants: readonly Grant[]): Promise<void> {
    return this.update({ remove: grants });
  }

  private async update(change: GrantsChange): Promise<void> {
    const target = workspaceSettingsFile();
    if (!target) throw new Error('open a folder first: workspace grants are kept in the workspace settings');
    if (target.uri.scheme !== 'file') throw new Error(`cannot write grants to ${target.uri.toString()}: not a local file`);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
    const text = open?.isDirty ? documentText(open) : settingsFileOnDisk(target.uri.fsPath);
    await updateGrantsFile(grantsLockDir(this.lockBase, target.uri.fsPath), text, target.inWorkspaceFile, change);
  }
}

/** An open document's text, written back through the editor (undoable) and saved. */
function documentText(document: vscode.TextDocument): SettingsText {
  return {
    read: () => Promise.resolve(document.getText()),
    write: async (after) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), after);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${document.uri.fsPath}`);
      await document.save();
    },
  };
}

/** Opens the workspace settings file with a grant selected (the first entry equal to it). */
export async function revealGrant(grant: Grant): Promise<void> {
  const target = workspaceSettingsFile();
  if (!target) return;
  const document = await vscode.workspace.openTextDocument(target.uri);
  const path = target.inWorkspaceFile ? ['settings', settingKey(Settings.grants)] : [settingKey(Settings.grants)];
  const array = findNodeAtLocation(parseTree(document.getText(), [], { allowTrailingComma: true }) ?? { type: 'null', offset: 0, length: 0 }, path);
  const item = array?.children?.find((node) => {
    const value = findNodeAtLocation(node, ['grantedAt'])?.value as unknown;
    return value === grant.grantedAt && findNodeAtLocation(node, ['server'])?.value === grant.server && findNodeAtLocation(node, ['target'])?.value === grant.target;
  });
  const start = document.positionAt(item?.offset ?? array?.offset ?? 0);
  const end = document.positionAt((item?.offset ?? array?.offset ?? 0) + (item?.length ?? 0));
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end) });
}

/** How the workspace settings file is named to the user: `.vscode/settings.json` or the workspace file's name. */
export function settingsFileLabel(): string {
  const target = workspaceSettingsFile();
  if (!target) return 'the workspace settings';
  return target.inWorkspaceFile ? (target.uri.path.split('/').pop() ?? 'the workspace file') : '.vscode/settings.json';
}
