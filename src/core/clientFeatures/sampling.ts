import type { UserAnswer } from '../permissions/permission';

/**
 * Sampling: a server asks the client's language model for a completion (`sampling/createMessage`, or an input
 * request of a 2026-07-28 `input_required` result). The params are the protocol's, validated by the SDK; the
 * result must be a `CreateMessageResult` (or `CreateMessageResultWithTools` when the request carries tools).
 */
export interface SamplingRequest {
  readonly server: string;
  readonly session: string;
  readonly params: SamplingParams;
}

/** The members of `CreateMessageRequest.params` MCP Warden reads; the rest is passed on untouched. */
export interface SamplingParams {
  readonly messages: readonly SamplingMessage[];
  readonly systemPrompt?: string;
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly modelPreferences?: { readonly hints?: readonly { readonly name?: string }[]; readonly [key: string]: unknown };
  readonly includeContext?: string;
  readonly tools?: readonly { readonly name: string; readonly description?: string; readonly inputSchema: unknown }[];
  readonly toolChoice?: { readonly mode?: 'auto' | 'required' | 'none' };
  readonly [key: string]: unknown;
}

export interface SamplingMessage {
  readonly role: 'user' | 'assistant';
  /** One content block or (with tools) several: text, image, audio, tool_use, tool_result. */
  readonly content: unknown;
}

/** The user's consent to one request: the answer for the gate, and the model they chose (undefined: the default). */
export interface SamplingConsent {
  readonly answer: UserAnswer;
  readonly model?: string;
}

/** The editor's language models and the consent to use them. */
export interface SamplingProvider {
  /**
   * Shows the request (messages, system prompt, max tokens) and asks whether to run it and with which model;
   * undefined when dismissed or `signal` aborted. Throws when no model is available, saying so.
   */
  consent(request: SamplingRequest, signal: AbortSignal): Promise<SamplingConsent | undefined>;
  /** Runs the request on `model` (undefined: the model last chosen for the server, else the first available). */
  complete(request: SamplingRequest, model: string | undefined, signal: AbortSignal): Promise<unknown>;
}
