import * as vscode from 'vscode';
import type { ProgressUpdate } from '../core/lifecycle/session';
import { callOutcome, type CallOutcome } from '../core/callOutcome';
import type { ServerRegistry } from '../core/lifecycle/serverRegistry';
import type { ToolCallResult, ToolInfo } from '../core/lifecycle/session';
import { schemaMismatch } from '../core/content/structuredContent';
import { argumentFields, parseArgument, type ArgumentField } from '../core/toolArguments';
import type { ContentDocuments } from './content/contentDocuments';
import { callRecordWithoutPayloads, showToolResult } from './content/toolResult';
import type { ReadOnlyDocuments } from './readOnlyDocuments';

/**
 * `MCP Warden: Call Tool…` by hand: pick a running server and a tool, answer one question per argument, see
 * the result rendered (images as images, structured content with its check) beside its JSON record. The call goes
 * through `registry.callTool`, the path every caller takes.
 */
export async function callToolInteractively(
  registry: ServerRegistry,
  documents: ReadOnlyDocuments,
  preset: { readonly serverName?: string; readonly toolName?: string },
  content?: ContentDocuments,
): Promise<ToolCallResult | undefined> {
  const serverName = preset.serverName ?? (await pickServer(registry));
  if (!serverName) return undefined;
  const server = registry.server(serverName);
  if (!server || server.state.kind !== 'running') {
    void vscode.window.showErrorMessage(`MCP Warden: server '${serverName}' is not running; start it first.`);
    return undefined;
  }
  const tool = preset.toolName ? server.catalog.tools.find((t) => t.name === preset.toolName) : await pickTool(server.catalog.tools);
  if (!tool) {
    if (preset.toolName) void vscode.window.showErrorMessage(`MCP Warden: server '${serverName}' has no tool named '${preset.toolName}'.`);
    return undefined;
  }
  const args = await askArguments(serverName, tool);
  if (!args) return undefined;

  const started = Date.now();
  let result: ToolCallResult;
  let cancelRequested = false;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Calling ${serverName}/${tool.name}…`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => {
          cancelRequested = true;
          abort.abort();
        });
        return registry.callTool(serverName, tool.name, args, {
          signal: abort.signal,
          onWaiting: (message) => progress.report({ message }),
          // The question is answered: the notification must no longer say it waits for one.
          onAllowed: () => progress.report({ message: 'running…' }),
          onProgress: (update) => progress.report({ message: progressText(update) }),
          // A tool that runs as a task: its status line ("task working: Gathering sources…"); Cancel cancels the task.
          onTaskStatus: (update) => progress.report({ message: update.message.slice(0, 200) }),
        });
      },
    );
  } catch (error) {
    const mismatch = schemaMismatch(error);
    // Said plainly: the server answered, but not in the shape its tool declares.
    if (mismatch) void vscode.window.showErrorMessage(`MCP Warden: ${serverName}/${tool.name} returned a result that breaks its output schema, so it was refused: ${mismatch}`);
    else showCallOutcome(callOutcome(error, { serverName, toolName: tool.name, cancelRequested, serverState: registry.server(serverName)?.state.kind }));
    return undefined;
  }
  const record = { server: serverName, tool: tool.name, arguments: args, durationMs: Date.now() - started, result };
  await documents.show(`${serverName}-${tool.name}-result.json`, JSON.stringify(callRecordWithoutPayloads(record), null, 2), 'json');
  if (content) await showToolResult(registry, content, serverName, tool, result);
  if (result.isError) void vscode.window.showWarningMessage(`MCP Warden: ${serverName}/${tool.name} reported an error; see the result.`);
  return result;
}

/** A call the user cancelled, or whose server they stopped, is news, not an error. */
function showCallOutcome(outcome: CallOutcome): void {
  const message = `MCP Warden: ${outcome.message}${/[.!?]$/.test(outcome.message) ? '' : '.'}`;
  if (outcome.kind === 'failed') void vscode.window.showErrorMessage(message);
  else if (outcome.kind === 'denied') void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
}

async function pickServer(registry: ServerRegistry): Promise<string | undefined> {
  const running = registry.servers.filter((s) => s.state.kind === 'running' && s.catalog.tools.length > 0);
  if (running.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: no running server offers tools.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    running.map((s) => ({ label: s.name, description: `${s.catalog.tools.length} tools` })),
    { title: 'Call Tool: server', placeHolder: 'Pick a server' },
  );
  return pick?.label;
}

async function pickTool(tools: readonly ToolInfo[]): Promise<ToolInfo | undefined> {
  const pick = await vscode.window.showQuickPick(
    tools.map((tool) => ({ label: tool.name, ...(tool.taskSupport === 'required' && { description: 'runs as a task' }), detail: tool.description?.split('\n', 1)[0] ?? '', tool })),
    { title: 'Call Tool: tool', placeHolder: 'Pick a tool', matchOnDetail: true },
  );
  return pick?.tool;
}

/** One question per argument; undefined when the user cancels. */
async function askArguments(serverName: string, tool: ToolInfo): Promise<Record<string, unknown> | undefined> {
  const fields = argumentFields(tool.inputSchema);
  const args: Record<string, unknown> = {};
  for (const [index, field] of fields.entries()) {
    const title = `${serverName}/${tool.name} (${index + 1}/${fields.length}): ${field.name}${field.required ? '' : ' (optional)'}`;
    const answer = await askField(field, title);
    if (answer === 'cancel') return undefined;
    if (answer !== 'omit') args[field.name] = answer.value;
  }
  return args;
}

async function askField(field: ArgumentField, title: string): Promise<{ value: unknown } | 'omit' | 'cancel'> {
  const OMIT = '(leave out)';
  if (field.kind === 'boolean' || field.kind === 'enum') {
    const values = field.kind === 'boolean' ? [true, false] : (field.enumValues ?? []);
    const items = [...values.map((v) => ({ label: JSON.stringify(v), value: v })), ...(field.required ? [] : [{ label: OMIT, value: undefined }])];
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: field.description ?? field.name, ignoreFocusOut: true });
    if (!pick) return 'cancel';
    return pick.label === OMIT ? 'omit' : { value: pick.value };
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: [field.description, field.kind === 'json' ? 'JSON value' : field.kind].filter(Boolean).join(' — '),
    placeHolder: field.required ? '' : 'empty to leave out',
    ...(field.defaultValue !== undefined && { value: typeof field.defaultValue === 'string' ? field.defaultValue : JSON.stringify(field.defaultValue) }),
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value === '' && !field.required) return undefined;
      const parsed = parseArgument(field, value);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (text === undefined) return 'cancel';
  if (text === '' && !field.required) return 'omit';
  const parsed = parseArgument(field, text);
  return 'error' in parsed ? 'cancel' : { value: parsed.value };
}

/** "3/5 — indexing src/" for a progress report; a percentage where the server gives a total. */
function progressText(update: ProgressUpdate): string {
  const done = update.total ? `${Math.round((update.progress / update.total) * 100)}% (${update.progress}/${update.total})` : `${update.progress}`;
  return update.message ? `${done} — ${update.message.slice(0, 200)}` : done;
}
