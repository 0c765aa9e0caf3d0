import * as vscode from 'vscode';
import type { ElicitationValue } from '../../core/clientFeatures/elicitation';
import { coerceText, countRule, type FormField, type MultiChoiceField, type NumberField, type TextField } from '../../core/clientFeatures/elicitationForm';

/** What one step of the form ended with: a value, a field left empty, Back, or the form closed (Escape, abort). */
export type StepResult<T> = { readonly kind: 'value'; readonly value: T } | { readonly kind: 'skip' } | { readonly kind: 'back' } | { readonly kind: 'cancel' };

/** Where a step sits in the form and what it shows around the field. */
export interface StepFrame {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly canGoBack: boolean;
  readonly signal: AbortSignal;
}

interface Item extends vscode.QuickPickItem {
  readonly value?: ElicitationValue | 'skip';
}

const SKIP_LABEL = '$(dash) Leave empty';

/** Asks one field: an input box for text and numbers, a quick pick for yes/no and choices. */
export function askField(field: FormField, previous: ElicitationValue | undefined, frame: StepFrame): Promise<StepResult<ElicitationValue>> {
  switch (field.kind) {
    case 'text':
    case 'number':
      return askText(field, previous, frame);
    case 'boolean': {
      const items: Item[] = [
        { label: 'Yes', value: true },
        { label: 'No', value: false },
      ];
      return pickOne(field, items, previous ?? field.default, frame);
    }
    case 'choice':
      return pickOne(field, field.options.map((o) => ({ label: o.label, value: o.value, ...(o.label !== o.value && { description: o.value }) })), previous ?? field.default, frame);
    case 'multi':
      return pickMany(field, (previous as readonly string[] | undefined) ?? field.default, frame);
  }
}

/** The last step: Submit, Decline or Cancel, with what will be sent. */
export function askFinal(summary: string, frame: StepFrame, problem?: string): Promise<StepResult<'submit' | 'decline' | 'cancel'>> {
  const pick = vscode.window.createQuickPick<Item & { readonly action: 'submit' | 'decline' | 'cancel' }>();
  pick.items = [
    { label: '$(check) Submit', detail: summary, action: 'submit' },
    { label: '$(close) Decline', detail: 'Tell the server you will not give this information', action: 'decline' },
    { label: '$(circle-slash) Cancel', detail: 'Close the form without answering', action: 'cancel' },
  ];
  pick.placeholder = problem ?? 'Send these answers to the server?';
  return run(pick, frame, (resolve) => {
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) resolve({ kind: 'value', value: chosen.action });
    });
  });
}

function askText(field: TextField | NumberField, previous: ElicitationValue | undefined, frame: StepFrame): Promise<StepResult<ElicitationValue>> {
  const box = vscode.window.createInputBox();
  const start = previous ?? field.default;
  box.value = start === undefined ? '' : String(start);
  box.prompt = fieldPrompt(field, hint(field));
  box.placeholder = field.required ? '' : 'Optional: leave empty to skip';
  const validate = () => {
    const coerced = coerceText(field, box.value);
    box.validationMessage = 'error' in coerced ? `${field.label} ${coerced.error}` : undefined;
    return coerced;
  };
  if (box.value !== '') validate();
  return run(box, frame, (resolve) => {
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      const coerced = validate();
      if ('value' in coerced) resolve({ kind: 'value', value: coerced.value });
      else if ('skip' in coerced) resolve({ kind: 'skip' });
    });
  });
}

function pickOne(field: FormField, options: Item[], current: ElicitationValue | undefined, frame: StepFrame): Promise<StepResult<ElicitationValue>> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.items = field.required ? options : [...options, { label: SKIP_LABEL, value: 'skip' }];
  pick.placeholder = fieldPrompt(field);
  pick.matchOnDescription = true;
  const active = pick.items.find((i) => i.value === current);
  if (active) pick.activeItems = [active];
  return run(pick, frame, (resolve) => {
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (!chosen) return;
      resolve(chosen.value === 'skip' || chosen.value === undefined ? { kind: 'skip' } : { kind: 'value', value: chosen.value });
    });
  });
}

function pickMany(field: MultiChoiceField, current: readonly string[] | undefined, frame: StepFrame): Promise<StepResult<ElicitationValue>> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.canSelectMany = true;
  pick.items = field.options.map((o) => ({ label: o.label, value: o.value, ...(o.label !== o.value && { description: o.value }) }));
  pick.selectedItems = pick.items.filter((i) => current?.includes(i.value as string));
  const prompt = fieldPrompt(field, `${countRule(field)}${field.required ? '' : ', or none to skip'}`);
  pick.placeholder = prompt;
  return run(pick, frame, (resolve) => {
    pick.onDidChangeSelection(() => (pick.placeholder = prompt));
    pick.onDidAccept(() => {
      const values = pick.selectedItems.map((i) => i.value as string);
      if (values.length === 0 && !field.required) return resolve({ kind: 'skip' });
      const tooFew = field.minItems !== undefined && values.length < field.minItems;
      const tooMany = field.maxItems !== undefined && values.length > field.maxItems;
      // A quick pick has no validation message: the placeholder says what is wrong.
      if (tooFew || tooMany || (values.length === 0 && field.required)) {
        pick.placeholder = `${field.label}: ${countRule(field)} (now ${values.length})`;
        return;
      }
      resolve({ kind: 'value', value: values });
    });
  });
}

/** Shows a quick input with the frame's title, steps and Back button, and settles once: Escape or abort = cancel. */
function run<T, Q extends vscode.QuickPick<Item> | vscode.InputBox>(input: Q, frame: StepFrame, wire: (resolve: (result: StepResult<T>) => void) => void): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: StepResult<T>) => {
      if (settled) return;
      settled = true;
      frame.signal.removeEventListener('abort', onAbort);
      resolve(result);
      input.dispose();
    };
    const onAbort = () => settle({ kind: 'cancel' });
    input.title = frame.title;
    input.step = frame.step;
    input.totalSteps = frame.totalSteps;
    input.ignoreFocusOut = true;
    input.buttons = frame.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    input.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) settle({ kind: 'back' });
    });
    input.onDidHide(() => settle({ kind: 'cancel' }));
    wire(settle);
    if (frame.signal.aborted) return settle({ kind: 'cancel' });
    frame.signal.addEventListener('abort', onAbort, { once: true });
    input.show();
  });
}

function fieldPrompt(field: FormField, rule?: string): string {
  const head = `${field.label}${field.required ? '' : ' (optional)'}`;
  return [head, field.description, rule].filter(Boolean).join(' — ');
}

/** The rule of a text or number field, said before the user types. */
function hint(field: TextField | NumberField): string | undefined {
  if (field.kind === 'number') {
    const what = field.integer ? 'an integer' : 'a number';
    if (field.minimum !== undefined && field.maximum !== undefined) return `${what} between ${field.minimum} and ${field.maximum}`;
    if (field.minimum !== undefined) return `${what} of at least ${field.minimum}`;
    if (field.maximum !== undefined) return `${what} of at most ${field.maximum}`;
    return what;
  }
  const formats = { email: 'an email address', uri: 'a URI', date: 'a date (YYYY-MM-DD)', 'date-time': 'a date and time (YYYY-MM-DDTHH:MM:SSZ)' } as const;
  return field.format ? formats[field.format] : undefined;
}
