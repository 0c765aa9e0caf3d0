import type { ResourceInfo, ResourceTemplateInfo } from '../lifecycle/session';
import { compareText } from './namespacing';

/**
 * Resources of many servers under one list, and which server a URI an agent reads belongs to.
 *
 * - A URI listed by exactly one server is published as that server gave it. A URI listed by two or more servers is
 *   published, for each, as `mcp-warden://<server prefix>/<encodeURIComponent(uri)>`.
 * - A resource template whose text only one server lists is published as is. One that two or more servers list is
 *   published as `mcp-warden://<server prefix>/<template>`, the template appended raw (not encoded, so it stays a
 *   template): an agent that expands it gets `mcp-warden://<prefix>/<the URI the server's own template gives>`.
 * - Reading `mcp-warden://<prefix>/<rest>`: `rest` containing `:` is taken as the URI itself (an expanded template,
 *   whose scheme keeps its `:`); otherwise it is percent-decoded (the published form of a listed URI, whose `:` is
 *   encoded). A URI is never rewritten when it is unique, so existing links an agent holds keep working.
 */

export const GATEWAY_URI_SCHEME = 'mcp-warden';
const GATEWAY_URI_START = `${GATEWAY_URI_SCHEME}://`;

/** A server's resource as the gateway reads it. */
export interface ResourceTarget {
  readonly server: string;
  readonly uri: string;
}

export interface ServerResources {
  readonly server: string;
  readonly prefix: string;
  readonly resources: readonly ResourceInfo[];
  readonly resourceTemplates: readonly ResourceTemplateInfo[];
}

export function prefixedUri(prefix: string, uri: string): string {
  return `${GATEWAY_URI_START}${prefix}/${encodeURIComponent(uri)}`;
}

/** How many distinct servers list each key. */
function listedBy(servers: readonly ServerResources[], keys: (s: ServerResources) => readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const server of servers) for (const key of new Set(keys(server))) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The text of a template before its first expression: what every URI it expands to starts with. */
function literalStart(template: string): string {
  const open = template.indexOf('{');
  return open === -1 ? template : template.slice(0, open);
}

export class ResourceRouting {
  readonly resources: readonly ResourceInfo[];
  readonly resourceTemplates: readonly ResourceTemplateInfo[];
  private readonly owner = new Map<string, ResourceTarget>();
  /** URIs two or more servers list: read only in their prefixed forms. */
  private readonly ambiguous = new Set<string>();
  private readonly serverOfPrefix = new Map<string, string>();
  private readonly prefixOfServer = new Map<string, string>();
  /** Literal starts of the templates published as is, with the servers that have them. */
  private readonly templateStarts: { readonly start: string; readonly server: string }[] = [];
  private readonly withResources: readonly string[];

  constructor(input: readonly ServerResources[]) {
    const servers = [...input].sort((a, b) => compareText(a.server, b.server));
    const uriCounts = listedBy(servers, (s) => s.resources.map((r) => r.uri));
    const templateCounts = listedBy(servers, (s) => s.resourceTemplates.map((t) => t.uriTemplate));
    const resources: ResourceInfo[] = [];
    const templates: ResourceTemplateInfo[] = [];
    for (const { server, prefix, resources: own, resourceTemplates } of servers) {
      this.serverOfPrefix.set(prefix, server);
      this.prefixOfServer.set(server, prefix);
      for (const resource of own) {
        const unique = uriCounts.get(resource.uri) === 1;
        if (!unique) this.ambiguous.add(resource.uri);
        const uri = unique ? resource.uri : prefixedUri(prefix, resource.uri);
        this.owner.set(uri, { server, uri: resource.uri });
        resources.push(uri === resource.uri ? resource : { ...resource, uri });
      }
      for (const template of resourceTemplates) {
        if (templateCounts.get(template.uriTemplate) === 1) {
          templates.push(template);
          const start = literalStart(template.uriTemplate);
          if (start !== '') this.templateStarts.push({ start, server });
        } else {
          templates.push({ ...template, uriTemplate: `${GATEWAY_URI_START}${prefix}/${template.uriTemplate}` });
        }
      }
    }
    this.resources = resources;
    this.resourceTemplates = templates;
    this.withResources = servers.filter((s) => s.resources.length > 0 || s.resourceTemplates.length > 0).map((s) => s.server);
  }

  /**
   * The server and URI to read for a URI an agent sent: a listed URI (as published) first; then the
   * `mcp-warden://<prefix>/…` form; then the one server whose unique template's literal start is the longest start
   * of the URI; then the only server with resources or templates at all. Undefined otherwise (a URI two servers
   * list, an unknown prefix, no single candidate): the caller refuses.
   */
  resolve(uri: string): ResourceTarget | undefined {
    const listed = this.owner.get(uri);
    if (listed !== undefined) return listed;
    if (uri.startsWith(GATEWAY_URI_START)) return this.resolvePrefixed(uri.slice(GATEWAY_URI_START.length));
    if (this.ambiguous.has(uri)) return undefined;
    return this.resolveByTemplate(uri) ?? (this.withResources.length === 1 ? { server: this.withResources[0]!, uri } : undefined);
  }

  /** The URI under which an agent knows a server's resource (e.g. for `notifications/resources/updated`). */
  publicUri(server: string, uri: string): string | undefined {
    const prefix = this.prefixOfServer.get(server);
    if (prefix === undefined) return undefined;
    const resolved = this.resolve(uri);
    return resolved?.server === server && resolved.uri === uri ? uri : prefixedUri(prefix, uri);
  }

  private resolvePrefixed(rest: string): ResourceTarget | undefined {
    const slash = rest.indexOf('/');
    const server = slash === -1 ? undefined : this.serverOfPrefix.get(rest.slice(0, slash));
    const path = rest.slice(slash + 1);
    if (server === undefined || path === '') return undefined;
    if (path.includes(':')) return { server, uri: path };
    try {
      return { server, uri: decodeURIComponent(path) };
    } catch {
      return undefined;
    }
  }

  private resolveByTemplate(uri: string): ResourceTarget | undefined {
    let best = 0;
    const servers = new Set<string>();
    for (const { start, server } of this.templateStarts) {
      if (start.length < best || !uri.startsWith(start)) continue;
      if (start.length > best) servers.clear();
      best = start.length;
      servers.add(server);
    }
    return servers.size === 1 ? { server: [...servers][0]!, uri } : undefined;
  }
}
