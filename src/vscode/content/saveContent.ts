import * as vscode from 'vscode';
import type { ContentView, ResourceView } from '../../core/content/contentModel';
import { extensionFor, formatBytes } from '../../core/content/mediaTypes';

type Savable = Extract<ContentView, { kind: 'audio' | 'binary' }> & { readonly data: string };

/**
 * Audio and binary content is never dumped: a notification names its type and size and offers to save it;
 * saved audio can then be opened in VS Code's media preview.
 */
export function offerToSave(views: readonly (ContentView | ResourceView)[], baseName: string): void {
  // Embedded resources hold their bytes one level down.
  const flat = views.map((view) => (view.kind === 'resource' ? view.view : view));
  const savable = flat.filter((view): view is Savable => (view.kind === 'audio' || view.kind === 'binary') && 'data' in view && view.data !== undefined);
  for (const [index, view] of savable.entries()) {
    const what = `${view.kind === 'audio' ? 'Audio' : 'Binary content'} (${view.mimeType}, ${formatBytes(view.bytes)})`;
    void vscode.window.showInformationMessage(`MCP Warden: the result holds ${what}.`, 'Save…').then(async (choice) => {
      if (choice !== 'Save…') return;
      const name = `${baseName.replace(/\.[^.]*$/, '')}${savable.length > 1 ? `-${index + 1}` : ''}.${extensionFor(view.mimeType)}`;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ title: `Save ${what}`, ...(folder && { defaultUri: vscode.Uri.joinPath(folder, name) }) });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(view.data, 'base64'));
      if (view.kind !== 'audio') return;
      const open = await vscode.window.showInformationMessage(`MCP Warden: saved ${vscode.workspace.asRelativePath(target)}.`, 'Open');
      if (open === 'Open') await vscode.commands.executeCommand('vscode.open', target);
    });
  }
}
