import * as crypto from 'node:crypto';
import { canonicalJson } from '../canonicalJson';
import type { Redactor } from '../redaction';
import { AUDIT_LOG_SERVER, AUDIT_SESSION, SETTINGS_SESSION, type AuditInput, type AuditOutcome } from './auditEvent';

/** Longest preview of arguments, results and messages kept in a record. */
export const PREVIEW_CHARS = 512;

/** The fields of a record for an event: redacted, digested, measured. Everything but seq, time and prev. */
export type RecordFields = {
  readonly type: AuditInput['type'];
  readonly server: string;
  readonly session: string;
  readonly outcome: AuditOutcome;
} & Readonly<Record<string, unknown>>;

/** Turns a producer's raw event into what is stored. Nothing unredacted leaves this function. */
export function finalizeEvent(input: AuditInput, redactor: Redactor): RecordFields {
  switch (input.type) {
    case 'lifecycle': {
      const failed = input.action === 'crash' || input.action === 'give-up' || input.action === 'start-failed';
      return {
        type: 'lifecycle',
        server: input.server,
        session: input.session,
        outcome: failed ? 'error' : 'ok',
        action: input.action,
        ...(input.detail !== undefined && { detail: redactor.text(input.detail) }),
        ...(input.negotiated && { negotiated: redactor.value(input.negotiated) }),
      };
    }
    case 'config':
      return {
        type: 'config',
        server: input.server,
        session: SETTINGS_SESSION,
        outcome: 'info',
        action: input.action,
        keyPath: input.keyPath,
        ...(input.definition !== undefined && { definition: preview(redactor.value(input.definition)) }),
      };
    case 'request': {
      const { request, response } = input;
      const args = argumentsOf(request.method, request.params) ?? null;
      const argsJson = canonicalJson(args);
      const redactedArgs = redactor.value(args);
      const toolError = request.method === 'tools/call' && isToolError(response.result);
      // A server of an earlier era refusing the 2026-07-28 discovery probe is negotiation, not a failure.
      const probeRefused = request.method === 'server/discover' && response.error !== undefined;
      return {
        type: 'request',
        server: input.server,
        session: input.session,
        outcome: probeRefused ? 'info' : response.error || toolError ? 'error' : 'ok',
        direction: input.direction,
        method: request.method,
        ...targetOf(request.method, request.params),
        argsDigest: sha256(argsJson),
        // Nothing to hide (the usual case): the text already made for the digest is the preview.
        args: truncate(redactedArgs === args ? argsJson : canonicalJson(redactedArgs)),
        durationMs: Math.max(0, input.endedAt - input.startedAt),
        ...(response.error
          ? { error: redactor.text(`${response.error.code !== undefined ? `${response.error.code} ` : ''}${response.error.message}`) }
          : { result: preview(redactor.value(response.result ?? null)) }),
        ...(toolError && { toolError: true }),
        requestBytes: byteLength(input.requestMessage),
        responseBytes: byteLength(input.responseMessage),
      };
    }
    case 'notification':
      return {
        type: 'notification',
        server: input.server,
        session: input.session,
        outcome: 'info',
        direction: input.direction,
        method: input.method,
        ...(input.params !== undefined && { params: preview(redactor.value(input.params)) }),
      };
    case 'server-log': {
      const level = input.level;
      const message = typeof input.data === 'string' ? input.data : canonicalJson(redactor.value(input.data));
      return {
        type: 'server-log',
        server: input.server,
        session: input.session,
        // The server said so: never mistaken for MCP Warden's own record.
        source: 'server',
        outcome: ['error', 'critical', 'alert', 'emergency'].includes(level) ? 'error' : 'info',
        level,
        ...(input.logger !== undefined && { logger: redactor.text(input.logger) }),
        message: truncate(redactor.text(message)),
      };
    }
    case 'audit':
      return {
        type: 'audit',
        server: AUDIT_LOG_SERVER,
        session: AUDIT_SESSION,
        outcome: input.action === 'lost' || input.action === 'repaired' ? 'error' : 'info',
        action: input.action,
        detail: redactor.text(input.detail),
        ...(input.data && { data: redactor.value(input.data) }),
      };
  }
}

/** sha256 in hex. The one-shot `crypto.hash` (Node ≥ 21.7) is used where there is one: it is twice as fast for short text. */
export const sha256: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (algorithm: string, data: string, encoding: 'hex') => string }).hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** What identifies a request's subject: the tool, prompt or resource it is about. */
function targetOf(method: string, params: unknown): { target?: string } {
  const p = params as { name?: unknown; uri?: unknown } | undefined;
  if ((method === 'tools/call' || method === 'prompts/get') && typeof p?.name === 'string') return { target: p.name };
  if ((method === 'resources/read' || method === 'resources/subscribe' || method === 'resources/unsubscribe') && typeof p?.uri === 'string') {
    return { target: p.uri };
  }
  return {};
}

/** The arguments of a tool or prompt call; for other methods, their params without the protocol's `_meta`. */
function argumentsOf(method: string, params: unknown): unknown {
  if (params === null || typeof params !== 'object') return params;
  const { _meta: _ignored, ...rest } = params as Record<string, unknown>;
  if (method === 'tools/call' || method === 'prompts/get') return rest['arguments'] ?? {};
  return rest;
}

function isToolError(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { isError?: unknown }).isError === true;
}

function preview(value: unknown): string {
  return truncate(canonicalJson(value));
}

function truncate(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… (${text.length} chars)` : text;
}

function byteLength(message: unknown): number {
  return message === undefined ? 0 : Buffer.byteLength(JSON.stringify(message) ?? '', 'utf8');
}
