// Tool use in sampling, in both protocol eras: the permissions fixture's `sample_tools` offers the model a tool
// (get_weather) and runs the loop of the spec's sampling page — the model answers with tool_use, the server runs
// the tool and asks again with the tool_result appended, the model answers in text. The real launcher, gate,
// broker and audit tap; the model and the user's consent are a script, and the model's answers go through the
// real chat ↔ MCP mapping (samplingMessages.ts), which is where a tool call nobody offered is refused.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { SamplingConsent, SamplingParams, SamplingProvider, SamplingRequest } from '../../src/core/clientFeatures/sampling';
import { toChatMessages, toolPlan, toSamplingResult, type AnswerPart } from '../../src/core/clientFeatures/samplingMessages';
import { samplingSummary } from '../../src/core/clientFeatures/samplingText';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { Session, ToolCallResult } from '../../src/core/lifecycle/session';
import { gatedClientRequests, grantedRoots } from '../../src/core/permissions/clientRequestGate';
import { allow, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { launchSession, NODE, ROOT } from './harness';

const PERMISSIONS_FIXTURE = join(ROOT, 'test/fixtures/permissions-server.mjs');
const OPTIONS = { timeoutMs: 20_000 };
const WEATHER = 'Weather in Paris: 18°C, partly cloudy';

/**
 * The editor's side, scripted: the user allows each request once; the model calls get_weather for Paris when it
 * may, and answers in text once the last message holds tool results. `answer` replaces the model's answer (parts
 * through the mapping), or `raw` the provider's whole result (a provider that skips the mapping).
 */
class WeatherModel implements SamplingProvider {
  readonly requests: SamplingParams[] = [];
  readonly summaries: string[] = [];
  answer: ((params: SamplingParams) => AnswerPart[]) | undefined;
  raw: unknown;

  async consent(request: SamplingRequest): Promise<SamplingConsent> {
    this.summaries.push(samplingSummary(request));
    return { answer: allow('once'), model: 'weather-model' };
  }

  async complete(request: SamplingRequest, model: string | undefined): Promise<unknown> {
    const { params } = request;
    this.requests.push(params);
    if (this.raw !== undefined) return this.raw;
    const plan = toolPlan(params);
    return toSamplingResult(this.answer?.(params) ?? this.play(params, plan !== undefined), model ?? 'weather-model', { tools: plan?.tools.map((t) => t.name) ?? [] });
  }

  private play(params: SamplingParams, toolsOffered: boolean): AnswerPart[] {
    const last = toChatMessages(params).at(-1);
    const results = (last?.parts ?? []).flatMap((p) => (p.kind === 'toolResult' ? [p] : []));
    if (results.length > 0) {
      const said = results.map((r) => `${r.callId}: ${r.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('')}`).join('; ');
      return [{ kind: 'text', text: `From the tool, ${said}` }];
    }
    if (toolsOffered) return [{ kind: 'text', text: 'Let me check.' }, { kind: 'toolCall', callId: 'call-1', name: 'get_weather', input: { city: 'Paris' } }];
    return [{ kind: 'text', text: 'no tools here' }];
  }
}

const textOf = (result: unknown) => ((result as ToolCallResult).content as { text?: string }[]).map((c) => c.text ?? '').join('');
/** Every object inside `value`, depth first. */
function objectsIn(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null) return found;
  if (!Array.isArray(value)) found.push(value as Record<string, unknown>);
  for (const child of Object.values(value)) objectsIn(child, found);
  return found;
}
/** A tool_use for get_weather, as a model that ignores the request's tools would send it. */
const strayCall: AnswerPart = { kind: 'toolCall', callId: 'call-x', name: 'get_weather', input: { city: 'Paris' } };

const ERAS = [
  { name: '2025-11-25 (initialize era: sampling/createMessage requests)', args: [] as string[], protocol: '2025-11-25' },
  { name: '2026-07-28 (input requests of input_required results)', args: ['--era', 'modern'], protocol: '2026-07-28' },
];

describe('sampling with tools: the multi-turn tool loop through the gate (both eras)', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  let model: WeatherModel;
  let audited: AuditInput[];
  const sessions: Session[] = [];

  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
    model = new WeatherModel();
    audited = [];
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
  });

  async function launch(args: readonly string[]): Promise<Session> {
    const spec: LaunchSpec = { type: 'stdio', command: NODE, args: [PERMISSIONS_FIXTURE, ...args], env: {}, secrets: [] };
    const clientRequests = gatedClientRequests(p.broker, { rootsOf: (server) => grantedRoots(p.gate, server), sampling: model })('srv', 's1');
    const session = await launchSession(spec, { audited, clientRequests, offered: { sampling: true, samplingTools: true } });
    sessions.push(session);
    return session;
  }

  /** The tool's text, or the error it failed with: the initialize era reports it in the result, 2026-07-28 as the call's error. */
  async function call(session: Session, tool: string): Promise<{ ok: boolean; text: string }> {
    try {
      const result = (await session.request('tools/call', { name: tool, arguments: {} }, OPTIONS)) as ToolCallResult;
      return { ok: result.isError !== true, text: textOf(result) };
    } catch (error) {
      return { ok: false, text: error instanceof Error ? error.message : String(error) };
    }
  }

  for (const era of ERAS) {
    describe(era.name, () => {
      it('the model calls get_weather, the server sends the tool_result, and the final text arrives', async () => {
        const session = await launch(era.args);
        assert.equal(session.info.protocolVersion, era.protocol);
        const outcome = await call(session, 'sample_tools');
        assert.deepEqual(outcome, { ok: true, text: `From the tool, call-1: ${WEATHER}` });

        // First request: the question, the tool offered, the model free to choose.
        const [first, second, ...more] = model.requests;
        assert.equal(more.length, 0);
        assert.deepEqual(first?.messages, [{ role: 'user', content: { type: 'text', text: 'What is the weather in Paris?' } }]);
        assert.deepEqual(
          first?.tools?.map((t) => t.name),
          ['get_weather'],
        );
        assert.deepEqual(first?.toolChoice, { mode: 'auto' });
        // Second request: the history with the model's tool_use as it left MCP Warden, then only the tool's result.
        assert.deepEqual(second?.messages, [
          { role: 'user', content: { type: 'text', text: 'What is the weather in Paris?' } },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me check.' },
              { type: 'tool_use', id: 'call-1', name: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          { role: 'user', content: [{ type: 'tool_result', toolUseId: 'call-1', content: [{ type: 'text', text: WEATHER }] }] },
        ]);
        // Each request of the loop is a request of its own: the user was asked twice, and saw the tool offered.
        assert.equal(model.summaries.length, 2);
        assert.ok(model.summaries.every((s) => s.includes('Tools offered to the model: "get_weather".')));
        assert.match(model.summaries[1] ?? '', /3 messages\./);
        assert.equal(p.audited.filter((e) => e.type === 'permission' && e.action === 'decided' && e.permission === 'sampling').length, 2);
      });

      it("audits the model's tool_use answer and the server's tool_result", async () => {
        const session = await launch(era.args);
        assert.equal((await call(session, 'sample_tools')).ok, true);
        // Wherever the era carries them (sampling requests and results; input requests and responses of tools/call).
        const blocks = objectsIn(audited.filter((e) => e.type === 'request'));
        assert.ok(blocks.some((b) => b['type'] === 'tool_use' && b['id'] === 'call-1' && b['name'] === 'get_weather' && (b['input'] as { city?: string })?.city === 'Paris'));
        assert.ok(blocks.some((b) => b['stopReason'] === 'toolUse'));
        assert.ok(blocks.some((b) => b['type'] === 'tool_result' && b['toolUseId'] === 'call-1' && JSON.stringify(b['content']).includes(WEATHER)));
        assert.ok(blocks.some((b) => b['type'] === 'text' && b['text'] === `From the tool, call-1: ${WEATHER}`));
      });

      it('a result that is not a valid CreateMessageResultWithTools (a tool_use without input) never reaches the server', async () => {
        const session = await launch(era.args);
        model.raw = { role: 'assistant', model: 'm', stopReason: 'toolUse', content: [{ type: 'tool_use', id: 'call-1', name: 'get_weather' }] };
        const outcome = await call(session, 'sample_tools');
        assert.equal(outcome.ok, false);
        assert.match(outcome.text, /Invalid sampling result/);
        assert.equal(model.requests.length, 1, 'the server never got a tool_use to answer');
      });

      it('a tool_use when the request offered no tools is refused, saying so, and the server never sees it', async () => {
        const session = await launch(era.args);
        model.answer = () => [{ kind: 'text', text: 'Calling anyway.' }, strayCall];
        const outcome = await call(session, 'sample');
        assert.equal(outcome.ok, false);
        assert.match(outcome.text, /MCP Warden refuses the model's answer: it called the tool "get_weather", but the request offered no tools/);
        assert.equal(model.requests[0]?.tools, undefined, 'the `sample` tool offers no tools');
        assert.ok(!JSON.stringify(audited).includes('call-x'), 'no tool_use went to the server');
      });

      it('a tool_use of a tool the request did not offer is refused, naming the ones it did', async () => {
        const session = await launch(era.args);
        model.answer = () => [{ kind: 'toolCall', callId: 'call-y', name: 'delete_files', input: {} }];
        const outcome = await call(session, 'sample_tools');
        assert.equal(outcome.ok, false);
        assert.match(outcome.text, /it called the tool "delete_files", but the request offered only "get_weather"/);
        assert.ok(!JSON.stringify(audited).includes('call-y'));
      });

      it('a provider result with tool_use for a request without tools is refused by the gate', async () => {
        const session = await launch(era.args);
        model.raw = { role: 'assistant', model: 'm', stopReason: 'toolUse', content: [{ type: 'tool_use', id: 'call-z', name: 'get_weather', input: {} }] };
        const outcome = await call(session, 'sample');
        assert.equal(outcome.ok, false);
        assert.match(outcome.text, /MCP Warden refuses the model's answer: it called the tool "get_weather", but the request offered no tools/);
      });
    });
  }
});
