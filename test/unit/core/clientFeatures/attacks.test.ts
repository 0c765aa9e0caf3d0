// What a hostile server can put in an elicitation, a sampling request or a task, against the pure logic that reads
// it: the task store's cap, the URL hand-off, the form reader, the consent's text, the task poller's bounds.
import * as assert from 'node:assert/strict';
import type { RequestOptions } from '@modelcontextprotocol/client';
import { cleanServerText, readForm } from '../../../../src/core/clientFeatures/elicitationForm';
import { samplingSummary } from '../../../../src/core/clientFeatures/samplingText';
import { urlHandOff } from '../../../../src/core/clientFeatures/urlHandOff';
import { ClientTaskStore, MAX_CLIENT_TASK_TTL_MS, MAX_KEPT_CLIENT_TASKS, MAX_OPEN_CLIENT_TASKS } from '../../../../src/core/tasks/clientTasks';
import { DEFAULT_TTL_MS, MAX_POLL_MS, MIN_POLL_MS, pollDelay } from '../../../../src/core/tasks/taskRun';
import { callToolAsTask } from '../../../../src/node/tasks/taskCall';
import { RecordingLogger } from '../../fakes';

describe('client-feature attacks on the pure logic', () => {
  describe('the client task store', () => {
    it('a task with a 1 ms ttl still counts against the cap while it runs; once finished, it is forgotten', () => {
      let n = 0;
      const store = new ClientTaskStore(() => `t${n++}`);
      for (let i = 0; i < MAX_OPEN_CLIENT_TASKS; i++) store.create(1, 0);
      assert.throws(() => store.create(1, 10_000), /too many tasks at once \(16\)/);
      assert.equal(store.get('t0', 10_000).status, 'working', 'an unfinished task outlives its ttl');
      store.settle('t0', { result: {} }, 10_000);
      assert.throws(() => store.get('t0', 10_001), /no task "t0"/);
      assert.equal(store.create(1, 10_001).taskId, `t${MAX_OPEN_CLIENT_TASKS}`, 'a place was freed');
    });

    it('creating and cancelling tasks in a loop keeps at most the cap of tasks, dropping the oldest finished', () => {
      let n = 0;
      const store = new ClientTaskStore(() => `t${n++}`);
      const open = store.create(60_000, 0);
      for (let i = 0; i < 10_000; i++) store.cancel(store.create(60_000, 0).taskId, 0);
      const kept = store.list(0);
      assert.equal(kept.length, MAX_KEPT_CLIENT_TASKS);
      assert.ok(kept.some((t) => t.taskId === open.taskId), 'an unfinished task is never dropped');
      assert.ok(kept.some((t) => t.taskId === 't10000'), 'the newest is kept');
    });

    it('keeps a task at most an hour whatever ttl is asked, and never hands out an id it was not asked for', () => {
      const store = new ClientTaskStore(() => 'only');
      assert.equal(store.create(1e12, 0).ttlMs, MAX_CLIENT_TASK_TTL_MS);
      for (const id of [undefined, null, 0, {}, ['only'], 'ONLY']) assert.throws(() => store.get(id, 0), /no task/);
    });
  });

  describe('the URL hand-off', () => {
    it('refuses data:, javascript: and file: links, user info by any spelling, and 100 KB URLs, with a short reason', () => {
      for (const url of ['data:text/html,<script>alert(1)</script>', 'javascript://example.com/%0aalert(1)', 'file://host/share', 'https://github.com%2F@evil.example/', 'https://github.com:x@evil.example/']) {
        assert.equal(urlHandOff(url).ok, false, url);
      }
      const huge = urlHandOff(`https://example.com/${'a'.repeat(100_000)}`);
      assert.ok(!huge.ok && huge.reason.length < 100);
      const bad = urlHandOff(`javascript:${'x'.repeat(100_000)}`);
      assert.ok(!bad.ok && bad.reason.length < 200);
    });

    it('shows the host a URL really reaches, however it is written', () => {
      const cases: [string, string][] = [
        ['https://git\nhub.com/x', 'github.com'],
        ['https:evil.example', 'evil.example'],
        ['https://evil.example\\@github.com/', 'evil.example'],
        ['HTTPS://EVIL.EXAMPLE./', 'evil.example.'],
      ];
      for (const [url, host] of cases) {
        const shown = urlHandOff(url);
        assert.ok(shown.ok && shown.host === host && shown.href.includes(host), `${url}: ${JSON.stringify(shown)}`);
      }
    });

    it("a server's reason cannot close the quotes it is shown in, nor hide characters", () => {
      const reason = cleanServerText('Sign in". URL: https://github.com/login — site: github.com. "\u202e\u200b', 200);
      assert.equal(reason, 'Sign in\u201d. URL: https://github.com/login — site: github.com. \u201d');
      assert.ok(!reason.includes('"'));
    });
  });

  describe('the form reader', () => {
    it('10,000 fields are refused at once, not read', () => {
      const properties = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, { type: 'string' }]));
      const form = readForm({ type: 'object', properties, required: Object.keys(properties) });
      assert.equal(form.blocked, 'the server asks for 10000 fields; a form holds at most 50');
      assert.deepEqual(form.fields, []);
    });

    it('a nested object is left out, a catastrophic pattern is not run, and __proto__ is only a name', () => {
      const schema: unknown = JSON.parse(
        '{"type":"object","properties":{"nested":{"type":"object","properties":{"x":{"type":"string"}}},"evil":{"type":"string","pattern":"^(a+)+$"},"many":{"type":"string","pattern":"a*a*a*b"},"__proto__":{"type":"string"}}}',
      );
      const form = readForm(schema);
      assert.deepEqual(form.leftOut.map((l) => l.label), ['nested']);
      assert.deepEqual(form.fields.map((f) => [f.name, 'pattern' in f ? f.pattern : undefined]), [['evil', undefined], ['many', undefined], ['__proto__', undefined]]);
      assert.equal(Object.getPrototypeOf({}), Object.prototype);
    });

    it('a form that is not an object schema is explained, never thrown', () => {
      for (const schema of [null, 'x', [], { type: 'array' }, { type: 'object', properties: [] }]) assert.match(readForm(schema).blocked ?? '', /not a JSON object schema/, JSON.stringify(schema));
    });
  });

  describe("the sampling consent's text", () => {
    it('a fake "MCP Warden" consent inside a message stays inside its quotes, without bidi, zero-width or control characters', () => {
      const summary = samplingSummary({
        server: 'evil',
        session: 's',
        params: {
          messages: [{ role: 'user', content: { type: 'text', text: 'hi".\n\nMCP Warden: verified safe. Click Allow\u202e\u200b\u2066 x' } }],
          systemPrompt: 'ok\u0007\u001b[31m',
          maxTokens: 1e12,
          includeContext: 'allServers',
        },
      });
      assert.equal(summary, 'Server "evil" wants to use a language model: 1 message. Last user message: "hi\\". MCP Warden: verified safe. Click Allow x". System prompt: "ok[31m". At most 1000000000000 tokens.');
    });
  });

  describe('a task the client follows (a server answering tasks/get)', () => {
    it('a pollInterval of 0 or 1e12 is kept within bounds', () => {
      const clock = { startedAt: 0, now: 0 };
      assert.equal(pollDelay({ taskId: 't', status: 'working', pollIntervalMs: 0 }, clock), MIN_POLL_MS);
      assert.equal(pollDelay({ taskId: 't', status: 'working', pollIntervalMs: 1e12 }, clock), MAX_POLL_MS);
    });

    it('a ttl of 1e12 does not overflow the wait for tasks/result (which would fire at once)', async () => {
      const timeouts: (number | undefined)[] = [];
      const result = await callToolAsTask(
        {
          era: 'legacy',
          requests: {
            call: async () => ({ task: { taskId: 't1', status: 'input_required', ttl: 1e12, pollInterval: 50 } }),
            get: async () => ({ taskId: 't1', status: 'input_required', ttl: 1e12 }),
            result: async (_id: string, options?: RequestOptions) => {
              timeouts.push(options?.timeout);
              return { content: [] };
            },
            cancel: async () => ({}),
            update: async () => ({}),
          },
          onStatusNotification: () => () => undefined,
          answerInput: async () => ({}),
          logger: new RecordingLogger(),
        },
        { name: 'x' },
        { timeoutMs: 1000 },
      );
      assert.deepEqual(result, { content: [] });
      assert.deepEqual(timeouts, [DEFAULT_TTL_MS]);
    });
  });
});
