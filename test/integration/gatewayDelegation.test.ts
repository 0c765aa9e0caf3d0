// Delegation: a server with `delegate: true` calls another server's tools through the gateway, as agent
// `server:<name>`, with a token of its run. Real parts throughout: the registry and real servers (harness.ts), the
// gateway as the editor starts it (gatewayRuntime), the real gate and broker with only the user's clicks scripted,
// and the redaction the editor wires. The test's DelegationPort does what GatewayController.open/close do.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { DelegationAccess, DelegationPort } from '../../src/core/gateway/delegation';
import type { Grant } from '../../src/core/permissions/permission';
import { REDACTED, Redactor } from '../../src/core/redaction';
import { startGateway as startRuntime, type RunningGateway } from '../../src/node/gateway/gatewayRuntime';
import { RunTokens } from '../../src/node/gateway/runTokens';
import { RecordingLogger } from '../unit/fakes';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { textOf } from './gatewayHarness';
import { FIXTURE, NODE, ROOT, running, startServers, type Harness } from './harness';
import { nullLogger } from '../../src/core/ports';
import type { ServerRegistry } from '../../src/core/lifecycle/serverRegistry';
import type { SandboxMode } from '../../src/core/sandbox/sandboxProfile';
import { probeSandbox } from '../../src/node/sandbox/sandboxAvailability';
import { SandboxSession } from '../../src/node/sandbox/sandboxSession';
import { ServerSandboxes } from '../../src/node/sandbox/serverSandboxes';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { requireSandboxTools } from './sandbox/sandboxSupport';

const DELEGATING = join(ROOT, 'test/fixtures/gateway-delegating-server.mjs');
const AGENT_TOKEN = 'claude-code-token-0123456789abcdefghijklmnopqrstuvwxyz';

type RequestRecord = Extract<AuditInput, { type: 'request' }>;

interface Run {
  readonly harness: Harness;
  readonly gateway: RunningGateway;
  readonly audited: AuditInput[];
  readonly gatewayLog: RecordingLogger;
  /** Every token a run was given, in order. */
  readonly issued: DelegationAccess[];
  agent(): Promise<Client>;
  /** A `tool` grant as a machine seals it, for `agents` (none: every agent but a delegating server). */
  grant(server: string, tool: string, agents?: string[]): Grant;
}

describe('gateway: delegation, a server calling through the gateway as server:<name>', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /** Starts the gateway, then the servers (launches approved), each delegating one with a token of its run. */
  async function start(servers: Record<string, unknown>, options: { gatewayOff?: boolean; sandbox?: SandboxMode } = {}): Promise<Run> {
    const audited: AuditInput[] = [];
    const runTokens = new RunTokens();
    const issued: DelegationAccess[] = [];
    // Servers start after the gateway: `at.gateway` is set by then.
    const at: { gateway?: RunningGateway } = {};
    const delegation: DelegationPort = {
      open: (server, session) => {
        const gateway = at.gateway;
        if (!gateway || options.gatewayOff) return undefined;
        const access = { url: `${gateway.baseUrl}/mcp`, port: gateway.port, token: runTokens.open(server, session) };
        issued.push(access);
        return access;
      },
      close: (server, session) => runTokens.close(server, session),
    };
    const audit = { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
    const ref: { registry?: ServerRegistry } = {};
    const sandboxes = options.sandbox && sandboxesFor(options.sandbox, audit, (server, reason) => ref.registry!.restart(server, reason));
    const harness = await startServers(servers, {
      autostart: false,
      permissions: { ...p.harness, onSessionEnd: (server, session) => (p.harness.onSessionEnd(server, session), sandboxes?.endSession(server, session)) },
      audit,
      delegation,
      redactor: new Redactor(),
      ...(sandboxes && { containmentFor: (request) => sandboxes.containmentFor(request) }),
    });
    ref.registry = harness.registry;
    const gatewayLog = new RecordingLogger();
    const gateway = (at.gateway = await startRuntime({
      registry: harness.registry,
      logger: gatewayLog,
      // A stored token claiming a server's identity: never honoured (only a run's token carries one).
      tokens: [['claude-code', AGENT_TOKEN], ['server:fixture', 'stored-server-token-0123456789abcdefghijklmnop']],
      preferredPort: 0,
      socketDirectory: undefined,
      exposedDirectly: () => true,
      version: '0.0.0-test',
      runTokens: runTokens.agentOfToken,
    }));
    cleanups.push(() => gateway.close());
    for (const name of Object.keys(servers)) {
      p.prompter.answer(allow('workspace'));
      await harness.registry.start(name);
      await harness.waitFor(name, running, 'running');
    }
    const clients: Client[] = [];
    cleanups.push(async () => void (await Promise.all(clients.map((c) => c.close().catch(() => undefined)))));
    return {
      harness,
      gateway,
      audited,
      gatewayLog,
      issued,
      async agent() {
        const client = new Client({ name: 'claude-code', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.baseUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${AGENT_TOKEN}` } } }));
        clients.push(client);
        return client;
      },
      grant: (server, tool, agents) =>
        p.sealer.seal({
          server,
          kind: 'tool',
          target: tool,
          decision: 'allow',
          scope: 'workspace',
          grantedAt: '2026-12-03T00:00:00.000Z',
          pin: harness.registry.toolPin(server, tool)!,
          ...(agents && { agents }),
        }),
    };
  }

  /** The OS sandbox as the editor runs it (real bubblewrap), with its run folders removed after the test. */
  function sandboxesFor(mode: SandboxMode, audit: { record(e: AuditInput | (() => AuditInput)): void }, restart: (server: string, reason: string) => Promise<void>): ServerSandboxes {
    const folderRoot = mkdtempSync(join(tmpdir(), 'mw-dlg-'));
    const sandboxes = new ServerSandboxes({
      gate: p.gate,
      authorizer: p.broker,
      audit,
      mode: () => mode,
      availability: () => probeSandbox(process.env, process.platform),
      startSession: (o) => SandboxSession.start(o),
      restart,
      protectedPaths: () => [],
      logger: nullLogger,
      folderRoot,
    });
    cleanups.push(async () => {
      sandboxes.dispose();
      rmSync(folderRoot, { recursive: true, force: true });
    });
    return sandboxes;
  }

  const relayTo = (tool: string, args: Record<string, unknown>) => ({ name: 'relay__relay', arguments: { tool, arguments: args } });
  const calls = (run: Run, server: string) =>
    run.audited.filter((e): e is RequestRecord => e.type === 'request' && e.server === server && e.request.method === 'tools/call');
  const reached = (run: Run, server: string) => calls(run, server).filter((e) => e.direction === 'to-server' && !e.refused);

  it("denied by default: the user is asked about server:relay with its chain, says no, and relay gets the refusal; fixture sees nothing", async () => {
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true }, fixture: { command: NODE, args: [FIXTURE] } });
    const before = p.prompter.questions.length;
    p.prompter.answer(allow('workspace'), deny('once'));
    const agent = await run.agent();
    const result = await agent.callTool(relayTo('fixture__echo', { text: 'hi' }));

    const [outer, inner] = p.prompter.questions.slice(before);
    assert.equal(outer?.request.agent, 'claude-code');
    assert.equal(inner?.request.server, 'fixture');
    assert.equal(inner?.request.agent, 'server:relay', 'the question names the delegating server');
    assert.deepEqual(inner?.request.chain, ['claude-code'], 'and who caused its call');
    assert.equal(result.isError, true);
    assert.match(textOf(result), /MCP Warden denied tools\/call of tool 'echo' of server 'fixture'/);
    assert.deepEqual(reached(run, 'fixture'), [], 'no request reached fixture');
  });

  it('a grant naming server:relay lets it through, without asking; a grant without agents does not', async () => {
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true }, fixture: { command: NODE, args: [FIXTURE] } });
    const agent = await run.agent();
    p.writeSettings([run.grant('relay', 'relay', ['claude-code']), run.grant('fixture', 'echo')]);
    const before = p.prompter.questions.length;
    p.prompter.answer(deny('once'));
    const unnamed = await agent.callTool(relayTo('fixture__echo', { text: 'no' }));
    assert.equal(unnamed.isError, true, textOf(unnamed));
    assert.equal(p.prompter.questions.length, before + 1, 'the grant without agents did not decide: the user was asked');
    assert.equal(p.prompter.questions.at(-1)?.request.agent, 'server:relay');

    p.writeSettings([run.grant('relay', 'relay', ['claude-code']), run.grant('fixture', 'echo', ['server:relay'])]);
    const named = await agent.callTool(relayTo('fixture__echo', { text: 'through relay' }));
    assert.equal(textOf(named), 'through relay');
    assert.equal(p.prompter.questions.length, before + 1, 'nobody was asked');
    assert.equal(reached(run, 'fixture').length, 1);
  });

  it("the inner call's audit record names server:relay and the chain ['claude-code']", async () => {
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true }, fixture: { command: NODE, args: [FIXTURE] } });
    p.writeSettings([run.grant('relay', 'relay', ['claude-code']), run.grant('fixture', 'echo', ['server:relay'])]);
    const agent = await run.agent();
    assert.equal(textOf(await agent.callTool(relayTo('fixture__echo', { text: 'audited' }))), 'audited');
    const [outer] = reached(run, 'relay');
    const [inner] = reached(run, 'fixture');
    assert.deepEqual([outer?.agent, outer?.chain], ['claude-code', undefined]);
    assert.deepEqual([inner?.agent, inner?.chain], ['server:relay', ['claude-code']]);
  });

  it('a cycle is refused and audited as refused: relay → relay2 → relay, and relay → relay itself', async () => {
    const run = await start({
      relay: { command: NODE, args: [DELEGATING], delegate: true },
      relay2: { command: NODE, args: [DELEGATING], delegate: true },
    });
    p.writeSettings([run.grant('relay', 'relay', ['claude-code']), run.grant('relay2', 'relay', ['server:relay']), run.grant('relay', 'echo', ['server:relay2', 'server:relay'])]);
    const agent = await run.agent();
    const questions = p.prompter.questions.length;

    const cycle = await agent.callTool(relayTo('relay2__relay', { tool: 'relay__echo', arguments: { text: 'loop' } }));
    assert.equal(cycle.isError, true, textOf(cycle));
    assert.match(textOf(cycle), /MCP Warden refused a delegation cycle: claude-code → server:relay → server:relay2 → server 'relay'/);
    const refused = calls(run, 'relay').filter((e) => e.refused);
    assert.equal(refused.length, 1);
    assert.deepEqual([refused[0]?.agent, refused[0]?.chain], ['server:relay2', ['claude-code', 'server:relay']]);

    const self = await agent.callTool(relayTo('relay__echo', { text: 'me' }));
    assert.equal(self.isError, true);
    assert.match(textOf(self), /server 'relay' may not call its own tools through the gateway/);
    assert.equal(reached(run, 'relay').filter((e) => (e.request.params as { name?: string } | undefined)?.name === 'echo').length, 0, 'echo never ran');
    assert.equal(p.prompter.questions.length, questions, 'refused before anyone was asked');
  });

  it('the token is in no log line and no audit record, though the server prints it', async () => {
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true }, fixture: { command: NODE, args: [FIXTURE] } });
    p.writeSettings([run.grant('relay', 'relay', ['claude-code']), run.grant('fixture', 'echo', ['server:relay'])]);
    const agent = await run.agent();
    assert.equal(textOf(await agent.callTool(relayTo('fixture__echo', { text: 'secret-free' }))), 'secret-free');
    const token = run.issued.at(-1)?.token;
    assert.ok(token && token.length >= 32);
    const relayLog = run.harness.log('relay');
    assert.ok(relayLog.some((line) => line.includes(`gateway at ${run.issued.at(-1)!.url} with ${REDACTED}`)), `the server's own line was redacted: ${relayLog.join('\n')}`);
    const everyLine = [...[...run.harness.logs.values()].flatMap((l) => l.lines), ...run.gatewayLog.lines];
    assert.deepEqual(everyLine.filter((line) => line.includes(token)), []);
    assert.equal(JSON.stringify(run.audited).includes(token), false, 'the token is in an audit record');
  });

  it("the token lives as long as the run: a restart gets a new one and the old one is refused; a stored 'server:' token never works", async () => {
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true } });
    const first = run.issued.at(-1)!;
    const status = async (token: string) =>
      (await fetch(first.url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' })).status;
    assert.notEqual(await status(first.token), 401, 'the run token is honoured while the run lasts');
    p.prompter.answer(allow('workspace'));
    await run.harness.registry.restart('relay');
    await run.harness.waitFor('relay', running, 'running');
    const second = run.issued.at(-1)!;
    assert.notEqual(second.token, first.token);
    assert.equal(await status(first.token), 401, "the last run's token is revoked");
    assert.notEqual(await status(second.token), 401);
    assert.equal(await status('stored-server-token-0123456789abcdefghijklmnop'), 401);
    await run.harness.registry.stop('relay');
    assert.equal(await status(second.token), 401, 'a stopped run holds no token');
  });

  it('in the OS sandbox, a delegating server reaches the gateway (by its sandbox name) and no other loopback port', async () => {
    requireSandboxTools();
    // In a worktree node_modules is a link to another checkout, which the sandbox hides unless granted (a no-op on main).
    const packagesFor = (server: string) =>
      p.sealer.seal({ server, kind: 'fs.read', target: realpathSync(join(ROOT, 'node_modules')), decision: 'allow', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' });
    const packages = [packagesFor('relay'), packagesFor('fixture')];
    p.writeSettings(packages);
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true }, fixture: { command: NODE, args: [FIXTURE] } }, { sandbox: 'required' });
    p.writeSettings([...packages, run.grant('relay', 'relay', ['claude-code']), run.grant('relay', 'env', ['claude-code']), run.grant('fixture', 'echo', ['server:relay'])]);
    const agent = await run.agent();
    assert.equal(textOf(await agent.callTool(relayTo('fixture__echo', { text: 'from the sandbox' }))), 'from the sandbox');
    const env = JSON.parse(textOf(await agent.callTool({ name: 'relay__env', arguments: {} }))) as { url: string };
    assert.equal(env.url, `http://mcp-warden-gateway.internal:${run.gateway.port}/mcp`);
    assert.deepEqual(reached(run, 'fixture').map((e) => e.agent), ['server:relay']);

    // Any other loopback port: not by the gateway's name (the sandbox asks; the user says no), not directly (its own loopback).
    const web = createServer((_q, r) => r.setHeader('connection', 'close').end('another service'));
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');
    cleanups.push(async () => void web.close());
    const otherPort = (web.address() as AddressInfo).port;
    p.writeSettings([...packages, run.grant('relay', 'fetch_url', ['claude-code'])]);
    p.prompter.answer(deny('once'));
    const byName = await agent.callTool({ name: 'relay__fetch_url', arguments: { url: `http://mcp-warden-gateway.internal:${otherPort}/` } });
    assert.equal(byName.isError, true, textOf(byName));
    const asked = p.prompter.questions.at(-1)?.request.permission;
    assert.deepEqual([asked?.kind, asked?.target], ['net', `mcp-warden-gateway.internal:${otherPort}`]);
    const direct = await agent.callTool({ name: 'relay__fetch_url', arguments: { url: `http://127.0.0.1:${otherPort}/` } });
    assert.equal(direct.isError, true, textOf(direct));
  });

  it('a delegating server started while the gateway is off gets no variables, and its log says why', async () => {
    const run = await start({ relay: { command: NODE, args: [DELEGATING], delegate: true } }, { gatewayOff: true });
    p.writeSettings([run.grant('relay', 'env', ['claude-code'])]);
    const agent = await run.agent();
    assert.deepEqual(JSON.parse(textOf(await agent.callTool({ name: 'relay__env', arguments: {} }))), { url: null, token: false });
    assert.ok(run.harness.log('relay').some((line) => /gateway is not running/.test(line)));
  });
});
