import * as vscode from 'vscode';
import { Settings } from '../../core/ids';
import { SANDBOX_MODES, type SandboxMode } from '../../core/sandbox/sandboxProfile';
import { userSetting } from '../userSettings';

/** `mcpWarden.sandbox.mode` from user settings only: a repository must not be able to turn the sandbox off. */
export function sandboxMode(): SandboxMode {
  return userSetting(Settings.sandboxMode, (v): v is SandboxMode => SANDBOX_MODES.includes(v as SandboxMode), 'preferred');
}

/**
 * What no server may read even under a broad grant, beyond the secrets in home (protectedPaths.ts): this
 * editor's own storage (settings database, SecretStorage's backing store on hosts that keep it there, logs of
 * every extension) and this extension's storage (audit keys are in SecretStorage, the log itself is here).
 */
export function editorStoragePaths(context: vscode.ExtensionContext): string[] {
  const paths = [context.globalStorageUri, context.storageUri, context.logUri].filter((u): u is vscode.Uri => u?.scheme === 'file').map((u) => u.fsPath);
  // …/User/globalStorage/<extension> → …/User: the whole user-data folder of the editor.
  const user = context.globalStorageUri.scheme === 'file' ? vscode.Uri.joinPath(context.globalStorageUri, '..', '..').fsPath : undefined;
  return user ? [user, ...paths] : paths;
}
