import * as vscode from 'vscode';

/** Asks the server for completions of what the user typed so far (`completion/complete`). */
export type Completer = (value: string) => Promise<readonly string[]>;

export interface ArgumentQuestion {
  readonly title: string;
  readonly name: string;
  readonly description?: string;
  readonly required: boolean;
  /** Where the server offers completions; without it a plain input box. */
  readonly complete?: Completer;
}

/** The answer: a value, `omit` for an optional argument left empty, undefined when the user cancels. */
export type Answer = { readonly value: string } | 'omit' | undefined;

/**
 * One argument: an input box, or where the server completes, a quick pick whose items are the server's
 * completions of what is typed (the typed text itself always first, so any value can be given).
 */
export async function askArgument(question: ArgumentQuestion): Promise<Answer> {
  if (!question.complete) return askPlain(question);
  // The first completion is asked for before anything opens: the gate may ask the user about it, and a
  // permission question cannot be answered from inside an open quick pick. Refused or failed: a plain box.
  const first = await question.complete('').catch(() => undefined);
  return first === undefined ? askPlain(question) : askWithCompletions(question, question.complete, first);
}

async function askPlain(question: ArgumentQuestion): Promise<Answer> {
  const text = await vscode.window.showInputBox({
    title: question.title,
    prompt: question.description ?? question.name,
    placeHolder: question.required ? question.name : 'empty to leave out',
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' && question.required ? `${question.name} is required` : undefined),
  });
  if (text === undefined) return undefined;
  return text === '' ? 'omit' : { value: text };
}

function askWithCompletions(question: ArgumentQuestion, complete: Completer, initial: readonly string[]): Promise<Answer> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = question.title;
  pick.placeholder = `${question.description ?? question.name}${question.required ? '' : ' (empty to leave out)'} — suggestions from the server`;
  pick.ignoreFocusOut = true;
  // The server's completions are already filtered; VS Code's own filter would hide ones that do not fuzzy-match.
  pick.matchOnDescription = false;
  (pick as { sortByLabel?: boolean }).sortByLabel = false;
  let latest = 0;
  let completions: readonly string[] = initial;
  const typed = (value: string): vscode.QuickPickItem[] =>
    value === '' ? (question.required ? [] : [{ label: '', description: '(leave out)' }]) : [{ label: value, description: 'as typed' }];
  const render = () => {
    const value = pick.value;
    pick.items = [...typed(value), ...completions.filter((c) => c !== value).map((c) => ({ label: c, description: 'suggested by the server', alwaysShow: true }))];
  };
  const ask = (value: string) => {
    const request = ++latest;
    pick.busy = true;
    complete(value).then(
      (values) => {
        if (request !== latest) return; // an older answer, overtaken by typing
        completions = values;
        pick.busy = false;
        render();
      },
      () => {
        if (request !== latest) return;
        completions = [];
        pick.busy = false;
        render();
      },
    );
  };
  return new Promise<Answer>((resolve) => {
    let done = false;
    const finish = (answer: Answer) => {
      if (done) return;
      done = true;
      resolve(answer);
      pick.dispose();
    };
    pick.onDidChangeValue((value) => {
      render();
      ask(value);
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.label ?? pick.value;
      if (chosen === '' && question.required) return;
      finish(chosen === '' ? 'omit' : { value: chosen });
    });
    pick.onDidHide(() => finish(undefined));
    render();
    pick.show();
  });
}
