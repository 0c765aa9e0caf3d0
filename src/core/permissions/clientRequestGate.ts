import type { ClientRequestHandler } from '../lifecycle/session';
import type { PermissionKind } from './permission';
import { PermissionDeniedError } from './permissionDenied';
import type { PermissionGate } from './permissionGate';
import type { RequestAuthorizer } from './permissionBroker';

export interface Root {
  readonly uri: string;
  readonly name?: string;
}

const KINDS: Readonly<Record<Parameters<ClientRequestHandler>[0]['method'], PermissionKind>> = {
  'roots/list': 'roots',
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
};

/**
 * The handler for the requests a server makes of the client, behind the same gate as the client's requests. Roots
 * are announced only as far as `fs.read` is granted; sampling and elicitation are not offered yet (a later issue),
 * so a server that asks anyway gets a clear error after the gate.
 */
export function gatedClientRequests(authorizer: RequestAuthorizer, rootsOf: (server: string) => readonly Root[]): (server: string, session: string) => ClientRequestHandler {
  return (server, session) =>
    async ({ method, params: _params }, signal) => {
      const permission = { kind: KINDS[method], target: '' };
      const request = { server, session, permission, method };
      const decision = await authorizer.authorize(request, { signal });
      const offered = method === 'roots/list';
      // A server that keeps asking for what the client never offered gets one question, not one per request.
      if (!offered && decision.verdict !== 'allow' && decision.grant?.scope !== 'session') {
        authorizer.keepForSession?.(request, 'deny', `${method} is not offered to servers, and was denied: not asked again until the server stops`);
      }
      if (decision.verdict !== 'allow') throw new PermissionDeniedError(server, permission, decision.rule, `its request ${method}`);
      if (offered) return { roots: rootsOf(server).map((r) => ({ ...r })) };
      throw new Error(`MCP Warden does not offer ${method} to servers yet`);
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
