/**
 * Pins of tool and prompt definitions: sha256 of the canonical JSON of the fields a user approves. A grant
 * pinned to one of these is suspended when the server changes the definition (description, schema, annotations…).
 */
import { canonicalJson } from '../canonicalJson';
import type { Hasher } from './permission';

/** A tool as a server lists it; fields other than the pinned ones are ignored. */
export interface PinnableTool {
  readonly name: string;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
}

export interface PinnablePrompt {
  readonly name: string;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly arguments?: unknown;
}

const TOOL_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
const PROMPT_FIELDS = ['name', 'title', 'description', 'arguments'] as const;

/** The text a tool's pin hashes: {name, title, description, inputSchema, outputSchema, annotations}, absent ones left out. */
export function toolPinText(tool: PinnableTool): string {
  return canonicalJson(pick(tool, TOOL_FIELDS));
}

/** The text a prompt's pin hashes: {name, title, description, arguments}, absent ones left out. */
export function promptPinText(prompt: PinnablePrompt): string {
  return canonicalJson(pick(prompt, PROMPT_FIELDS));
}

/** sha256 (hex) of a tool's definition. */
export function toolPin(tool: PinnableTool, hasher: Hasher): string {
  return hasher.sha256(toolPinText(tool));
}

/** sha256 (hex) of a prompt's definition. */
export function promptPin(prompt: PinnablePrompt, hasher: Hasher): string {
  return hasher.sha256(promptPinText(prompt));
}

function pick<T extends object>(value: T, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    const member = (value as Record<string, unknown>)[field];
    if (member !== undefined) picked[field] = member;
  }
  return picked;
}
