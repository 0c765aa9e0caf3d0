import { canonicalJson } from '../canonicalJson';
import type { PromptInfo, ResourceInfo, ResourceTemplateInfo, ServerCatalog, ToolInfo } from '../lifecycle/session';
import { compareText, fnv1a32, NameTable, serverPrefixes, type NameOwner } from './namespacing';
import { ResourceRouting, type ResourceTarget } from './resourceRouting';

/**
 * What the gateway offers agents: the catalogues of the running servers under one namespaced view (names per
 * namespacing.ts, resource URIs per resourceRouting.ts). Titles and descriptions are kept as the servers gave them.
 * A view is immutable: build a new one when a catalogue changes, and `diffViews` says which lists to announce.
 */

export interface RunningServer {
  readonly name: string;
  readonly catalog: ServerCatalog;
}

export interface GatewayCatalogOptions {
  /** Servers whose tools `tools/list` shows (default 'all'); the others' tools are found with tool search only. */
  readonly exposedDirectly?: ReadonlySet<string> | 'all';
}

/** A server's tool as the gateway offers it. */
export interface GatewayTool {
  /** The name agents see and call. */
  readonly qualifiedName: string;
  readonly server: string;
  /** As the server listed it: `tool.name` is the name to forward. */
  readonly tool: ToolInfo;
  /** In `tools/list`; otherwise reachable through `search_tools` / `call_tool` only. */
  readonly direct: boolean;
}

/** Fingerprints of what an agent lists: equal fingerprints, nothing to announce. */
export interface ViewFingerprints {
  readonly tools: string;
  readonly prompts: string;
  /** Resources and resource templates (one `list_changed` covers both). */
  readonly resources: string;
}

export interface GatewayView {
  /** The servers in the view, in name order. */
  readonly servers: readonly string[];
  /** Every tool, direct or not, servers in name order and each server's tools in its own order. */
  readonly tools: readonly GatewayTool[];
  /** What `tools/list` answers (without the gateway's own tools): direct tools under their qualified names. */
  readonly listedTools: readonly ToolInfo[];
  readonly prompts: readonly PromptInfo[];
  readonly resources: readonly ResourceInfo[];
  readonly resourceTemplates: readonly ResourceTemplateInfo[];
  readonly fingerprints: ViewFingerprints;
  /** The tool a name an agent sent stands for (direct or not: the caller decides whether to allow hidden ones). */
  tool(name: string): GatewayTool | undefined;
  /** The server and prompt name to forward `prompts/get` to. */
  prompt(name: string): NameOwner | undefined;
  /** The server and URI to forward a read or subscribe to (rule in resourceRouting.ts); undefined: refuse. */
  resolveResource(uri: string): ResourceTarget | undefined;
  /** The URI an agent knows a server's resource by; undefined for a server not in the view. */
  publicResourceUri(server: string, uri: string): string | undefined;
}

export interface CatalogChanges {
  readonly tools: boolean;
  readonly prompts: boolean;
  readonly resources: boolean;
}

/**
 * A cheap, stable fingerprint of a list as agents see it: two FNV-1a hashes with different bases and the length of
 * its canonical JSON. Not a security check; a missed change would need a collision of both hashes at equal length.
 */
export function fingerprint(value: unknown): string {
  const text = canonicalJson(value);
  return `${fnv1a32(text)}${fnv1a32(text, 0x3b9ac9ff)}:${text.length}`;
}

const EMPTY_FINGERPRINTS: ViewFingerprints = { tools: fingerprint([]), prompts: fingerprint([]), resources: fingerprint([[], []]) };

/** Which lists differ between two views; no previous view counts as an empty one. */
export function diffViews(previous: GatewayView | undefined, next: GatewayView): CatalogChanges {
  const before = previous?.fingerprints ?? EMPTY_FINGERPRINTS;
  return {
    tools: before.tools !== next.fingerprints.tools,
    prompts: before.prompts !== next.fingerprints.prompts,
    resources: before.resources !== next.fingerprints.resources,
  };
}

interface ViewParts {
  readonly servers: readonly RunningServer[];
  readonly tools: readonly GatewayTool[];
  readonly prompts: readonly PromptInfo[];
  readonly promptOwners: ReadonlyMap<string, NameOwner>;
  readonly routing: Pick<ResourceRouting, 'resources' | 'resourceTemplates' | 'resolve' | 'publicUri'>;
}

function makeView({ servers, tools, prompts, promptOwners, routing }: ViewParts): GatewayView {
  const byName = new Map(tools.map((t) => [t.qualifiedName, t]));
  const listedTools = tools.filter((t) => t.direct).map((t) => (t.qualifiedName === t.tool.name ? t.tool : { ...t.tool, name: t.qualifiedName }));
  const { resources, resourceTemplates } = routing;
  return {
    servers: servers.map((s) => s.name),
    tools,
    listedTools,
    prompts,
    resources,
    resourceTemplates,
    fingerprints: { tools: fingerprint(listedTools), prompts: fingerprint(prompts), resources: fingerprint([resources, resourceTemplates]) },
    tool: (name) => byName.get(name),
    prompt: (name) => promptOwners.get(name),
    resolveResource: (uri) => routing.resolve(uri),
    publicResourceUri: (server, uri) => routing.publicUri(server, uri),
  };
}

/** The running servers under one namespaced view. Server names must be unique (they are registry ids). */
export function buildGatewayView(running: readonly RunningServer[], options: GatewayCatalogOptions = {}): GatewayView {
  const servers = [...running].sort((a, b) => compareText(a.name, b.name));
  const prefixes = serverPrefixes(servers.map((s) => s.name));
  const toolNames = new NameTable(servers.map((s) => ({ server: s.name, names: s.catalog.tools.map((t) => t.name) })), prefixes);
  const promptNames = new NameTable(servers.map((s) => ({ server: s.name, names: s.catalog.prompts.map((p) => p.name) })), prefixes);
  const exposed = options.exposedDirectly ?? 'all';
  const tools: GatewayTool[] = [];
  const prompts: PromptInfo[] = [];
  const promptOwners = new Map<string, NameOwner>();
  for (const { name: server, catalog } of servers) {
    const direct = exposed === 'all' || exposed.has(server);
    for (const tool of catalog.tools) tools.push({ qualifiedName: toolNames.qualify(server, tool.name)!, server, tool, direct });
    for (const prompt of catalog.prompts) {
      const name = promptNames.qualify(server, prompt.name)!;
      promptOwners.set(name, { server, name: prompt.name });
      prompts.push({ ...prompt, name });
    }
  }
  const routing = new ResourceRouting(
    servers.map(({ name, catalog }) => ({ server: name, prefix: prefixes.get(name)!, resources: catalog.resources, resourceTemplates: catalog.resourceTemplates ?? [] })),
  );
  return makeView({ servers, tools: dedupeTools(tools), prompts: dedupeByName(prompts), promptOwners, routing });
}

/**
 * One server's own view, for a per-server endpoint: names and URIs exactly as the server gave them, every tool
 * direct, every URI forwarded to it. Such an endpoint serves no `search_tools` / `call_tool` (a server's own tool
 * could bear those names).
 */
export function singleServerView(server: RunningServer): GatewayView {
  const { name, catalog } = server;
  const resourceTemplates = catalog.resourceTemplates ?? [];
  const tools = catalog.tools.map((tool) => ({ qualifiedName: tool.name, server: name, tool, direct: true }));
  return makeView({
    servers: [server],
    tools: dedupeTools(tools),
    prompts: dedupeByName(catalog.prompts),
    promptOwners: new Map(catalog.prompts.map((p) => [p.name, { server: name, name: p.name }])),
    routing: {
      resources: catalog.resources,
      resourceTemplates,
      resolve: (uri) => ({ server: name, uri }),
      publicUri: (owner, uri) => (owner === name ? uri : undefined),
    },
  });
}

/** A server that lists one name twice is offered it once (the first), as a client keyed by name would see it. */
function dedupeTools(tools: readonly GatewayTool[]): GatewayTool[] {
  const seen = new Set<string>();
  return tools.filter((t) => !seen.has(t.qualifiedName) && seen.add(t.qualifiedName));
}

function dedupeByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.name) && seen.add(item.name));
}
