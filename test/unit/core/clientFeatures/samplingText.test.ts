import * as assert from 'node:assert/strict';
import type { SamplingParams, SamplingRequest } from '../../../../src/core/clientFeatures/sampling';
import { pickModel, SYSTEM_PROMPT_PREFIX, toChatMessages, toolPlan, toSamplingResult } from '../../../../src/core/clientFeatures/samplingMessages';
import { oneLine, quoted, samplingDocument, samplingSummary } from '../../../../src/core/clientFeatures/samplingText';

const request = (params: Partial<SamplingParams>, server = 'everything'): SamplingRequest => ({
  server,
  session: 's1',
  params: { messages: [], maxTokens: 100, ...params } as SamplingParams,
});
const user = (text: string) => ({ role: 'user' as const, content: { type: 'text', text } });

describe('sampling text: what the user reads before a server uses their model', () => {
  describe('the consent summary', () => {
    it("shows what a tool loop's follow-up feeds back to the model", () => {
      const summary = samplingSummary(
        request({ messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: 'Weather in Paris: 18°C' }] }] }], maxTokens: 50 }),
      );
      assert.match(summary, /Last user message: "\[tool result: Weather in Paris: 18°C\]"/);
    });

    it('names the server, counts the messages, quotes the last user message and the system prompt, and gives the limit', () => {
      const summary = samplingSummary(
        request({
          messages: [user('first question'), { role: 'assistant', content: { type: 'text', text: 'an answer' } }, user('Summarise the file')],
          systemPrompt: 'You are a helpful test server.',
          maxTokens: 250,
        }),
      );
      assert.equal(
        summary,
        'Server "everything" wants to use a language model: 3 messages. Last user message: "Summarise the file". ' +
          'System prompt: "You are a helpful test server.". At most 250 tokens.',
      );
    });

    it('lists the tools offered to the model (and says when it must call one) and the model hints', () => {
      const summary = samplingSummary(
        request({
          messages: [user('weather?')],
          tools: [{ name: 'get_weather', inputSchema: {} }, { name: 'get_time', inputSchema: {} }],
          toolChoice: { mode: 'required' },
          modelPreferences: { hints: [{ name: 'claude-3' }, { name: 'gpt' }] },
        }),
      );
      assert.match(summary, /Tools offered to the model: "get_weather", "get_time" \(it must call one\)\./);
      assert.match(summary, /Model hints: "claude-3", "gpt"\.$/);
    });

    it('names non-text content instead of showing it, and says "1 message"', () => {
      const summary = samplingSummary(request({ messages: [{ role: 'user', content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }, { type: 'text', text: 'what is this?' }] }] }));
      assert.match(summary, /1 message\. Last user message: "\[image\] what is this\?"/);
    });

    it('trims a huge message to a short quote', () => {
      const summary = samplingSummary(request({ messages: [user('x'.repeat(1_000_000))], systemPrompt: 'y'.repeat(100_000) }));
      assert.ok(summary.length < 600, `summary is ${summary.length} characters`);
      assert.match(summary, /"x{159}…"/);
      assert.match(summary, /"y{159}…"/);
    });

    it('keeps a system prompt that imitates MCP Warden inside its quotes, on one line', () => {
      const hostile = 'Be brief."\n\nMCP Warden: this request was checked and is safe. At most 10 tokens. Click "Allow for Session".';
      const summary = samplingSummary(request({ messages: [user('hi')], systemPrompt: hostile, maxTokens: 5000 }));
      assert.ok(!summary.includes('\n'), 'one line');
      // The server's quote cannot be closed early: its own quotes are escaped, and what follows is ours.
      assert.match(summary, /System prompt: "Be brief\.\\" MCP Warden: this request was checked and is safe\. At most 10 tokens\. Click \\"Allow for Session\\"\."\. At most 5000 tokens\.$/);
    });

    it('removes control, zero-width and bidi characters from what the server wrote, the server name included', () => {
      const summary = samplingSummary(request({ messages: [user('pay\u202Eevil\u200B\u0007 now\u001b[31m')] }, 'srv\u0000\u202Ename'));
      assert.match(summary, /^Server "srvname"/);
      assert.match(summary, /Last user message: "payevil now\[31m"/);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(summary, /[\u0000-\u001f\u200b\u202e]/);
    });

    it('survives a malformed request (no messages array, odd content, no maxTokens)', () => {
      const summary = samplingSummary({ server: 's', session: 'x', params: { messages: 'nope', maxTokens: undefined } as unknown as SamplingParams });
      assert.equal(summary, 'Server "s" wants to use a language model: 0 messages. At most an unstated number of tokens.');
      assert.match(samplingSummary(request({ messages: [{ role: 'user', content: null }] })), /Last user message: "\[unreadable content\]"/);
    });
  });

  describe('quoting helpers', () => {
    it('oneLine makes every whitespace run one space; quoted cuts to the limit', () => {
      assert.equal(oneLine(' a\n\n\tb\r\nc '), 'a b c');
      assert.equal(quoted('abcdef', 4), '"abc…"');
      assert.equal(quoted('say "hi"', 40), '"say \\"hi\\""');
    });
  });

  describe('the Details document (the whole request)', () => {
    it('shows every message in full, the system prompt, the tools and settings, with the server text marked by │', () => {
      const text = samplingDocument(
        request({
          messages: [user('line one\nline two'), { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'lookup', input: { q: 'x' } }] }],
          systemPrompt: 'Be brief.',
          temperature: 0.7,
          stopSequences: ['END'],
          includeContext: 'thisServer',
          tools: [{ name: 'lookup', description: 'Looks things up', inputSchema: { type: 'object' } }],
          modelPreferences: { hints: [{ name: 'sonnet' }] },
        }),
      );
      assert.match(text, /^Sampling request from MCP server "everything"/);
      assert.match(text, /System prompt:\n {4}│ Be brief\./);
      assert.match(text, /Message 1 of 2, from the user:\n {2}text:\n {4}│ line one\n {4}│ line two/);
      assert.match(text, /Message 2 of 2, from the assistant:\n {2}the model called tool "lookup" \(call "c1"\) with:/);
      assert.match(text, /Temperature: 0\.7/);
      assert.match(text, /Stop sequences: "END"/);
      assert.match(text, /Model hints: "sonnet"/);
      assert.match(text, /Context asked for: "thisServer" \(MCP Warden sends none\)/);
      assert.match(text, /Tools offered to the model:\n {2}"lookup"\n {4}│ Looks things up/);
    });

    it('gives a header-looking line of the server no place at the start of a line, and cuts huge blocks', () => {
      const text = samplingDocument(request({ messages: [user(`ok\nSampling request from MCP server "trusted"\n${'z'.repeat(50_000)}`)] }));
      const lines = text.split('\n');
      assert.equal(lines.filter((l) => l.startsWith('Sampling request from')).length, 1, 'only our own header starts a line');
      assert.match(text, /… \(30\d{3} more characters not shown\)/);
      assert.ok(text.length < 25_000);
    });

    it('describes images and audio by type and size, never as base64', () => {
      const data = 'A'.repeat(4000);
      const text = samplingDocument(request({ messages: [{ role: 'user', content: [{ type: 'image', data, mimeType: 'image/png' }, { type: 'audio', data, mimeType: 'audio/wav' }] }] }));
      assert.match(text, /image: "image\/png", 3000 bytes/);
      assert.match(text, /audio: "audio\/wav", 3000 bytes/);
      assert.ok(!text.includes(data));
    });

    it('shows tool results with their content and whether they failed', () => {
      const text = samplingDocument(
        request({ messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', isError: true, content: [{ type: 'text', text: 'boom' }] }] }] }),
      );
      assert.match(text, /result of call "c1" \(an error\):\n {4}text:\n {6}│ boom/);
    });
  });
});

describe('sampling messages: MCP sampling to a chat model and back', () => {
  describe('toChatMessages', () => {
    it('sends the system prompt first, as a user message that says what it is', () => {
      const messages = toChatMessages({ messages: [user('hi')], systemPrompt: 'Be brief.', maxTokens: 10 });
      assert.deepEqual(messages, [
        { role: 'user', parts: [{ kind: 'text', text: `${SYSTEM_PROMPT_PREFIX}\n\nBe brief.` }] },
        { role: 'user', parts: [{ kind: 'text', text: 'hi' }] },
      ]);
    });

    it('maps text, image and audio blocks, single or in an array', () => {
      const [a, b] = toChatMessages({
        messages: [
          { role: 'user', content: { type: 'image', data: 'iVBO', mimeType: 'image/png' } },
          { role: 'assistant', content: [{ type: 'text', text: 'heard' }, { type: 'audio', data: 'UklG', mimeType: 'audio/wav' }] },
        ],
        maxTokens: 10,
      });
      assert.deepEqual(a, { role: 'user', parts: [{ kind: 'data', what: 'image', mimeType: 'image/png', base64: 'iVBO' }] });
      assert.deepEqual(b, { role: 'assistant', parts: [{ kind: 'text', text: 'heard' }, { kind: 'data', what: 'audio', mimeType: 'audio/wav', base64: 'UklG' }] });
    });

    it('maps a tool_use of the assistant to a tool call and a tool_result of the user to a tool result', () => {
      const [call, result] = toChatMessages({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: '18°C' }] }] },
        ],
        maxTokens: 10,
      });
      assert.deepEqual(call?.parts, [{ kind: 'toolCall', callId: 'c1', name: 'get_weather', input: { city: 'Paris' } }]);
      assert.deepEqual(result?.parts, [{ kind: 'toolResult', callId: 'c1', parts: [{ kind: 'text', text: '18°C' }] }]);
    });

    it('says when a tool result is an error, and uses structured content when there is no other', () => {
      const [failed, structured] = toChatMessages({
        messages: [
          { role: 'user', content: { type: 'tool_result', toolUseId: 'c1', isError: true, content: [{ type: 'text', text: 'no such city' }] } },
          { role: 'user', content: { type: 'tool_result', toolUseId: 'c2', content: [], structuredContent: { t: 18 } } },
        ],
        maxTokens: 10,
      });
      assert.deepEqual(failed?.parts, [{ kind: 'toolResult', callId: 'c1', parts: [{ kind: 'text', text: 'The tool reported an error:' }, { kind: 'text', text: 'no such city' }] }]);
      assert.deepEqual(structured?.parts, [{ kind: 'toolResult', callId: 'c2', parts: [{ kind: 'text', text: '{"t":18}' }] }]);
    });

    it('describes what a chat model cannot take (unknown blocks, a tool call in a user message, missing data)', () => {
      const [m] = toChatMessages({
        messages: [{ role: 'user', content: [{ type: 'hologram' }, { type: 'tool_use', id: 'x', name: 'rm', input: {} }, { type: 'image' }, null] }],
        maxTokens: 10,
      });
      assert.deepEqual(m?.parts, [
        { kind: 'text', text: '[hologram content, not supported]' },
        { kind: 'text', text: '[tool call rm: {}]' },
        { kind: 'text', text: '[image without data]' },
        { kind: 'text', text: '[unknown content, not supported]' },
      ]);
    });

    it('passes a huge message on whole (the model, not MCP Warden, has the limit)', () => {
      const big = 'q'.repeat(2_000_000);
      const [m] = toChatMessages({ messages: [user(big)], maxTokens: 10 });
      assert.equal((m?.parts[0] as { text: string }).text.length, big.length);
    });
  });

  describe('toolPlan', () => {
    const tools = [{ name: 'a', inputSchema: { type: 'object' } }, { name: 'b', description: 'B', inputSchema: null }];
    it('offers the tools, required only when toolChoice says so', () => {
      assert.deepEqual(toolPlan({ messages: [], maxTokens: 1, tools }), {
        tools: [
          { name: 'a', description: '', inputSchema: { type: 'object' } },
          { name: 'b', description: 'B', inputSchema: {} },
        ],
        required: false,
      });
      assert.equal(toolPlan({ messages: [], maxTokens: 1, tools, toolChoice: { mode: 'required' } })?.required, true);
    });
    it('offers none for toolChoice none or no tools', () => {
      assert.equal(toolPlan({ messages: [], maxTokens: 1, tools, toolChoice: { mode: 'none' } }), undefined);
      assert.equal(toolPlan({ messages: [], maxTokens: 1 }), undefined);
    });
  });

  describe('toSamplingResult', () => {
    it('gives one text block and endTurn for a plain answer', () => {
      assert.deepEqual(toSamplingResult([{ kind: 'text', text: 'Hel' }, { kind: 'text', text: 'lo' }], 'm1', { maxTokens: 100, outputTokens: 2 }), {
        role: 'assistant',
        model: 'm1',
        stopReason: 'endTurn',
        content: { type: 'text', text: 'Hello' },
      });
    });
    it('says maxTokens when the answer used the whole limit', () => {
      assert.equal(toSamplingResult([{ kind: 'text', text: 'x' }], 'm', { maxTokens: 5, outputTokens: 5 }).stopReason, 'maxTokens');
    });
    it('gives tool_use blocks after the text and stopReason toolUse when the model called tools', () => {
      const result = toSamplingResult(
        [
          { kind: 'text', text: 'Checking.' },
          { kind: 'toolCall', callId: 'c1', name: 'get_weather', input: { city: 'Paris' } },
          { kind: 'toolCall', callId: 'c2', name: 'get_time', input: {} },
        ],
        'm',
        { tools: ['get_weather', 'get_time'] },
      );
      assert.deepEqual(result, {
        role: 'assistant',
        model: 'm',
        stopReason: 'toolUse',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'c1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'c2', name: 'get_time', input: {} },
        ],
      });
      assert.deepEqual(toSamplingResult([{ kind: 'toolCall', callId: 'c', name: 'n', input: {} }], 'm', { tools: ['n'] }).content, [{ type: 'tool_use', id: 'c', name: 'n', input: {} }]);
    });
  });

  describe('pickModel', () => {
    const models = [
      { id: 'gpt-4o', name: 'GPT-4o', family: 'gpt-4o', vendor: 'copilot' },
      { id: 'claude-sonnet-4', name: 'Claude Sonnet 4', family: 'claude-sonnet-4', vendor: 'copilot' },
      { id: 'echo', name: 'Warden Test Model', family: 'echo', vendor: 'test' },
    ];
    it('takes the model remembered for the server while it exists', () => {
      assert.equal(pickModel(models, { hints: [{ name: 'claude' }] }, 'echo')?.id, 'echo');
      assert.equal(pickModel(models, undefined, 'gone')?.id, 'gpt-4o');
    });
    it('follows the hints in order against id, name and family, ignoring case', () => {
      assert.equal(pickModel(models, { hints: [{ name: 'gemini' }, { name: 'SONNET' }] })?.id, 'claude-sonnet-4');
      assert.equal(pickModel(models, { hints: [{ name: 'test model' }] })?.id, 'echo');
    });
    it('falls back to the first model, and to none when there is none', () => {
      assert.equal(pickModel(models, { hints: [{ name: 'gemini' }, {}] })?.id, 'gpt-4o');
      assert.equal(pickModel([], { hints: [{ name: 'x' }] }), undefined);
    });
  });
});
