import type { ClientRequestMethod, ServerCatalog, ToolInfo } from '../lifecycle/session';
import type { Hasher, Permission, ToolAnnotations } from './permission';
import { promptPinText, toolPinText } from './definitionPins';

/** The permission a client request needs, with what the gate and the question need to know about it. */
export interface RequestPermission {
  readonly permission: Permission;
  /** The definition's pin now (tools and prompts); undefined when the server does not list it. */
  readonly pin?: string;
  readonly annotations?: ToolAnnotations;
  /** The definition as the server lists it, for a diff when it changed. */
  readonly definition?: unknown;
  /** "tool 'search'", for messages. */
  readonly what: string;
}

/**
 * Maps a request to the one permission it needs. `undefined`: the request needs none (an unsubscribe only takes
 * something away). A request it cannot read (no name, no URI) maps to a permission no grant can match.
 */
export function permissionForRequest(method: ClientRequestMethod, params: Readonly<Record<string, unknown>>, catalog: ServerCatalog, pins: PinCache): RequestPermission | undefined {
  switch (method) {
    case 'tools/call': {
      const name = stringOf(params['name']);
      const tool = pins.toolInfo(catalog, name);
      return {
        permission: { kind: 'tool', target: name },
        what: `tool '${name}'`,
        ...(tool && { pin: pins.tool(catalog, name), definition: tool }),
        ...(tool?.annotations && { annotations: tool.annotations as ToolAnnotations }),
      };
    }
    case 'prompts/get':
      return promptPermission(stringOf(params['name']), catalog, pins);
    case 'resources/read':
    case 'resources/subscribe': {
      const uri = stringOf(params['uri']);
      return { permission: { kind: 'resource', target: uri }, what: `resource '${uri}'` };
    }
    case 'resources/unsubscribe':
      return undefined;
    case 'completion/complete': {
      const ref = params['ref'] as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
      if (ref?.type === 'ref/prompt') return promptPermission(stringOf(ref.name), catalog, pins);
      const uri = stringOf(ref?.uri);
      return { permission: { kind: 'resource', target: uri }, what: `completions for resource '${uri}'` };
    }
  }
}

function promptPermission(name: string, catalog: ServerCatalog, pins: PinCache): RequestPermission {
  const prompt = catalog.prompts.find((p) => p.name === name); // the first of a name, as the pins take it
  return { permission: { kind: 'prompt', target: name }, what: `prompt '${name}'`, ...(prompt && { pin: pins.prompt(catalog, name), definition: prompt }) };
}

/** A missing or non-string name: a target no grant names, so the gate asks (and the question shows it). */
function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '(missing)';
}

interface CatalogIndex {
  readonly toolsByName: Map<string, ToolInfo>;
  readonly tools: Map<string, string>;
  readonly prompts: Map<string, string>;
}

/**
 * Tools by name and the pins of a catalog's tools and prompts, computed once per catalog: a catalog is replaced, never changed, when the
 * server's lists change, so the pins of a call are a map lookup.
 */
export class PinCache {
  private readonly byCatalog = new WeakMap<ServerCatalog, CatalogIndex>();

  constructor(private readonly hasher: Hasher) {}

  tool(catalog: ServerCatalog, name: string): string | undefined {
    return this.of(catalog).tools.get(name);
  }

  toolInfo(catalog: ServerCatalog, name: string): ToolInfo | undefined {
    return this.of(catalog).toolsByName.get(name);
  }

  hasTool(catalog: ServerCatalog, name: unknown): boolean {
    return typeof name === 'string' && this.of(catalog).toolsByName.has(name);
  }

  prompt(catalog: ServerCatalog, name: string): string | undefined {
    return this.of(catalog).prompts.get(name);
  }

  private of(catalog: ServerCatalog): CatalogIndex {
    let index = this.byCatalog.get(catalog);
    if (!index) {
      // The first of a name decides, here as where a catalog is shown: the pin is of the definition the user saw.
      index = { toolsByName: new Map(), tools: new Map(), prompts: new Map() };
      for (const tool of catalog.tools) {
        if (index.toolsByName.has(tool.name)) continue;
        index.toolsByName.set(tool.name, tool);
        index.tools.set(tool.name, this.hasher.sha256(toolPinText(tool)));
      }
      for (const prompt of catalog.prompts) if (!index.prompts.has(prompt.name)) index.prompts.set(prompt.name, this.hasher.sha256(promptPinText(prompt)));
      this.byCatalog.set(catalog, index);
    }
    return index;
  }
}
