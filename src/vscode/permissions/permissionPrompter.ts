import * as vscode from 'vscode';
import { ContextKeys } from '../../core/ids';
import type { Grant, GrantScope, PermissionKind, UserAnswer } from '../../core/permissions/permission';
import { permissionLabel } from '../../core/permissions/permission';
import { errorMessage, type Logger } from '../../core/ports';
import type { PermissionPrompter, PermissionQuestion } from './brokerApi';
import type { ApprovedDefinitions } from './approvedDefinitions';
import { questionMessage } from './questionText';

/** Questions that arrive within this long of each other are asked together. */
const BATCH_DELAY_MS = 150;

const DENY_ONCE: UserAnswer = { verdict: 'deny', scope: 'once' };

interface Pending {
  readonly question: PermissionQuestion;
  /** High-risk: asked in a modal dialog of its own, never batched. */
  readonly modal: boolean;
  /** It has a notification of its own, or is counted in the batch notification. */
  shown: boolean;
  settled: boolean;
  readonly settle: (answer: UserAnswer | undefined) => void;
}

/** What a button of a question does: answer it, or show something and ask again. */
type Choice = { readonly answer: UserAnswer | undefined } | 'again';

export interface PrompterDeps {
  readonly approved: ApprovedDefinitions;
  /** Opens a server's definition (Show Definition of a launch question). */
  readonly revealDefinition: (server: string) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Asks the user through notifications: one question → one notification with its answers; several at once →
 * one "N permission requests are waiting" notification whose Review… lists them all; a high-risk question → a
 * modal dialog of its own that says why. A question timed out or aborted resolves `undefined` and leaves the
 * others alone. Commands answer open questions too (Approve Launch from the Servers view).
 */
export class NotificationPrompter implements PermissionPrompter, vscode.Disposable {
  private readonly pending = new Set<Pending>();
  private batchOpen = false;
  /** Counts batch notifications: only the newest one's dismissal answers anything. */
  private batchGeneration = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly countEmitter = new vscode.EventEmitter<number>();
  /** Fires with the number of questions waiting for an answer (for a status bar hint). */
  readonly onDidChangePending = this.countEmitter.event;

  constructor(private readonly deps: PrompterDeps) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The open questions (oldest first), for the Review… pick and the Servers view. */
  get questions(): readonly PermissionQuestion[] {
    return [...this.pending].map((p) => p.question);
  }

  ask(question: PermissionQuestion, signal: AbortSignal): Promise<UserAnswer | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => entry.settle(undefined);
      const entry: Pending = {
        question,
        modal: question.decision.risks.length > 0,
        shown: false,
        settled: false,
        settle: (answer) => {
          if (entry.settled) return;
          entry.settled = true;
          signal.removeEventListener('abort', onAbort);
          this.pending.delete(entry);
          this.countChanged();
          if (answer?.verdict === 'allow') this.deps.approved.remember(question);
          resolve(answer);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.add(entry);
      this.countChanged();
      if (entry.modal) void this.askModal(entry);
      else this.schedule();
    });
  }

  /**
   * Answers the open questions of `kind` for `server` (e.g. a launch approved from the Servers view); returns how
   * many. Without `scope`: a launch is approved for the workspace, a changed grant keeps its scope, the rest once.
   */
  answerPending(server: string, kind: PermissionKind, verdict: 'allow' | 'deny', scope?: GrantScope): number {
    const matching = [...this.pending].filter((p) => p.question.request.server === server && p.question.request.permission.kind === kind);
    for (const entry of matching) {
      const { proposed, suspended } = entry.question.decision;
      if (verdict === 'deny') entry.settle(scope ? { verdict, scope } : DENY_ONCE);
      else if (proposed) this.confirmProposed(entry, proposed);
      else entry.settle({ verdict: 'allow', scope: scope ?? suspended?.scope ?? (kind === 'launch' ? 'workspace' : 'once') });
    }
    return matching.length;
  }

  /**
   * Review…: a multi-select pick of every waiting question (high-risk ones excepted: they have their dialog),
   * then one scope for those selected; the others are denied once. Returns false when nothing waited.
   */
  async review(): Promise<boolean> {
    const entries = this.batchable();
    if (entries.length === 0) return false;
    const picks = await vscode.window.showQuickPick(
      entries.map((entry) => ({ ...reviewItem(entry.question), entry })),
      { canPickMany: true, title: 'MCP Warden: permission requests', placeHolder: 'Select what to allow; the rest is denied (once)', ignoreFocusOut: true },
    );
    if (!picks) return this.leaveOpen(entries);
    const selected = new Set(picks.map((p) => p.entry));
    const needsScope = picks.some((p) => !p.entry.question.decision.proposed);
    const scope = needsScope ? await pickScope(selected.size) : 'once';
    if (!scope) return this.leaveOpen(entries);
    for (const entry of entries) {
      if (entry.settled) continue; // timed out while the pick was open
      if (!selected.has(entry)) entry.settle(DENY_ONCE);
      else if (entry.question.decision.proposed) this.confirmProposed(entry, entry.question.decision.proposed);
      else entry.settle({ verdict: 'allow', scope });
    }
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const entry of [...this.pending]) entry.settle(undefined);
    this.countEmitter.dispose();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, BATCH_DELAY_MS);
  }

  /**
   * Shows what is not shown yet: alone if nothing else is open, else a batch notification with the current count.
   * Questions that arrive while a batch notification is open get a new one: the open one may have slid into the
   * notification center unanswered, and nothing would tell the user about them (its buttons still act on every
   * waiting question).
   */
  private flush(): void {
    const waiting = this.batchable().filter((p) => !p.shown);
    if (waiting.length === 0) return;
    const open = this.batchable().filter((p) => p.shown);
    for (const entry of waiting) entry.shown = true;
    if (waiting.length === 1 && open.length === 0 && !this.batchOpen) void this.askAlone(waiting[0]!);
    else void this.askBatch();
  }

  private batchable(): Pending[] {
    return [...this.pending].filter((p) => !p.modal && !p.settled);
  }

  private async askAlone(entry: Pending): Promise<void> {
    while (!entry.settled) {
      const buttons = this.buttons(entry);
      const { risks } = entry.question.decision;
      const message = `MCP Warden: ${questionMessage(entry.question)}${risks.length > 0 ? ` High risk: ${risks.join('; ')}.` : ''}`;
      const choice = await this.showSafely(() =>
        risks.length > 0 ? vscode.window.showWarningMessage(message, ...buttons.map((b) => b.title)) : vscode.window.showInformationMessage(message, ...buttons.map((b) => b.title)),
      );
      if (entry.settled) return;
      const result = await this.choose(entry, buttons, choice);
      if (result !== 'again') entry.settle(result.answer);
    }
  }

  private async askModal(entry: Pending): Promise<void> {
    while (!entry.settled) {
      const buttons = this.buttons(entry);
      const detail = `High risk: ${entry.question.decision.risks.join('; ')}.${entry.question.request.reason ? `\n\nThe server says: ${entry.question.request.reason}` : ''}`;
      const choice = await this.showSafely(() =>
        vscode.window.showWarningMessage(`MCP Warden: ${questionMessage(entry.question)}`, { modal: true, detail }, ...buttons.map((b) => b.title)),
      );
      if (entry.settled) return;
      const result = await this.choose(entry, buttons, choice);
      if (result !== 'again') entry.settle(result.answer);
      // What Show Definition or Show Changes opened must stay visible: ask again in a notification, not over it.
      else return this.askAlone(entry);
    }
  }

  private async askBatch(): Promise<void> {
    const generation = ++this.batchGeneration;
    this.batchOpen = true;
    try {
      const count = this.batchable().length;
      const choice = await this.showSafely(() => vscode.window.showInformationMessage(`MCP Warden: ${count} permission requests are waiting`, 'Review…', 'Deny All'));
      if (choice === 'Review…') await this.review();
      else if (choice === 'Deny All') for (const entry of this.batchable()) entry.settle(DENY_ONCE);
      // Dismissed: an older notification, replaced by a newer one, answers nothing.
      else if (generation === this.batchGeneration) for (const entry of this.batchable()) entry.settle(undefined);
    } catch (error) {
      this.deps.logger.error(`permission review failed: ${errorMessage(error)}`);
    } finally {
      if (generation === this.batchGeneration) this.batchOpen = false;
      this.flush();
    }
  }

  /** A pick or scope left without an answer: the questions stay open, and the batch notification comes back. */
  private leaveOpen(entries: readonly Pending[]): true {
    for (const entry of entries) entry.shown = false;
    this.schedule();
    return true;
  }

  private buttons(entry: Pending): { readonly title: string; readonly choose: () => Promise<Choice> }[] {
    const { request, decision } = entry.question;
    const answer = (verdict: 'allow' | 'deny', scope: GrantScope) => () => Promise.resolve({ answer: { verdict, scope } });
    const deny = { title: 'Deny', choose: answer('deny', 'once') };
    if (request.permission.kind === 'launch') {
      const approve = decision.proposed
        ? { title: 'Approve', choose: () => this.confirmChoice(decision.proposed!) }
        : { title: 'Approve', choose: answer('allow', decision.suspended?.scope ?? 'workspace') };
      const show = {
        title: 'Show Definition',
        choose: async (): Promise<Choice> => {
          await this.deps.revealDefinition(request.server).catch((error: unknown) => this.deps.logger.error(`cannot open the definition of '${request.server}': ${errorMessage(error)}`));
          return 'again';
        },
      };
      return [approve, show, deny];
    }
    if (decision.proposed) return [{ title: 'Confirm Grant', choose: () => this.confirmChoice(decision.proposed!) }, deny];
    if (decision.suspended) {
      const suspended = decision.suspended;
      return [
        {
          title: 'Show Changes',
          choose: async (): Promise<Choice> => {
            await this.deps.approved.showChanges(entry.question, suspended).catch((error: unknown) => this.deps.logger.error(`cannot show the changes: ${errorMessage(error)}`));
            return 'again';
          },
        },
        { title: 'Allow New Definition', choose: answer('allow', suspended.scope) },
        deny,
      ];
    }
    return [
      { title: 'Allow Once', choose: answer('allow', 'once') },
      { title: 'Allow for Session', choose: answer('allow', 'session') },
      { title: 'Allow for Workspace', choose: answer('allow', 'workspace') },
      deny,
    ];
  }

  private async choose(entry: Pending, buttons: ReturnType<NotificationPrompter['buttons']>, title: string | undefined): Promise<Choice> {
    const button = buttons.find((b) => b.title === title);
    if (!button) return { answer: undefined };
    try {
      return await button.choose();
    } catch (error) {
      this.deps.logger.error(`answering ${permissionLabel(entry.question.request.permission)} of '${entry.question.request.server}' failed: ${errorMessage(error)}`);
      return { answer: undefined };
    }
  }

  /**
   * Confirm Grant: the answer is the proposed grant's own decision for the workspace, which the broker keeps as a
   * confirmation on this machine (the committed grant is left as it is) and audits.
   */
  private confirmChoice(proposed: Grant): Promise<Choice> {
    return Promise.resolve({ answer: { verdict: proposed.decision, scope: 'workspace' } });
  }

  private confirmProposed(entry: Pending, proposed: Grant): void {
    entry.settle({ verdict: proposed.decision, scope: 'workspace' });
  }

  /** A notification that cannot be shown (the window is closing) counts as dismissed. */
  private async showSafely(show: () => Thenable<string | undefined>): Promise<string | undefined> {
    try {
      return await show();
    } catch (error) {
      this.deps.logger.warn(`cannot show a permission question: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private countChanged(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.permissionsPending, this.pending.size > 0);
    this.countEmitter.fire(this.pending.size);
  }
}

/** One row of the Review… pick: server and permission, why, and what makes it special. */
function reviewItem(question: PermissionQuestion): vscode.QuickPickItem {
  const { request, decision, launch } = question;
  const label = request.permission.kind === 'launch' ? `$(server-process) ${request.server}: start` : `$(shield) ${request.server}: ${permissionLabel(request.permission)}`;
  const notes = [
    ...(launch ? [launch.summary, ...launch.notes] : []),
    ...(decision.suspended ? ['changed since you allowed it'] : []),
    ...(decision.proposed ? [`proposed by the workspace (${decision.proposed.decision})`] : []),
    ...decision.risks.map((risk) => `high risk: ${risk}`),
  ];
  return { label, ...(request.reason && { description: request.reason }), ...(notes.length > 0 && { detail: notes.join(' · ') }), picked: false };
}

async function pickScope(count: number): Promise<GrantScope | undefined> {
  const scopes: (vscode.QuickPickItem & { scope: GrantScope })[] = [
    { label: 'Allow Once', description: 'this request only', scope: 'once' },
    { label: 'Allow for Session', description: 'until the server stops', scope: 'session' },
    { label: 'Allow for Workspace', description: 'kept, sealed, in the workspace settings', scope: 'workspace' },
  ];
  const pick = await vscode.window.showQuickPick(scopes, { title: `MCP Warden: allow ${count} selected request${count === 1 ? '' : 's'} for how long?`, ignoreFocusOut: true });
  return pick?.scope;
}
