/**
 * Elicitation: a server asks the user for input, either through a form generated from a flat JSON schema or by
 * sending the user to a URL. The same port serves the `elicitation/create` requests of the initialize era and the
 * input requests of a 2026-07-28 `input_required` result.
 */

/** The primitive property schemas the spec allows in a form (string, number/integer, boolean, enums). */
export type ElicitationPropertySchema = Readonly<Record<string, unknown>>;

export interface ElicitationSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, ElicitationPropertySchema>>;
  readonly required?: readonly string[];
}

export interface FormElicitation {
  readonly mode: 'form';
  readonly server: string;
  /** Written by the server: show it as the server's words, never as MCP Warden's. */
  readonly message: string;
  readonly requestedSchema: ElicitationSchema;
}

export interface UrlElicitation {
  readonly mode: 'url';
  readonly server: string;
  readonly message: string;
  readonly url: string;
  readonly elicitationId: string;
}

export type ElicitationRequest = FormElicitation | UrlElicitation;

export type ElicitationValue = string | number | boolean | readonly string[];

/** The answer the protocol defines: accept (with content for a form), decline, or cancel (dismissed). */
export interface ElicitationAnswer {
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: Readonly<Record<string, ElicitationValue>>;
}

/** The user's side: a form or a URL hand-off. `signal` aborts when the server cancels or the call that carried it ends. */
export interface ElicitationPrompter {
  elicit(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer>;
  /** The server says the out-of-band interaction of a URL elicitation finished (`notifications/elicitation/complete`). */
  completed?(server: string, elicitationId: string): void;
}

/** Reads `elicitation/create` params (already validated by the SDK) into a request for the prompter. */
export function toElicitationRequest(server: string, params: unknown): ElicitationRequest {
  const p = (params ?? {}) as Record<string, unknown>;
  const message = typeof p['message'] === 'string' ? p['message'] : '';
  if (p['mode'] === 'url') {
    return { mode: 'url', server, message, url: String(p['url'] ?? ''), elicitationId: String(p['elicitationId'] ?? '') };
  }
  const schema = (p['requestedSchema'] ?? { type: 'object', properties: {} }) as ElicitationSchema;
  return { mode: 'form', server, message, requestedSchema: schema };
}

/** How many elicitations of one server may wait for the user at once; shown one at a time, more is a flood. */
export const MAX_WAITING_ELICITATIONS = 4;

/**
 * Refuses a server's elicitation while `max` of its own already wait for the user, without showing it: the
 * prompter shows one at a time, so a server sending hundreds would otherwise queue hundreds of forms, one after
 * another, each dismissed by hand. The server gets an error it can act on (answer the first ones, then ask again).
 */
export function limitWaitingElicitations(prompter: ElicitationPrompter, max = MAX_WAITING_ELICITATIONS): ElicitationPrompter {
  const waiting = new Map<string, number>();
  return {
    async elicit(request, signal) {
      const count = waiting.get(request.server) ?? 0;
      if (count >= max) throw new Error(`MCP Warden did not show this question: server '${request.server}' already has ${count} waiting for the user`);
      waiting.set(request.server, count + 1);
      try {
        return await prompter.elicit(request, signal);
      } finally {
        const left = (waiting.get(request.server) ?? 1) - 1;
        if (left > 0) waiting.set(request.server, left);
        else waiting.delete(request.server);
      }
    },
    ...(prompter.completed && { completed: (server: string, elicitationId: string) => prompter.completed?.(server, elicitationId) }),
  };
}
