import type { ServerSnapshot } from '../../core/lifecycle/serverRegistry';

export type ListKind = 'tools' | 'prompts' | 'resources';

interface Seen {
  readonly tools: unknown;
  readonly prompts: unknown;
  readonly resources: unknown;
  readonly templates: unknown;
}

const NOTHING: Seen = { tools: undefined, prompts: undefined, resources: undefined, templates: undefined };

/**
 * Which lists of which servers an agent sees differently since the last look. A server that is not running shows
 * nothing; a catalogue is compared by identity (a supervisor replaces a list when it changes), so a false alarm
 * costs one extra list_changed, never a missed one.
 */
export class CatalogChanges {
  private seen = new Map<string, Seen>();

  constructor(servers: readonly ServerSnapshot[]) {
    this.update(servers);
  }

  /** The lists that changed, by server. */
  update(servers: readonly ServerSnapshot[]): Map<string, Set<ListKind>> {
    const next = new Map<string, Seen>();
    for (const s of servers) {
      if (s.status !== 'configured' || s.state.kind !== 'running') continue;
      next.set(s.name, { tools: some(s.catalog.tools), prompts: some(s.catalog.prompts), resources: some(s.catalog.resources), templates: some(s.catalog.resourceTemplates) });
    }
    const changed = new Map<string, Set<ListKind>>();
    for (const name of new Set([...this.seen.keys(), ...next.keys()])) {
      const before = this.seen.get(name) ?? NOTHING;
      const after = next.get(name) ?? NOTHING;
      const kinds = new Set<ListKind>();
      if (before.tools !== after.tools) kinds.add('tools');
      if (before.prompts !== after.prompts) kinds.add('prompts');
      if (before.resources !== after.resources || before.templates !== after.templates) kinds.add('resources');
      if (kinds.size > 0) changed.set(name, kinds);
    }
    this.seen = next;
    return changed;
  }
}

/** An empty list shows the agent what no list shows: nothing. */
function some(list: readonly unknown[] | undefined): readonly unknown[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
