import { Emitter, type Event } from '../events';
import { annotationRule, grantRule, NO_GRANT_RULE, proposedRule, risksOf, suspendedRule, type GrantLevel } from './gateRules';
import { isDelegatingServer } from '../gateway/caller';
import { grantCovers } from './permission';
import type {
  AnnotationDefaults,
  GateDecision,
  Grant,
  GrantStatus,
  PermissionKind,
  PermissionRequest,
  ToolAnnotations,
  UserAnswer,
  WorkspaceGrant,
} from './permission';
import type { RealpathPort } from './pathTargets';
import { compileTarget, matchSpecificity, type CompiledTarget, type MatchOptions } from './targetMatching';

export interface GateOptions {
  /** From user settings (`mcpWarden.permissions.annotationDefaults`); never from the workspace. */
  readonly annotationDefaults: AnnotationDefaults;
  /** Absolute paths of the workspace folders: writing outside them is high-risk. */
  readonly workspaceFolders: readonly string[];
  /** Compare paths without case (Windows, macOS default volumes). */
  readonly caseInsensitivePaths: boolean;
  /** Resolves symlinks in fs and program paths (the node layer passes fs.realpathSync); without it, paths compare as written. */
  readonly realpath?: RealpathPort;
}

/** A grant as the Permissions view lists it. */
export interface ListedGrant {
  readonly grant: Grant;
  /** Workspace grants: their status; memory grants: `session` or `once`. */
  readonly status: GrantStatus | 'session' | 'once';
  /** Memory grants: the run they belong to. */
  readonly session?: string;
}

/** A grant with its target compiled, filed under its server and kind. */
interface Entry {
  readonly grant: Grant;
  readonly level: GrantLevel;
  readonly target: CompiledTarget;
  /** Memory grants: the run they belong to. */
  readonly session: string | undefined;
  /** Workspace grants: as the sealer classified them. */
  readonly status: GrantStatus | undefined;
  /** The rule sentence for a request of exactly this grant's target, made once: decide() runs on every call. */
  exactRule?: string;
}

/** Kinds whose targets are resolved through the file system on every request. */
const RESOLVED_KINDS = new Set<PermissionKind>(['fs.read', 'fs.write', 'process.exec']);
const DECISION_CACHE = 4096;
const ENDED_SESSIONS_KEPT = 1024;

/** Risks only matter when the user is asked: a decision a grant or default makes carries none. */
const NO_RISKS: readonly string[] = Object.freeze([]);

/** What one pass over the candidate grants found. */
interface Scan {
  best?: { entry: Entry; specificity: number };
  suspended?: { entry: Entry; specificity: number };
  proposed?: { entry: Entry; specificity: number };
  /** A deny grant covers the target, whatever its pin, level or status: annotation defaults must not apply. */
  denyExists: boolean;
}

const REQUEST_TARGET_CACHE = 4096;
/** Kinds whose requests carry a pin (the launch hash, the definition hash). */
const PINNED_KINDS: ReadonlySet<PermissionKind> = new Set(['launch', 'tool', 'prompt']);
const HINTS: readonly (keyof ToolAnnotations)[] = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'];

/**
 * Decides every request: allow, deny or ask, naming the rule. Holds the workspace grants (as classified by the
 * sealer) and the session and once grants in memory. Synchronous and indexed by server and kind: it runs on
 * every call.
 *
 * Order: once grants of the request's session, then its session grants, then sealed or confirmed workspace grants
 * (only when trusted), then annotation defaults (tools only, hints that are explicitly true), then ask. Within a
 * level the most specific target wins, and deny beats allow between equally specific ones. A pinned grant
 * matches only the same pin; otherwise it is reported as `suspended`.
 */
export class PermissionGate {
  /** `server\0session` of runs that ended: memory grants for them are not kept. */
  private readonly endedSessions = new Set<string>();
  private options: GateOptions;
  private matchOptions: MatchOptions;
  private folders: CompiledTarget[] = [];
  private trusted = true;
  private workspace: WorkspaceGrant[] = [];
  private readonly workspaceIndex = new Map<string, Entry[]>();
  private readonly memoryIndex = new Map<string, Entry[]>();
  private readonly changeEmitter = new Emitter<void>();
  private readonly requestTargets = new Map<string, CompiledTarget>();
  /**
   * Decisions a session or workspace grant made, by request: the same call repeats, and nothing but a change of
   * grants, trust or options (each clears this) can change its answer. Not for once grants (used up), nor for
   * paths and programs (a link can change between two calls).
   */
  private readonly decisions = new Map<string, GateDecision>();

  readonly onDidChange: Event<void> = this.changeEmitter.event;

  constructor(options: GateOptions) {
    this.options = options;
    this.matchOptions = matchOptionsOf(options);
    this.folders = compileFolders(options, this.matchOptions);
  }

  setOptions(options: GateOptions): void {
    this.options = options;
    this.matchOptions = matchOptionsOf(options);
    this.folders = compileFolders(options, this.matchOptions);
    this.requestTargets.clear();
    // Case folding and symlink resolution are baked into compiled targets.
    this.indexWorkspace();
    for (const [key, entries] of this.memoryIndex) {
      this.memoryIndex.set(key, entries.map((e) => ({ ...e, target: compileTarget(e.grant.kind, e.grant.target, this.matchOptions) })));
    }
    this.changed();
  }

  /** In an untrusted workspace no workspace grant is honoured (they are listed, as `proposed`). */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    this.changed();
  }

  setWorkspaceGrants(grants: readonly WorkspaceGrant[]): void {
    this.workspace = [...grants];
    this.indexWorkspace();
    this.changed();
  }

  get workspaceGrants(): readonly WorkspaceGrant[] {
    return this.workspace;
  }

  /** `extraRisks`: what only the caller knows, e.g. describeLaunch's unsigned download; they make asking modal. */
  decide(request: PermissionRequest, extraRisks: readonly string[] = []): GateDecision {
    const { server, session, permission } = request;
    const cacheable = !RESOLVED_KINDS.has(permission.kind);
    const cacheKey = cacheable ? `${server}\u0000${session}\u0000${permission.kind}\u0000${request.pin ?? ''}\u0000${request.agent ?? ''}\u0000${permission.target}` : '';
    if (cacheable) {
      const known = this.decisions.get(cacheKey);
      if (known) return known;
    }
    const decision = this.decideAfresh(request, extraRisks);
    if (cacheable && decision.grant && decision.grant.scope !== 'once') {
      if (this.decisions.size >= DECISION_CACHE) this.decisions.clear();
      this.decisions.set(cacheKey, decision);
    }
    return decision;
  }

  private decideAfresh(request: PermissionRequest, extraRisks: readonly string[]): GateDecision {
    const { server, session, permission } = request;
    const key = indexKey(server, permission.kind);
    const target = this.requestTarget(permission.kind, permission.target);
    const risks = () => risksOf(request, target, this.folders, extraRisks);
    const memory = this.memoryIndex.get(key);
    const workspace = this.workspaceIndex.get(key);
    let suspended: { entry: Entry } | undefined;
    let denyExists = false;

    for (const level of ['once', 'session'] as const) {
      const scan = scanEntries(memory, target, request, (e) => e.level === level && e.session === session);
      if (scan.best) return this.decided(scan.best.entry, request);
      suspended ??= scan.suspended;
      denyExists ||= scan.denyExists;
    }
    let proposed: { entry: Entry } | undefined;
    if (workspace) {
      const honoured = this.trusted ? scanEntries(workspace, target, request, (e) => e.status === 'sealed' || e.status === 'confirmed') : undefined;
      if (honoured?.best) return this.decided(honoured.best.entry, request);
      suspended ??= honoured?.suspended;
      // Proposed and untrusted grants decide nothing, but a deny among them still keeps annotation defaults out.
      const rest = scanEntries(workspace, target, request, (e) => e.status !== 'tampered' && (!this.trusted || (e.status !== 'sealed' && e.status !== 'confirmed')));
      if (this.trusted) proposed = rest.proposed;
      denyExists ||= (honoured?.denyExists ?? false) || rest.denyExists;
    }

    const byAnnotation = denyExists ? undefined : this.annotationDefault(request);
    if (byAnnotation) return { verdict: byAnnotation.verdict, rule: annotationRule(byAnnotation.hint, byAnnotation.verdict), risks: NO_RISKS };

    if (suspended) {
      return { verdict: 'ask', rule: suspendedRule(request, suspended.entry.grant, suspended.entry.level), suspended: suspended.entry.grant, risks: risks() };
    }
    if (proposed) return { verdict: 'ask', rule: proposedRule(proposed.entry.grant), proposed: proposed.entry.grant, risks: risks() };
    return { verdict: 'ask', rule: NO_GRANT_RULE, risks: risks() };
  }

  /** Keeps a `once` or `session` answer in memory and returns the grant. Workspace answers go through the GrantStore. */
  remember(request: PermissionRequest, answer: UserAnswer, grantedAt: string): Grant {
    const { server, session, permission } = request;
    const grant: Grant = {
      server,
      kind: permission.kind,
      target: permission.target,
      decision: answer.verdict,
      scope: answer.scope,
      grantedAt,
      ...(request.pin !== undefined && { pin: request.pin }),
      // An answer to an agent's request is about that agent: another agent asking the same is asked itself.
      ...(request.agent !== undefined && { agents: [request.agent] }),
    };
    if (answer.scope === 'workspace') return grant;
    // An answer that came after its run ended (the server crashed while the user was asked) would otherwise stay
    // in memory, and in the Permissions view, for a run that will never come back.
    if (this.endedSessions.has(`${server}\0${session}`)) return grant;
    const key = indexKey(server, permission.kind);
    // A new session answer replaces the one it contradicts or repeats; once grants each serve their own request.
    const entries = (this.memoryIndex.get(key) ?? []).filter(
      (e) => answer.scope === 'once' || !(e.level === 'session' && e.session === session && e.grant.target === permission.target && sameAgents(e.grant.agents, grant.agents)),
    );
    entries.push({ grant, level: answer.scope, target: compileTarget(permission.kind, permission.target, this.matchOptions), session, status: undefined });
    this.memoryIndex.set(key, entries);
    this.changed();
    return grant;
  }

  /** A `once` grant is used up by the request it allowed. */
  consume(grant: Grant): void {
    if (grant.scope !== 'once') return;
    if (this.removeFromMemory((e) => e.grant === grant).length > 0) this.changed();
  }

  /** The server's run ended: its session and once grants go. */
  endSession(server: string, session: string): void {
    this.endedSessions.add(`${server}\0${session}`);
    // Only the latest ends matter (an answer arrives at most a question's timeout after its run ended).
    if (this.endedSessions.size > ENDED_SESSIONS_KEPT) this.endedSessions.delete(this.endedSessions.values().next().value as string);
    if (this.removeFromMemory((e) => e.grant.server === server && e.session === session).length > 0) this.changed();
  }

  /** Removes memory grants matching `match`; returns them. */
  revokeInMemory(match: (grant: Grant) => boolean): Grant[] {
    const removed = this.removeFromMemory((e) => match(e.grant));
    if (removed.length > 0) this.changed();
    return removed;
  }

  /** Every grant of a server (workspace, session, once). */
  list(server?: string): ListedGrant[] {
    const listed: ListedGrant[] = [];
    for (const { grant, status } of this.workspace) {
      if (server === undefined || grant.server === server) listed.push({ grant, status: this.trusted || status === 'tampered' ? status : 'proposed' });
    }
    for (const entries of this.memoryIndex.values()) {
      for (const e of entries) {
        if (server === undefined || e.grant.server === server) listed.push({ grant: e.grant, status: e.level as 'once' | 'session', ...(e.session !== undefined && { session: e.session }) });
      }
    }
    return listed;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  /**
   * Requests repeat the same few targets, so compiled ones are kept — except paths resolved through symlinks,
   * which must be looked at each time (a link can change between two calls).
   */
  private requestTarget(kind: PermissionKind, text: string): CompiledTarget {
    const resolvesLinks = this.matchOptions.realpath !== undefined && (kind === 'fs.read' || kind === 'fs.write' || kind === 'process.exec');
    if (resolvesLinks) return compileTarget(kind, text, this.matchOptions, true);
    const key = `${kind}\u0000${text}`;
    let target = this.requestTargets.get(key);
    if (target === undefined) {
      if (this.requestTargets.size >= REQUEST_TARGET_CACHE) this.requestTargets.clear();
      target = compileTarget(kind, text, this.matchOptions, true);
      this.requestTargets.set(key, target);
    }
    return target;
  }

  private changed(): void {
    this.decisions.clear();
    this.changeEmitter.fire();
  }

  private decided(entry: Entry, request: PermissionRequest): GateDecision {
    const exact = entry.grant.target === request.permission.target;
    const rule = exact ? (entry.exactRule ??= grantRule(entry.grant, entry.level, entry.status, request.permission.target)) : grantRule(entry.grant, entry.level, entry.status, request.permission.target);
    return { verdict: entry.grant.decision, rule, grant: entry.grant, risks: NO_RISKS };
  }

  /** Deny over ask over allow, among the hints that are explicitly true and have a default. */
  private annotationDefault(request: PermissionRequest): { hint: keyof ToolAnnotations; verdict: 'allow' | 'deny' } | undefined {
    if (request.permission.kind !== 'tool' || !request.annotations) return undefined;
    // A server's own hints never let another server call it: delegation needs a grant that names the caller.
    if (isDelegatingServer(request.agent)) return undefined;
    let allowedBy: keyof ToolAnnotations | undefined;
    for (const hint of HINTS) {
      if (request.annotations[hint] !== true) continue;
      const verdict = this.options.annotationDefaults[hint];
      if (verdict === 'deny') return { hint, verdict };
      if (verdict === 'ask') return undefined;
      if (verdict === 'allow') allowedBy ??= hint;
    }
    return allowedBy && { hint: allowedBy, verdict: 'allow' };
  }

  private indexWorkspace(): void {
    this.workspaceIndex.clear();
    for (const { grant, status } of this.workspace) {
      if (grant.scope !== 'workspace') continue;
      const key = indexKey(grant.server, grant.kind);
      let entries = this.workspaceIndex.get(key);
      if (!entries) this.workspaceIndex.set(key, (entries = []));
      entries.push({ grant, level: 'workspace', target: compileTarget(grant.kind, grant.target, this.matchOptions), session: undefined, status });
    }
  }

  private removeFromMemory(match: (entry: Entry) => boolean): Grant[] {
    const removed: Grant[] = [];
    for (const [key, entries] of this.memoryIndex) {
      const kept = entries.filter((e) => !match(e) || (removed.push(e.grant), false));
      if (kept.length === 0) this.memoryIndex.delete(key);
      else if (kept.length !== entries.length) this.memoryIndex.set(key, kept);
    }
    return removed;
  }
}

/** One pass over the grants of a server and kind that pass `filter`. */
function scanEntries(entries: readonly Entry[] | undefined, target: CompiledTarget, request: PermissionRequest, filter: (e: Entry) => boolean): Scan {
  const scan: Scan = { denyExists: false };
  if (!entries) return scan;
  for (const entry of entries) {
    if (!filter(entry) || !grantCovers(entry.grant, request.agent)) continue;
    const specificity = matchSpecificity(entry.target, target);
    if (specificity < 0) continue;
    const { grant } = entry;
    if (grant.decision === 'deny') scan.denyExists = true;
    // An allow approves the launch or definition it was made for: one written without a pin (by hand, or proposed
    // by a repository) would otherwise approve every launch and every definition to come. It covers only requests
    // that have no pin either (a prompt the server does not list). A deny needs no pin: it denies them all.
    if (grant.pin === undefined && request.pin !== undefined && grant.decision === 'allow' && PINNED_KINDS.has(grant.kind)) continue;
    if (grant.pin !== undefined && grant.pin !== request.pin) {
      if (!scan.suspended || specificity > scan.suspended.specificity) scan.suspended = { entry, specificity };
      continue;
    }
    if (entry.level === 'workspace' && entry.status !== 'sealed' && entry.status !== 'confirmed') {
      if (!scan.proposed || beats(entry, specificity, scan.proposed)) scan.proposed = { entry, specificity };
      continue;
    }
    if (!scan.best || beats(entry, specificity, scan.best)) scan.best = { entry, specificity };
  }
  return scan;
}

/**
 * More specific first: the target, then whether the grant names the calling agent (the user's answer for that agent
 * over one for every caller); between equally specific grants, deny beats allow.
 */
function beats(entry: Entry, specificity: number, current: { entry: Entry; specificity: number }): boolean {
  if (specificity !== current.specificity) return specificity > current.specificity;
  const named = entry.grant.agents !== undefined;
  if (named !== (current.entry.grant.agents !== undefined)) return named;
  return entry.grant.decision === 'deny' && current.entry.grant.decision === 'allow';
}

function sameAgents(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.length === b.length && a.every((x) => b.includes(x));
}

function indexKey(server: string, kind: PermissionKind): string {
  return `${server}\u0000${kind}`;
}

function matchOptionsOf(options: GateOptions): MatchOptions {
  return { caseInsensitivePaths: options.caseInsensitivePaths, ...(options.realpath && { realpath: options.realpath }) };
}

function compileFolders(options: GateOptions, matchOptions: MatchOptions): CompiledTarget[] {
  return options.workspaceFolders.map((folder) => compileTarget('fs.write', folder, matchOptions));
}
