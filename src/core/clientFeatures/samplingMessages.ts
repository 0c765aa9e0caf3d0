import type { SamplingParams } from './sampling';
import { quoted } from './samplingText';

/**
 * The bridge between MCP sampling and a chat model API such as `vscode.lm`: the request's messages in a neutral
 * form the editor adapter turns into its own message parts, and the model's answer back into a
 * `CreateMessageResult` (or `CreateMessageResultWithTools`). Pure, so both directions are unit-tested.
 */

/** Binary content (image, audio) as the server sent it: base64. */
export interface DataPart {
  readonly kind: 'data';
  readonly what: 'image' | 'audio';
  readonly mimeType: string;
  readonly base64: string;
}
export type ChatPart =
  | { readonly kind: 'text'; readonly text: string }
  | DataPart
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: object }
  | { readonly kind: 'toolResult'; readonly callId: string; readonly parts: readonly ({ readonly kind: 'text'; readonly text: string } | DataPart)[] };

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly parts: readonly ChatPart[];
}

/** Introduces the system prompt, sent as the first user message where the chat API has no system role. */
export const SYSTEM_PROMPT_PREFIX = 'System instructions (from the MCP server that made this request):';

/** The request's messages in order, the system prompt first (as a user message: see SYSTEM_PROMPT_PREFIX). */
export function toChatMessages(params: SamplingParams): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (typeof params.systemPrompt === 'string' && params.systemPrompt.trim() !== '') {
    messages.push({ role: 'user', parts: [{ kind: 'text', text: `${SYSTEM_PROMPT_PREFIX}\n\n${params.systemPrompt}` }] });
  }
  for (const message of Array.isArray(params.messages) ? params.messages : []) {
    const role = message?.role === 'assistant' ? 'assistant' : 'user';
    const blocks = Array.isArray(message?.content) ? (message.content as unknown[]) : [message?.content];
    messages.push({ role, parts: blocks.map((b) => toPart(b, role)) });
  }
  return messages;
}

function toPart(block: unknown, role: 'user' | 'assistant'): ChatPart {
  const b = (typeof block === 'object' && block !== null ? block : {}) as Record<string, unknown>;
  switch (b['type']) {
    case 'text':
      return { kind: 'text', text: typeof b['text'] === 'string' ? b['text'] : '' };
    case 'image':
    case 'audio':
      return toData(b) ?? { kind: 'text', text: `[${b['type']} without data]` };
    case 'tool_use':
      // A tool call belongs to the assistant; in a user message it can only be described.
      if (role === 'assistant') return { kind: 'toolCall', callId: String(b['id'] ?? ''), name: String(b['name'] ?? ''), input: objectOr(b['input']) };
      return { kind: 'text', text: `[tool call ${String(b['name'] ?? '')}: ${JSON.stringify(b['input'] ?? {})}]` };
    case 'tool_result': {
      const inner = Array.isArray(b['content']) ? (b['content'] as unknown[]) : [];
      const parts = inner.map((c) => {
        const part = toPart(c, 'user');
        return part.kind === 'text' || part.kind === 'data' ? part : { kind: 'text' as const, text: JSON.stringify(c) };
      });
      if (b['structuredContent'] !== undefined && parts.length === 0) parts.push({ kind: 'text', text: JSON.stringify(b['structuredContent']) });
      if (b['isError'] === true) parts.unshift({ kind: 'text', text: 'The tool reported an error:' });
      if (role === 'user') return { kind: 'toolResult', callId: String(b['toolUseId'] ?? ''), parts };
      return { kind: 'text', text: parts.map((p) => (p.kind === 'text' ? p.text : `[${p.what}]`)).join('\n') };
    }
    case 'resource_link':
      return { kind: 'text', text: `[resource ${String(b['uri'] ?? '')}]` };
    default:
      return { kind: 'text', text: `[${typeof b['type'] === 'string' ? b['type'] : 'unknown'} content, not supported]` };
  }
}

function toData(b: Record<string, unknown>): DataPart | undefined {
  if (typeof b['data'] !== 'string' || typeof b['mimeType'] !== 'string') return undefined;
  return { kind: 'data', what: b['type'] === 'audio' ? 'audio' : 'image', mimeType: b['mimeType'], base64: b['data'] };
}

function objectOr(value: unknown): object {
  return typeof value === 'object' && value !== null ? value : {};
}

/** The tools to give the model, and whether it must call one. */
export interface ToolPlan {
  readonly tools: { name: string; description: string; inputSchema: object }[];
  readonly required: boolean;
}

/** The tools to give the model and whether it must call one; undefined: none (no tools, or toolChoice `none`). */
export function toolPlan(params: SamplingParams): ToolPlan | undefined {
  const tools = Array.isArray(params.tools) ? params.tools.filter((t) => typeof t?.name === 'string' && t.name !== '') : [];
  if (tools.length === 0 || params.toolChoice?.mode === 'none') return undefined;
  return {
    tools: tools.map((t) => ({ name: t.name, description: typeof t.description === 'string' ? t.description : '', inputSchema: objectOr(t.inputSchema) })),
    required: params.toolChoice?.mode === 'required',
  };
}

/**
 * Tool use where the model supports it: the plan for a model that says whether it can call tools (undefined: it
 * does not say, and gets the tools). A model that cannot gets none and answers in text, which a request with
 * toolChoice `auto` allows; one that requires a tool call is refused instead, since the answer could not obey it.
 */
export function toolPlanForModel(params: SamplingParams, model: { readonly name: string; readonly callsTools: boolean | undefined }): ToolPlan | undefined {
  const plan = toolPlan(params);
  if (plan === undefined || model.callsTools !== false) return plan;
  if (plan.required) throw new Error(`the language model ${quoted(model.name, 80)} cannot call tools, and the request requires a tool call (toolChoice "required"): choose another model`);
  return undefined;
}

/** What the model streamed back: text and tool calls, in order. */
export type AnswerPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: object };

export type StopReason = 'endTurn' | 'maxTokens' | 'toolUse';

export interface SamplingResult {
  readonly role: 'assistant';
  readonly model: string;
  readonly stopReason: StopReason;
  readonly content: unknown;
}

/** The model called a tool the request did not offer it: the answer is refused, never passed on as `tool_use`. */
export class ToolCallNotOfferedError extends Error {
  constructor(
    readonly tool: string,
    readonly offered: readonly string[],
  ) {
    super(`MCP Warden refuses the model's answer: it called the tool ${quoted(tool, 80)}, but the request offered ${offered.length === 0 ? 'no tools' : `only ${offered.map((t) => quoted(t, 80)).join(', ')}`}`);
    this.name = 'ToolCallNotOfferedError';
  }
}

/**
 * The model's answer as the server expects it. With tool calls: an array of blocks, text first, then `tool_use`
 * blocks, and stop reason `toolUse` — only for tools the request offered (`tools`: their names, the `toolPlan`'s;
 * none by default), else `ToolCallNotOfferedError`: a server that offered no tools expects none and may not even
 * accept the shape. Otherwise one text block; `maxTokens` when the answer used up the limit (`outputTokens`
 * counted by the model), else `endTurn`.
 */
export function toSamplingResult(
  parts: readonly AnswerPart[],
  model: string,
  options: { readonly maxTokens?: number; readonly outputTokens?: number; readonly tools?: readonly string[] } = {},
): SamplingResult {
  const text = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  const calls = parts.filter((p): p is Extract<AnswerPart, { kind: 'toolCall' }> => p.kind === 'toolCall');
  const offered = options.tools ?? [];
  const stray = calls.find((c) => !offered.includes(c.name));
  if (stray) throw new ToolCallNotOfferedError(stray.name, offered);
  if (calls.length > 0) {
    const uses = calls.map((c) => ({ type: 'tool_use', id: c.callId, name: c.name, input: c.input }));
    return { role: 'assistant', model, stopReason: 'toolUse', content: text === '' ? uses : [{ type: 'text', text }, ...uses] };
  }
  const full = options.maxTokens !== undefined && options.outputTokens !== undefined && options.outputTokens >= options.maxTokens;
  return { role: 'assistant', model, stopReason: full ? 'maxTokens' : 'endTurn', content: { type: 'text', text } };
}

/**
 * The same rule for any provider's result, before it goes to the server: every `tool_use` block must name a tool
 * the request offered the model (`toolPlan`). The initialize era's SDK checks only the shape, and 2026-07-28's
 * not even that, so this is the one place that knows what was offered. Returns the result unchanged.
 */
export function refuseToolUseNotOffered(params: SamplingParams, result: unknown): unknown {
  const content = (typeof result === 'object' && result !== null ? (result as { content?: unknown }).content : undefined) ?? [];
  const blocks = Array.isArray(content) ? (content as unknown[]) : [content];
  const offered = toolPlan(params)?.tools.map((t) => t.name) ?? [];
  for (const block of blocks) {
    const b = (typeof block === 'object' && block !== null ? block : {}) as Record<string, unknown>;
    if (b['type'] === 'tool_use' && !offered.includes(String(b['name']))) throw new ToolCallNotOfferedError(String(b['name']), offered);
  }
  return result;
}

/** A model as the picker sees it. */
export interface ModelInfo {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly vendor: string;
}

/**
 * The model to use: the one remembered for the server if still there, else the first matching the server's
 * hints in their order (a hint matches a model whose id, name or family contains it, ignoring case), else the first.
 */
export function pickModel<M extends ModelInfo>(models: readonly M[], hints: SamplingParams['modelPreferences'], remembered?: string): M | undefined {
  const kept = remembered === undefined ? undefined : models.find((m) => m.id === remembered);
  if (kept) return kept;
  const names = (Array.isArray(hints?.hints) ? hints.hints : []).map((h) => (typeof h?.name === 'string' ? h.name.trim().toLowerCase() : '')).filter((n) => n !== '');
  for (const name of names) {
    const match = models.find((m) => [m.id, m.name, m.family].some((field) => field.toLowerCase().includes(name)));
    if (match) return match;
  }
  return models[0];
}
