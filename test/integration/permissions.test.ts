// The permission gate with real servers: the real registry, supervisor, launcher, gate, broker and HMAC sealer;
// only the user's clicks are scripted (ScriptedPrompter), and grants are kept in memory as in mcpWarden.grants.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { parseServers } from '../../src/core/config/parseServers';
import type { Grant } from '../../src/core/permissions/permission';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { FIXTURE, NODE, ROOT, running, startServers, type Harness } from './harness';

const PERMISSIONS_FIXTURE = join(ROOT, 'test/fixtures/permissions-server.mjs');
const textOf = (result: unknown) => ((result as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');

describe('permissions with real servers', function () {
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

  async function start(servers: Record<string, unknown>, autostart = true): Promise<Harness> {
    const audit = { record: (e: AuditInput | (() => AuditInput)) => p.audited.push(typeof e === 'function' ? e() : e) };
    harness = await startServers(servers, { permissions: p.harness, autostart, audit });
    return harness;
  }

  /** Approves the launch of every server (for tests about what comes after). */
  function approveLaunches(count = 1): void {
    for (let i = 0; i < count; i++) p.prompter.answer(allow('workspace'));
  }

  describe('launch consent', () => {
    it('does not start a server until its launch is approved, and asks again after the command changes', async () => {
      p.prompter.answer(deny());
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', (s) => s.state.kind === 'error', 'refused');
      const [question] = p.prompter.questions;
      assert.equal(question?.request.permission.kind, 'launch');
      assert.match(question?.launch?.summary ?? '', /fixture-server\.mjs/);
      const refused = h.server('fixture').state;
      assert.match(refused.kind === 'error' ? refused.message : '', /not approved \(the question was dismissed|denied by you this once/);

      p.prompter.answer(allow('workspace'));
      await h.registry.start('fixture');
      await h.waitFor('fixture', running, 'running');
      assert.equal(p.store.grants.length, 1, 'the approval is kept as a workspace grant');
      const [grant] = p.store.grants;
      assert.equal(grant?.kind, 'launch');
      assert.equal(p.sealer.status(grant as Grant), 'sealed');

      // A restart of the same definition needs no new answer.
      await h.registry.restart('fixture');
      await h.waitFor('fixture', running, 'running again');
      assert.equal(p.prompter.questions.length, 2);

      // Another command: asked again, and not started while the question is open.
      const changed = { servers: [], discovered: [], problems: [] };
      const next = { ...changed, servers: parseServers({ fixture: { command: NODE, args: [FIXTURE, '--changed'] } }, 'mcpWarden.servers', { kind: 'settings' }, { strict: true }) };
      void h.registry.applyConfiguration(next, { autostart: true });
      await p.prompter.asked(3);
      await h.waitFor('fixture', (s) => s.state.kind === 'needs-approval', 'waiting for approval');
      assert.notEqual(p.prompter.questions[2]?.request.pin, p.prompter.questions[0]?.request.pin, 'the pin follows the launch');
    });

    it('a launch nobody answers waits as "needs approval" and a stop ends the wait', async () => {
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } }, false);
      const starting = h.registry.start('fixture');
      await h.waitFor('fixture', (s) => s.state.kind === 'needs-approval', 'waiting for approval');
      const state = h.server('fixture').state;
      assert.match(state.kind === 'needs-approval' ? state.summary : '', /runs `.*fixture-server\.mjs`/);
      await h.registry.stop('fixture');
      await starting;
      assert.equal(h.server('fixture').state.kind, 'stopped');
      assert.equal(harness?.log('fixture').some((l) => l.includes('pid')), false, 'nothing was started');
    });
  });

  describe('tools', () => {
    it('denies, asks, grants once, grants for the session and revokes mid-session', async () => {
      approveLaunches();
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', running, 'running');
      const call = () => h.registry.callTool('fixture', 'echo', { text: 'hi' });

      p.prompter.answer(deny());
      await assert.rejects(call(), (error: Error) => {
        assert.equal(error.name, 'PermissionDeniedError');
        assert.match(error.message, /MCP Warden denied tools\/call of tool 'echo' of server 'fixture' \(permission tool:echo\): denied by you this once/);
        assert.match(error.message, /To allow it/);
        return true;
      });
      p.prompter.answer(allow('once'));
      assert.equal(textOf(await call()), 'hi');
      p.prompter.answer(allow('session'));
      assert.equal(textOf(await call()), 'hi', 'once was used up: asked again');
      const asked = p.prompter.questions.length;
      assert.equal(textOf(await call()), 'hi');
      assert.equal(p.prompter.questions.length, asked, 'the session grant decides without asking');

      const sessionGrants = p.gate.list('fixture').filter((l) => l.status === 'session' && l.grant.kind === 'tool');
      await p.broker.revoke(sessionGrants.map((l) => l.grant));
      p.prompter.answer(deny());
      await assert.rejects(call(), /denied by you this once/);
      assert.equal(p.prompter.questions.length, asked + 1, 'revoked: the very next call asks');

      const decisions = p.audited.filter((e) => e.type === 'permission' && e.action === 'decided' && e.permission === 'tool:echo');
      assert.deepEqual(
        decisions.map((e) => e.type === 'permission' && [e.verdict, e.asked]),
        [
          ['deny', true],
          ['allow', true],
          ['allow', true],
          ['allow', false],
          ['deny', true],
        ],
      );
      const refused = p.audited.filter((e) => e.type === 'request' && e.refused && e.request.method === 'tools/call');
      assert.equal(refused.length, 2, 'each denied call is audited as refused, never sent');
      assert.match(refused[0]?.type === 'request' ? (refused[0].response.error?.message ?? '') : '', /MCP Warden denied tools\/call of tool 'echo'/);
    });

    it('a session grant ends with the server', async () => {
      approveLaunches();
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', running, 'running');
      p.prompter.answer(allow('session'));
      await h.registry.callTool('fixture', 'echo', { text: 'a' });
      await h.registry.restart('fixture');
      await h.waitFor('fixture', running, 'running again');
      p.prompter.answer(deny());
      await assert.rejects(h.registry.callTool('fixture', 'echo', { text: 'b' }), /denied by you this once/);
    });

    it('a call that waited for an answer is told when it is allowed, and not when it is denied', async () => {
      approveLaunches();
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', running, 'running');
      const events: string[] = [];
      const options = { onWaiting: (m: string) => events.push(`waiting: ${m}`), onAllowed: () => events.push('allowed') };
      p.prompter.answer(allow('once'));
      await h.registry.callTool('fixture', 'echo', { text: 'a' }, options);
      assert.deepEqual(events, ["waiting: waiting for your permission: tool:echo of server 'fixture'", 'allowed']);
      events.length = 0;
      p.prompter.answer(deny());
      await assert.rejects(h.registry.callTool('fixture', 'echo', { text: 'b' }, options));
      assert.deepEqual(events, ["waiting: waiting for your permission: tool:echo of server 'fixture'"]);
    });

    it('a call that waits too long for an answer is denied, naming why', async () => {
      p = scriptedPermissions({ workspaceFolder: ROOT, askTimeoutMs: 300 });
      approveLaunches();
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', running, 'running');
      await assert.rejects(h.registry.callTool('fixture', 'echo', { text: 'x' }), /no answer within 0 s: denied this once/);
    });

    it('suspends a grant when the tool definition changes, and asks with the new definition', async () => {
      approveLaunches();
      const h = await start({ perms: { command: NODE, args: [PERMISSIONS_FIXTURE] } });
      await h.waitFor('perms', running, 'running');
      p.prompter.answer(allow('workspace'), allow('once'));
      assert.equal(textOf(await h.registry.callTool('perms', 'target', {})), 'target ran');
      assert.equal(textOf(await h.registry.callTool('perms', 'mutate', { description: 'now it also deletes your files' })).length > 0, true);
      await h.waitFor('perms', (s) => s.catalog.tools.find((t) => t.name === 'target')?.description === 'now it also deletes your files', 'changed');
      // The watcher is the editor's; here the next call meets the suspended grant.
      p.prompter.answer(deny());
      await assert.rejects(h.registry.callTool('perms', 'target', {}), /denied/);
      const question = p.prompter.questions.at(-1);
      assert.equal(question?.decision.suspended?.target, 'target', 'the question says the allowed definition changed');
      assert.deepEqual((question?.definition as { description?: string } | undefined)?.description, 'now it also deletes your files');
    });

    it('a tool the server adds later gets no grant by inheritance', async () => {
      approveLaunches();
      const h = await start({ perms: { command: NODE, args: [PERMISSIONS_FIXTURE] } });
      await h.waitFor('perms', running, 'running');
      p.prompter.answer(allow('workspace'));
      await h.registry.callTool('perms', 'target', {});
      p.prompter.answer(deny());
      await assert.rejects(h.registry.callTool('perms', 'roots', {}), /denied by you this once/);
    });
  });

  describe('grants from the workspace', () => {
    async function grantEcho(): Promise<Grant> {
      approveLaunches();
      const h = await start({ fixture: { command: NODE, args: [FIXTURE] } });
      await h.waitFor('fixture', running, 'running');
      p.prompter.answer(allow('workspace'));
      await h.registry.callTool('fixture', 'echo', { text: 'x' });
      const grant = p.store.grants.find((g) => g.kind === 'tool');
      assert.ok(grant);
      // Back to what is in the file only (as after a window reload).
      await h.registry.restart('fixture');
      await h.waitFor('fixture', running, 'running again');
      assert.equal(textOf(await h.registry.callTool('fixture', 'echo', { text: 'y' })), 'y', 'the sealed grant decides after a restart');
      return grant;
    }

    it('rejects a sealed grant edited by hand (even with its seal kept)', async () => {
      const grant = await grantEcho();
      const launch = p.store.grants.find((g) => g.kind === 'launch') as Grant;
      p.writeSettings([launch, { ...grant, target: 'write_file' }, { ...grant, decision: 'allow', grantedAt: '2030-01-01T00:00:00.000Z' }]);
      assert.deepEqual(
        p.gate.workspaceGrants.map((w) => w.status),
        ['sealed', 'tampered', 'tampered'],
      );
      p.prompter.answer(deny());
      await assert.rejects(harness!.registry.callTool('fixture', 'echo', { text: 'z' }), /denied by you this once/);
    });

    it('asks to confirm a grant sealed elsewhere or not at all, once', async () => {
      const grant = await grantEcho();
      const launch = p.store.grants.find((g) => g.kind === 'launch') as Grant;
      const { seal: _seal, ...unsealed } = grant;
      p.writeSettings([launch, unsealed]);
      assert.equal(p.gate.workspaceGrants[1]?.status, 'proposed');
      p.prompter.answer(allow('workspace'));
      assert.equal(textOf(await harness!.registry.callTool('fixture', 'echo', { text: 'p' })), 'p');
      assert.ok(p.prompter.questions.at(-1)?.decision.proposed, 'the question was about the proposed grant');
      assert.equal(p.gate.workspaceGrants[1]?.status, 'confirmed');
      const asked = p.prompter.questions.length;
      assert.equal(textOf(await harness!.registry.callTool('fixture', 'echo', { text: 'q' })), 'q');
      assert.equal(p.prompter.questions.length, asked, 'confirmed once, honoured after');
      assert.deepEqual(p.store.grants[1], unsealed, 'confirming leaves the committed grant as it is');
    });

    it('an untrusted workspace honours no workspace grant', async () => {
      await grantEcho();
      p.gate.setTrusted(false);
      p.prompter.answer(deny());
      await assert.rejects(harness!.registry.callTool('fixture', 'echo', { text: 'u' }), /denied by you this once/);
    });
  });

  describe('requests a server makes of the client', () => {
    it('denies roots/list when the user says no, and the server is told why', async () => {
      approveLaunches();
      const h = await start({ perms: { command: NODE, args: [PERMISSIONS_FIXTURE] } });
      await h.waitFor('perms', running, 'running');
      p.prompter.answer(allow('once'), deny());
      const result = await h.registry.callTool('perms', 'roots', {});
      assert.match(textOf(result), /MCP Warden denied its request roots\/list of server 'perms' \(permission roots\)/);
      const question = p.prompter.questions.at(-1);
      assert.equal(question?.request.permission.kind, 'roots');
    });

    it('announces as roots only the folders granted for reading', async () => {
      approveLaunches();
      const h = await start({ perms: { command: NODE, args: [PERMISSIONS_FIXTURE] } });
      await h.waitFor('perms', running, 'running');
      p.prompter.answer(allow('session'), allow('session'));
      assert.deepEqual(JSON.parse(textOf(await h.registry.callTool('perms', 'roots', {}))), [], 'nothing granted: no roots, not the workspace');
      p.gate.remember({ server: 'perms', session: h.registry.sessionOf('perms'), permission: { kind: 'fs.read', target: join(ROOT, 'docs') } }, allow('session'), new Date().toISOString());
      const roots = JSON.parse(textOf(await h.registry.callTool('perms', 'roots', {}))) as { uri: string }[];
      assert.deepEqual(roots.map((r) => r.uri), [`file://${join(ROOT, 'docs')}`]);
    });
  });
});
