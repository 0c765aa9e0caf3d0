import type { AuditSink } from '../audit/auditEvent';
import { callerLabel } from '../gateway/caller';
import { errorMessage, type Clock, type Logger } from '../ports';
import { permissionLabel, type GateDecision, type Grant, type GrantSealer, type PermissionRequest, type UserAnswer } from './permission';
import type { GrantUsage } from './grantUsage';
import type { PermissionGate } from './permissionGate';

/** One question for the user. */
export interface PermissionQuestion {
  readonly request: PermissionRequest;
  /** Verdict `ask`. `risks` non-empty: ask modally; `suspended`: the definition changed; `proposed`: confirm a teammate's grant. */
  readonly decision: GateDecision;
  /** For `launch`: what would run, and what the user should know about it (env files, cwd, `${env:…}`). */
  readonly launch?: { readonly summary: string; readonly notes: readonly string[] };
  /** For `tool` / `prompt`: the definition as the server gives it now, for a diff against the one approved. */
  readonly definition?: unknown;
}

/** The editor's side: notifications, batching, Review…, modal dialogs for risky requests. */
export interface PermissionPrompter {
  /** Resolves undefined when dismissed, timed out or `signal` aborted (treated as deny, once). */
  ask(question: PermissionQuestion, signal: AbortSignal): Promise<UserAnswer | undefined>;
}

/** `mcpWarden.grants` in the workspace settings file. */
export interface GrantStore {
  /**
   * Adds workspace grants (already sealed), replacing grants with the same server, kind and target; resolves once
   * the gate holds them.
   */
  add(grants: readonly Grant[]): Promise<void>;
  /** Removes these workspace grants; resolves once the gate no longer holds them. */
  remove(grants: readonly Grant[]): Promise<void>;
  /** Confirms proposed grants on this machine, leaving the committed file as it is (and audits it). */
  confirm(grants: readonly Grant[]): Promise<void>;
}

export interface AuthorizeOptions {
  /** Aborting gives up waiting for the answer: the request is denied, once. */
  readonly signal?: AbortSignal;
  /** Called when the request starts waiting for the user, so its progress can say so. */
  readonly onWaiting?: (message: string) => void;
  readonly launch?: PermissionQuestion['launch'];
  readonly definition?: unknown;
  /** Risks the caller knows of and the gate cannot (a launch that downloads a package): they make the question modal. */
  readonly risks?: readonly string[];
  /**
   * Only a grant of exactly this target decides; a broader one (a folder holding it) asks instead. For the secrets
   * the sandbox keeps hidden under any broader grant.
   */
  readonly requireExactGrant?: boolean;
  /**
   * Asks in the feature's own UI instead of the permission notification (sampling shows the request and lets the
   * user pick a model); its answer is kept, bounded and audited like any other.
   */
  readonly askWith?: PermissionPrompter['ask'];
}

/** What the request path needs: a final allow or deny with its rule. */
export interface RequestAuthorizer {
  authorize(request: PermissionRequest, options?: AuthorizeOptions): Promise<GateDecision>;
  /**
   * The decision when a grant or default makes it (recorded like any other), undefined when the user must be asked:
   * the common case, a call a grant allows, then costs no promise.
   */
  decideWithoutAsking?(request: PermissionRequest): GateDecision | undefined;
  /** Keeps a decision for the rest of the server's run. */
  keepForSession?(request: PermissionRequest, verdict: 'allow' | 'deny', rule: string): void;
}

export interface BrokerDeps {
  readonly gate: PermissionGate;
  readonly prompter: PermissionPrompter;
  readonly store: GrantStore;
  readonly sealer: GrantSealer;
  readonly audit: AuditSink;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a request waits for an answer before it is denied (`mcpWarden.permissions.askTimeoutSeconds`). */
  readonly askTimeoutMs: () => number;
  /** Told which agent each grant decided for (the Permissions view shows it). */
  readonly usage?: GrantUsage;
}

/**
 * Turns the gate's `ask` into a question and the answer into a grant: decide → ask (bounded) → remember or store
 * → audit. Requests waiting for the same question share it: one answer settles all of them.
 */
export class PermissionBroker implements RequestAuthorizer {
  private readonly asking = new Map<string, Promise<{ decision: GateDecision; waitedMs: number }>>();

  constructor(private readonly deps: BrokerDeps) {}

  decideWithoutAsking(request: PermissionRequest): GateDecision | undefined {
    return this.settled(request, this.deps.gate.decide(request));
  }

  async authorize(request: PermissionRequest, options: AuthorizeOptions = {}): Promise<GateDecision> {
    let decision = this.deps.gate.decide(request);
    if (options.requireExactGrant && decision.verdict === 'allow' && decision.grant?.target !== request.permission.target) {
      decision = { verdict: 'ask', rule: `only a grant of ${request.permission.target} itself allows it: ask`, risks: [] };
    }
    const decided = this.settled(request, decision);
    if (decided) return decided;
    const key = questionKey(request);
    let pending = this.asking.get(key);
    const shared = pending !== undefined;
    if (!pending) {
      pending = this.ask(request, decision, options).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    } else {
      options.onWaiting?.(waitingMessage(request));
    }
    const { decision: answered, waitedMs } = await pending;
    // "Allow once" is for one request: the others that waited on the same question are asked again.
    if (shared && answered.verdict === 'allow' && answered.grant?.scope === 'once') return this.authorize(request, options);
    this.recordDecision(request, answered, true, waitedMs);
    return answered;
  }

  /**
   * Keeps a decision the caller made itself, for the rest of the server's run (e.g. a request the client never
   * offered, denied once, is not asked about again), and audits it.
   */
  keepForSession(request: PermissionRequest, verdict: 'allow' | 'deny', rule: string): void {
    const grant = this.deps.gate.remember(request, { verdict, scope: 'session' }, new Date(this.deps.clock.now()).toISOString());
    this.recordGrant('granted', grant, rule, request.session);
  }

  /** A decision no question is needed for, recorded (and a once grant used up); undefined for `ask`. */
  private settled(request: PermissionRequest, decision: GateDecision): GateDecision | undefined {
    if (decision.verdict === 'ask') return undefined;
    if (decision.grant?.scope === 'once') this.deps.gate.consume(decision.grant);
    this.recordDecision(request, decision, false);
    return decision;
  }

  /** Revokes grants kept in memory and in settings; the very next request is decided without them. */
  async revoke(grants: readonly Grant[]): Promise<void> {
    const stored = grants.filter((g) => g.scope === 'workspace');
    this.deps.gate.revokeInMemory((m) => grants.some((g) => sameTarget(g, m)));
    for (const grant of grants) this.recordGrant('revoked', grant, 'revoked by you');
    if (stored.length > 0) await this.deps.store.remove(stored);
  }

  private async ask(request: PermissionRequest, gateDecision: GateDecision, options: AuthorizeOptions): Promise<{ decision: GateDecision; waitedMs: number }> {
    const { clock, prompter, logger } = this.deps;
    const decision: GateDecision = options.risks?.length ? { ...gateDecision, risks: [...gateDecision.risks, ...options.risks] } : gateDecision;
    const started = clock.now();
    options.onWaiting?.(waitingMessage(request));
    const timeoutMs = this.deps.askTimeoutMs();
    const giveUp = new AbortController();
    const timer = clock.setTimeout(() => giveUp.abort(), timeoutMs);
    const onAbort = () => giveUp.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let answer: UserAnswer | undefined;
    try {
      const ask = options.askWith ?? ((q: PermissionQuestion, s: AbortSignal) => prompter.ask(q, s));
      answer = await ask(
        { request, decision, ...(options.launch && { launch: options.launch }), ...(options.definition !== undefined && { definition: options.definition }) },
        giveUp.signal,
      );
    } catch (error) {
      logger.error(`could not ask about ${permissionLabel(request.permission)} of server '${request.server}': ${errorMessage(error)}`);
    } finally {
      timer.dispose();
      options.signal?.removeEventListener('abort', onAbort);
    }
    const waitedMs = clock.now() - started;
    if (!answer) {
      const why = options.signal?.aborted ? 'the request was cancelled while waiting for your answer' : giveUp.signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'the question was dismissed';
      return { decision: { verdict: 'deny', rule: `${why}: denied this once`, risks: decision.risks }, waitedMs };
    }
    try {
      const grant = await this.apply(request, decision, answer);
      const rule = `${answer.verdict === 'allow' ? 'allowed' : 'denied'} by you ${scopePhrase(answer.scope)}`;
      return { decision: { verdict: answer.verdict, rule, grant, risks: decision.risks }, waitedMs };
    } catch (error) {
      // The answer stands for this request even when it could not be kept (e.g. settings could not be written).
      logger.error(`could not keep the answer about ${permissionLabel(request.permission)} of server '${request.server}': ${errorMessage(error)}`);
      return { decision: { verdict: answer.verdict, rule: `${answer.verdict === 'allow' ? 'allowed' : 'denied'} by you, this once (keeping the answer failed: ${errorMessage(error)})`, risks: decision.risks }, waitedMs };
    }
  }

  /** Keeps an answer: once and session grants in memory, workspace grants sealed in settings. */
  private async apply(request: PermissionRequest, decision: GateDecision, answer: UserAnswer): Promise<Grant> {
    const { gate, sealer, store, clock } = this.deps;
    const grantedAt = new Date(clock.now()).toISOString();
    // Confirming a grant someone else proposed keeps it as it is in the (shared) file: the confirmation is this
    // machine's (the store audits it).
    if (decision.proposed && answer.scope === 'workspace' && answer.verdict === decision.proposed.decision) {
      await store.confirm([decision.proposed]);
      return decision.proposed;
    }
    if (answer.scope !== 'workspace') {
      const grant = gate.remember(request, answer, grantedAt);
      if (answer.scope === 'once') gate.consume(grant); // it was for this request only
      this.recordGrant('granted', grant, `${answer.verdict === 'allow' ? 'allowed' : 'denied'} by you ${scopePhrase(answer.scope)}`);
      return grant;
    }
    const grant = sealer.seal(gate.remember(request, answer, grantedAt));
    // The store resolves once the gate holds the grant (it re-reads what it wrote), so the answer decides the
    // very next request, and a failure here leaves nothing behind that would.
    await store.add([grant]);
    this.recordGrant('granted', grant, `${answer.verdict === 'allow' ? 'allowed' : 'denied'} by you ${scopePhrase('workspace')}`);
    return grant;
  }

  private recordDecision(request: PermissionRequest, decision: GateDecision, asked: boolean, waitedMs?: number): void {
    if (request.agent !== undefined && decision.grant) this.deps.usage?.used(decision.grant, request.agent);
    this.deps.audit.record(() => ({
      type: 'permission',
      server: request.server,
      session: request.session,
      action: 'decided',
      permission: permissionLabel(request.permission),
      verdict: decision.verdict === 'deny' ? 'deny' : 'allow',
      rule: decision.rule,
      ...(decision.grant && { scope: decision.grant.scope }),
      ...(request.method !== undefined && { method: request.method }),
      asked,
      ...(waitedMs !== undefined && { waitedMs }),
      ...(request.agent !== undefined && { agent: request.agent }),
      ...(request.chain?.length && { chain: request.chain }),
    }));
  }

  recordGrant(action: 'granted' | 'revoked' | 'suspended' | 'tampered' | 'confirmed', grant: Grant, rule: string, session = 'none'): void {
    this.deps.audit.record({
      type: 'permission',
      server: grant.server,
      session,
      action,
      permission: permissionLabel(grant),
      verdict: grant.decision,
      rule,
      scope: grant.scope,
      ...(grant.agents && { agents: grant.agents }),
    });
  }
}

function questionKey(request: PermissionRequest): string {
  return [request.server, request.session, request.permission.kind, request.permission.target, request.pin ?? '', request.agent ?? ''].join('\0');
}

function sameTarget(a: Grant, b: Grant): boolean {
  return a.server === b.server && a.kind === b.kind && a.target === b.target && a.decision === b.decision && (a.agents ?? []).join('\0') === (b.agents ?? []).join('\0');
}

function scopePhrase(scope: UserAnswer['scope']): string {
  return scope === 'once' ? 'this once' : scope === 'session' ? 'until the server stops' : 'for this workspace';
}

function waitingMessage(request: PermissionRequest): string {
  const by = request.agent !== undefined ? ` (asked by ${callerLabel({ agent: request.agent, ...(request.chain && { chain: request.chain }) })})` : '';
  return `waiting for your permission: ${permissionLabel(request.permission)} of server '${request.server}'${by}`;
}
