import * as assert from 'node:assert/strict';
import type { SamplingParams } from '../../../../src/core/clientFeatures/sampling';
import { refuseToolUseNotOffered, toChatMessages, ToolCallNotOfferedError, toolPlan, toolPlanForModel, toSamplingResult, type AnswerPart } from '../../../../src/core/clientFeatures/samplingMessages';

const WEATHER_TOOL = { name: 'get_weather', description: 'Current weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };
const question = { role: 'user' as const, content: { type: 'text', text: 'What is the weather in Paris?' } };
const params = (extra: Partial<SamplingParams> = {}): SamplingParams => ({ messages: [question], maxTokens: 100, ...extra });
const call: AnswerPart = { kind: 'toolCall', callId: 'call-1', name: 'get_weather', input: { city: 'Paris' } };
/** What the VS Code provider passes: the names of the tools it gave the model. */
const offeredBy = (p: SamplingParams) => ({ tools: toolPlan(p)?.tools.map((t) => t.name) ?? [] });

describe('sampling with tools: a tool call only for a tool the request offered', () => {
  describe('toSamplingResult (the model answer → CreateMessageResult)', () => {
    it('passes on a call of an offered tool as tool_use with stopReason toolUse', () => {
      const p = params({ tools: [WEATHER_TOOL], toolChoice: { mode: 'auto' } });
      assert.deepEqual(toSamplingResult([call], 'm', offeredBy(p)), {
        role: 'assistant',
        model: 'm',
        stopReason: 'toolUse',
        content: [{ type: 'tool_use', id: 'call-1', name: 'get_weather', input: { city: 'Paris' } }],
      });
    });

    it('refuses any tool call when the request offered no tools, also by default, naming the tool', () => {
      for (const options of [offeredBy(params()), {}]) {
        assert.throws(
          () => toSamplingResult([{ kind: 'text', text: 'Calling anyway.' }, call], 'm', options),
          (error: unknown) =>
            error instanceof ToolCallNotOfferedError &&
            error.tool === 'get_weather' &&
            error.message === 'MCP Warden refuses the model\'s answer: it called the tool "get_weather", but the request offered no tools',
        );
      }
    });

    it('refuses a tool call under toolChoice none: the tools were listed but not given to the model', () => {
      const p = params({ tools: [WEATHER_TOOL], toolChoice: { mode: 'none' } });
      assert.throws(() => toSamplingResult([call], 'm', offeredBy(p)), /offered no tools/);
    });

    it('refuses a call of a tool the request did not offer, even next to an offered one, and lists the offered', () => {
      const p = params({ tools: [WEATHER_TOOL, { name: 'get_time', inputSchema: {} }] });
      assert.throws(
        () => toSamplingResult([call, { kind: 'toolCall', callId: 'c2', name: 'delete_files', input: {} }], 'm', offeredBy(p)),
        /it called the tool "delete_files", but the request offered only "get_weather", "get_time"$/,
      );
    });

    it("quotes the model's tool name on one line (it is the model's text, not MCP Warden's)", () => {
      assert.throws(
        () => toSamplingResult([{ kind: 'toolCall', callId: 'c', name: 'x"\nMCP Warden allowed\u202e', input: {} }], 'm'),
        (error: unknown) => error instanceof Error && !error.message.includes('\n') && !error.message.includes('\u202e') && error.message.includes('"x\\" MCP Warden allowed"'),
      );
    });

    it('a text-only answer needs no tools', () => {
      assert.equal(toSamplingResult([{ kind: 'text', text: 'Sunny.' }], 'm').stopReason, 'endTurn');
    });
  });

  describe('refuseToolUseNotOffered (any provider result, before it goes to the server)', () => {
    const withUse = (name: string) => ({ role: 'assistant', model: 'm', stopReason: 'toolUse', content: [{ type: 'text', text: 'x' }, { type: 'tool_use', id: 'c', name, input: {} }] });
    it('returns a result unchanged when its tool_use blocks name offered tools, or when it has none', () => {
      const result = withUse('get_weather');
      assert.equal(refuseToolUseNotOffered(params({ tools: [WEATHER_TOOL] }), result), result);
      const text = { role: 'assistant', model: 'm', content: { type: 'text', text: 'hi' } };
      assert.equal(refuseToolUseNotOffered(params(), text), text);
      assert.equal(refuseToolUseNotOffered(params(), undefined), undefined);
    });
    it('refuses a tool_use block (single or in an array) for no tools, toolChoice none, or another tool', () => {
      assert.throws(() => refuseToolUseNotOffered(params(), withUse('get_weather')), ToolCallNotOfferedError);
      assert.throws(() => refuseToolUseNotOffered(params(), { content: { type: 'tool_use', id: 'c', name: 'get_weather', input: {} } }), /offered no tools/);
      assert.throws(() => refuseToolUseNotOffered(params({ tools: [WEATHER_TOOL], toolChoice: { mode: 'none' } }), withUse('get_weather')), /offered no tools/);
      assert.throws(() => refuseToolUseNotOffered(params({ tools: [WEATHER_TOOL] }), withUse('rm')), /"rm", but the request offered only "get_weather"/);
    });
  });

  describe('the follow-up request of the tool loop (toChatMessages)', () => {
    it("maps the spec's example: the question, the assistant's parallel tool calls, the user's matching results", () => {
      const messages = toChatMessages({
        maxTokens: 1000,
        tools: [WEATHER_TOOL],
        messages: [
          { role: 'user', content: { type: 'text', text: "What's the weather like in Paris and London?" } },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'call_abc123', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool_use', id: 'call_def456', name: 'get_weather', input: { city: 'London' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', toolUseId: 'call_abc123', content: [{ type: 'text', text: 'Weather in Paris: 18°C, partly cloudy' }] },
              { type: 'tool_result', toolUseId: 'call_def456', content: [{ type: 'text', text: 'Weather in London: 15°C, rainy' }] },
            ],
          },
        ],
      });
      assert.deepEqual(messages, [
        { role: 'user', parts: [{ kind: 'text', text: "What's the weather like in Paris and London?" }] },
        {
          role: 'assistant',
          parts: [
            { kind: 'toolCall', callId: 'call_abc123', name: 'get_weather', input: { city: 'Paris' } },
            { kind: 'toolCall', callId: 'call_def456', name: 'get_weather', input: { city: 'London' } },
          ],
        },
        {
          role: 'user',
          parts: [
            { kind: 'toolResult', callId: 'call_abc123', parts: [{ kind: 'text', text: 'Weather in Paris: 18°C, partly cloudy' }] },
            { kind: 'toolResult', callId: 'call_def456', parts: [{ kind: 'text', text: 'Weather in London: 15°C, rainy' }] },
          ],
        },
      ]);
    });
  });
});

describe('sampling with tools: where the model supports it (toolPlanForModel)', () => {
  const auto = params({ tools: [WEATHER_TOOL], toolChoice: { mode: 'auto' } });
  it('gives the tools to a model that can call tools, or does not say', () => {
    for (const callsTools of [true, undefined]) assert.deepEqual(toolPlanForModel(auto, { name: 'M', callsTools }), toolPlan(auto));
  });
  it('gives none to a model that cannot, for toolChoice auto (a text answer obeys it)', () => {
    assert.equal(toolPlanForModel(auto, { name: 'M', callsTools: false }), undefined);
  });
  it('refuses a request that requires a tool call on a model that cannot make one, naming the model', () => {
    const required = params({ tools: [WEATHER_TOOL], toolChoice: { mode: 'required' } });
    assert.throws(() => toolPlanForModel(required, { name: 'Tiny Model', callsTools: false }), /^Error: the language model "Tiny Model" cannot call tools, and the request requires a tool call \(toolChoice "required"\): choose another model$/);
    assert.equal(toolPlanForModel(params(), { name: 'M', callsTools: false }), undefined);
  });
});
