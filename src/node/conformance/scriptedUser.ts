// The editor's side of MCP Warden, played by a script for the conformance run: the permission questions are
// answered "Allow once" (so the gate decides and the audit records exactly as in the editor), forms are answered
// as the scenario's script says, sampling gets a fixed reply. Only the UI is scripted; every decision takes the
// production path (ServerRegistry → PermissionBroker → gatedClientRequests).
import type { AuditInput, AuditSink } from '../../core/audit/auditEvent';
import type { ElicitationAnswer, ElicitationPrompter, ElicitationRequest } from '../../core/clientFeatures/elicitation';
import type { SamplingConsent, SamplingProvider, SamplingRequest } from '../../core/clientFeatures/sampling';
import type { Grant, GrantSealer } from '../../core/permissions/permission';
import type { GrantStore, PermissionPrompter, PermissionQuestion } from '../../core/permissions/permissionBroker';
import type { PermissionGate } from '../../core/permissions/permissionGate';
import type { Logger, LogLevel } from '../../core/ports';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Writes lines at `level` and above to stderr (the suite saves a client's stderr next to its checks). */
export function stderrLogger(prefix: string, level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const from = LEVELS.indexOf(level);
  const at = (l: LogLevel) => (message: string) => {
    if (LEVELS.indexOf(l) >= from) write(`[${prefix}] ${l}: ${message}`);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), traceEnabled: from === 0 };
}

/** A user who allows each request once: every request is still asked about, decided and audited. */
export class AllowOncePrompter implements PermissionPrompter {
  readonly questions: PermissionQuestion[] = [];

  constructor(private readonly logger: Logger) {}

  async ask(question: PermissionQuestion): Promise<{ verdict: 'allow'; scope: 'once' }> {
    this.questions.push(question);
    const { permission, method } = question.request;
    this.logger.info(`asked: ${method} (${permission.kind}${permission.target ? ` ${permission.target}` : ''}): allow once`);
    return { verdict: 'allow', scope: 'once' };
  }
}

/** `mcpWarden.grants` in memory; "Allow once" never writes here, but the broker needs a store. */
export class MemoryGrantStore implements GrantStore {
  grants: Grant[] = [];

  constructor(
    private readonly gate: PermissionGate,
    private readonly sealer: GrantSealer,
  ) {}

  async add(grants: readonly Grant[]): Promise<void> {
    this.grants = [...this.grants.filter((g) => !grants.some((n) => n.server === g.server && n.kind === g.kind && n.target === g.target)), ...grants];
    this.reload();
  }

  async remove(grants: readonly Grant[]): Promise<void> {
    this.grants = this.grants.filter((g) => !grants.includes(g));
    this.reload();
  }

  async confirm(): Promise<void> {
    this.reload();
  }

  private reload(): void {
    this.gate.setWorkspaceGrants(this.grants.map((grant) => ({ grant, status: this.sealer.status(grant) })));
  }
}

/** The audit log in memory: the run reports how many events were recorded. */
export class MemoryAudit implements AuditSink {
  readonly events: AuditInput[] = [];

  record(event: AuditInput | (() => AuditInput)): void {
    this.events.push(typeof event === 'function' ? event() : event);
  }
}

/** Forms answered by the scenario's script; a URL hand-off is declined (no scenario sends one, no browser here). */
export class ScriptedElicitation implements ElicitationPrompter {
  readonly requests: ElicitationRequest[] = [];

  constructor(
    private readonly answer: ((request: ElicitationRequest) => ElicitationAnswer) | undefined,
    private readonly logger: Logger,
  ) {}

  async elicit(request: ElicitationRequest): Promise<ElicitationAnswer> {
    this.requests.push(request);
    const answer = request.mode === 'form' && this.answer ? this.answer(request) : { action: 'decline' as const };
    this.logger.info(`server asks (${request.mode}): "${request.message}": ${answer.action}${answer.content ? ` ${JSON.stringify(answer.content)}` : ''}`);
    return answer;
  }

  completed(server: string, elicitationId: string): void {
    this.logger.info(`${server}: the interaction of elicitation ${elicitationId} finished`);
  }
}

/** A user who consents to each sampling request once; the "model" answers with a fixed text. */
export class ScriptedSampling implements SamplingProvider {
  readonly requests: SamplingRequest[] = [];

  constructor(private readonly logger: Logger) {}

  async consent(request: SamplingRequest): Promise<SamplingConsent> {
    this.requests.push(request);
    this.logger.info(`sampling asked by ${request.server} (${request.params.messages.length} messages): allow once`);
    return { answer: { verdict: 'allow', scope: 'once' }, model: 'conformance-scripted' };
  }

  async complete(_request: SamplingRequest, model: string | undefined): Promise<unknown> {
    return { model: model ?? 'conformance-scripted', role: 'assistant', content: { type: 'text', text: 'A scripted reply from the conformance run.' }, stopReason: 'endTurn' };
  }
}
