import type { ElicitationValue } from './elicitation';

/**
 * The form of an elicitation: the server's flat JSON schema read into an ordered list of fields a user fills one at
 * a time, validation messages a user can act on, the conversion of what was typed into JSON values, and a last
 * check of the whole answer. Everything here comes from the server, so nothing is trusted: sizes are bounded,
 * property names are only ever keys of the answer, and a schema MCP Warden cannot show is explained, never thrown.
 */

/** Bounds on what a server can make the user's form hold. */
export const FORM_LIMITS = {
  fields: 50,
  options: 1000,
  label: 120,
  description: 500,
  /** Longest text an answer may hold, whatever maxLength the server allows. */
  text: 10_000,
  pattern: 200,
  /** Longest text tested against a pattern: a pattern runs on every keystroke. */
  patternText: 1000,
} as const;

export interface FormOption {
  readonly value: string;
  readonly label: string;
}

interface FieldBase {
  /** The property name: the key of the answer, never shown unsanitized. */
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
}

export type TextFormat = 'email' | 'uri' | 'date' | 'date-time';

export interface TextField extends FieldBase {
  readonly kind: 'text';
  readonly format?: TextFormat;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Only a pattern that is safe to run on each keystroke; others are left to the server. */
  readonly pattern?: string;
  readonly default?: string;
}

export interface NumberField extends FieldBase {
  readonly kind: 'number';
  readonly integer: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: number;
}

export interface BooleanField extends FieldBase {
  readonly kind: 'boolean';
  readonly default?: boolean;
}

export interface ChoiceField extends FieldBase {
  readonly kind: 'choice';
  readonly options: readonly FormOption[];
  readonly default?: string;
}

export interface MultiChoiceField extends FieldBase {
  readonly kind: 'multi';
  readonly options: readonly FormOption[];
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly default?: readonly string[];
}

export type FormField = TextField | NumberField | BooleanField | ChoiceField | MultiChoiceField;

export interface ElicitationForm {
  readonly fields: readonly FormField[];
  /** Optional properties left out of the form, each with why. */
  readonly leftOut: readonly { readonly label: string; readonly reason: string }[];
  /** Why the form cannot be filled at all: then the user can only decline. */
  readonly blocked?: string;
}

export type Coerced = { readonly value: ElicitationValue } | { readonly skip: true } | { readonly error: string };

/** Reads a requested schema into a form; never throws, whatever the server sent. */
export function readForm(schema: unknown): ElicitationForm {
  if (!isRecord(schema) || (schema['type'] !== undefined && schema['type'] !== 'object') || !isRecord(schema['properties'])) {
    return { fields: [], leftOut: [], blocked: 'the server sent a form that is not a JSON object schema with properties' };
  }
  const properties = schema['properties'];
  const names = Object.keys(properties);
  if (names.length > FORM_LIMITS.fields) {
    return { fields: [], leftOut: [], blocked: `the server asks for ${names.length} fields; a form holds at most ${FORM_LIMITS.fields}` };
  }
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  const fields: FormField[] = [];
  const leftOut: { label: string; reason: string }[] = [];
  for (const name of names) {
    const read = readField(name, properties[name], required.has(name));
    if ('field' in read) {
      fields.push(read.field);
      continue;
    }
    const label = labelOf(name, properties[name]);
    if (required.has(name)) return { fields: [], leftOut: [], blocked: `the server asks for '${label}', which cannot be shown: ${read.reason}` };
    leftOut.push({ label, reason: read.reason });
  }
  return { fields, leftOut };
}

function readField(name: string, property: unknown, required: boolean): { field: FormField } | { reason: string } {
  if (!isRecord(property)) return { reason: 'its description is not a JSON object' };
  const label = labelOf(name, property);
  const description = typeof property['description'] === 'string' ? cleanServerText(property['description'], FORM_LIMITS.description) : '';
  const base: FieldBase = { name, label, required, ...(description && { description }) };
  const type = property['type'];
  const fallback = property['default'];

  const choices = readOptions(property);
  if (choices !== undefined && type !== 'array') {
    if (type !== undefined && type !== 'string') return { reason: `its choices are of type ${describeType(type)}; a form offers text choices only` };
    if ('reason' in choices) return choices;
    return withDefault<ChoiceField>({ ...base, kind: 'choice', options: choices.options }, fallback);
  }
  switch (type) {
    case 'string': {
      const minLength = lengthBound(property['minLength']);
      const maxLength = lengthBound(property['maxLength']);
      if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) return { reason: `it must be at least ${minLength} and at most ${maxLength} characters long, which no text is` };
      if (minLength !== undefined && minLength > FORM_LIMITS.text) return { reason: `it must be at least ${minLength} characters long, more than a form accepts (${FORM_LIMITS.text})` };
      const format = ['email', 'uri', 'date', 'date-time'].includes(property['format'] as string) ? (property['format'] as TextFormat) : undefined;
      const pattern = typeof property['pattern'] === 'string' && isCheckablePattern(property['pattern']) ? property['pattern'] : undefined;
      const field: TextField = {
        ...base,
        kind: 'text',
        ...(format && { format }),
        ...(minLength !== undefined && { minLength }),
        ...(maxLength !== undefined && { maxLength }),
        ...(pattern !== undefined && { pattern }),
      };
      return withDefault(field, fallback);
    }
    case 'number':
    case 'integer': {
      const minimum = finite(property['minimum']);
      const maximum = finite(property['maximum']);
      if (minimum !== undefined && maximum !== undefined && minimum > maximum) return { reason: `it must be at least ${minimum} and at most ${maximum}, which no number is` };
      const field: NumberField = { ...base, kind: 'number', integer: type === 'integer', ...(minimum !== undefined && { minimum }), ...(maximum !== undefined && { maximum }) };
      if (field.integer && minimum !== undefined && maximum !== undefined && Math.ceil(minimum) > Math.floor(maximum)) return { reason: `no integer lies between ${minimum} and ${maximum}` };
      return withDefault(field, fallback);
    }
    case 'boolean':
      return withDefault<BooleanField>({ ...base, kind: 'boolean' }, fallback);
    case 'array': {
      const items = property['items'];
      const options = isRecord(items) ? readOptions(items) : undefined;
      if (options === undefined) return { reason: 'it is a list whose items are not a list of choices' };
      if ('reason' in options) return options;
      const minItems = lengthBound(property['minItems']);
      const maxItems = lengthBound(property['maxItems']);
      if (minItems !== undefined && maxItems !== undefined && minItems > maxItems) return { reason: `at least ${minItems} and at most ${maxItems} choices must be made, which cannot both hold` };
      if (minItems !== undefined && minItems > options.options.length) return { reason: `at least ${minItems} choices must be made, but it offers ${options.options.length}` };
      const field: MultiChoiceField = { ...base, kind: 'multi', options: options.options, ...(minItems !== undefined && { minItems }), ...(maxItems !== undefined && { maxItems }) };
      return withDefault(field, fallback);
    }
    default:
      return { reason: `its type ${describeType(type)} is not one a form can ask for (text, number, integer, yes/no, or a choice)` };
  }
}

/** `enum` (with `enumNames`), or `oneOf`/`anyOf` of `{const, title}`; undefined when the property offers no choices. */
function readOptions(property: Readonly<Record<string, unknown>>): { options: FormOption[] } | { reason: string } | undefined {
  let raw: { value: unknown; title: unknown }[] | undefined;
  const list = property['enum'];
  if (Array.isArray(list)) {
    const names = Array.isArray(property['enumNames']) && property['enumNames'].length === list.length ? (property['enumNames'] as unknown[]) : undefined;
    raw = list.map((value, i) => ({ value, title: names?.[i] }));
  } else {
    const variants = Array.isArray(property['oneOf']) ? property['oneOf'] : Array.isArray(property['anyOf']) ? property['anyOf'] : undefined;
    if (!variants) return undefined;
    raw = (variants as unknown[]).map((v) => (isRecord(v) ? { value: v['const'], title: v['title'] } : { value: undefined, title: undefined }));
  }
  if (raw.length === 0) return { reason: 'it offers no choices' };
  if (raw.length > FORM_LIMITS.options) return { reason: `it offers ${raw.length} choices; a form shows at most ${FORM_LIMITS.options}` };
  if (raw.some((r) => typeof r.value !== 'string')) return { reason: 'some of its choices are not text' };
  const seen = new Set<string>();
  const options: FormOption[] = [];
  for (const { value, title } of raw as { value: string; title: unknown }[]) {
    if (seen.has(value)) continue;
    seen.add(value);
    const label = cleanServerText(typeof title === 'string' && title.trim() ? title : value, FORM_LIMITS.label);
    options.push({ value, label: label || JSON.stringify(value) });
  }
  return { options };
}

/** A default the field would refuse is no default: the user starts from nothing instead. */
function withDefault<F extends FormField>(field: F, value: unknown): { field: F } {
  if (value === undefined || checkValue(field, value) !== undefined) return { field };
  return { field: { ...field, default: Array.isArray(value) ? [...(value as string[])] : value } };
}

/**
 * Converts what the user typed for a text or number field into the JSON value, or says what is wrong with it.
 * Empty input skips an optional field.
 */
export function coerceText(field: TextField | NumberField, text: string): Coerced {
  if (field.kind === 'number' ? text.trim() === '' : text === '') {
    return field.required ? { error: 'is required: enter a value' } : { skip: true };
  }
  if (field.kind === 'text') {
    const problem = checkText(field, text);
    return problem ? { error: problem } : { value: text };
  }
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return { error: numberRule(field) };
  const value = Number(trimmed);
  const problem = checkNumber(field, value);
  return problem ? { error: problem } : { value };
}

/** The message shown while the user types (undefined when the text is acceptable, empty included for an optional field). */
export function validationMessage(field: TextField | NumberField, text: string): string | undefined {
  const coerced = coerceText(field, text);
  return 'error' in coerced ? coerced.error : undefined;
}

/** What is wrong with one value of the answer, or undefined. */
export function checkValue(field: FormField, value: unknown): string | undefined {
  switch (field.kind) {
    case 'text':
      return typeof value === 'string' ? checkText(field, value) : 'must be text';
    case 'number':
      return typeof value === 'number' ? checkNumber(field, value) : numberRule(field);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be yes or no';
    case 'choice':
      return typeof value === 'string' && field.options.some((o) => o.value === value) ? undefined : 'must be one of the choices offered';
    case 'multi': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !field.options.some((o) => o.value === v))) return 'must be choices among those offered';
      if (new Set(value).size !== value.length) return 'must not choose the same thing twice';
      const tooFew = field.minItems !== undefined && value.length < field.minItems;
      const tooMany = field.maxItems !== undefined && value.length > field.maxItems;
      return tooFew || tooMany ? countRule(field) : undefined;
    }
  }
}

/** The last check before the answer goes to the server: every problem, each naming its field. */
export function checkContent(form: ElicitationForm, content: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const known = new Set(form.fields.map((f) => f.name));
  for (const field of form.fields) {
    const value = Object.hasOwn(content, field.name) ? content[field.name] : undefined;
    if (value === undefined) {
      if (field.required) problems.push(`'${field.label}' is required`);
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) problems.push(`'${field.label}' ${problem}`);
  }
  for (const name of Object.keys(content)) {
    if (!known.has(name)) problems.push(`'${cleanServerText(name, FORM_LIMITS.label)}' is not a field of this form`);
  }
  return problems;
}

/** Builds the answer's content; property names such as `__proto__` stay plain keys. */
export function formContent(entries: Iterable<readonly [string, ElicitationValue]>): Record<string, ElicitationValue> {
  return Object.fromEntries(entries) as Record<string, ElicitationValue>;
}

/** What the rule for a multiple choice is, as the user reads it. */
export function countRule(field: MultiChoiceField): string {
  const { minItems: min, maxItems: max } = field;
  if (min !== undefined && max !== undefined) return min === max ? `choose exactly ${min}` : `choose between ${min} and ${max}`;
  if (min !== undefined) return `choose at least ${min}`;
  if (max !== undefined) return `choose at most ${max}`;
  return 'choose any number';
}

/**
 * Text written by a server, made safe to show: control and formatting characters (bidirectional overrides
 * included) removed, whitespace collapsed, straight double quotes made curly (MCP Warden quotes server text in
 * straight ones, which the text must not be able to close: `Its reason: "x". URL: https://github.com/ …"`), at
 * most `max` characters.
 */
export function cleanServerText(text: string, max: number): string {
  const cleaned = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\p{Cf}+/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/"/g, '\u201d')
    .trim();
  const chars = [...cleaned];
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : cleaned;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function checkText(field: TextField, text: string): string | undefined {
  const length = [...text].length;
  const max = Math.min(field.maxLength ?? FORM_LIMITS.text, FORM_LIMITS.text);
  if ((field.minLength !== undefined && length < field.minLength) || length > max) {
    if (field.minLength !== undefined && field.maxLength !== undefined) return `must be between ${field.minLength} and ${max} characters (now ${length})`;
    if (field.minLength !== undefined && length < field.minLength) return `must be at least ${field.minLength} characters (now ${length})`;
    return `must be at most ${max} characters (now ${length})`;
  }
  switch (field.format) {
    case 'email':
      if (!EMAIL.test(text)) return 'must be an email address, like name@example.com';
      break;
    case 'uri':
      if (!isUri(text)) return 'must be a full URI, like https://example.com/page';
      break;
    case 'date':
      if (!isDate(text)) return 'must be a date as YYYY-MM-DD, like 2026-12-03';
      break;
    case 'date-time': {
      const match = DATE_TIME.exec(text);
      if (!match || !isDate(match[1] ?? '')) return 'must be a date and time as YYYY-MM-DDTHH:MM:SSZ, like 2026-12-03T09:30:00Z';
      break;
    }
  }
  if (field.pattern !== undefined && length <= FORM_LIMITS.patternText && !patternMatches(field.pattern, text)) {
    return `must match the pattern ${field.pattern}`;
  }
  return undefined;
}

function checkNumber(field: NumberField, value: number): string | undefined {
  if (!Number.isFinite(value) || (field.integer && !Number.isSafeInteger(value))) return numberRule(field);
  if ((field.minimum !== undefined && value < field.minimum) || (field.maximum !== undefined && value > field.maximum)) return numberRule(field);
  return undefined;
}

/** The whole rule for a number field, so one message tells the user what to type. */
function numberRule(field: NumberField): string {
  const what = field.integer ? 'an integer' : 'a number';
  const { minimum: min, maximum: max } = field;
  if (min !== undefined && max !== undefined) return `must be ${what} between ${min} and ${max}`;
  if (min !== undefined) return `must be ${what} of at least ${min}`;
  if (max !== undefined) return `must be ${what} of at most ${max}`;
  return `must be ${what}`;
}

function isUri(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A server's pattern runs on every keystroke in the editor's process, so only one that cannot backtrack
 * catastrophically is run: short, no quantified group, at most two unbounded quantifiers. The server still
 * checks the answer against its own schema.
 */
function isCheckablePattern(pattern: string): boolean {
  if (pattern.length > FORM_LIMITS.pattern || /\)\s*[*+?{]/.test(pattern) || /\\\d/.test(pattern)) return false;
  if ((pattern.match(/(?<!\\)(?:[*+]|\{\d*,\})/g) ?? []).length > 2) return false;
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function patternMatches(pattern: string, text: string): boolean {
  return new RegExp(pattern, 'u').test(text);
}

function lengthBound(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function labelOf(name: string, property: unknown): string {
  const title = isRecord(property) && typeof property['title'] === 'string' ? property['title'] : '';
  return cleanServerText(title.trim() ? title : name, FORM_LIMITS.label) || JSON.stringify(name).slice(0, FORM_LIMITS.label);
}

function describeType(type: unknown): string {
  if (type === undefined) return '(none given)';
  // JSON quotes every string in it and escapes the server's own quotes (\"): its straight quotes are ours.
  return cleanServerText(JSON.stringify(type) ?? String(type), 40).replace(/\u201d/g, '"');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
