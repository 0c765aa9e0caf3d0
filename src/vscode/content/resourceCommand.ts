import * as vscode from 'vscode';
import { completionParams, completionValues } from '../../core/content/completions';
import { readResultViews } from '../../core/content/contentModel';
import { resourceMarkdown } from '../../core/content/markdown';
import { UriTemplate } from '../../core/content/uriTemplate';
import type { ServerRegistry, ServerSnapshot } from '../../core/lifecycle/serverRegistry';
import type { ResourceInfo, ResourceTemplateInfo } from '../../core/lifecycle/session';
import { errorMessage } from '../../core/ports';
import { askArgument } from './argumentInput';
import type { ContentDocuments } from './contentDocuments';
import { offersCompletions, runningServer } from './pickServer';
import { offerToSave } from './saveContent';

export interface ResourcePreset {
  readonly serverName?: string;
  readonly uri?: string;
  readonly uriTemplate?: string;
}

/**
 * `MCP Warden: Open Resource…`: pick a server, then a resource or a template (whose variables are asked, with
 * completions), and open it read-only: text as a document in the language of its type, images in the markdown
 * preview, other binary described. The read goes through `registry.request`: the gate decides it.
 */
export async function openResourceInteractively(registry: ServerRegistry, documents: ContentDocuments, preset: ResourcePreset): Promise<unknown> {
  const server = await runningServer(registry, preset.serverName, 'resources', (s) => s.catalog.resources.length + (s.catalog.resourceTemplates?.length ?? 0));
  if (!server) return undefined;
  let uri = preset.uri;
  if (!uri) {
    const template = preset.uriTemplate ? server.catalog.resourceTemplates?.find((t) => t.uriTemplate === preset.uriTemplate) : undefined;
    const picked = template ?? (await pickResource(server));
    if (!picked) return undefined;
    uri = 'uriTemplate' in picked ? await fillTemplate(registry, server, picked) : picked.uri;
  }
  if (!uri) return undefined;
  return openResource(registry, documents, server.name, uri);
}

/** Reads `uri` of `server` through the gate and shows it; the document follows the resource's updates. */
export async function openResource(registry: ServerRegistry, documents: ContentDocuments, serverName: string, uri: string): Promise<unknown> {
  const read = () => registry.request(serverName, 'resources/read', { uri });
  let result: unknown;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${uri}…`, cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return registry.request(serverName, 'resources/read', { uri }, { signal: abort.signal, onWaiting: (message) => progress.report({ message }) });
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`MCP Warden: could not read '${uri}' of '${serverName}': ${errorMessage(error)}`);
    return undefined;
  }
  const parts = readResultViews(result);
  const name = documentName(uri);
  const only = parts.length === 1 ? parts[0]?.view : undefined;
  if (only?.kind === 'text') {
    const refresh = async () => textOf(await read()) ?? only.text;
    await documents.showText(name, only.text, only.language, { server: serverName, uri, refresh });
  } else {
    const refresh = async () => resourceMarkdown(serverName, uri, await read());
    await documents.showMarkdown(name, resourceMarkdown(serverName, uri, result), { server: serverName, uri, refresh });
    offerToSave(parts.map((part) => part.view), name);
  }
  return result;
}

/** `resources/subscribe`, then the resource opened: its document refreshes when the server says it changed. */
export async function subscribeInteractively(registry: ServerRegistry, documents: ContentDocuments, preset: ResourcePreset): Promise<void> {
  const server = await runningServer(registry, preset.serverName, 'resources', (s) => (subscribable(s) ? s.catalog.resources.length : 0));
  if (!server) return;
  if (!subscribable(server)) {
    void vscode.window.showInformationMessage(`MCP Warden: server '${server.name}' does not offer resource subscriptions.`);
    return;
  }
  const uri = preset.uri ?? (await pickListed(server.catalog.resources, 'Subscribe to Resource'))?.uri;
  if (!uri) return;
  try {
    await registry.request(server.name, 'resources/subscribe', { uri });
  } catch (error) {
    void vscode.window.showErrorMessage(`MCP Warden: could not subscribe to '${uri}': ${errorMessage(error)}`);
    return;
  }
  if (documents.showing(server.name, uri).length === 0) await openResource(registry, documents, server.name, uri);
  void vscode.window.showInformationMessage(`MCP Warden: subscribed to ${uri}; its document refreshes when '${server.name}' says it changed.`);
}

/** `resources/unsubscribe`. */
export async function unsubscribeInteractively(registry: ServerRegistry, preset: ResourcePreset): Promise<void> {
  const server = await runningServer(registry, preset.serverName, 'resources', (s) => (subscribable(s) ? s.catalog.resources.length : 0));
  if (!server) return;
  const uri = preset.uri ?? (await pickListed(server.catalog.resources, 'Unsubscribe from Resource'))?.uri;
  if (!uri) return;
  try {
    await registry.request(server.name, 'resources/unsubscribe', { uri });
    void vscode.window.showInformationMessage(`MCP Warden: unsubscribed from ${uri}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`MCP Warden: could not unsubscribe from '${uri}': ${errorMessage(error)}`);
  }
}

function subscribable(server: ServerSnapshot): boolean {
  if (server.state.kind !== 'running') return false;
  const resources = server.state.session.capabilities['resources'] as { subscribe?: unknown } | undefined;
  return resources?.subscribe === true;
}

async function pickResource(server: ServerSnapshot): Promise<ResourceInfo | ResourceTemplateInfo | undefined> {
  type Item = vscode.QuickPickItem & { readonly target?: ResourceInfo | ResourceTemplateInfo };
  const items: Item[] = [
    ...server.catalog.resources.map((resource) => ({ label: resource.title ?? resource.name, description: resource.uri, detail: resource.description?.split('\n', 1)[0] ?? '', target: resource })),
  ];
  const templates = server.catalog.resourceTemplates ?? [];
  if (templates.length > 0) {
    items.push({ label: 'Templates', kind: vscode.QuickPickItemKind.Separator });
    items.push(...templates.map((template) => ({ label: template.title ?? template.name, description: template.uriTemplate, detail: template.description?.split('\n', 1)[0] ?? '', target: template })));
  }
  const pick = await vscode.window.showQuickPick(items, { title: `Open Resource: ${server.name}`, placeHolder: 'Pick a resource or a template', matchOnDescription: true });
  return pick?.target;
}

async function pickListed(resources: readonly ResourceInfo[], title: string): Promise<ResourceInfo | undefined> {
  const pick = await vscode.window.showQuickPick(
    resources.map((resource) => ({ label: resource.title ?? resource.name, description: resource.uri, resource })),
    { title, placeHolder: 'Pick a resource', matchOnDescription: true },
  );
  return pick?.resource;
}

/** One question per template variable (with completions where offered); the expanded URI, or undefined. */
async function fillTemplate(registry: ServerRegistry, server: ServerSnapshot, template: ResourceTemplateInfo): Promise<string | undefined> {
  let parsed: UriTemplate;
  try {
    parsed = new UriTemplate(template.uriTemplate);
  } catch (error) {
    void vscode.window.showErrorMessage(`MCP Warden: ${errorMessage(error)}`);
    return undefined;
  }
  const completes = offersCompletions(server);
  const values: Record<string, string> = {};
  for (const [index, variable] of parsed.variables.entries()) {
    const answered = { ...values };
    const answer = await askArgument({
      title: `${template.uriTemplate} (${index + 1}/${parsed.variables.length}): ${variable}`,
      name: variable,
      required: true,
      ...(template.description !== undefined && { description: template.description }),
      ...(completes && {
        complete: async (value: string) => completionValues(await registry.request(server.name, 'completion/complete', completionParams({ kind: 'template', uriTemplate: template.uriTemplate }, variable, value, answered))),
      }),
    });
    if (answer === undefined) return undefined;
    if (answer !== 'omit') values[variable] = answer.value;
  }
  return parsed.expand(values);
}

function textOf(result: unknown): string | undefined {
  const view = readResultViews(result)[0]?.view;
  return view?.kind === 'text' ? view.text : undefined;
}

/** A document name from the last segment of a URI: "demo://resource/static/document/architecture.md" → "architecture.md". */
function documentName(uri: string): string {
  const segment = uri.replace(/[?#].*$/, '').split('/').filter(Boolean).pop() ?? 'resource';
  return decodeURIComponentSafe(segment);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
