import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { editSettingsText, readSettingsValue, serverNamesInSettingsText, type SettingsEdit } from '../core/config/settingsEdit';
import { settingKey, Settings } from '../core/ids';
import { readText } from './workspaceFiles';

/**
 * The file that holds this workspace's settings: the `.code-workspace` file of a multi-root workspace, else
 * `.vscode/settings.json` of the (first) folder.
 */
export function workspaceSettingsFile(): { readonly uri: vscode.Uri; readonly inWorkspaceFile: boolean } | undefined {
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') return { uri: workspaceFile, inWorkspaceFile: true };
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? { uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'), inWorkspaceFile: false } : undefined;
}

/** Server names already in the workspace settings file. */
export async function serverNamesInWorkspaceSettings(): Promise<string[]> {
  const target = workspaceSettingsFile();
  return target ? serverNamesInSettingsText((await readText(target.uri)) ?? '', target.inWorkspaceFile) : [];
}

/** A value of the workspace settings file as written there (not merged with user settings). */
export async function readWorkspaceSetting(path: (string | number)[]): Promise<unknown> {
  const target = workspaceSettingsFile();
  return target ? readSettingsValue((await readText(target.uri)) ?? '', path, target.inWorkspaceFile) : undefined;
}

/**
 * Writes values into the workspace settings file with jsonc-parser edits, so the rest of the file keeps its
 * comments and formatting. Goes through the editor when the file is open, so unsaved edits there are kept
 * and the change can be undone.
 */
export async function editWorkspaceSettings(edits: readonly SettingsEdit[]): Promise<vscode.Uri> {
  const target = workspaceSettingsFile();
  if (!target) throw new Error('open a folder first: servers are kept in the workspace settings');
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
  const before = open ? open.getText() : ((await readText(target.uri)) ?? '');
  const after = editSettingsText(before, edits, target.inWorkspaceFile);
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target.uri, new vscode.Range(open.positionAt(0), open.positionAt(before.length)), after);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${target.uri.fsPath}`);
    await open.save();
  } else {
    await vscode.workspace.fs.writeFile(target.uri, new TextEncoder().encode(after));
  }
  return target.uri;
}

/** Opens a settings or mcp.json file with the cursor on a server's definition. */
export async function revealServerDefinition(uri: vscode.Uri, path: (string | number)[]): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const node = findNodeAtLocation(parseTree(document.getText()) ?? { type: 'null', offset: 0, length: 0 }, path);
  const position = document.positionAt(node?.parent?.offset ?? node?.offset ?? 0);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
}

/** Path of a server inside the workspace settings file. */
export function serverPathInSettings(name: string, inWorkspaceFile: boolean): string[] {
  return inWorkspaceFile ? ['settings', settingKey(Settings.servers), name] : [settingKey(Settings.servers), name];
}
