import type { ClientRequestHandler } from '../core/lifecycle/session';
import { urlHandOff } from '../core/clientFeatures/urlHandOff';
import { errorMessage, type Logger } from '../core/ports';

/** The MCP error a server answers any request with when the user must first finish a step in the browser. */
export const URL_ELICITATION_REQUIRED = -32042;
/** More than this many pages at once is not a step, it is a flood: the rest are not shown. */
const MAX_SHOWN = 3;

export interface RequiredUrlElicitation {
  readonly url: string;
  readonly message: string;
  readonly elicitationId: string;
}

/** The request failed because a browser step comes first; its message says to call again once it is done. */
export class UrlElicitationNeededError extends Error {
  constructor(what: string, hosts: readonly string[], cause: unknown) {
    const where = hosts.length > 0 ? ` (${hosts.join(', ')})` : '';
    super(`'${what}' needs you to finish a step in your browser first${where}: open it from MCP Warden's notification, then call it again`, { cause });
    this.name = 'UrlElicitationNeededError';
  }
}

/** The URL elicitations of a -32042 error (`data.elicitations`), or undefined for any other error. */
export function urlElicitationsOf(error: unknown): RequiredUrlElicitation[] | undefined {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== URL_ELICITATION_REQUIRED) return undefined;
  const list = ((error as { data?: { elicitations?: unknown } }).data ?? {}).elicitations;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { url, message, elicitationId } = entry as Record<string, unknown>;
    return typeof url === 'string' && typeof elicitationId === 'string' ? [{ url, message: typeof message === 'string' ? message : '', elicitationId }] : [];
  });
}

/**
 * Shows the browser steps of a -32042 error as URL elicitations, through the same handler as a server's own
 * `elicitation/create` (so the gate, the prompter and the audit log). Not awaited by the failed request: the user
 * answers the notification whenever they like, then calls again.
 */
export function askUrlElicitations(handler: ClientRequestHandler, elicitations: readonly RequiredUrlElicitation[], logger: Logger, signal: AbortSignal): void {
  for (const elicitation of elicitations.slice(0, MAX_SHOWN)) {
    handler({ method: 'elicitation/create', params: { mode: 'url', ...elicitation } }, signal).catch((error: unknown) =>
      logger.info(`the browser step the server asked for was not shown: ${errorMessage(error)}`),
    );
  }
}

/** The hosts of the pages, for the error message (the notification shows the full URLs); only what would be opened. */
export function hostsOf(elicitations: readonly RequiredUrlElicitation[]): string[] {
  return [
    ...new Set(
      elicitations.slice(0, MAX_SHOWN).flatMap((e) => {
        const url = urlHandOff(e.url);
        return url.ok ? [url.host] : [];
      }),
    ),
  ];
}
