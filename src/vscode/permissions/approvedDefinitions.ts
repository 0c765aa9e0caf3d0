import * as vscode from 'vscode';
import type { Grant } from '../../core/permissions/permission';
import type { PermissionQuestion } from './brokerApi';

const STATE_KEY = 'mcpWarden.approvedDefinitions';
/** Enough for every tool of many servers; the oldest go first. */
const MAX_ENTRIES = 500;
const SCHEME = 'mcp-warden-definition';

type Entry = readonly [pin: string, definition: unknown];

/**
 * The tool and prompt definitions the user allowed, keyed by pin, in workspace state (this machine only), so
 * that when one changes the diff editor can show what was approved next to what the server offers now.
 */
export class ApprovedDefinitions implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  private counter = 0;

  constructor(private readonly state: vscode.Memento) {}

  /** Keeps the definition of an allowed tool or prompt question. */
  remember(question: PermissionQuestion): void {
    const { pin, permission } = question.request;
    if (!pin || question.definition === undefined || (permission.kind !== 'tool' && permission.kind !== 'prompt')) return;
    const entries = this.entries().filter(([known]) => known !== pin);
    entries.push([pin, question.definition]);
    void this.state.update(STATE_KEY, entries.slice(-MAX_ENTRIES));
  }

  /** The definition approved under `pin`, if this machine kept it. */
  get(pin: string): unknown {
    return this.entries().find(([known]) => known === pin)?.[1];
  }

  /** Opens the diff editor: the approved definition (or a note that it is unknown) against the current one. */
  async showChanges(question: PermissionQuestion, suspended: Grant): Promise<void> {
    const { server, permission } = question.request;
    const before = suspended.pin ? this.get(suspended.pin) : undefined;
    const beforeText =
      before === undefined
        ? `// The definition you allowed on ${suspended.grantedAt} is not known on this machine (pin ${suspended.pin ?? 'none'}).\n`
        : `${JSON.stringify(before, null, 2)}\n`;
    const afterText = `${JSON.stringify(question.definition ?? null, null, 2)}\n`;
    const name = `${server}-${permission.target}`;
    const left = this.document(`${name}-approved.json`, beforeText);
    const right = this.document(`${name}-now.json`, afterText);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${permission.kind} '${permission.target}' of '${server}': approved ↔ now`, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.documents.clear();
  }

  private document(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${++this.counter}/${name}` });
    this.documents.set(uri.toString(), text);
    if (this.documents.size > 20) this.documents.delete(this.documents.keys().next().value as string);
    return uri;
  }

  private entries(): Entry[] {
    const stored = this.state.get<unknown>(STATE_KEY);
    return Array.isArray(stored) ? stored.filter((e): e is Entry => Array.isArray(e) && typeof e[0] === 'string') : [];
  }
}
