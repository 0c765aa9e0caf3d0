/**
 * Network targets: `host`, `host:port`, `[v6]:port`, `*.example.com` (any name below example.com, not example.com
 * itself) and `*` (any host). Names compare without case; a trailing dot is dropped.
 *
 * `unix:*` is a target of its own: every Unix socket on this machine (the Linux sandbox allows all or none). Unix
 * sockets are local IPC, not hosts, so `*` does not cover it and it covers nothing but itself.
 */

export interface NetTarget {
  readonly type: 'any' | 'wildcard' | 'host' | 'unix';
  /** `host`: the name or address (IPv6 without brackets); `wildcard`: the suffix, `.example.com`; `any`, `unix`: `''`. */
  readonly host: string;
  /** Undefined: any port. */
  readonly port: number | undefined;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const IPV6 = /^[0-9a-f:.]+(?:%[a-z0-9._-]+)?$/;
const ANY: NetTarget = { type: 'any', host: '', port: undefined };
const UNIX: NetTarget = { type: 'unix', host: '', port: undefined };
/** The one Unix socket target. */
export const UNIX_SOCKETS_TARGET = 'unix:*';

/** Parses a grant's or a request's net target; undefined when it is not one. */
export function parseNetTarget(text: string): NetTarget | undefined {
  const value = text.trim().toLowerCase();
  if (value === '*') return ANY;
  if (value === UNIX_SOCKETS_TARGET) return UNIX;
  if (value.startsWith('[')) {
    const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
    if (!match || !IPV6.test(match[1]!) || !match[1]!.includes(':')) return undefined;
    return withPort('host', match[1]!, match[2]);
  }
  const colon = value.indexOf(':');
  if (colon !== -1 && value.indexOf(':', colon + 1) !== -1) {
    // A bare IPv6 address: it cannot carry a port without brackets.
    return IPV6.test(value) ? { type: 'host', host: value, port: undefined } : undefined;
  }
  let host = colon === -1 ? value : value.slice(0, colon);
  if (host.endsWith('.')) host = host.slice(0, -1);
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (name === '' || !name.split('.').every((label) => LABEL.test(label))) return undefined;
  return withPort(wildcard ? 'wildcard' : 'host', wildcard ? `.${name}` : name, colon === -1 ? undefined : value.slice(colon + 1));
}

function withPort(type: 'wildcard' | 'host', host: string, portText: string | undefined): NetTarget | undefined {
  if (portText === undefined) return { type, host, port: undefined };
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { type, host, port } : undefined;
}

/** The target written in its one canonical form (lower case, IPv6 in brackets when a port follows). */
export function formatNetTarget(target: NetTarget): string {
  if (target.type === 'any') return '*';
  if (target.type === 'unix') return UNIX_SOCKETS_TARGET;
  const host = target.type === 'wildcard' ? `*${target.host}` : target.host;
  if (target.port === undefined) return host;
  return `${host.includes(':') ? `[${host}]` : host}:${target.port}`;
}

/**
 * How specifically `grant` covers the concrete `request` (higher is more specific: host:port over host over
 * `*.domain` over `*`), or -1 when it does not. A request that is itself a pattern is covered only by `*`;
 * `unix:*` covers and is covered by `unix:*` alone.
 */
export function netSpecificity(grant: NetTarget, request: NetTarget): number {
  if (grant.type === 'unix' || request.type === 'unix') return grant.type === request.type ? 4 : -1;
  if (grant.type === 'any') return 1;
  if (request.type !== 'host') return -1;
  if (grant.port !== undefined && grant.port !== request.port) return -1;
  const portBonus = grant.port === undefined ? 0 : 0.5;
  if (grant.type === 'host') return grant.host === request.host ? 4 + portBonus : -1;
  if (request.host.length <= grant.host.length || !request.host.endsWith(grant.host)) return -1;
  // A longer suffix (*.api.example.com) is narrower than a shorter one (*.example.com).
  return 2 + portBonus + Math.min(grant.host.length, 255) / 1000;
}
