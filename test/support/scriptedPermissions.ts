// The real gate and broker with the editor's parts replaced by a script: questions are recorded and answered
// from a queue (what a user would click), grants kept in memory as `mcpWarden.grants` would be, classified by
// the real HMAC sealer. Only the UI is scripted; every decision takes the production path.
import { randomBytes } from 'node:crypto';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { VariableContext } from '../../src/core/config/variables';
import { gatedClientRequests, grantedRoots } from '../../src/core/permissions/clientRequestGate';
import { launchConsent } from '../../src/core/permissions/launchConsent';
import type { Grant, GrantScope, UserAnswer, Verdict } from '../../src/core/permissions/permission';
import { PermissionBroker, type GrantStore, type PermissionPrompter, type PermissionQuestion } from '../../src/core/permissions/permissionBroker';
import { PermissionGate } from '../../src/core/permissions/permissionGate';
import { nullLogger, systemClock } from '../../src/core/ports';
import { HmacGrantSealer } from '../../src/node/permissions/grantSealer';
import { nodeHasher } from '../../src/node/permissions/hasher';

type Answer = UserAnswer | 'dismiss' | ((question: PermissionQuestion) => UserAnswer | undefined);

export class ScriptedPrompter implements PermissionPrompter {
  readonly questions: PermissionQuestion[] = [];
  private readonly answers: Answer[] = [];
  private readonly waiting: (() => void)[] = [];

  /** Queues answers, in order. */
  answer(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  async ask(question: PermissionQuestion, signal: AbortSignal): Promise<UserAnswer | undefined> {
    this.questions.push(question);
    for (const wake of this.waiting.splice(0)) wake();
    const next = this.answers.shift();
    if (next === undefined) {
      // Nobody answers: like a notification left open, until the broker gives up.
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    }
    if (next === 'dismiss') return undefined;
    return typeof next === 'function' ? next(question) : next;
  }

  /** Resolves once `count` questions have been asked. */
  async asked(count: number): Promise<void> {
    while (this.questions.length < count) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

export const allow = (scope: GrantScope): UserAnswer => ({ verdict: 'allow', scope });
export const deny = (scope: GrantScope = 'once'): UserAnswer => ({ verdict: 'deny', scope });

/** `mcpWarden.grants` in memory: what the settings file would hold, re-read into the gate after every write. */
function sameAgents(a: Grant, b: Grant): boolean {
  return JSON.stringify(a.agents ?? null) === JSON.stringify(b.agents ?? null);
}

export class MemoryGrantStore implements GrantStore {
  grants: Grant[] = [];
  readonly confirmations = new Set<string>();
  onChange: () => void = () => {};

  async add(grants: readonly Grant[]): Promise<void> {
    for (const grant of grants) {
      // One slot per server, kind, target and agents, as the settings writer keeps them.
      this.grants = this.grants.filter((g) => !(g.server === grant.server && g.kind === grant.kind && g.target === grant.target && sameAgents(g, grant)));
      this.grants.push(grant);
    }
    this.onChange();
  }

  async remove(grants: readonly Grant[]): Promise<void> {
    this.grants = this.grants.filter((g) => !grants.some((r) => r.server === g.server && r.kind === g.kind && r.target === g.target && r.grantedAt === g.grantedAt && sameAgents(g, r)));
    this.onChange();
  }

  async confirm(grants: readonly Grant[]): Promise<void> {
    for (const grant of grants) this.confirmations.add(JSON.stringify(grant));
    this.onChange();
  }
}

export interface ScriptedPermissions {
  readonly gate: PermissionGate;
  readonly broker: PermissionBroker;
  readonly prompter: ScriptedPrompter;
  readonly store: MemoryGrantStore;
  readonly sealer: HmacGrantSealer;
  readonly audited: AuditInput[];
  /** What to hand to the integration harness. */
  readonly harness: {
    readonly authorizer: PermissionBroker;
    readonly authorizeLaunch: ReturnType<typeof launchConsent>;
    readonly clientRequests: ReturnType<typeof gatedClientRequests>;
    readonly onSessionEnd: (server: string, session: string) => void;
  };
  /** Puts grants into "settings" as a teammate or a hostile repository would, then re-reads them. */
  writeSettings(grants: Grant[]): void;
}

export function scriptedPermissions(options: { workspaceFolder: string; askTimeoutMs?: number; key?: Uint8Array; variables?: VariableContext }): ScriptedPermissions {
  const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: [options.workspaceFolder], caseInsensitivePaths: false });
  gate.setTrusted(true);
  const sealer = new HmacGrantSealer(options.key ?? randomBytes(32), `file://${options.workspaceFolder}`);
  const store = new MemoryGrantStore();
  const reload = () =>
    gate.setWorkspaceGrants(
      store.grants.map((grant) => {
        const status = sealer.status(grant);
        return { grant, status: status === 'proposed' && store.confirmations.has(JSON.stringify(grant)) ? 'confirmed' : status };
      }),
    );
  store.onChange = reload;
  const prompter = new ScriptedPrompter();
  const audited: AuditInput[] = [];
  const broker = new PermissionBroker({
    gate,
    prompter,
    store,
    sealer,
    audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) },
    clock: systemClock,
    logger: nullLogger,
    askTimeoutMs: () => options.askTimeoutMs ?? 10_000,
  });
  const variables: VariableContext = options.variables ?? { workspaceFolders: [{ name: 'ws', path: options.workspaceFolder }], userHome: '/home/test', env: process.env, pathSeparator: '/' };
  const rootsOf = (server: string) => grantedRoots(gate, server);
  return {
    gate,
    broker,
    prompter,
    store,
    sealer,
    audited,
    harness: {
      authorizer: broker,
      authorizeLaunch: launchConsent(broker, () => variables, nodeHasher),
      clientRequests: gatedClientRequests(broker, { rootsOf }),
      onSessionEnd: (server, session) => gate.endSession(server, session),
    },
    writeSettings(grants) {
      store.grants = grants;
      reload();
    },
  };
}

export type { Verdict };
