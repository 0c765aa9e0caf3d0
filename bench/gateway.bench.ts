// What the gateway hop costs an agent's tool call, and what each connected agent costs the gateway's process.
// Latency: one real fixture server (stdio) in a real ServerRegistry under the real gate (a sealed workspace grant
// allows the tools, so no question is asked) and the real audit log (HMAC on every record) in a temp folder; the real
// Gateway on 127.0.0.1 in front of it. In the same run, in blocks of 1,000 calls taken in turn (each round starting
// with the next way, so drift hits all alike):
//  - direct: ServerRegistry.callTool (the editor's own path: gate + audit);
//  - gateway: an SDK client over Streamable HTTP calling `fixture__echo`, a 2025-11-25 session and 2026-07-28
//    per-request, and for reference an SDK client through the stdio bridge (out/src/gateway-stdio.js);
//  - the agent without MCP Warden: the same SDK client talking to its own fixture server over stdio and over
//    Streamable HTTP (both eras), i.e. what the gateway replaces for an agent;
// with the fast `echo` and again with the fixture's `sleep` at 5 ms (a tool that does some work).
// Memory: agents (SDK clients in a child process, each with its own token) connect in steps to N = 1, 10, 50; the
// gateway process's heap after a full GC and its RSS are read at each step, per era.
// Run alone: `npm run compile-tests && node --expose-gc out/bench/gateway.bench.js`.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Redactor } from '../src/core/redaction';
import { AuditKey } from '../src/node/audit/auditKey';
import { AuditLog } from '../src/node/audit/auditLog';
import { FIXTURE, NODE, running } from '../test/integration/harness';
import { LEGACY, MODERN, socketDirectory, startGateway, type Era, type GatewayRun } from '../test/integration/gatewayHarness';
import { allow } from '../test/support/scriptedPermissions';
import { percentile, round } from './measure';
import { realPermissions } from './permissions.bench';

const CALLS = Number(process.env['BENCH_GATEWAY_CALLS'] ?? 10_000);
const BLOCK = Math.min(1_000, CALLS);
const SLEEP_MS = 5;
const SERVER = 'fixture';
const BRIDGE = join(__dirname, '../src/gateway-stdio.js');
const AGENT_STEPS = [1, 10, 50];

interface Way {
  call(i: number): Promise<unknown>;
  close(): Promise<void>;
}
type Tool = 'echo' | 'sleep';
const argsOf = (tool: Tool, i: number) => (tool === 'echo' ? { text: `call ${i}` } : { ms: SLEEP_MS });
const expected = (tool: Tool, i: number) => (tool === 'echo' ? `call ${i}` : `slept ${SLEEP_MS}`);
const eraOf = (era: Era) => ({ versionNegotiation: { mode: era === LEGACY ? ('legacy' as const) : { pin: MODERN } } });

/** The gateway over the fixture, under the real gate and audit log; echo and sleep allowed by sealed grants (any agent). */
async function gatedGateway(audit: AuditLog) {
  const p = realPermissions(audit);
  p.prompter.answer(allow('workspace'));
  const run = await startGateway({ [SERVER]: { command: NODE, args: [FIXTURE] } }, { audit, permissions: p.harness, start: { socketDirectory: socketDirectory() } });
  await run.harness.waitFor(SERVER, running, 'running');
  for (const tool of ['echo', 'sleep']) {
    const pin = run.harness.registry.toolPin(SERVER, tool);
    if (!pin) throw new Error(`${SERVER} lists no ${tool} tool`);
    await p.store.add([p.sealer.seal({ server: SERVER, kind: 'tool', target: tool, decision: 'allow', scope: 'workspace', grantedAt: new Date().toISOString(), pin })]);
  }
  const questionsAsked = () => p.prompter.questions.map((q) => q.request.permission.kind).join();
  return { run, questionsAsked };
}

function clientWay(client: Client, prefix: string): (tool: Tool) => Way {
  return (tool) => ({ call: (i) => client.callTool({ name: `${prefix}${tool}`, arguments: argsOf(tool, i) }), close: () => client.close() });
}

async function httpClient(url: string, era: Era, token?: string): Promise<Client> {
  const client = new Client({ name: 'bench-agent', version: '1.0.0' }, eraOf(era));
  await client.connect(new StreamableHTTPClientTransport(new URL(url), token === undefined ? {} : { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

async function stdioClient(era: Era, command: string, args: string[], env?: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench-agent', version: '1.0.0' }, eraOf(era));
  await client.connect(new StdioClientTransport({ command, args, ...(env && { env }), stderr: 'ignore' }));
  return client;
}

/** The fixture over Streamable HTTP (both eras: 2025 stateless, 2026 per request), as an agent would reach a remote server. */
async function httpFixture(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(NODE, [FIXTURE, '--transport', 'http', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the HTTP fixture exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child };
}

/** Runs `calls` calls of every way in blocks taken in turn; returns each way's latencies (ms). */
async function measure(ways: Record<string, Way>, tool: Tool, calls: number, warmUp: number): Promise<Record<string, number[]>> {
  const names = Object.keys(ways);
  const samples = Object.fromEntries(names.map((n) => [n, new Float64Array(calls)]));
  const block = async (name: string, from: number, record: boolean) => {
    const way = ways[name]!;
    for (let i = from; i < from + BLOCK; i++) {
      const started = performance.now();
      const result = (await way.call(i)) as { content?: { text?: string }[]; isError?: boolean };
      const elapsed = performance.now() - started;
      if (result.isError || result.content?.[0]?.text !== expected(tool, i)) throw new Error(`${name} ${tool} call ${i} failed: ${JSON.stringify(result)}`);
      if (record) samples[name]![i] = elapsed;
    }
  };
  const rounds = async (count: number, record: boolean) => {
    for (let from = 0, turn = 0; from < count; from += BLOCK, turn++) {
      for (let k = 0; k < names.length; k++) await block(names[(turn + k) % names.length]!, from, record);
    }
  };
  await rounds(warmUp, false);
  await rounds(calls, true);
  return Object.fromEntries(names.map((n) => [n, Array.from(samples[n]!)]));
}

function latencyRows(ms: Record<string, number[]>, tool: Tool): Record<string, string | number> {
  const at = (way: string, p: number) => percentile(ms[way]!, p);
  const both = (way: string) => `${round(at(way, 50), 3)} / ${round(at(way, 99), 3)}`;
  const ratio = (way: string, base: string) => `${round(at(way, 50) / at(base, 50), 2)}× / ${round(at(way, 99) / at(base, 99), 2)}×`;
  const hop = (way: string, base: string) => `+${round(at(way, 50) - at(base, 50), 3)} / +${round(at(way, 99) - at(base, 99), 3)}`;
  const rows: Record<string, string | number> = {};
  for (const way of Object.keys(ms)) rows[`${tool}: ${way}: p50 / p99 (ms)`] = both(way);
  for (const era of [LEGACY, MODERN] as Era[]) {
    rows[`${tool}: gateway ${era} / direct (registry): p50 / p99 (target ≤ 1.15)`] = ratio(`gateway HTTP ${era}`, 'direct (registry.callTool)');
    rows[`${tool}: gateway ${era} / agent → server over stdio: p50 / p99`] = ratio(`gateway HTTP ${era}`, `agent → server stdio ${era}`);
    if (ms[`agent → server HTTP ${era}`]) rows[`${tool}: gateway ${era} / agent → server over HTTP: p50 / p99`] = ratio(`gateway HTTP ${era}`, `agent → server HTTP ${era}`);
    rows[`${tool}: the hop over agent → server stdio, ${era}: p50 / p99 (ms)`] = hop(`gateway HTTP ${era}`, `agent → server stdio ${era}`);
  }
  return rows;
}

async function benchLatency(): Promise<Record<string, string | number>> {
  const key = AuditKey.generate();
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-gateway-'));
  const audit = await AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 16 * 1024 * 1024, retentionDays: 0, key });
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const { run, questionsAsked } = await gatedGateway(audit);
    closers.push(() => run.dispose());
    const token = run.tokenOf['claude-code']!;
    const direct = (tool: Tool): Way => ({ call: (i) => run.harness.registry.callTool(SERVER, tool, argsOf(tool, i)), close: async () => undefined });
    const httpServer = await httpFixture();
    closers.push(async () => httpServer.child.kill());
    const clients: Record<string, (tool: Tool) => Way> = {};
    for (const era of [LEGACY, MODERN] as Era[]) {
      clients[`gateway HTTP ${era}`] = clientWay(await httpClient(run.endpoint.url, era, token), `${SERVER}__`);
      clients[`gateway stdio bridge ${era}`] = clientWay(
        await stdioClient(era, NODE, [BRIDGE], { MCP_WARDEN_GATEWAY_SOCKET: run.endpoint.socketPath!, MCP_WARDEN_TOKEN: token }),
        `${SERVER}__`,
      );
      clients[`agent → server stdio ${era}`] = clientWay(await stdioClient(era, NODE, [FIXTURE]), '');
      clients[`agent → server HTTP ${era}`] = clientWay(await httpClient(httpServer.url, era), '');
    }
    for (const make of Object.values(clients)) closers.push(() => make('echo').close());
    const ways = (tool: Tool, names: string[]) => Object.fromEntries([['direct (registry.callTool)', direct(tool)], ...names.map((n) => [n, clients[n]!(tool)] as const)]);

    const echo = await measure(ways('echo', Object.keys(clients)), 'echo', CALLS, 2 * BLOCK);
    await audit.flush();
    const slowWays = [LEGACY, MODERN].flatMap((era) => [`gateway HTTP ${era}`, `agent → server stdio ${era}`]);
    const sleep = await measure(ways('sleep', slowWays), 'sleep', CALLS, BLOCK);
    await audit.flush();
    const asked = questionsAsked();
    if (asked !== 'launch') throw new Error(`questions asked: ${asked}; only the launch was expected`);
    const version = run.harness.server(SERVER).state;
    return {
      'calls per way and tool (after warm-up)': CALLS,
      'backing server protocol version (registry)': version.kind === 'running' ? version.session.protocolVersion : version.kind,
      ...latencyRows(echo, 'echo'),
      ...latencyRows(sleep, 'sleep'),
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await audit.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc (bench/run.mjs does)');
  for (let i = 0; i < 3; i++) collect();
}

async function settled(): Promise<{ heap: number; rss: number }> {
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heap: heapUsed + external, rss };
}

/** Asks the agents' process to do something and waits for its answer. */
function tell(agents: ChildProcess, message: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    agents.once('message', (answer: { connected?: number; error?: string }) => (answer.error ? reject(new Error(answer.error)) : resolve(answer.connected ?? 0)));
    agents.send(message as object);
  });
}

async function benchMemory(): Promise<Record<string, string>> {
  const run: GatewayRun = await startGateway({ [SERVER]: { command: NODE, args: [FIXTURE] } }, { audit: { record: () => undefined } });
  const agents = fork(join(__dirname, 'gatewayAgents.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rows: Record<string, string> = {};
  try {
    await run.harness.waitFor(SERVER, running, 'running');
    const kib = (bytes: number) => round(bytes / 1024, 1);
    for (const era of [LEGACY, MODERN] as Era[]) {
      const tokens = AGENT_STEPS.at(-1)!;
      const mine = Array.from({ length: tokens }, (_, i) => {
        const token = randomBytes(24).toString('base64url');
        run.tokens.set(`bench-${era}-${i}`, token);
        return token;
      });
      // One agent connected and gone first, so what every first connection loads (code, caches) is not counted.
      await tell(agents, { url: run.endpoint.url, era, tokens: [run.tokenOf['cursor']!] });
      await tell(agents, 'close');
      const base = await settled();
      let connected = 0;
      const at: Record<number, { heap: number; rss: number }> = {};
      for (const n of AGENT_STEPS) {
        connected = await tell(agents, { url: run.endpoint.url, era, tokens: mine.slice(connected, n) });
        const now = (at[n] = await settled());
        rows[`${era}: ${n} agent(s): heap / RSS over none (KiB per agent)`] = `${kib((now.heap - base.heap) / n)} / ${kib((now.rss - base.rss) / n)}`;
      }
      // The slope from 10 to 50 agents: what one more agent costs, with less of the noise of a single reading.
      const [mid, top] = AGENT_STEPS.slice(-2) as [number, number];
      rows[`${era}: each agent from ${mid} to ${top}: heap / RSS (KiB per agent)`] = `${kib((at[top]!.heap - at[mid]!.heap) / (top - mid))} / ${kib((at[top]!.rss - at[mid]!.rss) / (top - mid))}`;
      await tell(agents, 'close');
      const after = await settled();
      rows[`${era}: all ${connected} closed: heap / RSS still over none (KiB)`] = `${kib(after.heap - base.heap)} / ${kib(after.rss - base.rss)}`;
    }
  } finally {
    agents.kill();
    await run.dispose();
  }
  return rows;
}

export async function benchGateway(): Promise<Record<string, unknown>> {
  const memory = await benchMemory();
  const latency = await benchLatency();
  return { ...latency, 'memory of the gateway process per connected agent (heap after GC incl. external / RSS)': memory };
}

if (require.main === module) {
  void benchGateway().then(
    (results) => {
      console.log(JSON.stringify(results, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
