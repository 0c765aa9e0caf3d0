// Elicitation against real servers, through the real gate: server-everything (initialize era), the permissions
// fixture and the elicitation fixture in 2026-07-28 (input_required results) — only the user's answers are scripted.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ElicitationAnswer, ElicitationRequest, FormElicitation } from '../../src/core/clientFeatures/elicitation';
import { checkContent, formContent, readForm } from '../../src/core/clientFeatures/elicitationForm';
import type { LaunchSpec } from '../../src/core/config/launchSpec';
import type { Session, ToolCallResult } from '../../src/core/lifecycle/session';
import { gatedClientRequests, grantedRoots } from '../../src/core/permissions/clientRequestGate';
import { ScriptedElicitation } from '../support/scriptedElicitation';
import { scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { EVERYTHING, NODE, ROOT, launchSession } from './harness';

const PERMISSIONS_FIXTURE = join(ROOT, 'test/fixtures/permissions-server.mjs');
const ELICITATION_FIXTURE = join(ROOT, 'test/fixtures/elicitation-server.mjs');
const OPTIONS = { timeoutMs: 20_000 };

describe('elicitation: forms and URLs from real servers, through the gate', function () {
  const sessions: Session[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
  });

  interface Launched {
    readonly session: Session;
    readonly user: ScriptedElicitation;
    readonly permissions: ScriptedPermissions;
  }

  /** Launches a server with elicitation (form and URL) offered, answered by the gate and a scripted user. */
  async function launch(args: string[], setUp?: (permissions: ScriptedPermissions) => void): Promise<Launched> {
    const permissions = scriptedPermissions({ workspaceFolder: ROOT, askTimeoutMs: 2000 });
    setUp?.(permissions);
    const user = new ScriptedElicitation();
    const clientRequests = gatedClientRequests(permissions.broker, { rootsOf: (server) => grantedRoots(permissions.gate, server), elicitation: user })('test', 's1');
    const spec: LaunchSpec = { type: 'stdio', command: NODE, args, env: {}, secrets: [] };
    const session = await launchSession(spec, {
      clientRequests,
      offered: { elicitation: true, elicitationUrl: true },
      server: 'test',
      onElicitationComplete: (id) => user.completed('test', id),
    });
    sessions.push(session);
    return { session, user, permissions };
  }

  const call = async (session: Session, tool: string, args: Record<string, unknown> = {}) => (await session.callTool(tool, args, OPTIONS)) as ToolCallResult;
  const textOf = (result: ToolCallResult) => (result.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');
  const rawResult = (result: ToolCallResult) => JSON.parse(/Raw result: ([\s\S]*)$/.exec(textOf(result))?.[1] ?? 'null') as ElicitationAnswer;
  const form = (request: ElicitationRequest | undefined): FormElicitation => {
    assert.equal(request?.mode, 'form');
    return request as FormElicitation;
  };

  describe('initialize era: server-everything', function () {
    const everything = [EVERYTHING, 'stdio'];

    it('lists its elicitation tools only because both modes are offered, and sends what the user filled in', async function () {
      const { session, user } = await launch(everything);
      const tools = session.catalog.tools.map((t) => t.name);
      assert.ok(tools.includes('trigger-elicitation-request') && tools.includes('trigger-url-elicitation'), tools.join(' '));
      // The user fills the form MCP Warden builds from the schema; the form's own last check passes.
      user.answer((request) => {
        const read = readForm(form(request).requestedSchema);
        assert.equal(read.blocked, undefined);
        assert.deepEqual(read.leftOut, []);
        assert.equal(read.fields.length, 13);
        const content = formContent([
          ['name', 'Ada Lovelace'],
          ['check', true],
          ['email', 'ada@example.com'],
          ['integer', 7],
          ['untitledMultipleSelectEnum', ['Piano', 'Drums']],
          ['titledSingleSelectEnum', 'hero-3'],
        ]);
        assert.deepEqual(checkContent(read, content), []);
        return { action: 'accept', content };
      });
      const result = await call(session, 'trigger-elicitation-request');
      assert.equal(form(user.requests[0]).message, 'Please provide inputs for the following fields:');
      assert.equal(user.requests[0]?.server, 'test');
      assert.match(textOf(result), /- Name: Ada Lovelace/);
      assert.match(textOf(result), /- Favorite Integer: 7/);
      const sent = rawResult(result).content ?? {};
      assert.deepEqual(sent['untitledMultipleSelectEnum'], ['Piano', 'Drums']);
      assert.equal(sent['titledSingleSelectEnum'], 'hero-3');
      assert.equal(sent['firstLine'], 'It was a dark and stormy night.', 'a field left empty gets its default');
    });

    it('applies the schema defaults to an accept with empty content', async function () {
      const { session, user } = await launch(everything);
      user.answer({ action: 'accept', content: {} });
      const sent = rawResult(await call(session, 'trigger-elicitation-request'));
      assert.equal(sent.action, 'accept');
      assert.deepEqual(sent.content, {
        firstLine: 'It was a dark and stormy night.',
        integer: 42,
        number: 3.14,
        untitledSingleSelectEnum: 'Monica',
        untitledMultipleSelectEnum: ['Guitar'],
        titledSingleSelectEnum: 'hero-1',
        titledMultipleSelectEnum: ['fish-1'],
        legacyTitledEnum: 'pet-1',
      });
    });

    it('tells the server the user declined, or cancelled', async function () {
      const { session, user } = await launch(everything);
      user.answer({ action: 'decline' }, { action: 'cancel' });
      const declined = await call(session, 'trigger-elicitation-request');
      assert.match(textOf(declined), /User declined/);
      assert.deepEqual(rawResult(declined), { action: 'decline' });
      const cancelled = await call(session, 'trigger-elicitation-request');
      assert.match(textOf(cancelled), /User cancelled/);
      assert.deepEqual(rawResult(cancelled), { action: 'cancel' });
    });

    it('hands a URL elicitation to the user with its full URL, and answers what they chose', async function () {
      const { session, user } = await launch(everything);
      user.answer({ action: 'accept' }, { action: 'decline' });
      const url = 'https://example.com/sign-in?step=1';
      const opened = await call(session, 'trigger-url-elicitation', { url, message: 'Sign in, please' });
      const request = user.requests[0];
      assert.equal(request?.mode, 'url');
      assert.deepEqual(request.mode === 'url' && [request.url, request.message, request.elicitationId.length > 0], [url, 'Sign in, please', true]);
      assert.match(textOf(opened), /User completed the URL elicitation flow/);
      assert.match(textOf(await call(session, 'trigger-url-elicitation', { url })), /User declined to open the URL/);
    });

    it('shows the browser step of a -32042 error, and the call says to call again; called again, it goes through', async function () {
      const { session, user } = await launch(everything);
      user.answer({ action: 'accept' }, { action: 'accept' });
      const args = { url: 'https://example.com/pay', errorPath: true };
      await assert.rejects(call(session, 'trigger-url-elicitation', args), (error: Error) => {
        assert.equal(error.name, 'UrlElicitationNeededError');
        assert.match(error.message, /needs you to finish a step in your browser first \(modelcontextprotocol\.io\).*then call it again/);
        return true;
      });
      await user.until(() => user.requests.length === 1);
      const step = user.requests[0];
      assert.deepEqual(step?.mode === 'url' && [step.url, step.message], ['https://modelcontextprotocol.io', 'Open this link to satisfy the prerequisite, then retry the request.']);
      assert.match(textOf(await call(session, 'trigger-url-elicitation', args)), /User completed the URL elicitation flow/);
      assert.equal(user.requests.length, 2);
    });

    it('refuses before the user is asked when elicitation is denied by a grant', async function () {
      const { session, user } = await launch(everything, (p) =>
        p.writeSettings([p.sealer.seal({ server: 'test', kind: 'elicitation', target: '', decision: 'deny', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' })]),
      );
      const result = await call(session, 'trigger-elicitation-request');
      assert.equal(result.isError, true);
      assert.match(textOf(result), /MCP Warden denied its request elicitation\/create of server 'test'/);
      assert.deepEqual(user.requests, []);
    });
  });

  describe('2026-07-28: input_required reaches the same prompter', function () {
    it('answers the permissions fixture ask: accept with content, decline, cancel', async function () {
      const { session, user } = await launch([PERMISSIONS_FIXTURE, '--era', 'modern']);
      assert.equal(session.info.era, 'modern');
      user.answer({ action: 'accept', content: { ok: true } }, { action: 'decline' }, { action: 'cancel' });
      assert.deepEqual(JSON.parse(textOf(await call(session, 'ask'))), { action: 'accept', content: { ok: true } });
      const request = form(user.requests[0]);
      assert.equal(request.message, 'Proceed?');
      assert.deepEqual(readForm(request.requestedSchema).fields.map((f) => [f.name, f.kind, f.required]), [['ok', 'boolean', true]]);
      assert.deepEqual(JSON.parse(textOf(await call(session, 'ask'))), { action: 'decline' });
      assert.deepEqual(JSON.parse(textOf(await call(session, 'ask'))), { action: 'cancel' });
    });

    it('refuses before the user is asked when elicitation is denied by a grant', async function () {
      const { session, user } = await launch([PERMISSIONS_FIXTURE, '--era', 'modern'], (p) =>
        p.writeSettings([p.sealer.seal({ server: 'test', kind: 'elicitation', target: '', decision: 'deny', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' })]),
      );
      await assert.rejects(call(session, 'ask'), /MCP Warden denied its request elicitation\/create of server 'test'/);
      assert.deepEqual(user.requests, []);
    });
  });

  for (const era of ['2025-11-25', 'modern']) {
    describe(`the elicitation fixture (${era})`, function () {
      it('closes the form when the call that carried it is cancelled', async function () {
        const { session, user } = await launch([ELICITATION_FIXTURE, '--era', era]);
        const abort = new AbortController();
        const pending = session.callTool('profile', {}, { ...OPTIONS, signal: abort.signal });
        await user.until(() => user.requests.length === 1);
        abort.abort();
        await assert.rejects(pending, { name: 'CallCancelledError' });
        await user.until(() => user.signals[0]?.aborted === true);
      });

      it('applies the defaults to an empty accept, and keeps what the user gave', async function () {
        const { session, user } = await launch([ELICITATION_FIXTURE, '--era', era]);
        user.answer({ action: 'accept', content: {} }, { action: 'accept', content: { nickname: 'Ada', age: 36, tags: ['b', 'c'] } });
        assert.deepEqual(JSON.parse(textOf(await call(session, 'profile'))), {
          action: 'accept',
          content: { nickname: 'anon', age: 30, color: 'g', tags: ['a'], subscribe: false },
        });
        assert.deepEqual(JSON.parse(textOf(await call(session, 'profile'))).content, { nickname: 'Ada', age: 36, color: 'g', tags: ['b', 'c'], subscribe: false });
        const read = readForm(form(user.requests[0]).requestedSchema);
        assert.deepEqual(read.fields.map((f) => f.kind), ['text', 'number', 'choice', 'multi', 'boolean']);
      });

      it('hands a URL elicitation to the user, and tells them when the server says it is done', async function () {
        const { session, user } = await launch([ELICITATION_FIXTURE, '--era', era]);
        user.answer({ action: 'accept' }, { action: 'decline' });
        const url = 'https://xn--exmple-cua.com/login';
        assert.deepEqual(JSON.parse(textOf(await call(session, 'open_page', { url }))), { action: 'accept' });
        const request = user.requests[0];
        assert.deepEqual(request?.mode === 'url' && [request.url, request.message], [url, 'Sign in to continue']);
        if (era !== 'modern') {
          // 2026-07-28 has no elicitationId and no completion notification: the retried request is the answer.
          await user.until(() => user.completions.length === 1);
          assert.deepEqual(user.completions, [{ server: 'test', elicitationId: 'page-1' }]);
        }
        assert.deepEqual(JSON.parse(textOf(await call(session, 'open_page', { url }))), { action: 'decline' });
      });
    });
  }
});
