// The one seam between the gateway server and the pure gateway catalogue (namespacing, merging, tool search). This
// is a minimal stand-in until src/core/gateway/{namespacing,gatewayCatalog,toolSearch}.ts land: everything else
// in src/node/gateway reads the catalogue only through `CatalogIndex`, so the swap touches this file alone.
import type { ServerSnapshot } from '../../core/lifecycle/serverRegistry';
import type { PromptInfo, ResourceInfo, ResourceTemplateInfo, ToolInfo } from '../../core/lifecycle/session';

/** What an agent sees: every running server under `/mcp`, or one server under `/servers/<name>/mcp`. */
export type GatewayView = { readonly kind: 'aggregate' } | { readonly kind: 'server'; readonly server: string };

export interface Qualified<T> {
  /** The name the agent sees: `<server>__<name>` in the aggregate view, the server's own name in a server's view. */
  readonly name: string;
  readonly server: string;
  readonly item: T;
}

export interface Located<T> {
  readonly server: string;
  readonly item: T;
}

export interface SearchHit {
  readonly name: string;
  readonly server: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

const SEPARATOR = '__';

/** A snapshot of what a view offers, built once per catalogue change and read by every request. */
export class CatalogIndex {
  readonly tools: readonly Qualified<ToolInfo>[];
  readonly prompts: readonly Qualified<PromptInfo>[];
  readonly resources: readonly Located<ResourceInfo>[];
  readonly templates: readonly Located<ResourceTemplateInfo>[];
  private readonly toolsByName: ReadonlyMap<string, Qualified<ToolInfo>>;
  private readonly promptsByName: ReadonlyMap<string, Qualified<PromptInfo>>;
  private readonly resourcesByUri: ReadonlyMap<string, string>;

  constructor(
    servers: readonly ServerSnapshot[],
    readonly view: GatewayView,
  ) {
    const visible = servers.filter((s) => s.status === 'configured' && s.state.kind === 'running' && (view.kind === 'aggregate' || s.name === view.server));
    // Sorted by server so that a name two servers could claim goes to the same one every time.
    visible.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const qualify = (server: string, name: string) => (view.kind === 'aggregate' ? `${server}${SEPARATOR}${name}` : name);
    this.tools = unique(visible.flatMap((s) => s.catalog.tools.map((item) => ({ name: qualify(s.name, item.name), server: s.name, item }))));
    this.prompts = unique(visible.flatMap((s) => s.catalog.prompts.map((item) => ({ name: qualify(s.name, item.name), server: s.name, item }))));
    this.resources = visible.flatMap((s) => s.catalog.resources.map((item) => ({ server: s.name, item })));
    this.templates = visible.flatMap((s) => (s.catalog.resourceTemplates ?? []).map((item) => ({ server: s.name, item })));
    this.toolsByName = new Map(this.tools.map((t) => [t.name, t]));
    this.promptsByName = new Map(this.prompts.map((p) => [p.name, p]));
    const byUri = new Map<string, string>();
    for (const r of this.resources) if (!byUri.has(r.item.uri)) byUri.set(r.item.uri, r.server);
    this.resourcesByUri = byUri;
  }

  /**
   * The server and its own name for a name the agent used. A name of a server that is not running still resolves
   * (to `<server>`, `<name>`), so that the registry refuses it with its own words and audits the refusal.
   */
  resolveTool(name: string): { readonly server: string; readonly name: string } | undefined {
    const known = this.toolsByName.get(name);
    if (known) return { server: known.server, name: known.item.name };
    return this.split(name);
  }

  resolvePrompt(name: string): { readonly server: string; readonly name: string } | undefined {
    const known = this.promptsByName.get(name);
    if (known) return { server: known.server, name: known.item.name };
    return this.split(name);
  }

  /**
   * The server a resource URI belongs to: the one that lists it, else the one whose template's fixed prefix is the
   * longest match; resource URIs are not renamed, since agents meet them in tool results too.
   */
  serverOfResource(uri: string): string | undefined {
    if (this.view.kind === 'server') return this.view.server;
    const listed = this.resourcesByUri.get(uri);
    if (listed) return listed;
    let best: { server: string; length: number } | undefined;
    for (const t of this.templates) {
      const prefix = t.item.uriTemplate.split('{', 1)[0] ?? '';
      if (prefix.length > 0 && uri.startsWith(prefix) && (!best || prefix.length > best.length)) best = { server: t.server, length: prefix.length };
    }
    return best?.server;
  }

  /** Tools ranked for a query: every query word found in a tool's name, server or description scores. */
  search(query: string, limit: number, server?: string): SearchHit[] {
    const words = query.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
    const scored = this.tools
      .filter((t) => server === undefined || t.server === server)
      .map((t) => {
        const name = t.name.toLowerCase();
        const text = `${t.server} ${t.item.title ?? ''} ${t.item.description ?? ''}`.toLowerCase();
        const score = words.reduce((sum, w) => sum + (name.includes(w) ? 3 : 0) + (text.includes(w) ? 1 : 0), 0);
        return { t, score };
      })
      .filter((s) => s.score > 0 || words.length === 0)
      .sort((a, b) => b.score - a.score || (a.t.name < b.t.name ? -1 : 1));
    return scored.slice(0, limit).map(({ t }) => ({
      name: t.name,
      server: t.server,
      ...(t.item.description !== undefined && { description: t.item.description.slice(0, 300) }),
      inputSchema: t.item.inputSchema,
    }));
  }

  private split(name: string): { server: string; name: string } | undefined {
    if (this.view.kind === 'server') return { server: this.view.server, name };
    const at = name.indexOf(SEPARATOR);
    if (at <= 0 || at + SEPARATOR.length >= name.length) return undefined;
    return { server: name.slice(0, at), name: name.slice(at + SEPARATOR.length) };
  }
}

/** The first of each name wins (servers in sorted order), so a collision never hides a server at random. */
function unique<T>(items: Qualified<T>[]): Qualified<T>[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.name) && (seen.add(i.name), true));
}
