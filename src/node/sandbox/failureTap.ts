import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import type { TransportObserver } from '../transportTap';

/** Enough of an error to find the paths it names; a server's error text is not read further. */
const MAX_TEXT = 16 * 1024;

/**
 * Hands on the text of every failure a server reports (a tool result with `isError`, a JSON-RPC error): reads the
 * sandbox hid show up only there (the runtime reports blocked writes and connections, never blocked reads).
 */
export function failureTap(onFailure: (text: string) => void): TransportObserver {
  return {
    onSend: () => undefined,
    onReceive: (message: JSONRPCMessage) => {
      const text = failureText(message);
      if (text) onFailure(text);
    },
  };
}

function failureText(message: JSONRPCMessage): string | undefined {
  if ('error' in message && message.error && typeof message.error.message === 'string') return message.error.message.slice(0, MAX_TEXT);
  if (!('result' in message) || !message.result || message.result['isError'] !== true) return undefined;
  const content = message.result['content'];
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content as unknown[]) {
    if (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string') text += `${(part as { text: string }).text}\n`;
    if (text.length >= MAX_TEXT) break;
  }
  return text.slice(0, MAX_TEXT) || undefined;
}
