// Questions a backing server asks during a 2026-07-28 agent's tool call. That agent cannot be sent a request; it is
// answered `input_required` (multi-round-trip) instead, and retries with the answers. Meanwhile the backing call
// stays parked here, under its own abort signal and timeout, since each agent round is a separate HTTP exchange.
import { randomBytes, randomUUID } from 'node:crypto';
import { ProtocolError, ProtocolErrorCode, createRequestStateCodec, inputRequired, type ClientCapabilities, type InputRequests, type InputRequiredResult, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';
import type { Disposable } from '../../core/disposable';
import type { ProgressUpdate, ServerRequest } from '../../core/lifecycle/session';
import type { Caller, ForwardHandler } from '../../core/gateway/caller';
import { progressReporter } from './agentProgress';

/** Starts the backing call with where its questions go, its own signal and a progress sink. */
export type StartCall = (forward: Caller['forward'], signal: AbortSignal, report: (update: ProgressUpdate) => void) => Promise<unknown>;

interface StatePayload {
  readonly id: string;
  readonly agent: string;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class ModernInputs implements Disposable {
  private readonly codec: RequestStateCodec<StatePayload>;
  private readonly parked = new Map<string, ParkedCall>();

  constructor(private readonly options: { readonly timeoutMs: number; readonly key?: Uint8Array }) {
    this.codec = createRequestStateCodec<StatePayload>({ key: options.key ?? randomBytes(32), ttlSeconds: Math.ceil(options.timeoutMs / 1000) });
  }

  /** Runs one round of a tool call: the first, or a retry carrying answers and the state this minted. */
  async run(ctx: ServerContext, agent: string, capabilities: ClientCapabilities | undefined, start: StartCall): Promise<unknown> {
    const state = ctx.mcpReq.requestState<unknown>();
    if (typeof state === 'string') {
      const call = await this.parkedCallOf(state, ctx, agent);
      call.answer(ctx.mcpReq.inputResponses ?? {});
      return this.drive(call, ctx, agent);
    }
    const methods = [...(capabilities?.elicitation ? (['elicitation/create'] as const) : []), ...(capabilities?.sampling ? (['sampling/createMessage'] as const) : [])];
    if (methods.length === 0) return start(undefined, ctx.mcpReq.signal, progressReporter(ctx) ?? (() => undefined));
    const call = new ParkedCall();
    const forward: Record<string, ForwardHandler> = {};
    for (const method of methods) forward[method] = (request, signal) => call.ask(request, signal);
    call.start(start(forward, call.signal, (update) => call.report(update)));
    return this.drive(call, ctx, agent);
  }

  /** Cancels every parked call (the gateway stops): their agents' retries are refused as no longer waiting. */
  cancelAll(): void {
    for (const call of this.parked.values()) call.cancel(new Error('MCP Warden stopped its gateway'));
    this.parked.clear();
  }

  dispose(): void {
    this.cancelAll();
  }

  /** Waits for the call to end or to ask something; in the second case parks it and asks the agent. */
  private async drive(call: ParkedCall, ctx: ServerContext, agent: string): Promise<unknown> {
    this.parked.delete(call.id);
    call.clearTimer();
    const release = call.attach(ctx);
    try {
      const outcome = await call.nextEvent();
      if (outcome) {
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      this.parked.set(call.id, call);
      call.startTimer(this.options.timeoutMs, () => {
        this.parked.delete(call.id);
        call.cancel(new Error(`the agent did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`));
      });
      const requestState = await this.codec.mint({ id: call.id, agent });
      return inputRequired({ inputRequests: call.questions(), requestState }) satisfies InputRequiredResult;
    } finally {
      release();
    }
  }

  private async parkedCallOf(state: string, ctx: ServerContext, agent: string): Promise<ParkedCall> {
    let payload: StatePayload;
    try {
      payload = await this.codec.verify(state, ctx);
    } catch {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'MCP Warden: this retry carries a request state MCP Warden did not issue, or it expired; call the tool again');
    }
    const call = this.parked.get(payload.id);
    if (!call || payload.agent !== agent) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'MCP Warden: the call these answers were for is no longer waiting (it timed out, or MCP Warden restarted); call the tool again');
    }
    return call;
  }
}

interface Question {
  readonly request: ServerRequest;
  resolve(answer: unknown): void;
  reject(reason: unknown): void;
}

/** One backing call of a modern agent, alive across the agent's rounds. */
class ParkedCall {
  readonly id = randomUUID();
  private readonly abort = new AbortController();
  private readonly pending = new Map<string, Question>();
  private asked = 0;
  private outcome: Promise<Outcome> = Promise.resolve({ ok: false, error: new Error('not started') });
  private wake: (() => void) | undefined;
  private round: ((update: ProgressUpdate) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  start(result: Promise<unknown>): void {
    this.outcome = result.then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error }),
    );
  }

  /** A question of the backing server: answered when the agent retries with its answer. */
  ask(request: ServerRequest, signal: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const key = `warden-${++this.asked}`;
      this.pending.set(key, { request, resolve, reject });
      signal.addEventListener('abort', () => this.pending.delete(key) && reject(signal.reason), { once: true });
      this.wake?.();
    });
  }

  answer(responses: Record<string, unknown>): void {
    for (const [key, question] of this.pending) {
      if (responses[key] === undefined) continue;
      this.pending.delete(key);
      question.resolve(responses[key]);
    }
  }

  questions(): InputRequests {
    const requests: Record<string, unknown> = {};
    for (const [key, question] of this.pending) requests[key] = { method: question.request.method, params: question.request.params };
    return requests as InputRequests;
  }

  /** The call's outcome, or undefined once it has a question the agent has not answered. */
  nextEvent(): Promise<Outcome | undefined> {
    if (this.pending.size > 0) return Promise.resolve(undefined);
    const asked = new Promise<undefined>((resolve) => (this.wake = () => resolve(undefined)));
    return Promise.race([this.outcome, asked]).finally(() => (this.wake = undefined));
  }

  /** Ties the call to the agent's current round: its cancellation cancels the call, its progress token gets progress. */
  attach(ctx: ServerContext): () => void {
    const signal = ctx.mcpReq.signal;
    const onAbort = () => this.cancel(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.round = progressReporter(ctx);
    return () => {
      signal.removeEventListener('abort', onAbort);
      this.round = undefined;
    };
  }

  report(update: ProgressUpdate): void {
    this.round?.(update);
  }

  startTimer(ms: number, onTimeout: () => void): void {
    this.timer = setTimeout(onTimeout, ms);
    this.timer.unref?.();
  }

  clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  cancel(reason: unknown): void {
    this.clearTimer();
    for (const question of this.pending.values()) question.reject(reason);
    this.pending.clear();
    this.abort.abort(reason);
  }
}
