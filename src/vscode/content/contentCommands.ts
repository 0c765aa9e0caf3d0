import type { Commands } from '../../core/ids';
import { Commands as Ids } from '../../core/ids';
import { errorMessage } from '../../core/ports';
import type { ServersTreeNode } from '../serversTree';
import type { Warden } from '../warden';
import { ContentDocuments } from './contentDocuments';
import { getPromptInteractively } from './promptCommand';
import { openResourceInteractively, subscribeInteractively, unsubscribeInteractively, type ResourcePreset } from './resourceCommand';

type Handler = (warden: Warden, ...args: unknown[]) => unknown;

const documentsOf = new WeakMap<Warden, ContentDocuments>();

/**
 * The documents of prompts, resources and tool results for one window, made on first use and disposed with it.
 * Documents showing a resource follow `notifications/resources/updated` of its server.
 */
export function contentDocuments(warden: Warden): ContentDocuments {
  let documents = documentsOf.get(warden);
  if (!documents) {
    const created = (documents = warden.disposables.add(new ContentDocuments()));
    warden.disposables.add(
      warden.registry.onDidUpdateResource(({ server, uri }) => {
        created.refresh(server, uri).catch((error: unknown) => warden.logger.warn(`could not refresh ${uri} of '${server}': ${errorMessage(error)}`));
      }),
    );
    documentsOf.set(warden, documents);
  }
  return documents;
}

/** Get Prompt…, Open Resource…, Subscribe and Unsubscribe: from a node of the Servers view, a server name, or nothing (then they ask). */
export const contentCommandHandlers: Record<(typeof Commands)['getPrompt' | 'openResource' | 'subscribeResource' | 'unsubscribeResource'], Handler> = {
  [Ids.getPrompt]: (warden, arg, promptName) => {
    const node = arg as ServersTreeNode | undefined;
    const preset = node?.kind === 'prompt' ? { serverName: node.serverName, promptName: node.prompt.name } : { ...(typeof arg === 'string' && { serverName: arg }), ...(typeof promptName === 'string' && { promptName }) };
    return getPromptInteractively(warden.registry, contentDocuments(warden), preset);
  },
  [Ids.openResource]: (warden, arg, uri) => openResourceInteractively(warden.registry, contentDocuments(warden), resourcePreset(arg, uri)),
  [Ids.subscribeResource]: (warden, arg, uri) => subscribeInteractively(warden.registry, contentDocuments(warden), resourcePreset(arg, uri)),
  [Ids.unsubscribeResource]: (warden, arg, uri) => unsubscribeInteractively(warden.registry, resourcePreset(arg, uri)),
};

function resourcePreset(arg: unknown, uri: unknown): ResourcePreset {
  const node = arg as ServersTreeNode | undefined;
  if (node?.kind === 'resource') return { serverName: node.serverName, uri: node.resource.uri };
  if (node?.kind === 'resourceTemplate') return { serverName: node.serverName, uriTemplate: node.template.uriTemplate };
  if (node?.kind === 'server' || node?.kind === 'group') return { serverName: node.server.name };
  return { ...(typeof arg === 'string' && { serverName: arg }), ...(typeof uri === 'string' && { uri }) };
}
