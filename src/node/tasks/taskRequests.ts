import type { Client, RequestOptions as SendOptions } from '@modelcontextprotocol/client';
import type { ProtocolEra } from '../../core/lifecycle/session';

/**
 * The requests of the tasks wire, sent through the SDK's client so they share its connection, ids, `_meta`
 * envelope, progress tokens and the audit tap. SDK 2.4.0 has no tasks runtime, so results are taken as they come
 * (a pass-through Standard Schema) and read by core/tasks/taskWire.ts.
 */
export interface TaskRequests {
  /** `tools/call`: in 2025-11-25 with `task: {ttl}`; in 2026-07-28 as is (the server decides). */
  call(params: Readonly<Record<string, unknown>>, options: SendOptions): Promise<unknown>;
  get(taskId: string, options: SendOptions): Promise<unknown>;
  /** 2025-11-25 only: waits for the end of the task; the server's requests for it arrive meanwhile. */
  result(taskId: string, options: SendOptions): Promise<unknown>;
  cancel(taskId: string, options: SendOptions): Promise<unknown>;
  /** 2026-07-28 only: answers the task's input requests. */
  update(taskId: string, inputResponses: Readonly<Record<string, unknown>>, options: SendOptions): Promise<unknown>;
}

/** A Standard Schema (v1) that takes any value: the tasks results are read in core, not by the SDK. */
const ANY_RESULT = {
  '~standard': { version: 1, vendor: 'mcp-warden', validate: (value: unknown) => ({ value }) },
} as const;

export function taskRequests(client: Client, era: ProtocolEra): TaskRequests {
  const send = (method: string, params: Record<string, unknown>, options: SendOptions) =>
    client.request({ method, params } as never, ANY_RESULT as never, options) as Promise<unknown>;
  return {
    call: era === 'modern' ? (params, options) => callAcceptingTask(client, params, options) : (params, options) => send('tools/call', { ...params }, options),
    get: (taskId, options) => send('tasks/get', { taskId }, options),
    result: (taskId, options) => send('tasks/result', { taskId }, options),
    cancel: (taskId, options) => send('tasks/cancel', { taskId }, options),
    update: (taskId, inputResponses, options) => send('tasks/update', { taskId, inputResponses: { ...inputResponses } }, options),
  };
}

/** The parts of the SDK's Protocol this file reaches into; checked at run time, since they are not public API. */
interface WireCodec {
  decodeResult(method: string, raw: unknown): unknown;
}
interface CodecAccess {
  _wireCodec?: () => WireCodec;
  _requestWithSchemaViaCodec?: (codec: WireCodec, request: unknown, schema: unknown, options: SendOptions) => Promise<unknown>;
}

/**
 * `tools/call` on a 2026-07-28 connection that may be answered with `resultType: 'task'`. The SDK's result decoder
 * refuses any result type it cannot consume (`UnsupportedResultType`) before a caller's schema sees it, so this
 * sends through the SDK's own request funnel with its negotiated codec, changed in one way only: a `task` result
 * is handed over as it came. Every other answer (a complete result, `input_required` rounds, errors) is decoded
 * and validated by the SDK exactly as for `client.callTool`.
 */
function callAcceptingTask(client: Client, params: Readonly<Record<string, unknown>>, options: SendOptions): Promise<unknown> {
  const access = client as unknown as CodecAccess;
  const wireCodec = access._wireCodec?.bind(client);
  const requestViaCodec = access._requestWithSchemaViaCodec?.bind(client);
  if (!wireCodec || !requestViaCodec) {
    return Promise.reject(new Error('this build of the MCP SDK offers no way to receive a task (resultType "task"); tasks cannot run'));
  }
  const codec = wireCodec();
  const taskAware: WireCodec = {
    ...codec,
    decodeResult: (method, raw) => (isTaskResult(raw) ? { kind: 'complete', result: raw } : codec.decodeResult(method, raw)),
  };
  return requestViaCodec(taskAware, { method: 'tools/call', params: { ...params } }, ANY_RESULT, options);
}

function isTaskResult(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)['resultType'] === 'task';
}
