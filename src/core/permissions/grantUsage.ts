import { Emitter } from '../events';
import type { Grant } from './permission';

/** At most this many grants are remembered (the oldest use goes first): a view hint, not a record. */
const MAX_GRANTS = 2048;

/**
 * Which gateway agents each grant decided for: the Permissions view lists them under the grant, so a user
 * revoking it knows whom it stops. The audit log stays the record; this is what the view can show at a glance.
 */
export class GrantUsage {
  private readonly agents = new Map<string, Set<string>>();
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;

  /** Called on every decision a grant made: cheap when nothing is new (the common case). */
  used(grant: Grant, agent: string): void {
    const key = grantKey(grant);
    let set = this.agents.get(key);
    if (set?.has(agent)) return;
    if (!set) {
      if (this.agents.size >= MAX_GRANTS) this.agents.delete(this.agents.keys().next().value as string);
      this.agents.set(key, (set = new Set()));
    }
    set.add(agent);
    this.emitter.fire();
  }

  /** The agents a grant decided for, sorted. */
  agentsOf(grant: Grant): string[] {
    return [...(this.agents.get(grantKey(grant)) ?? [])].sort();
  }

  /** For keeping across reloads: `[grant key, agents]` pairs. */
  toJSON(): [string, string[]][] {
    return [...this.agents].map(([key, set]) => [key, [...set]]);
  }

  /** Takes back what `toJSON` gave; anything malformed is skipped (it came from storage). */
  restore(entries: unknown): void {
    if (!Array.isArray(entries)) return;
    for (const entry of entries.slice(0, MAX_GRANTS)) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) continue;
      this.agents.set(entry[0], new Set((entry[1] as unknown[]).filter((a): a is string => typeof a === 'string')));
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function grantKey(grant: Grant): string {
  return [grant.server, grant.kind, grant.target, grant.decision, grant.scope, grant.grantedAt, (grant.agents ?? []).join(',')].join('\0');
}
