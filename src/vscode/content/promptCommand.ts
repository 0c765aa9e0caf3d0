import * as vscode from 'vscode';
import { completionParams, completionValues } from '../../core/content/completions';
import { promptMarkdown } from '../../core/content/markdown';
import type { ServerRegistry } from '../../core/lifecycle/serverRegistry';
import type { PromptInfo } from '../../core/lifecycle/session';
import { errorMessage } from '../../core/ports';
import { askArgument } from './argumentInput';
import type { ContentDocuments } from './contentDocuments';
import { offersCompletions, runningServer } from './pickServer';

/**
 * `MCP Warden: Get Prompt…`: pick a server and a prompt, answer one question per argument (with the server's
 * completions where it offers them), and read the messages in the markdown preview. Every request, completions
 * included, goes through `registry.request`: the gate decides each.
 */
export async function getPromptInteractively(
  registry: ServerRegistry,
  documents: ContentDocuments,
  preset: { readonly serverName?: string; readonly promptName?: string },
): Promise<unknown> {
  const server = await runningServer(registry, preset.serverName, 'prompts', (s) => s.catalog.prompts.length);
  if (!server) return undefined;
  const prompt = preset.promptName ? server.catalog.prompts.find((p) => p.name === preset.promptName) : await pickPrompt(server.catalog.prompts);
  if (!prompt) {
    if (preset.promptName) void vscode.window.showErrorMessage(`MCP Warden: server '${server.name}' has no prompt named '${preset.promptName}'.`);
    return undefined;
  }
  const completes = offersCompletions(server);
  const args: Record<string, string> = {};
  const questions = prompt.arguments ?? [];
  for (const [index, argument] of questions.entries()) {
    const answered = { ...args };
    const answer = await askArgument({
      title: `${server.name}/${prompt.name} (${index + 1}/${questions.length}): ${argument.name}${argument.required ? '' : ' (optional)'}`,
      name: argument.name,
      required: argument.required === true,
      ...(argument.description !== undefined && { description: argument.description }),
      ...(completes && {
        complete: async (value: string) => completionValues(await registry.request(server.name, 'completion/complete', completionParams({ kind: 'prompt', name: prompt.name }, argument.name, value, answered))),
      }),
    });
    if (answer === undefined) return undefined;
    if (answer !== 'omit') args[argument.name] = answer.value;
  }
  let result: unknown;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Getting prompt ${server.name}/${prompt.name}…`, cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return registry.request(server.name, 'prompts/get', { name: prompt.name, arguments: args }, { signal: abort.signal, onWaiting: (message) => progress.report({ message }) });
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`MCP Warden: prompt '${prompt.name}' of '${server.name}' failed: ${errorMessage(error)}`);
    return undefined;
  }
  await documents.showMarkdown(`${server.name}-${prompt.name}-prompt`, promptMarkdown(server.name, prompt.name, args, result));
  return result;
}

async function pickPrompt(prompts: readonly PromptInfo[]): Promise<PromptInfo | undefined> {
  const pick = await vscode.window.showQuickPick(
    prompts.map((prompt) => ({
      label: prompt.name,
      description: prompt.title ?? '',
      detail: [prompt.description?.split('\n', 1)[0], prompt.arguments?.length ? `arguments: ${prompt.arguments.map((a) => a.name).join(', ')}` : undefined].filter(Boolean).join(' — '),
      prompt,
    })),
    { title: 'Get Prompt: prompt', placeHolder: 'Pick a prompt', matchOnDetail: true },
  );
  return pick?.prompt;
}
