import * as vscode from 'vscode';
import type { Disposable } from '../../core/disposable';

export const CONTENT_SCHEME = 'mcp-warden-content';

/** Where a document's text comes from again when its resource changes: a gated `resources/read`, rendered. */
export type Refresher = () => Promise<string>;

interface Entry {
  text: string;
  /** The resource the document shows, for refreshing on `notifications/resources/updated`. */
  readonly source?: { readonly server: string; readonly uri: string; readonly refresh: Refresher };
}

/**
 * Read-only documents for what servers send (prompt results, resources, tool results), in memory under
 * `mcp-warden-content:` URIs: never files in the workspace. A document showing a resource is refreshed when the
 * server says the resource changed.
 */
export class ContentDocuments implements vscode.TextDocumentContentProvider, Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(CONTENT_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.entries.get(uri.toString())?.text ?? '';
  }

  /** A new document named `name` holding `text`; `source` makes it follow a resource. */
  create(name: string, text: string, source?: Entry['source']): vscode.Uri {
    const safeName = name.replace(/[\\/:*?"<>|#%\s]+/g, '-').slice(0, 120) || 'content';
    const uri = vscode.Uri.from({ scheme: CONTENT_SCHEME, path: `/${++this.counter}/${safeName}` });
    this.entries.set(uri.toString(), { text, ...(source && { source }) });
    if (this.entries.size > 100) this.entries.delete(this.entries.keys().next().value as string);
    return uri;
  }

  /** Opens `text` read-only in an editor with `language`, beside the active editor if there is one. */
  async showText(name: string, text: string, language: string, source?: Entry['source']): Promise<vscode.TextDocument> {
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(this.create(name, text, source)), language);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: beside() });
    return document;
  }

  /** Opens markdown in VS Code's markdown preview (images inline, scripts never run), beside the active editor. */
  async showMarkdown(name: string, markdown: string, source?: Entry['source']): Promise<vscode.Uri> {
    const uri = this.create(name.endsWith('.md') ? name : `${name}.md`, markdown, source);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return uri;
  }

  /** The documents that show resource `uri` of `server`. */
  showing(server: string, uri: string): vscode.Uri[] {
    return [...this.entries.entries()].filter(([, e]) => e.source?.server === server && e.source.uri === uri).map(([key]) => vscode.Uri.parse(key));
  }

  /** Reads the resource of each document showing it again and updates them; returns how many changed. */
  async refresh(server: string, uri: string): Promise<number> {
    let changed = 0;
    for (const documentUri of this.showing(server, uri)) {
      const entry = this.entries.get(documentUri.toString());
      if (!entry?.source) continue;
      const text = await entry.source.refresh();
      if (text === entry.text) continue;
      entry.text = text;
      changed++;
      this.changeEmitter.fire(documentUri);
    }
    return changed;
  }

  dispose(): void {
    this.registration.dispose();
    this.changeEmitter.dispose();
    this.entries.clear();
  }
}

function beside(): vscode.ViewColumn {
  return vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
}
