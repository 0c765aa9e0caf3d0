import * as vscode from 'vscode';
import type { ElicitationAnswer, ElicitationPrompter, ElicitationRequest, ElicitationValue, FormElicitation, UrlElicitation } from '../../core/clientFeatures/elicitation';
import { checkContent, cleanServerText, formContent, readForm, type ElicitationForm, type FormField } from '../../core/clientFeatures/elicitationForm';
import { urlHandOff } from '../../core/clientFeatures/urlHandOff';
import { askField, askFinal, type StepFrame } from './elicitationSteps';

/** How much of a server's message a title or a notification shows. */
const MESSAGE_CHARS = 200;

const CANCEL: ElicitationAnswer = { action: 'cancel' };
const DECLINE: ElicitationAnswer = { action: 'decline' };

/**
 * A server asks the user for input. Form mode: one quick input per field (Back, defaults, validation as the user
 * types), then Submit / Decline / Cancel. URL mode: a notification with the server's reason and the full URL, whose
 * host is shown as it will be reached (punycode), opened in the browser only when the user clicks. One elicitation
 * is shown at a time: a quick input would hide the one before it.
 */
export class QuickInputElicitationPrompter implements ElicitationPrompter {
  private queue: Promise<unknown> = Promise.resolve();
  /** URL elicitations the user opened, by server: only those may be reported done. */
  private readonly opened = new Set<string>();

  elicit(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer> {
    const previous = this.queue;
    // One waiting its turn is cancelled at once when aborted; the next in line still waits for the one shown.
    const next = untilAborted(previous, signal).then(() => (signal.aborted ? CANCEL : request.mode === 'url' ? this.url(request, signal) : this.form(request, signal)));
    this.queue = Promise.all([previous, next.catch(() => undefined)]);
    return next;
  }

  completed(server: string, elicitationId: string): void {
    // A server cannot make notifications appear for steps the user never started.
    if (!this.opened.delete(key(server, elicitationId))) return;
    void vscode.window.showInformationMessage(`MCP Warden: server '${server}' says the browser step is done.`);
  }

  private async form(request: FormElicitation, signal: AbortSignal): Promise<ElicitationAnswer> {
    const message = cleanServerText(request.message, MESSAGE_CHARS);
    const form = readForm(request.requestedSchema);
    if (form.blocked) {
      const choice = await untilAborted(
        vscode.window.showWarningMessage(`MCP Warden: server '${request.server}' asks: "${message}" — but ${form.blocked}.`, 'Decline'),
        signal,
      );
      return choice === 'Decline' ? DECLINE : CANCEL;
    }
    const title = `Server '${request.server}' asks: ${message}`;
    const values = new Map<string, ElicitationValue>();
    const totalSteps = form.fields.length + 1;
    const frame = (index: number): StepFrame => ({ title, step: index + 1, totalSteps, canGoBack: index > 0, signal });
    let index = 0;
    let problem: string | undefined;
    while (index <= form.fields.length) {
      const field = form.fields[index];
      if (!field) {
        const final = await askFinal(summary(form, values), frame(index), problem);
        if (final.kind === 'back') index--;
        else if (final.kind !== 'value' || final.value === 'cancel') return CANCEL;
        else if (final.value === 'decline') return DECLINE;
        else {
          const content = formContent(form.fields.flatMap((f) => (values.has(f.name) ? [[f.name, values.get(f.name) as ElicitationValue] as const] : [])));
          const problems = checkContent(form, content);
          if (problems.length === 0) return { action: 'accept', content };
          problem = `Not sent: ${problems.join('; ')}`;
        }
        continue;
      }
      const answer = await askField(field, values.get(field.name), frame(index));
      if (answer.kind === 'cancel') return CANCEL;
      if (answer.kind === 'back') {
        index--;
        continue;
      }
      if (answer.kind === 'value') values.set(field.name, answer.value);
      else values.delete(field.name);
      index++;
    }
    return CANCEL;
  }

  private async url(request: UrlElicitation, signal: AbortSignal): Promise<ElicitationAnswer> {
    const server = request.server;
    const reason = cleanServerText(request.message, MESSAGE_CHARS);
    const url = urlHandOff(request.url);
    if (!url.ok) {
      void vscode.window.showWarningMessage(`MCP Warden: server '${server}' asked you to open a page, but ${url.reason}. It was not opened.`);
      return DECLINE;
    }
    const text =
      `MCP Warden: server '${server}' asks you to open a page in your browser. Its reason: "${reason}". ` +
      `URL: ${url.href} — site: ${url.host}${url.international ? ' (an internationalized name, shown as it is reached: check it is the site you expect)' : ''}`;
    const choice = await untilAborted(vscode.window.showInformationMessage(text, 'Open in Browser', 'Decline'), signal);
    if (signal.aborted) return CANCEL;
    if (choice === 'Decline') return DECLINE;
    if (choice !== 'Open in Browser') return CANCEL;
    const opened = await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
    if (!opened) return CANCEL;
    this.opened.add(key(server, request.elicitationId));
    return { action: 'accept' };
  }
}

/** What Submit sends, in one line. */
function summary(form: ElicitationForm, values: ReadonlyMap<string, ElicitationValue>): string {
  const parts = form.fields.map((f) => {
    const value = values.get(f.name);
    if (value === undefined) return `${f.label}: ${f.default !== undefined ? `(default ${show(f, f.default)})` : '(empty)'}`;
    return `${f.label}: ${show(f, value)}`;
  });
  const left = form.leftOut.map((l) => `${l.label}: not asked (${l.reason})`);
  return cleanServerText([...parts, ...left].join(' · '), 600);
}

function show(field: FormField, value: ElicitationValue): string {
  const label = (v: string) => ('options' in field ? (field.options.find((o) => o.value === v)?.label ?? v) : v);
  if (Array.isArray(value)) return value.map(label).join(', ') || '(none)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return typeof value === 'string' ? label(value) : String(value);
}

/** A notification cannot be closed by an extension: on abort the answer is cancel and a later click does nothing. */
function untilAborted<T>(shown: Thenable<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    shown.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? undefined : value);
      },
      () => resolve(undefined),
    );
  });
}

const key = (server: string, elicitationId: string) => `${server}\u0000${elicitationId}`;
