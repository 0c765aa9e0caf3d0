import * as vscode from 'vscode';
import type { Disposable } from '../core/disposable';

export const RESULT_SCHEME = 'mcp-warden';

/**
 * Read-only documents for what MCP Warden shows (tool results), kept in memory under `mcp-warden:` URIs so
 * they never become files in the workspace.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Opens `text` beside the active editor as a read-only document named `name`. */
  async show(name: string, text: string, language: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${++this.counter}/${name}` });
    this.contents.set(uri.toString(), text);
    if (this.contents.size > 50) this.contents.delete(this.contents.keys().next().value as string);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
    // Beside the file being worked on, if any; otherwise where the editor area is.
    const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    return vscode.window.showTextDocument(document, { preview: true, viewColumn });
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
