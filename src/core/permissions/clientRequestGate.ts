import { canForward } from '../gateway/caller';
import type { ClientRequestHandler } from '../lifecycle/session';
import { errorMessage } from '../ports';
import type { PermissionKind, PermissionRequest } from './permission';
import { PermissionDeniedError } from './permissionDenied';
import type { PermissionGate } from './permissionGate';
import type { RequestAuthorizer } from './permissionBroker';
import { limitWaitingElicitations, toElicitationRequest, type ElicitationPrompter } from '../clientFeatures/elicitation';
import type { SamplingParams, SamplingProvider } from '../clientFeatures/sampling';
import { refuseToolUseNotOffered } from '../clientFeatures/samplingMessages';

export interface Root {
  readonly uri: string;
  readonly name?: string;
}

const KINDS: Readonly<Record<Parameters<ClientRequestHandler>[0]['method'], PermissionKind>> = {
  'roots/list': 'roots',
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
};

/** What the client offers servers beyond roots; a feature left out is neither advertised nor answered. */
export interface ClientFeatures {
  /** The roots a server is told of (the folders it may read). */
  readonly rootsOf: (server: string) => readonly Root[];
  readonly elicitation?: ElicitationPrompter;
  readonly sampling?: SamplingProvider;
}

/**
 * The handler for the requests a server makes of the client, behind the same gate as the client's requests.
 * - Roots are announced only as far as `fs.read` is granted.
 * - Elicitation: the form (or URL hand-off) is itself the question, with its own Decline and Cancel; only a deny
 *   grant stops it before the user sees it.
 * - Sampling: a grant decides, else the consent shows the request and asks which model; the answer is kept like
 *   any permission answer.
 * A server that asks for what is not offered gets a clear error after the gate.
 */
export function gatedClientRequests(authorizer: RequestAuthorizer, features: ClientFeatures): (server: string, session: string) => ClientRequestHandler {
  // A server flooding questions gets an error past a few waiting, not hundreds of forms queued one after another.
  const elicitation = features.elicitation && limitWaitingElicitations(features.elicitation);
  return (server, session) => {
    /** Sampling consents the user denied in this run: after two, the run is not asked again. */
    let samplingRefusals = 0;
    // Requests waiting on one question share its decision: one refusal, however many requests it answered.
    const refusalsCounted = new WeakSet<object>();
    return async ({ method, params }, signal, context) => {
      const permission = { kind: KINDS[method], target: '' };
      const caller = context?.caller;
      const request: PermissionRequest = {
        server,
        session,
        permission,
        method,
        ...(caller && { agent: caller.agent }),
        ...(caller?.chain && { chain: caller.chain }),
      };
      const denied = (rule: string) => new PermissionDeniedError(server, permission, rule, `its request ${method}`);
      const forward = canForward(caller, { method, params });
      if (forward) {
        // The agent that made the call answers (its own form, its own model and consent); a deny grant still stops
        // the request before it leaves, and the decision is audited with the agent.
        const decision = authorizer.decideWithoutAsking?.(request);
        if (decision?.verdict === 'deny') throw denied(decision.rule);
        if (method === 'sampling/createMessage') return refuseToolUseNotOffered(params as SamplingParams, await forward({ method, params }, signal));
        return forward({ method, params }, signal);
      }
      if (method === 'elicitation/create' && elicitation) {
        const decision = authorizer.decideWithoutAsking?.(request);
        if (decision?.verdict === 'deny') throw denied(decision.rule);
        return elicitation.elicit(toElicitationRequest(server, params), signal);
      }
      if (method === 'sampling/createMessage' && features.sampling) {
        const sampling = features.sampling;
        const samplingRequest = { server, session, params: params as SamplingParams };
        // Nothing to ask the user about: a request for at most 0 (or -5) tokens can only be a mistake or a probe.
        const maxTokens = samplingRequest.params.maxTokens;
        if (!(typeof maxTokens === 'number' && maxTokens >= 1)) throw new Error(`MCP Warden refuses the sampling request of server '${server}': maxTokens must be at least 1 (it is ${String(maxTokens)})`);
        let model: string | undefined;
        let unavailable: unknown;
        const decision = await authorizer.authorize(request, {
          signal,
          askWith: async (_question, askSignal) => {
            try {
              const consent = await sampling.consent(samplingRequest, askSignal);
              model = consent?.model;
              return consent?.answer;
            } catch (error) {
              unavailable = error;
              throw error;
            }
          },
        });
        // A consent that could not be shown (no model in the editor) says why, not "dismissed".
        if (decision.verdict !== 'allow' && unavailable !== undefined) throw new Error(`MCP Warden cannot sample for server '${server}': ${errorMessage(unavailable)}`);
        if (decision.verdict !== 'allow') {
          // A server that asks again after each Deny would nag for ever: the user's second Deny stands for the run.
          // Only a Deny clicked counts (it made a once grant), not a consent dismissed, timed out or withdrawn.
          const clicked = decision.grant?.decision === 'deny' && decision.grant.scope === 'once';
          if (clicked && !refusalsCounted.has(decision) && (refusalsCounted.add(decision), ++samplingRefusals) === 2) {
            authorizer.keepForSession?.(request, 'deny', 'sampling was denied twice in this run: not asked again until the server stops');
          }
          throw denied(decision.rule);
        }
        // Whatever the provider: a tool_use only for a tool the request offered (2026-07-28's SDK checks nothing).
        return refuseToolUseNotOffered(samplingRequest.params, await sampling.complete(samplingRequest, model, signal));
      }
      const decision = await authorizer.authorize(request, { signal });
      const offered = method === 'roots/list';
      // A server that keeps asking for what the client never offered gets one question, not one per request.
      if (!offered && decision.verdict !== 'allow' && decision.grant?.scope !== 'session') {
        authorizer.keepForSession?.(request, 'deny', `${method} is not offered to servers, and was denied: not asked again until the server stops`);
      }
      if (decision.verdict !== 'allow') throw denied(decision.rule);
      if (offered) return { roots: features.rootsOf(server).map((r) => ({ ...r })) };
      throw new Error(`MCP Warden does not offer ${method} to servers`);
    };
  };
}

/** A `file://` URI for an absolute path, POSIX or Windows (core has no node:url). */
export function fileUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const withRoot = /^[A-Za-z]:/.test(slashed) ? `/${slashed}` : slashed;
  return `file://${withRoot.split('/').map(encodeURIComponent).join('/').replace(/^(\/[A-Za-z])%3A/, '$1:')}`;
}

/** The roots a server is told of: the folders it may read, as granted (never the whole workspace by default). */
export function grantedRoots(gate: PermissionGate, server: string): Root[] {
  return gate
    .list(server)
    .filter((l) => l.grant.kind === 'fs.read' && l.grant.decision === 'allow' && l.status !== 'proposed' && l.status !== 'tampered')
    .map((l) => ({ uri: fileUri(l.grant.target), name: l.grant.target }));
}
