// Attacks on the permission gate by a hostile server and a hostile repository, with real processes: the real
// registry, launcher, gate, broker and HMAC sealer; only the user's clicks are scripted. The hostile server
// (test/fixtures/hostile-server.mjs) speaks raw JSON-RPC so that it can do what an SDK would not let it.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { MAX_REASON_CHARS } from '../../src/core/permissions/declarations';
import type { Grant } from '../../src/core/permissions/permission';
import { declarationsOf } from '../../src/core/permissions/sessionWatcher';
import { HmacGrantSealer } from '../../src/node/permissions/grantSealer';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { FIXTURE, NODE, ROOT, running, startServers, type Harness } from './harness';

const HOSTILE = join(ROOT, 'test/fixtures/hostile-server.mjs');
const textOf = (result: unknown) => ((result as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');

describe('permission attacks with real servers', function () {
  this.timeout(60_000);
  let harness: Harness | undefined;
  let p: ScriptedPermissions;

  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
  });
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  async function start(servers: Record<string, unknown>): Promise<Harness> {
    const audit = { record: (e: AuditInput | (() => AuditInput)) => p.audited.push(typeof e === 'function' ? e() : e) };
    harness = await startServers(servers, { permissions: p.harness, audit });
    return harness;
  }

  async function startHostile(args: string[] = []): Promise<Harness> {
    p.prompter.answer(allow('workspace'));
    const h = await start({ hostile: { command: NODE, args: [HOSTILE, ...args] } });
    await h.waitFor('hostile', running, 'running');
    return h;
  }

  describe('a hostile server', () => {
    it('requests it was never offered, flooded in parallel, each meet the gate and raise one question', async () => {
      p = scriptedPermissions({ workspaceFolder: ROOT, askTimeoutMs: 1500 });
      const h = await startHostile();
      // The flood's own call is allowed; the question about sampling is left open (a user who does not answer).
      p.prompter.answer(allow('session'));
      const result = JSON.parse(textOf(await h.registry.callTool('hostile', 'flood', { method: 'sampling/createMessage', count: 50 }))) as { answered: number; errors: string[] };
      assert.equal(result.answered, 0, 'sampling is not offered: nothing answers it');
      assert.equal(result.errors.length, 50);
      const samplingQuestions = p.prompter.questions.filter((q) => q.request.permission.kind === 'sampling');
      assert.equal(samplingQuestions.length, 1, 'fifty identical requests share one question');
      assert.ok(result.errors.every((e) => /MCP Warden denied its request sampling\/createMessage of server 'hostile'.*no answer within/.test(e)), result.errors[0]);
      const decided = p.audited.filter((e) => e.type === 'permission' && e.action === 'decided' && e.permission === 'sampling');
      assert.equal(decided.length, 50, 'each request is decided and audited');
    });

    it('a tool listed twice keeps its first definition only: the one shown is the one pinned', async () => {
      const h = await startHostile(['--duplicate-tool']);
      const twins = h.server('hostile').catalog.tools.filter((t) => t.name === 'twin');
      assert.equal(twins.length, 1);
      assert.equal(twins[0]?.description, 'Reads nothing, harmless');
      assert.ok(h.log('hostile').some((l) => l.includes("lists the tool 'twin' more than once")));
      p.prompter.answer(allow('workspace'));
      await h.registry.callTool('hostile', 'twin', {});
      const question = p.prompter.questions.at(-1);
      assert.equal((question?.definition as { description?: string }).description, 'Reads nothing, harmless');
      assert.equal(question?.request.pin, h.registry.toolPin('hostile', 'twin'));
    });

    it('"Allow Once" lets one of several identical waiting requests through; the others are asked again', async () => {
      p = scriptedPermissions({ workspaceFolder: ROOT, askTimeoutMs: 1500 });
      const h = await startHostile();
      p.prompter.answer(allow('once'));
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => h.registry.callTool('hostile', 'echo', { text: String(i) })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.filter((r) => r.status === 'rejected').every((r) => /no answer within/.test(String((r as PromiseRejectedResult).reason))));
    });

    it('a server that repeats a request it was never offered after a Deny is not asked about again', async () => {
      const h = await startHostile();
      p.prompter.answer(allow('session'), deny(), deny(), deny(), deny(), deny());
      for (let i = 0; i < 5; i++) await h.registry.callTool('hostile', 'flood', { method: 'elicitation/create', count: 1 });
      assert.equal(p.prompter.questions.filter((q) => q.request.permission.kind === 'elicitation').length, 1);
      const kept = p.audited.filter((e) => e.type === 'permission' && e.action === 'granted' && e.permission === 'elicitation' && e.scope === 'session');
      assert.equal(kept.length, 1, 'the denial kept for the session is audited');
    });

    it('a flood of roots/list after a session deny is answered without asking again', async () => {
      const h = await startHostile();
      p.prompter.answer(allow('session'), deny('session'));
      const first = JSON.parse(textOf(await h.registry.callTool('hostile', 'flood', { method: 'roots/list', count: 30 }))) as { answered: number };
      assert.equal(first.answered, 0);
      const asked = p.prompter.questions.length;
      const second = JSON.parse(textOf(await h.registry.callTool('hostile', 'flood', { method: 'roots/list', count: 30 }))) as { answered: number; errors: string[] };
      assert.equal(second.answered, 0);
      assert.equal(p.prompter.questions.length, asked, 'denied for the session: no new question');
      assert.match(second.errors[0] ?? '', /denied for this session/);
    });

    it('a tool whose annotations change to readOnlyHint loses its grant (and gets no annotation default over a deny)', async () => {
      const h = await startHostile();
      p.prompter.answer(allow('workspace'), allow('once'));
      assert.equal(textOf(await h.registry.callTool('hostile', 'echo', { text: 'a' })), 'a');
      await h.registry.callTool('hostile', 'mutate_annotations', {});
      await h.waitFor('hostile', (s) => s.catalog.tools.find((t) => t.name === 'echo')?.annotations?.['readOnlyHint'] === true, 'changed');
      p.prompter.answer(deny());
      await assert.rejects(h.registry.callTool('hostile', 'echo', { text: 'b' }), /denied by you this once/);
      const question = p.prompter.questions.at(-1);
      assert.equal(question?.decision.suspended?.target, 'echo', 'asked as a changed definition');
      assert.deepEqual((question?.definition as { annotations?: unknown }).annotations, { readOnlyHint: true });
    });

    it('10,000 declared permissions with hostile reasons: at most 100 questions, each reason one short plain line', async () => {
      const h = await startHostile();
      const declarations = declarationsOf(h.server('hostile'), [ROOT]);
      assert.equal(declarations.length, 100);
      for (const { reason } of declarations) {
        assert.ok(reason && reason.length <= MAX_REASON_CHARS);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u001f\u202e]/.test(reason) && !reason.includes(']('), reason.slice(0, 80));
      }
    });
  });

  describe('a hostile repository', () => {
    it('a confirmed launch grant without a pin does not let the repository change the command', async () => {
      p.prompter.answer(allow('workspace'));
      let h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', running, 'running');
      await h.dispose();
      harness = undefined;
      // The repository proposes an unpinned launch grant, and the user confirms it once.
      const { pin: _pin, seal: _seal, ...unpinned } = p.store.grants[0] as Grant;
      p.writeSettings([unpinned]);
      await p.store.confirm([unpinned]);
      assert.equal(p.gate.workspaceGrants[0]?.status, 'confirmed');
      // Then it changes the launch (NODE_OPTIONS): asked again, not started while asked.
      p.prompter.answer(deny());
      h = await start({ fixture: { command: NODE, args: [FIXTURE], env: { NODE_OPTIONS: '--no-warnings' } } });
      await h.waitFor('fixture', (s) => s.state.kind === 'error', 'refused');
      assert.equal(p.prompter.questions.length, 2, 'the changed launch was asked about');
      assert.equal(p.prompter.questions[1]?.request.permission.kind, 'launch');
      assert.match(h.server('fixture').state.kind === 'error' ? (h.server('fixture').state as { message: string }).message : '', /not approved/);
    });

    it('grants copied from another workspace, sealed by another key, renamed to another server or edited: none decides', async () => {
      const key = randomBytes(32);
      p = scriptedPermissions({ workspaceFolder: ROOT, key });
      const h = await startHostile();
      p.prompter.answer(allow('workspace'));
      await h.registry.callTool('hostile', 'echo', { text: 'x' });
      // A workspace answer is also kept for the session: a new run sees only what the settings file holds.
      await h.registry.restart('hostile');
      await h.waitFor('hostile', running, 'running again');
      const launch = p.store.grants.find((g) => g.kind === 'launch') as Grant;
      const echo = p.store.grants.find((g) => g.kind === 'tool') as Grant;
      const { seal: _seal, ...unsealed } = echo;
      p.writeSettings([
        launch,
        new HmacGrantSealer(key, 'file:///elsewhere').seal(unsealed),
        new HmacGrantSealer(randomBytes(32), `file://${ROOT}`).seal(unsealed),
        new HmacGrantSealer(key, `file://${ROOT}`).seal({ ...unsealed, server: 'hostile2' }),
        { ...echo, pin: 'f'.repeat(64) },
      ]);
      assert.deepEqual(
        p.gate.workspaceGrants.map((w) => w.status),
        ['sealed', 'tampered', 'proposed', 'sealed', 'tampered'],
      );
      p.prompter.answer(deny());
      await assert.rejects(h.registry.callTool('hostile', 'echo', { text: 'y' }), /denied by you this once/);
      assert.ok(p.prompter.questions.at(-1)?.decision.proposed, "only the other machine's grant is offered, as a proposal");
    });
  });
});
