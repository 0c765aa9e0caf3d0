import { contentView, contentViews, readResultViews, type ContentView, type ResourceView } from './contentModel';
import { formatBytes } from './mediaTypes';
import { describeCheck, structuredView } from './structuredContent';

/**
 * Markdown documents for what servers send, for VS Code's markdown preview. Whatever a server wrote is shown, never
 * interpreted: text goes into fenced blocks, names and URIs are escaped, and the only images are data URIs of
 * checked raster bytes (no remote image can be loaded, so opening a result tells the server nothing).
 */

/** `prompts/get`'s result: its description, then each message with its role. */
export function promptMarkdown(serverName: string, promptName: string, args: Readonly<Record<string, string>>, result: unknown): string {
  const record = isRecord(result) ? result : {};
  const lines = [`# Prompt ${inline(promptName)} · ${inline(serverName)}`, ''];
  if (typeof record['description'] === 'string') lines.push(inline(record['description']), '');
  const entries = Object.entries(args);
  if (entries.length > 0) lines.push(...entries.map(([name, value]) => `- ${inline(name)}: ${code(value)}`), '');
  const messages = Array.isArray(record['messages']) ? record['messages'] : [];
  if (messages.length === 0) lines.push('_The prompt has no messages._', '');
  for (const [index, message] of messages.entries()) {
    const m = isRecord(message) ? message : {};
    const role = typeof m['role'] === 'string' ? m['role'] : 'unknown role';
    lines.push(`## ${index + 1}. ${inline(role)}`, '');
    // A message carries one content block (a list in newer revisions): both are shown.
    const views = Array.isArray(m['content']) ? contentViews(m['content']) : [contentView(m['content'])];
    lines.push(...views.flatMap(viewMarkdown));
  }
  return lines.join('\n');
}

/** A tool result: each content block, then structured content with its check, then whether it is an error. */
export function toolResultMarkdown(serverName: string, toolName: string, result: { readonly content?: unknown; readonly structuredContent?: unknown; readonly isError?: boolean }, outputSchema: unknown): string {
  const lines = [`# ${inline(toolName)} · ${inline(serverName)}`, ''];
  if (result.isError) lines.push('**The tool reported an error.**', '');
  const views = contentViews(result.content ?? []);
  if (views.length === 0) lines.push('_No content._', '');
  lines.push(...views.flatMap(viewMarkdown));
  const structured = structuredView(result, outputSchema);
  if (structured) lines.push('## Structured content', '', describeCheck(structured.check), '', fence(structured.json, 'json'));
  return lines.join('\n');
}

/** `resources/read`'s result, for contents a text editor cannot show (images, binary) or a resource with several parts. */
export function resourceMarkdown(serverName: string, uri: string, result: unknown): string {
  const lines = [`# ${inline(uri)} · ${inline(serverName)}`, ''];
  const parts = readResultViews(result);
  for (const part of parts) {
    if (parts.length > 1) lines.push(`## ${inline(part.uri || uri)}`, '');
    lines.push(...resourceViewMarkdown(part.view));
  }
  return lines.join('\n');
}

function viewMarkdown(view: ContentView): string[] {
  switch (view.kind) {
    case 'text':
      return [fence(view.text, ''), ...(view.truncated ? ['_(cut here: the text is longer)_', ''] : [])];
    case 'link':
      return [`Resource link: **${inline(view.title ?? view.name)}** ${code(view.uri)}${view.mimeType ? ` (${inline(view.mimeType)})` : ''}${view.description ? ` — ${inline(view.description)}` : ''}`, ''];
    case 'resource':
      return [`Embedded resource ${code(view.uri)}:`, '', ...resourceViewMarkdown(view.view)];
    case 'unknown':
      return [`_Content of a type MCP Warden does not know (${inline(view.type)}): not shown._`, ''];
    default:
      return resourceViewMarkdown(view);
  }
}

function resourceViewMarkdown(view: ResourceView): string[] {
  switch (view.kind) {
    case 'text':
      return [fence(view.text, view.language === 'plaintext' ? '' : view.language)];
    case 'image':
      return [
        `![image, ${inline(view.mimeType)}, ${formatBytes(view.bytes)}](data:${view.mimeType};base64,${view.data})`,
        '',
        ...(view.declaredMimeType ? [`_Declared as ${inline(view.declaredMimeType)}; the bytes are ${inline(view.mimeType)}._`, ''] : []),
      ];
    case 'audio':
      return [`Audio: ${inline(view.mimeType)}, ${formatBytes(view.bytes)} — not played here; save it to listen.`, ''];
    case 'binary':
      return [`Binary content: ${inline(view.mimeType)}, ${formatBytes(view.bytes)} — ${inline(view.note)}.`, ''];
    case 'invalid':
      return [`_Not shown: ${inline(view.reason)}._`, ''];
  }
}

/** A fenced block no content can close early: the fence is longer than any run of backticks inside. */
export function fence(text: string, language: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}${language}\n${text}\n${marks}\n`;
}

/** Server text in running markdown: every markdown and HTML special character escaped, on one line. */
export function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, '\\$&');
}

/** Server text as inline code: delimiters longer than any backtick run inside. */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks} ${flat} ${ticks}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
