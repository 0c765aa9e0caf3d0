import type { SamplingMessage, SamplingParams, SamplingRequest } from './sampling';

/**
 * What the user reads before a server may use their language model: a one-paragraph summary for the consent
 * notification and a full rendering for its Details document. Everything the server wrote is quoted (JSON string
 * escapes) after control, zero-width and bidi characters are removed, so a message or system prompt cannot pose as
 * MCP Warden's own text, hide text, or spill over lines.
 */

/** Longest quote of the last user message and of the system prompt in the summary. */
const SUMMARY_QUOTE_CHARS = 160;
/** Longest block of one content part in the full rendering; the rest is counted, not shown. */
const DOCUMENT_BLOCK_CHARS = 20_000;
const SUMMARY_LIST_ITEMS = 5;

// C0/C1 controls, zero-width characters, bidi overrides and isolates, BOM: invisible or reordering.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Server text for one line: hidden characters removed, whitespace runs (newlines included) made one space. */
export function oneLine(text: string): string {
  return text.replace(HIDDEN, '').replace(/\s+/g, ' ').trim();
}

/** `text` on one line, cut to `max` characters (with …), as a quoted string whose own quotes are escaped. */
export function quoted(text: string, max: number): string {
  const line = oneLine(text);
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

/** The text of a message's content (a block or an array of blocks); other blocks are named, e.g. `[image]`. */
export function contentText(content: unknown): string {
  const blocks = Array.isArray(content) ? (content as unknown[]) : [content];
  return blocks.map(blockText).join(' ');
}

function blockText(block: unknown): string {
  if (typeof block !== 'object' || block === null) return '[unreadable content]';
  const { type, text } = block as { type?: unknown; text?: unknown };
  if (type === 'text' && typeof text === 'string') return text;
  // A tool loop's follow-up: what the server feeds back to the model is what the user should see.
  if (type === 'tool_result') {
    const inner = (block as { content?: unknown }).content;
    return `[tool result: ${Array.isArray(inner) ? contentText(inner) : ''}]`;
  }
  return `[${typeof type === 'string' ? oneLine(type).slice(0, 40) : 'unknown content'}]`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function namesOf(items: readonly unknown[] | undefined, nameOf: (item: unknown) => unknown): string[] {
  return (items ?? []).map(nameOf).filter((n): n is string => typeof n === 'string' && oneLine(n) !== '').map(oneLine);
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, SUMMARY_LIST_ITEMS).map((n) => quoted(n, 40));
  return names.length > SUMMARY_LIST_ITEMS ? `${shown.join(', ')} and ${names.length - SUMMARY_LIST_ITEMS} more` : shown.join(', ');
}

const toolNames = (params: SamplingParams) => namesOf(Array.isArray(params.tools) ? params.tools : [], (t) => (t as { name?: unknown } | null)?.name);
const hintNames = (params: SamplingParams) =>
  namesOf(Array.isArray(params.modelPreferences?.hints) ? params.modelPreferences.hints : [], (h) => (h as { name?: unknown } | null)?.name);

/**
 * The consent notification's text: who asks, how many messages, the last user message and the system prompt
 * (quoted, trimmed), the token limit, the tools offered to the model and the server's model hints.
 */
export function samplingSummary(request: SamplingRequest): string {
  const { params } = request;
  const messages: readonly SamplingMessage[] = Array.isArray(params.messages) ? params.messages : [];
  const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
  const parts = [`Server ${quoted(request.server, 60)} wants to use a language model: ${plural(messages.length, 'message')}.`];
  if (lastUser) parts.push(`Last user message: ${quoted(contentText(lastUser.content), SUMMARY_QUOTE_CHARS)}.`);
  if (typeof params.systemPrompt === 'string' && oneLine(params.systemPrompt) !== '') parts.push(`System prompt: ${quoted(params.systemPrompt, SUMMARY_QUOTE_CHARS)}.`);
  parts.push(`At most ${maxTokensOf(params)} tokens.`);
  const tools = toolNames(params);
  if (tools.length > 0) parts.push(`Tools offered to the model: ${listed(tools)}${params.toolChoice?.mode === 'required' ? ' (it must call one)' : ''}.`);
  const hints = hintNames(params);
  if (hints.length > 0) parts.push(`Model hints: ${listed(hints)}.`);
  return parts.join(' ');
}

function maxTokensOf(params: SamplingParams): string {
  return typeof params.maxTokens === 'number' && Number.isFinite(params.maxTokens) ? String(params.maxTokens) : 'an unstated number of';
}

/** Indents server text so each of its lines starts with `│ `: nothing it says can look like a heading of ours. */
function block(text: string): string {
  const clean = text.replace(HIDDEN, '');
  const shown = clean.length > DOCUMENT_BLOCK_CHARS ? `${clean.slice(0, DOCUMENT_BLOCK_CHARS)}\n… (${clean.length - DOCUMENT_BLOCK_CHARS} more characters not shown)` : clean;
  return shown
    .split(/\r\n|\r|\n/)
    .map((line) => `    │ ${line}`)
    .join('\n');
}

function documentBlock(part: unknown): string {
  if (typeof part !== 'object' || part === null) return '  (unreadable content)';
  const p = part as Record<string, unknown>;
  switch (p['type']) {
    case 'text':
      return `  text:\n${block(String(p['text'] ?? ''))}`;
    case 'image':
    case 'audio': {
      const size = typeof p['data'] === 'string' ? `${Math.floor((p['data'].length * 3) / 4)} bytes` : 'no data';
      return `  ${String(p['type'])}: ${quoted(String(p['mimeType'] ?? 'unknown type'), 80)}, ${size}`;
    }
    case 'tool_use':
      return `  the model called tool ${quoted(String(p['name'] ?? ''), 80)} (call ${quoted(String(p['id'] ?? ''), 80)}) with:\n${block(JSON.stringify(p['input'] ?? {}, null, 2))}`;
    case 'tool_result': {
      const inner = Array.isArray(p['content']) ? (p['content'] as unknown[]) : [];
      const header = `  result of call ${quoted(String(p['toolUseId'] ?? ''), 80)}${p['isError'] === true ? ' (an error)' : ''}:`;
      return [header, ...inner.map((c) => documentBlock(c).replace(/^/gm, '  '))].join('\n');
    }
    default:
      return `  ${quoted(String(p['type'] ?? 'unknown'), 40)} content:\n${block(JSON.stringify(part, null, 2))}`;
  }
}

/** The whole request as a plain-text document: every message in full (long blocks cut), then the settings. */
export function samplingDocument(request: SamplingRequest): string {
  const { params } = request;
  const messages: readonly SamplingMessage[] = Array.isArray(params.messages) ? params.messages : [];
  const lines = [
    `Sampling request from MCP server ${quoted(request.server, 200)}`,
    `Lines starting with │ are the server's text, verbatim except for control and invisible characters.`,
    '',
    `At most ${maxTokensOf(params)} tokens.`,
  ];
  if (typeof params.temperature === 'number') lines.push(`Temperature: ${params.temperature}`);
  if (Array.isArray(params.stopSequences) && params.stopSequences.length > 0) lines.push(`Stop sequences: ${params.stopSequences.map((s) => quoted(String(s), 80)).join(', ')}`);
  const hints = hintNames(params);
  if (hints.length > 0) lines.push(`Model hints: ${hints.map((h) => quoted(h, 80)).join(', ')}`);
  if (typeof params.includeContext === 'string') lines.push(`Context asked for: ${quoted(params.includeContext, 40)} (MCP Warden sends none)`);
  lines.push('');
  if (typeof params.systemPrompt === 'string') lines.push('System prompt:', block(params.systemPrompt), '');
  messages.forEach((message, i) => {
    const role = message?.role === 'assistant' ? 'assistant' : 'user';
    const content = Array.isArray(message?.content) ? (message.content as unknown[]) : [message?.content];
    lines.push(`Message ${i + 1} of ${messages.length}, from the ${role}:`, ...content.map(documentBlock), '');
  });
  const tools = Array.isArray(params.tools) ? params.tools : [];
  if (tools.length > 0) {
    lines.push(`Tools offered to the model${params.toolChoice?.mode ? ` (choice: ${quoted(params.toolChoice.mode, 20)})` : ''}:`);
    for (const tool of tools) {
      lines.push(`  ${quoted(String(tool?.name ?? ''), 80)}`, block(`${tool?.description ?? ''}\n${JSON.stringify(tool?.inputSchema ?? {}, null, 2)}`));
    }
  }
  return lines.join('\n');
}
