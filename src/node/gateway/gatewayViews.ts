// What each gateway endpoint shows, built by the core catalogue (src/core/gateway) from the registry's running
// servers: one namespaced view for /mcp, one per server for /servers/<name>/mcp. Views are built when first asked
// for and rebuilt on every registry change; their fingerprints say which lists changed.
import { buildGatewayView, diffViews, singleServerView, type CatalogChanges, type GatewayView } from '../../core/gateway/gatewayCatalog';
import { ToolSearchIndex } from '../../core/gateway/toolSearch';
import type { ServerSnapshot } from '../../core/lifecycle/serverRegistry';

/** An endpoint: every running server under `/mcp`, or one server, under its own names, at `/servers/<name>/mcp`. */
export type Endpoint = { readonly kind: 'aggregate' } | { readonly kind: 'server'; readonly server: string };

export const AGGREGATE: Endpoint = { kind: 'aggregate' };

interface Built {
  readonly view: GatewayView;
  search?: ToolSearchIndex;
}

export class GatewayViews {
  private built = new Map<string, Built>();

  constructor(
    private readonly servers: () => readonly ServerSnapshot[],
    private readonly exposedDirectly: (server: string) => boolean,
  ) {}

  view(endpoint: Endpoint): GatewayView {
    return this.entry(keyOf(endpoint)).view;
  }

  /** Tool search over every tool of the view, listed directly or not. */
  search(endpoint: Endpoint): ToolSearchIndex {
    const entry = this.entry(keyOf(endpoint));
    entry.search ??= new ToolSearchIndex(entry.view.tools);
    return entry.search;
  }

  /** Rebuilds every view built so far; returns what changed in each, by endpoint key ('' for the aggregate). */
  refresh(): Map<string, CatalogChanges> {
    const before = this.built;
    this.built = new Map();
    const changes = new Map<string, CatalogChanges>();
    for (const [key, old] of before) changes.set(key, diffViews(old.view, this.entry(key).view));
    return changes;
  }

  private entry(key: string): Built {
    let entry = this.built.get(key);
    if (!entry) this.built.set(key, (entry = { view: this.build(key) }));
    return entry;
  }

  private build(key: string): GatewayView {
    const running = this.servers()
      .filter((s) => s.status === 'configured' && s.state.kind === 'running')
      .map((s) => ({ name: s.name, catalog: s.catalog }));
    if (key === '') return buildGatewayView(running, { exposedDirectly: new Set(running.map((s) => s.name).filter(this.exposedDirectly)) });
    const server = running.find((s) => s.name === key);
    return server ? singleServerView(server) : buildGatewayView([]);
  }
}

/** '' for the aggregate, else the server's name (server names are never empty). */
export function keyOf(endpoint: Endpoint): string {
  return endpoint.kind === 'aggregate' ? '' : endpoint.server;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return keyOf(a) === keyOf(b) && a.kind === b.kind;
}
