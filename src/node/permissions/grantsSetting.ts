/**
 * `mcpWarden.grants` as the workspace settings file holds it: a repository writes it, so every entry is checked
 * and nothing is read that the entry does not itself hold. Pure (no node API): it lives beside grantsFileWriter,
 * which writes the same setting, so that it can be tested without an editor.
 */
import { PERMISSION_KINDS, type Grant, type PermissionKind } from '../../core/permissions/permission';

/** More grants than anyone decides by hand: a file holding more is treated as a flood and read only this far. */
export const MAX_WORKSPACE_GRANTS = 5000;
/** Problems reported one by one; the rest are counted. */
const MAX_REPORTED = 20;

/** The grants of `mcpWarden.grants` as written; entries that are not grants are reported and left out. */
export function parseGrants(value: unknown, report: (problem: string) => void): Grant[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report('must be an array of grants');
    return [];
  }
  if (value.length > MAX_WORKSPACE_GRANTS) report(`holds ${value.length} entries; only the first ${MAX_WORKSPACE_GRANTS} are read`);
  const grants: Grant[] = [];
  let problems = 0;
  value.slice(0, MAX_WORKSPACE_GRANTS).forEach((item: unknown, index) => {
    const grant = grantOf(item);
    if (grant) grants.push(grant);
    else if (++problems <= MAX_REPORTED) {
      report(`entry ${index} is not a workspace grant (server, kind, target, decision, scope "workspace", grantedAt): ignored`);
    }
  });
  if (problems > MAX_REPORTED) report(`${problems - MAX_REPORTED} more entries are not workspace grants: ignored`);
  return grants;
}

function grantOf(item: unknown): Grant | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  // Own members only: a `__proto__` member in the JSON becomes the object's prototype, and what it holds is no
  // member of the grant.
  const own = (key: string): unknown => (Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined);
  const [server, kind, target, decision, scope, grantedAt, pin, seal, agents] = ['server', 'kind', 'target', 'decision', 'scope', 'grantedAt', 'pin', 'seal', 'agents'].map(own);
  if (typeof server !== 'string' || typeof target !== 'string' || typeof grantedAt !== 'string') return undefined;
  if (typeof kind !== 'string' || !(PERMISSION_KINDS as readonly string[]).includes(kind)) return undefined;
  if ((decision !== 'allow' && decision !== 'deny') || scope !== 'workspace') return undefined;
  if ((pin !== undefined && typeof pin !== 'string') || (seal !== undefined && typeof seal !== 'string')) return undefined;
  // A grant naming agents covers only them: a malformed list must not widen it to every caller.
  if (agents !== undefined && !isAgentList(agents)) return undefined;
  return {
    server,
    kind: kind as PermissionKind,
    target,
    decision,
    scope: 'workspace',
    grantedAt,
    ...(typeof pin === 'string' && { pin }),
    ...(typeof seal === 'string' && { seal }),
    ...(agents !== undefined && { agents: agents as string[] }),
  };
}

function isAgentList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.length <= 64 && value.every((a) => typeof a === 'string' && a.length > 0 && a.length <= 128);
}
