import { canonicalJson } from '../canonicalJson';
import type { Redactor } from '../redaction';
import { AUDIT_LOG_SERVER, AUDIT_SESSION, SETTINGS_SESSION, type AuditInput, type AuditOutcome, type ValueDigester } from './auditEvent';

/** Longest preview of arguments, results and messages kept in a record. */
export const PREVIEW_CHARS = 512;
/** Longest detail or error text kept in a record (a 5 MB command line must not become a 5 MB record). */
export const DETAIL_CHARS = 2048;

/** What finalizing needs: the redactor for text, and the keyed digest for values that must not be readable. */
export interface FinalizeContext {
  readonly redactor: Redactor;
  readonly digester: ValueDigester;
}

/** The fields of a record for an event: redacted, digested, measured. The writer fills seq, time and prev, and adds mac. */
export type RecordFields = {
  readonly type: AuditInput['type'];
  readonly server: string;
  readonly session: string;
  readonly outcome: AuditOutcome;
} & Readonly<Record<string, unknown>>;

/** Turns a producer's raw event into what is stored. Nothing unredacted leaves this function. */
export function finalizeEvent(input: AuditInput, context: FinalizeContext): RecordFields {
  const { redactor, digester } = context;
  switch (input.type) {
    case 'lifecycle': {
      const failed = input.action === 'crash' || input.action === 'give-up' || input.action === 'start-failed';
      return {
        type: 'lifecycle',
        server: input.server,
        session: input.session,
        outcome: failed ? 'error' : 'ok',
        action: input.action,
        ...(input.detail !== undefined && { detail: capped(redactor.text(input.detail), DETAIL_CHARS) }),
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
        keyPath: capped(input.keyPath, DETAIL_CHARS),
        ...(input.definition !== undefined && { definition: preview(withDigestedValues(input.definition, redactor, digester)) }),
      };
    case 'request': {
      const { request, response } = input;
      const args = argumentsOf(request.method, request.params) ?? null;
      const argsJson = canonicalJson(args);
      const redactedArgs = redactor.value(args);
      const toolError = request.method === 'tools/call' && isToolError(response.result);
      // A server of an earlier era refusing the 2026-07-28 discovery probe is negotiation, not a failure.
      const probeRefused = request.method === 'server/discover' && response.error !== undefined;
      // Built member by member, in sorted order (the canonical order): this runs for every call, and object spreads
      // of optional members cost more here than all the rest of the record.
      const fields: Record<string, unknown> = {};
      if (input.agent !== undefined) fields['agent'] = capped(input.agent, DETAIL_CHARS);
      // Nothing to hide (the usual case): the text already made for the digest is the preview.
      fields['args'] = truncate(redactedArgs === args ? argsJson : canonicalJson(redactedArgs));
      fields['argsDigest'] = digester.digest(argsJson);
      if (input.chain?.length) fields['chain'] = input.chain.map((c) => capped(c, DETAIL_CHARS));
      fields['direction'] = input.direction;
      fields['durationMs'] = Math.max(0, input.endedAt - input.startedAt);
      if (response.error) {
        fields['error'] = capped(redactor.text(`${response.error.code !== undefined ? `${response.error.code} ` : ''}${response.error.message}`), DETAIL_CHARS);
      }
      fields['method'] = request.method;
      fields['outcome'] = probeRefused ? 'info' : response.error || toolError ? 'error' : 'ok';
      // `prev`, `seq` and `time` are the writer's to fill; given their places now, the record stays in canonical
      // order and its canonical JSON is what the engine's JSON.stringify writes, without sorting or copying it.
      fields['prev'] = '';
      if (input.refused) fields['refused'] = true;
      fields['requestBytes'] = byteLength(input.requestMessage);
      fields['responseBytes'] = byteLength(input.responseMessage);
      if (!response.error) fields['result'] = preview(redactor.value(response.result ?? null));
      fields['seq'] = 0;
      fields['server'] = input.server;
      fields['session'] = input.session;
      const target = targetOf(request.method, request.params);
      if (target !== undefined) fields['target'] = target;
      fields['time'] = '';
      if (toolError) fields['toolError'] = true;
      fields['type'] = 'request';
      return fields as RecordFields;
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
    case 'permission': {
      // One per request: built in canonical (sorted) order with the writer's placeholders, like a request record,
      // so the writer never sorts a copy.
      const fields: Record<string, unknown> = {};
      fields['action'] = input.action;
      if (input.agent !== undefined) fields['agent'] = capped(input.agent, DETAIL_CHARS);
      if (input.agents !== undefined) fields['agents'] = input.agents.map((a) => capped(a, DETAIL_CHARS));
      if (input.asked !== undefined) fields['asked'] = input.asked;
      if (input.chain?.length) fields['chain'] = input.chain.map((c) => capped(c, DETAIL_CHARS));
      if (input.method !== undefined) fields['method'] = input.method;
      fields['outcome'] = input.verdict === 'deny' || input.action === 'tampered' ? 'error' : 'info';
      fields['permission'] = capped(redactor.text(input.permission), DETAIL_CHARS);
      fields['prev'] = '';
      fields['rule'] = capped(redactor.text(input.rule), DETAIL_CHARS);
      if (input.scope !== undefined) fields['scope'] = input.scope;
      fields['seq'] = 0;
      fields['server'] = input.server;
      fields['session'] = input.session;
      fields['time'] = '';
      fields['type'] = 'permission';
      if (input.verdict !== undefined) fields['verdict'] = input.verdict;
      if (input.waitedMs !== undefined) fields['waitedMs'] = input.waitedMs;
      return fields as RecordFields;
    }
    case 'auth': {
      // Built in canonical (sorted) order with the writer's placeholders, like a permission record.
      const fields: Record<string, unknown> = {};
      fields['action'] = input.action;
      if (input.client !== undefined) fields['client'] = capped(input.client, DETAIL_CHARS);
      if (input.detail !== undefined) fields['detail'] = capped(redactor.text(input.detail), DETAIL_CHARS);
      if (input.issuer !== undefined) fields['issuer'] = capped(redactor.text(input.issuer), DETAIL_CHARS);
      fields['outcome'] = input.action === 'sign-in-failed' || input.action === 'refresh-failed' ? 'error' : input.action === 'signed-in' || input.action === 'refreshed' ? 'ok' : 'info';
      fields['prev'] = '';
      if (input.resource !== undefined) fields['resource'] = capped(redactor.text(input.resource), DETAIL_CHARS);
      if (input.scope !== undefined) fields['scope'] = capped(redactor.text(input.scope), DETAIL_CHARS);
      fields['seq'] = 0;
      fields['server'] = input.server;
      fields['session'] = input.session;
      fields['time'] = '';
      fields['type'] = 'auth';
      return fields as RecordFields;
    }
    case 'audit':
      return {
        type: 'audit',
        server: AUDIT_LOG_SERVER,
        session: AUDIT_SESSION,
        outcome: input.action === 'lost' || input.action === 'repaired' ? 'error' : 'info',
        action: input.action,
        detail: capped(redactor.text(input.detail), DETAIL_CHARS),
        ...(input.data && { data: redactor.value(input.data) }),
      };
  }
}

/**
 * A definition with the values of `env` and `headers` replaced by keyed digests: a settings change records which
 * variables and headers a server gets, and whether a value changed, never the value (`DB_PASS`, `X-Auth-Key`…
 * are secrets whatever their names look like).
 */
function withDigestedValues(definition: unknown, redactor: Redactor, digester: ValueDigester): unknown {
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) return redactor.value(definition);
  const { env, headers, ...rest } = definition as Record<string, unknown>;
  const digested = (values: unknown) =>
    values === null || typeof values !== 'object' || Array.isArray(values)
      ? redactor.value(values)
      : Object.fromEntries(Object.entries(values as Record<string, unknown>).map(([name, value]) => [name, typeof value === 'string' ? `hmac:${digester.digest(value).slice(0, 16)}` : value]));
  return { ...(redactor.value(rest) as Record<string, unknown>), ...(env !== undefined && { env: digested(env) }), ...(headers !== undefined && { headers: digested(headers) }) };
}

/** What identifies a request's subject: the tool, prompt or resource it is about. */
function targetOf(method: string, params: unknown): string | undefined {
  const p = params as { name?: unknown; uri?: unknown } | undefined;
  if ((method === 'tools/call' || method === 'prompts/get') && typeof p?.name === 'string') return p.name;
  if ((method === 'resources/read' || method === 'resources/subscribe' || method === 'resources/unsubscribe') && typeof p?.uri === 'string') return p.uri;
  return undefined;
}

/** The arguments of a tool or prompt call; for other methods, their params without the protocol's `_meta`. */
function argumentsOf(method: string, params: unknown): unknown {
  if (params === null || typeof params !== 'object') return params;
  if (method === 'tools/call' || method === 'prompts/get') return (params as { arguments?: unknown }).arguments ?? {};
  const { _meta: _ignored, ...rest } = params as Record<string, unknown>;
  return rest;
}

function isToolError(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { isError?: unknown }).isError === true;
}

function preview(value: unknown): string {
  return truncate(canonicalJson(value));
}

function truncate(text: string): string {
  return capped(text, PREVIEW_CHARS);
}

/** `text`, cut at `max` characters with a note of its full length. */
export function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function byteLength(message: unknown): number {
  return message === undefined ? 0 : utf8Length(JSON.stringify(message) ?? '');
}

/** The UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}
