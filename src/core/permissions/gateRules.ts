/** The sentences a gate decision carries: the rule that decided (audit log, notifications) and why asking is modal. */
import { delegatingServerOf } from '../gateway/caller';
import { displayText } from './declarations';
import type { Grant, GrantStatus, PermissionRequest, ToolAnnotations } from './permission';
import { matchSpecificity, type CompiledTarget } from './targetMatching';

export type GrantLevel = 'once' | 'session' | 'workspace';

export const NO_GRANT_RULE = 'no grant decides: ask';
export const ANNOTATION_SETTING = 'mcpWarden.permissions.annotationDefaults';

const VERB = { allow: 'allowed', deny: 'denied' } as const;
/** Targets and dates in rules and risks come from servers and repositories: kept to one short line. */
const MAX_SHOWN_CHARS = 200;
const shown = (text: string) => displayText(text, MAX_SHOWN_CHARS);

/** e.g. "allowed for this workspace on 2026-12-02 (sealed grant)", "denied for this session (grant for *.github.com)". */
export function grantRule(grant: Grant, level: GrantLevel, status: GrantStatus | undefined, requestTarget: string): string {
  const covers = grant.target !== requestTarget ? ` for ${shown(grant.target)}` : '';
  const verb = grant.agents ? `${VERB[grant.decision]} to ${grant.agents.map(shown).join(', ')}` : VERB[grant.decision];
  switch (level) {
    case 'once':
      return `${verb} once${covers && ` (grant${covers})`}`;
    case 'session':
      return `${verb} for this session${covers && ` (grant${covers})`}`;
    case 'workspace':
      return `${verb} for this workspace on ${day(grant.grantedAt)} (${status ?? 'sealed'} grant${covers})`;
  }
}

/** The rule when the only grant that would match is pinned to an earlier definition or launch. */
export function suspendedRule(request: PermissionRequest, grant: Grant, level: GrantLevel): string {
  const what =
    request.permission.kind === 'launch'
      ? "the server's launch"
      : request.permission.kind === 'tool' || request.permission.kind === 'prompt'
        ? `the definition of ${request.permission.kind} '${shown(request.permission.target)}'`
        : 'what was approved';
  const when = level === 'workspace' ? `on ${day(grant.grantedAt)}` : level === 'session' ? 'for this session' : 'once';
  return `${what} changed since it was ${VERB[grant.decision]} ${when}; the grant is suspended: ask`;
}

/** The rule when a workspace grant nobody confirmed on this machine would decide. */
export function proposedRule(grant: Grant): string {
  return `a proposed workspace grant (${grant.decision}, ${day(grant.grantedAt)}) needs confirming on this machine: ask`;
}

export function annotationRule(hint: keyof ToolAnnotations, verdict: 'allow' | 'deny'): string {
  return `${hint} tools ${VERB[verdict]} by ${ANNOTATION_SETTING}`;
}

function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : `'${displayText(iso, 40)}'`;
}

/**
 * Why asking must be modal: writing outside every workspace folder, running a program, any-host network, a tool
 * its server marks destructive or open-world. `extra` holds what only the caller knows (an unsigned download).
 */
export function risksOf(
  request: PermissionRequest,
  target: CompiledTarget,
  workspaceFolders: readonly CompiledTarget[],
  extra: readonly string[],
): string[] {
  const risks = [...extra];
  const kind = request.permission.kind;
  const delegating = delegatingServerOf(request.agent);
  if (delegating !== undefined) risks.push(`server '${shown(delegating)}' calls another server through the gateway`);
  const text = shown(request.permission.target);
  if (kind === 'fs.write') {
    if (target.type !== 'path') risks.push(`writes to '${text}', which is not an absolute path`);
    else if (!workspaceFolders.some((folder) => matchSpecificity(folder, target) >= 0)) risks.push(`writes to ${text}, outside every workspace folder`);
  } else if (kind === 'process.exec') {
    risks.push(`runs a program on this machine (${text})`);
  } else if (kind === 'net' && target.net?.type === 'any') {
    risks.push('may connect to any host on the network');
  } else if (kind === 'net' && target.net?.type === 'unix') {
    risks.push('may connect to any Unix socket on this machine (docker, ssh-agent, D-Bus…)');
  } else if (kind === 'tool' && request.annotations) {
    const { destructiveHint, readOnlyHint, openWorldHint } = request.annotations;
    if (destructiveHint === true && readOnlyHint !== true) risks.push(`the server marks tool '${text}' as destructive (destructiveHint)`);
    if (openWorldHint === true) risks.push(`the server marks tool '${text}' as reaching the open world (openWorldHint)`);
  }
  return risks;
}
