// The protocol side of permissions, against real servers: the one request path for every client request, what a
// server declares through io.github.mcp-warden/permissions, and server→client requests reaching the handler the
// launcher is given — in the initialize era and in 2026-07-28.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { ClientRequestHandler, LaunchRequest, ServerRequest, Session, ToolCallResult } from '../../src/core/lifecycle/session';
import { CallCancelledError } from '../../src/node/callErrors';
import { McpLauncher } from '../../src/node/mcpLauncher';
import { RecordingLogger } from '../unit/fakes';
import { EVERYTHING, FIXTURE, NODE, ROOT, waitUntil } from './harness';

const PERMISSIONS_FIXTURE = join(ROOT, 'test/fixtures/permissions-server.mjs');
const DECLARED = [
  { kind: 'fs.write', target: './build', reason: 'writes the generated site' },
  { kind: 'net', target: 'api.example.com' },
];
const OPTIONS = { timeoutMs: 20_000 };

describe('permissions protocol: one request path, declarations, server→client requests', function () {
  const sessions: Session[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
    for (const child of children.splice(0)) child.kill();
  });

  /** With a handler, sampling and elicitation are offered unless `offered` says otherwise. */
  async function launch(
    spec: LaunchSpec,
    clientRequests?: ClientRequestHandler,
    logger = new RecordingLogger(),
    offered: LaunchRequest['offered'] = clientRequests && { sampling: true, elicitation: true },
  ): Promise<Session> {
    const launcher = new McpLauncher({ clientInfo: { name: 'mcp-warden-tests', version: '0.0.0' } });
    const session = await launcher.launch({
      serverName: 'test',
      sessionId: 's1',
      keyPath: 'mcpWarden.servers.test',
      spec,
      limits: { startupTimeoutMs: 20_000, maxMessageBytes: 16 * 1024 * 1024, serverLogLevel: 'debug' },
      logger,
      signal: new AbortController().signal,
      ...(clientRequests && { clientRequests }),
      ...(offered && { offered }),
    });
    sessions.push(session);
    return session;
  }
  const stdio = (file: string, ...args: string[]): LaunchSpec => ({ type: 'stdio', command: NODE, args: [file, ...args], env: {}, secrets: [] });
  const http = (url: string): LaunchSpec => ({ type: 'http', url, headers: {}, secrets: [] });
  const textOf = (result: unknown) => ((result as ToolCallResult).content as { text?: string }[]).map((c) => c.text ?? '').join('');

  /** A handler that records what it was asked and answers from `answers` (or throws what they throw). */
  function recordingHandler(answers: Partial<Record<ServerRequest['method'], () => unknown>>) {
    const seen: ServerRequest[] = [];
    const handler: ClientRequestHandler = async (request) => {
      seen.push(request);
      const answer = answers[request.method];
      if (!answer) throw new Error(`unexpected ${request.method}`);
      return answer();
    };
    return { seen, handler };
  }

  describe('the generic request path', function () {
    it('sends tools/call, prompts/get, resources/read, resources/subscribe, completion/complete to server-everything (initialize era)', async function () {
      const session = await launch(stdio(EVERYTHING, 'stdio'));
      assert.equal(session.info.era, 'legacy');
      assert.match(textOf(await session.request('tools/call', { name: 'get-sum', arguments: { a: 40, b: 2 } }, OPTIONS)), /42/);
      const prompt = (await session.request('prompts/get', { name: 'args-prompt', arguments: { city: 'Lyon' } }, OPTIONS)) as { messages: unknown[] };
      assert.match(JSON.stringify(prompt.messages), /Lyon/);
      const read = (await session.request('resources/read', { uri: 'demo://resource/dynamic/text/1' }, OPTIONS)) as { contents: { uri: string }[] };
      assert.equal(read.contents[0]?.uri, 'demo://resource/dynamic/text/1');
      assert.deepEqual(await session.request('resources/subscribe', { uri: 'demo://resource/dynamic/text/1' }, OPTIONS), {});
      assert.deepEqual(await session.request('resources/unsubscribe', { uri: 'demo://resource/dynamic/text/1' }, OPTIONS), {});
      const completion = (await session.request(
        'completion/complete',
        { ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'S' } },
        OPTIONS,
      )) as { completion: { values: string[] } };
      assert.deepEqual(completion.completion.values, ['Sales', 'Support']);
      // callTool is the same path
      assert.match(textOf(await session.callTool('echo', { message: 'hi' }, OPTIONS)), /Echo: hi/);
    });

    it('sends tools/call, prompts/get, resources/read to a 2026-07-28 server', async function () {
      const session = await launch(stdio(FIXTURE, '--era', 'modern'));
      assert.equal(session.info.era, 'modern');
      assert.deepEqual(((await session.request('tools/call', { name: 'add', arguments: { a: 2, b: 3 } }, OPTIONS)) as ToolCallResult).structuredContent, { sum: 5 });
      const prompt = (await session.request('prompts/get', { name: 'greet', arguments: { name: 'Ada' } }, OPTIONS)) as { messages: unknown[] };
      assert.match(JSON.stringify(prompt.messages), /Hello Ada/);
      const read = (await session.request('resources/read', { uri: 'fixture://readme' }, OPTIONS)) as { contents: { text: string }[] };
      assert.equal(read.contents[0]?.text, 'fixture readme');
    });

    it('turns an aborted request into CallCancelledError naming what was asked', async function () {
      const session = await launch(stdio(FIXTURE, '--era', '2025-11-25'));
      const abort = new AbortController();
      const call = session.request('tools/call', { name: 'sleep', arguments: { ms: 30_000 } }, { ...OPTIONS, signal: abort.signal });
      setTimeout(() => abort.abort(), 100);
      await assert.rejects(call, (error: unknown) => error instanceof CallCancelledError && /the call to 'sleep' was cancelled/.test(error.message));
    });

    it('lists every field a tool pin needs, outputSchema included', async function () {
      const session = await launch(stdio(EVERYTHING, 'stdio'));
      const withOutput = session.catalog.tools.find((t) => t.outputSchema !== undefined);
      assert.ok(withOutput, 'server-everything has a tool with an outputSchema');
      assert.equal((withOutput.outputSchema as { type?: string }).type, 'object');
      assert.ok(session.catalog.tools.some((t) => t.annotations !== undefined && t.title !== undefined));
    });
  });

  for (const era of ['2025-11-25', 'modern']) {
    it(`follows a tool whose definition changes: the fixture's mutate (${era})`, async function () {
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', era));
      const description = () => session.catalog.tools.find((t) => t.name === 'target')?.description;
      assert.equal(description(), 'Does nothing (version 1)');
      await session.request('tools/call', { name: 'mutate', arguments: { description: 'Deletes everything (version 2)' } }, OPTIONS);
      await waitUntil(() => description() === 'Deletes everything (version 2)', 'the new description');
    });
  }

  describe('declarations through the extension', function () {
    it('reads capabilities.experimental[id] in the initialize era', async function () {
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25'));
      assert.equal(session.info.era, 'legacy');
      assert.deepEqual(session.info.declarations, DECLARED);
    });

    it('reads capabilities.extensions[id] from the server/discover result in 2026-07-28, over stdio and HTTP', async function () {
      const overStdio = await launch(stdio(PERMISSIONS_FIXTURE, '--era', 'modern'));
      const modernHttp = await startPermissionsHttp();
      const overHttp = await launch(http(modernHttp));
      for (const session of [overStdio, overHttp]) {
        assert.equal(session.info.protocolVersion, '2026-07-28');
        assert.deepEqual(session.info.declarations, DECLARED);
      }
    });

    it('reads extensions[id] from an initialize-era server too, and has none for a server that declares nothing', async function () {
      const newer = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25', '--declare-under', 'extensions'));
      assert.deepEqual(newer.info.declarations, DECLARED);
      const silent = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25', '--declare-under', 'none'));
      assert.equal(silent.info.declarations, undefined);
    });
  });

  describe('what the client declares', function () {
    for (const era of ['2025-11-25', 'modern']) {
      it(`advertises the extension under extensions and experimental, and roots (${era})`, async function () {
        const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', era));
        const seen = JSON.parse(textOf(await session.request('tools/call', { name: 'client_capabilities', arguments: {} }, OPTIONS))) as Record<string, Record<string, unknown>>;
        assert.deepEqual(seen['extensions'], { 'io.github.mcp-warden/permissions': { version: 1 }, 'io.modelcontextprotocol/tasks': {} });
        assert.deepEqual(seen['experimental'], { 'io.github.mcp-warden/permissions': { version: 1 } });
        assert.ok(seen['roots'], 'roots');
        assert.equal(seen['sampling'], undefined, 'no sampling without a handler');
        assert.equal(seen['elicitation'], undefined, 'no elicitation without a handler');
      });
    }

    it('routes a sampling request that was not offered to the handler too (a server that asks anyway meets the gate)', async function () {
      const seen: string[] = [];
      const session = await launch(
        stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25'),
        async (request) => {
          seen.push(request.method);
          throw new Error('MCP Warden does not offer sampling/createMessage to servers yet');
        },
        new RecordingLogger(),
        {},
      );
      const offered = JSON.parse(textOf(await session.request('tools/call', { name: 'client_capabilities', arguments: {} }, OPTIONS))) as Record<string, unknown>;
      assert.equal(offered['sampling'], undefined, 'sampling is not advertised');
      const result = (await session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS)) as ToolCallResult;
      assert.deepEqual(seen, ['sampling/createMessage']);
      assert.match(textOf(result), /does not offer sampling\/createMessage to servers yet/);
    });

    it('advertises sampling and elicitation when offered', async function () {
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25'), () => Promise.reject(new Error('unused')));
      const seen = JSON.parse(textOf(await session.request('tools/call', { name: 'client_capabilities', arguments: {} }, OPTIONS))) as Record<string, unknown>;
      assert.deepEqual([seen['roots'], seen['sampling'], seen['elicitation']], [{ listChanged: true }, {}, { form: { applyDefaults: true } }]);
    });

    it('advertises sampling with tools and URL elicitation when offered', async function () {
      const offered = { sampling: true, samplingTools: true, elicitation: true, elicitationUrl: true };
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25'), () => Promise.reject(new Error('unused')), new RecordingLogger(), offered);
      const seen = JSON.parse(textOf(await session.request('tools/call', { name: 'client_capabilities', arguments: {} }, OPTIONS))) as Record<string, unknown>;
      assert.deepEqual([seen['sampling'], seen['elicitation']], [{ tools: {} }, { form: { applyDefaults: true }, url: {} }]);
    });
  });

  describe('server→client requests', function () {
    for (const era of ['2025-11-25', 'modern']) {
      it(`routes roots/list to the handler (${era})`, async function () {
        const roots = [{ uri: 'file:///work/project', name: 'project' }];
        const { seen, handler } = recordingHandler({ 'roots/list': () => ({ roots }) });
        const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', era), handler);
        const result = await session.request('tools/call', { name: 'roots', arguments: {} }, OPTIONS);
        assert.deepEqual(JSON.parse(textOf(result)), roots);
        assert.deepEqual(seen.map((r) => r.method), ['roots/list']);
      });

      it(`routes sampling/createMessage to the handler (${era})`, async function () {
        const { seen, handler } = recordingHandler({
          'sampling/createMessage': () => ({ role: 'assistant', content: { type: 'text', text: 'hello from the handler' }, model: 'test' }),
        });
        const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', era), handler);
        assert.equal(textOf(await session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS)), 'hello from the handler');
        assert.deepEqual(seen.map((r) => r.method), ['sampling/createMessage']);
        assert.match(JSON.stringify(seen[0]?.params), /Say hello/);
      });
    }

    it('answers roots/list with an empty list when there is no handler (initialize era and 2026-07-28)', async function () {
      for (const era of ['2025-11-25', 'modern']) {
        const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', era));
        assert.deepEqual(JSON.parse(textOf(await session.request('tools/call', { name: 'roots', arguments: {} }, OPTIONS))), [], era);
      }
    });

    it("sends the handler's error to the server (initialize era)", async function () {
      const { seen, handler } = recordingHandler({
        'elicitation/create': () => {
          throw new Error('MCP Warden denied elicitation of server test: denied for this session');
        },
      });
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25'), handler);
      const result = (await session.request('tools/call', { name: 'ask', arguments: {} }, OPTIONS)) as ToolCallResult;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /the client refused: .*MCP Warden denied elicitation of server test: denied for this session/);
      assert.deepEqual(seen.map((r) => r.method), ['elicitation/create']);
    });

    it("fails the call with the handler's error for an input request (2026-07-28)", async function () {
      const { handler } = recordingHandler({
        'sampling/createMessage': () => {
          throw new Error('MCP Warden denied sampling of server test');
        },
      });
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', 'modern'), handler);
      await assert.rejects(session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS), /MCP Warden denied sampling of server test/);
    });

    it('refuses sampling with a message saying MCP Warden does not offer it when there is no handler', async function () {
      const session = await launch(stdio(PERMISSIONS_FIXTURE, '--era', '2025-11-25'));
      const result = (await session.request('tools/call', { name: 'sample', arguments: {} }, OPTIONS)) as ToolCallResult;
      assert.equal(result.isError, true);
      assert.equal(textOf(result), 'the client refused: MCP Warden does not offer sampling (sampling/createMessage) to this server');
    });

    it('notifyRootsChanged makes an initialize-era server ask for the roots again', async function () {
      const { seen, handler } = recordingHandler({ 'roots/list': () => ({ roots: [] }) });
      const session = await launch(stdio(EVERYTHING, 'stdio'), handler);
      // server-everything asks for the roots shortly after the handshake
      await waitUntil(() => seen.length === 1, 'the first roots/list');
      session.notifyRootsChanged();
      await waitUntil(() => seen.length === 2, 'roots/list after roots/list_changed');
    });
  });
});


const children: ChildProcess[] = [];

/** The permissions fixture over HTTP in the 2026-07-28 era; killed after the test. */
async function startPermissionsHttp(): Promise<string> {
  const child = spawn(NODE, [PERMISSIONS_FIXTURE, '--transport', 'http', '--port', '0', '--era', 'modern'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`permissions fixture exited with ${code}`)));
  });
  return `http://127.0.0.1:${port}/mcp`;
}
