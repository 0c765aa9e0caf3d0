import * as vscode from 'vscode';
import type { SamplingConsent, SamplingProvider, SamplingRequest } from '../../core/clientFeatures/sampling';
import { pickModel, toChatMessages, toolPlanForModel, toSamplingResult, ToolCallNotOfferedError, type AnswerPart, type ChatMessage, type ChatPart, type DataPart } from '../../core/clientFeatures/samplingMessages';
import { quoted, samplingDocument, samplingSummary } from '../../core/clientFeatures/samplingText';
import { errorMessage, type Logger } from '../../core/ports';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';

export const NO_MODEL_MESSAGE = 'no language model is available in this editor: install or sign in to a chat model extension';

export interface SamplingProviderDeps {
  readonly documents: ReadOnlyDocuments;
  /** The server's own log ("MCP Warden: <server>"). */
  readonly loggerFor: (server: string) => Logger;
}

// Five buttons fit a notification only with short labels (VS Code cuts longer ones to "All…"): "Details" shows the request.
const BUTTONS = { allow: 'Allow', session: 'Allow for Session', choose: 'Choose Model…', show: 'Details', deny: 'Deny' } as const;

/**
 * Sampling through the editor's language models (`vscode.lm`): a consent notification that shows the request
 * and lets the user pick the model, then the request on that model. The model chosen is remembered per server
 * for this window; the server's model hints pick the default.
 */
export class VscodeSamplingProvider implements SamplingProvider {
  private readonly chosen = new Map<string, string>();

  constructor(private readonly deps: SamplingProviderDeps) {}

  async consent(request: SamplingRequest, signal: AbortSignal): Promise<SamplingConsent | undefined> {
    const models = await vscode.lm.selectChatModels();
    let model = pickModel(models, request.params.modelPreferences, this.chosen.get(request.server));
    if (!model) throw new Error(NO_MODEL_MESSAGE);
    const summary = samplingSummary(request);
    while (!signal.aborted) {
      const message = `MCP Warden: ${summary} Model: ${quoted(model.name, 80)}.`;
      const choice = await untilAborted(vscode.window.showInformationMessage(message, ...Object.values(BUTTONS)), signal);
      switch (choice) {
        case BUTTONS.allow:
          return { answer: { verdict: 'allow', scope: 'once' }, model: model.id };
        case BUTTONS.session:
          // The session grant skips later consents: the model goes with it.
          this.chosen.set(request.server, model.id);
          return { answer: { verdict: 'allow', scope: 'session' }, model: model.id };
        case BUTTONS.choose: {
          const picked = await untilAborted(pickFrom(models, model), signal);
          if (!picked) continue;
          this.chosen.set(request.server, picked.id);
          return { answer: { verdict: 'allow', scope: 'once' }, model: picked.id };
        }
        case BUTTONS.show:
          await this.deps.documents
            .show(`sampling request from ${request.server}.txt`, samplingDocument(request), 'plaintext')
            .catch((error: unknown) => this.deps.loggerFor(request.server).error(`cannot show the sampling request: ${errorMessage(error)}`));
          // The list may have changed while the user read.
          model = pickModel(await vscode.lm.selectChatModels(), request.params.modelPreferences, model.id) ?? model;
          continue;
        case BUTTONS.deny:
          return { answer: { verdict: 'deny', scope: 'once' } };
        default:
          return undefined;
      }
    }
    return undefined;
  }

  async complete(request: SamplingRequest, modelId: string | undefined, signal: AbortSignal): Promise<unknown> {
    const logger = this.deps.loggerFor(request.server);
    const models = await vscode.lm.selectChatModels();
    const model = pickModel(models, request.params.modelPreferences, modelId ?? this.chosen.get(request.server));
    if (!model) throw new Error(NO_MODEL_MESSAGE);
    const { params } = request;
    // Not in the stable typings, but set by the editor on every model (undefined: an editor that does not say).
    const callsTools = (model as { capabilities?: { supportsToolCalling?: boolean } }).capabilities?.supportsToolCalling;
    const plan = toolPlanForModel(params, { name: model.name, callsTools });
    const cancellation = new vscode.CancellationTokenSource();
    const cancel = () => cancellation.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    const started = Date.now();
    try {
      const options: vscode.LanguageModelChatRequestOptions = {
        justification: `MCP server ${quoted(request.server, 60)} asked for a completion (sampling), and you allowed it.`,
        // Model options are the provider's own: the limit is the one most read; temperature and stop sequences have
        // no common name, so they are left to the model's defaults (the Details document shows them to the user).
        modelOptions: { maxTokens: params.maxTokens },
        ...(plan && { tools: plan.tools, toolMode: plan.required ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto }),
      };
      // The chat API has no system role: toChatMessages sends the system prompt as the first user message, prefixed.
      const response = await model.sendRequest(toChatMessages(params).map(toVscodeMessage), options, cancellation.token);
      const parts: AnswerPart[] = [];
      for await (const chunk of response.stream) {
        if (chunk instanceof vscode.LanguageModelTextPart) parts.push({ kind: 'text', text: chunk.value });
        else if (chunk instanceof vscode.LanguageModelToolCallPart) parts.push({ kind: 'toolCall', callId: chunk.callId, name: chunk.name, input: chunk.input });
      }
      const text = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
      const outputTokens = text === '' ? 0 : await model.countTokens(text, cancellation.token).then(undefined, () => undefined);
      // Only the tools actually given to the model may come back as tool_use (none for toolChoice "none").
      const tools = plan?.tools.map((t) => t.name) ?? [];
      const result = toSamplingResult(parts, model.id, { maxTokens: params.maxTokens, tools, ...(outputTokens !== undefined && { outputTokens }) });
      // Never the contents at info level: only their size, the model and how it ended.
      logger.info(
        `sampling: ${quoted(model.name, 80)} answered ${text.length} characters${outputTokens === undefined ? '' : ` (${outputTokens} tokens)`}, ` +
          `${parts.length - parts.filter((p) => p.kind === 'text').length} tool calls, stop reason ${result.stopReason}, in ${Date.now() - started} ms`,
      );
      return result;
    } catch (error) {
      if (signal.aborted) throw new Error('the sampling request was cancelled', { cause: error });
      if (error instanceof ToolCallNotOfferedError) {
        logger.warn(`sampling: ${quoted(model.name, 80)} called a tool the request did not offer (${quoted(error.tool, 80)}): its answer is refused`);
        throw new Error(`${error.message} (model ${quoted(model.name, 80)})`, { cause: error });
      }
      const reason = error instanceof vscode.LanguageModelError ? `${error.message} (${error.code})` : errorMessage(error);
      logger.warn(`sampling: ${quoted(model.name, 80)} failed: ${reason}`);
      throw new Error(`the language model ${quoted(model.name, 80)} could not answer: ${reason}`, { cause: error });
    } finally {
      signal.removeEventListener('abort', cancel);
      cancellation.dispose();
    }
  }
}

async function pickFrom(models: readonly vscode.LanguageModelChat[], current: vscode.LanguageModelChat): Promise<vscode.LanguageModelChat | undefined> {
  const items = models.map((model) => ({ label: model.name, description: `${model.vendor} · ${model.family}`, detail: model.id === current.id ? 'suggested' : undefined, model }));
  const picked = await vscode.window.showQuickPick(items, { title: 'MCP Warden: the model to answer the server', placeHolder: 'Choose a language model', ignoreFocusOut: true });
  return picked?.model;
}

/** `thenable`, or undefined as soon as `signal` aborts (the notification cannot be closed, but nothing waits on it). */
function untilAborted<T>(thenable: Thenable<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    thenable.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}

type DataPartConstructor = new (data: Uint8Array, mimeType: string) => unknown;

/** Images and audio need LanguageModelDataPart, which older editors lack: there they are described in text. */
function dataPart(part: DataPart): unknown {
  const DataPartClass = (vscode as unknown as { LanguageModelDataPart?: DataPartConstructor }).LanguageModelDataPart;
  if (DataPartClass) return new DataPartClass(Buffer.from(part.base64, 'base64'), part.mimeType);
  return new vscode.LanguageModelTextPart(`[${part.what} ${part.mimeType}: this editor cannot send it to the model]`);
}

function toVscodePart(part: ChatPart): unknown {
  switch (part.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.text);
    case 'data':
      return dataPart(part);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'toolResult':
      return new vscode.LanguageModelToolResultPart(
        part.callId,
        part.parts.map((p) => (p.kind === 'text' ? new vscode.LanguageModelTextPart(p.text) : dataPart(p))),
      );
  }
}

function toVscodeMessage(message: ChatMessage): vscode.LanguageModelChatMessage {
  const role = message.role === 'assistant' ? vscode.LanguageModelChatMessageRole.Assistant : vscode.LanguageModelChatMessageRole.User;
  return new vscode.LanguageModelChatMessage(role, message.parts.map(toVscodePart) as vscode.LanguageModelInputPart[]);
}
