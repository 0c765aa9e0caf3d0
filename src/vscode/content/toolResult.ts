import * as vscode from 'vscode';
import { contentViews, type ContentView } from '../../core/content/contentModel';
import { toolResultMarkdown } from '../../core/content/markdown';
import type { ServerRegistry } from '../../core/lifecycle/serverRegistry';
import type { ToolCallResult, ToolInfo } from '../../core/lifecycle/session';
import type { ContentDocuments } from './contentDocuments';
import { openResource } from './resourceCommand';
import { offerToSave } from './saveContent';

/**
 * A tool result as a user reads it, in the markdown preview when it holds more than text: text, images shown as images, audio and binary
 * described (with Save…), resource links listed (with Open Linked Resource…, a gated `resources/read` of the server
 * that sent them: never a read of the link by MCP Warden itself), embedded resources, structured content as JSON
 * with the outcome of its check against the tool's output schema.
 */
export async function showToolResult(registry: ServerRegistry, documents: ContentDocuments, serverName: string, tool: ToolInfo, result: ToolCallResult): Promise<void> {
  const views = contentViews(result.content);
  // Text alone reads well in the call's JSON document: the preview (a second editor, beside it) is opened only for
  // what that document cannot show (images, audio, links, embedded resources, blocks it does not know).
  if (views.some((view) => view.kind !== 'text')) {
    await documents.showMarkdown(`${serverName}-${tool.name}-result`, toolResultMarkdown(serverName, tool.name, result, tool.outputSchema));
  }
  offerToSave(views, `${serverName}-${tool.name}`);
  offerLinks(registry, documents, serverName, views);
}

function offerLinks(registry: ServerRegistry, documents: ContentDocuments, serverName: string, views: readonly ContentView[]): void {
  const links = views.filter((view): view is Extract<ContentView, { kind: 'link' }> => view.kind === 'link');
  if (links.length === 0) return;
  const label = links.length === 1 ? 'Open Linked Resource' : 'Open Linked Resource…';
  void vscode.window.showInformationMessage(`MCP Warden: the result links ${links.length} resource${links.length === 1 ? '' : 's'} of '${serverName}'.`, label).then(async (choice) => {
    if (choice !== label) return;
    const link =
      links.length === 1
        ? links[0]
        : (await vscode.window.showQuickPick(links.map((l) => ({ label: l.title ?? l.name, description: l.uri, detail: l.description ?? '', link: l })), { title: 'Open Linked Resource', matchOnDescription: true }))?.link;
    if (link) await openResource(registry, documents, serverName, link.uri);
  });
}

/** The record of a call for its JSON document: payloads (images, audio, blobs) summarised, never dumped as base64. */
export function callRecordWithoutPayloads(record: Readonly<Record<string, unknown>> & { readonly result: ToolCallResult }): Record<string, unknown> {
  const content = Array.isArray(record.result.content) ? record.result.content.map(withoutPayload) : record.result.content;
  return { ...record, result: { ...record.result, content } };
}

function withoutPayload(block: unknown): unknown {
  if (typeof block !== 'object' || block === null) return block;
  const b = block as Record<string, unknown>;
  if (typeof b['data'] === 'string') return { ...b, data: `(${b['data'].length} characters of base64: shown in the preview)` };
  const resource = b['resource'] as Record<string, unknown> | undefined;
  if (resource && typeof resource['blob'] === 'string') return { ...b, resource: { ...resource, blob: `(${resource['blob'].length} characters of base64)` } };
  return block;
}
