// What the OS sandbox costs a stdio server, against the default containment (a PID namespace), same run. The
// launcher is the real McpLauncher; its `containmentFor` hands servers named `sbx-*` to the real ServerSandboxes
// (real gate with sealed workspace grants, real SandboxSession, worker and runtime, real bubblewrap) and leaves
// the others to the machine's default, exactly as the extension does with the sandbox off.
//  1. start to "initialized + tools listed", server-filesystem and the v2 fixture, alternating sandbox / PID
//     namespace; the sandboxed start split into the session start (worker + runtime), the profile (grants +
//     baseline), the wrap, and the rest (spawn → handshake → tools/list);
//  2. server-filesystem `read_text_file` on a small granted file, in blocks that alternate between the two ways;
//  3. the sandbox fixture's `fetch_url` to a loopback HTTP server of this process: through the sandbox's proxy
//     (the name mapped with `testHosts`, name and IP literal granted) vs the same fixture unsandboxed, direct;
//  4. memory: this process's RSS per running sandboxed server (worker + runtime), and /proc figures of the
//     host-side socat bridges and the helper processes inside each sandbox.
// Run alone: `npm run compile-tests && node --expose-gc out/bench/sandbox.bench.js`.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Grant } from '../src/core/permissions/permission';
import type { Session } from '../src/core/lifecycle/session';
import { nullLogger } from '../src/core/ports';
import { machineContainment } from '../src/node/containment';
import { McpLauncher } from '../src/node/mcpLauncher';
import { liveChildren, liveDescendants } from '../src/node/processes';
import { probeSandbox } from '../src/node/sandbox/sandboxAvailability';
import { SandboxSession } from '../src/node/sandbox/sandboxSession';
import { ServerSandboxes } from '../src/node/sandbox/serverSandboxes';
import { FILESYSTEM, FIXTURE, NODE, ROOT } from '../test/integration/harness';
import { scriptedPermissions } from '../test/support/scriptedPermissions';
import { RecordingLogger } from '../test/unit/fakes';
import { median, percentile, round } from './measure';

const STARTS = Number(process.env['BENCH_SANDBOX_STARTS'] ?? 20);
const CALLS = Number(process.env['BENCH_SANDBOX_CALLS'] ?? 5_000);
const NET_CALLS = Number(process.env['BENCH_SANDBOX_NET_CALLS'] ?? 1_000);
const MEMORY_SERVERS = 5;
const SANDBOX_FIXTURE = `${ROOT}/test/fixtures/sandbox-server.mjs`;
const TEST_HOST = 'fixture.test';
// The real paths: in a git worktree node_modules is a symlink to another checkout, which a sandbox does not follow
// unless its target is readable. server-filesystem's baseline is then its real node_modules; the fixtures (baseline:
// this package) are granted the real node_modules, as a user would grant it (no-op where node_modules is a folder).
const SERVER_FILESYSTEM = realpathSync(FILESYSTEM);
const NODE_MODULES = realpathSync(`${ROOT}/node_modules`);
const REQUEST = { timeoutMs: 30_000 };

/** One sandboxed run as the bench saw it: the session, and where its start-up time went. */
interface SandboxRun {
  readonly sandbox: SandboxSession;
  readonly folder: string;
  readonly sessionStartMs: number;
  containMs: number;
  wrapMs: number;
}

interface Launched {
  readonly session: Session;
  readonly ms: number;
  readonly run: SandboxRun | undefined;
  stop(): Promise<void>;
}

const textOf = (result: { content: readonly unknown[] }) => (result.content as { text?: string }[]).map((c) => c.text ?? '').join('');
const pair = (values: readonly number[], a: number, b: number, digits = 1) => `${round(percentile(values, a), digits)} / ${round(percentile(values, b), digits)}`;
const medianP90 = (values: readonly number[]) => `${round(median(values))} / ${round(percentile(values, 90))}`;

function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

/** The real ServerSandboxes and launcher, with timers around the session start, the containment and the wrap. */
function sandboxRig(base: string, grants: (seal: (g: Omit<Grant, 'seal'>) => Grant) => Grant[]) {
  const p = scriptedPermissions({ workspaceFolder: base });
  p.prompter.ask = async (question) => {
    throw new Error(`the bench expects no question: ${question.request.permission.kind} ${question.request.permission.target}`);
  };
  p.writeSettings(grants((g) => p.sealer.seal(g)));
  const runs = new WeakMap<SandboxSession, SandboxRun>();
  const unexpected: string[] = [];
  let availability: ReturnType<typeof probeSandbox> | undefined;
  const sandboxes = new ServerSandboxes({
    gate: p.gate,
    authorizer: p.broker,
    audit: { record: () => undefined },
    mode: () => 'required',
    availability: () => (availability ??= probeSandbox(process.env, process.platform)),
    startSession: async (options) => {
      const started = performance.now();
      const sandbox = await SandboxSession.start({ ...options, testHosts: { [TEST_HOST]: '127.0.0.1' } });
      const run: SandboxRun = { sandbox, folder: options.folder, sessionStartMs: performance.now() - started, containMs: 0, wrapMs: 0 };
      const wrap = sandbox.wrap.bind(sandbox);
      sandbox.wrap = async (...args) => {
        const t = performance.now();
        try {
          return await wrap(...args);
        } finally {
          run.wrapMs += performance.now() - t;
        }
      };
      runs.set(sandbox, run);
      return sandbox;
    },
    restart: async (server, reason) => void unexpected.push(`${server}: ${reason}`),
    protectedPaths: () => [],
    logger: nullLogger,
    folderRoot: base,
  });
  const bySession = new Map<string, SandboxRun>();
  const launcher = new McpLauncher({
    clientInfo: { name: 'mcp-warden-bench-sandbox', version: '0.0.0' },
    containmentFor: async (request) => {
      if (!request.serverName.startsWith('sbx-')) return undefined;
      const started = performance.now();
      const containment = await sandboxes.containmentFor(request);
      if (containment?.kind !== 'sandbox') throw new Error(`${request.serverName} is not sandboxed`);
      const run = runs.get(containment.session)!;
      if (!bySession.has(request.sessionId)) run.containMs = performance.now() - started;
      bySession.set(request.sessionId, run);
      return containment;
    },
  });

  async function launch(name: string, args: string[]): Promise<Launched> {
    const sessionId = randomUUID();
    const logger = new RecordingLogger();
    const started = performance.now();
    const session = await launcher.launch({
      serverName: name,
      sessionId,
      keyPath: `mcpWarden.servers.${name}`,
      spec: { type: 'stdio', command: NODE, args, env: {}, secrets: [] },
      limits: { startupTimeoutMs: 30_000, maxMessageBytes: 16 * 1024 * 1024, serverLogLevel: 'info' },
      logger,
      signal: new AbortController().signal,
    }).catch((error: unknown) => {
      throw new Error(`${name} did not start: ${String(error)}\n${logger.lines.join('\n')}`, { cause: error });
    });
    const ms = performance.now() - started;
    if (session.catalog.tools.length === 0) throw new Error(`${name} listed no tools`);
    const run = bySession.get(sessionId);
    return {
      session,
      ms,
      run,
      async stop() {
        await session.close();
        if (run) await run.sandbox.stop();
        sandboxes.endSession(name, sessionId);
        bySession.delete(sessionId);
      },
    };
  }
  return { launch, unexpected, dispose: () => sandboxes.dispose() };
}

type Rig = ReturnType<typeof sandboxRig>;

async function benchStarts(rig: Rig, dataDir: string): Promise<Record<string, string | number>> {
  const kinds = [
    ['server-filesystem', [SERVER_FILESYSTEM, dataDir]],
    ['fixture-server', [FIXTURE]],
  ] as const;
  const total: Record<string, number[]> = {};
  const parts: Record<string, { session: number[]; profile: number[]; wrap: number[]; rest: number[] }> = {};
  let cold: { label: string; ms: number; sessionMs: number } | undefined;
  const once_ = async (label: string, way: 'sbx' | 'ns', args: readonly string[], record: boolean) => {
    const launched = await rig.launch(`${way}-${label}`, [...args]);
    await launched.stop();
    // The window's first sandboxed start has no session prepared ahead: it pays the runtime's start-up itself.
    if (way === 'sbx' && !cold) cold = { label, ms: launched.ms, sessionMs: launched.run!.sessionStartMs };
    if (!record) return;
    (total[`${label} ${way}`] ??= []).push(launched.ms);
    if (way === 'ns') return;
    const run = launched.run!;
    const split = (parts[label] ??= { session: [], profile: [], wrap: [], rest: [] });
    split.session.push(run.sessionStartMs);
    split.profile.push(run.containMs);
    split.wrap.push(run.wrapMs);
    split.rest.push(launched.ms - run.containMs - run.wrapMs);
  };
  for (const [label, args] of kinds) for (const way of ['sbx', 'ns'] as const) await once_(label, way, args, false);
  for (let i = 0; i < STARTS; i++) {
    for (const [label, args] of kinds) {
      for (const way of i % 2 ? (['ns', 'sbx'] as const) : (['sbx', 'ns'] as const)) await once_(label, way, args, true);
    }
  }
  const results: Record<string, string | number> = { 'starts of each server each way': STARTS };
  if (cold) results[`first sandboxed start of a window (${cold.label}; no session prepared yet): whole / the runtime's start-up (ms)`] = `${round(cold.ms)} / ${round(cold.sessionMs)}`;
  for (const [label] of kinds) {
    const sbx = total[`${label} sbx`]!;
    const ns = total[`${label} ns`]!;
    const split = parts[label]!;
    results[`${label} start, PID namespace: median / p90 (ms)`] = medianP90(ns);
    results[`${label} start, sandbox: median / p90 (ms)`] = medianP90(sbx);
    results[`${label} start, sandbox − PID namespace: median (ms) (target ≤ 150)`] = round(median(sbx) - median(ns));
    results[`${label} sandbox: the runtime's start-up (worker, proxy, bridge), done ahead of need, median / p90 (ms)`] = medianP90(split.session);
    results[`${label} sandbox: containment (profile, the prepared session taken and given it) median / p90 (ms)`] = medianP90(split.profile);
    results[`${label} sandbox: wrap median / p90 (ms)`] = medianP90(split.wrap);
    results[`${label} sandbox: rest (spawn → tools listed) median / p90 (ms)`] = medianP90(split.rest);
    results[`${label} sandbox: rest − PID namespace start, median (ms)`] = round(median(split.rest) - median(ns));
  }
  return results;
}

/** Runs `count` calls per way in blocks, the ways alternating and each block starting with the next way. */
async function interleaved<W extends string>(ways: Record<W, (i: number) => Promise<void>>, count: number, block: number): Promise<Record<W, number[]>> {
  const names = Object.keys(ways) as W[];
  const samples = Object.fromEntries(names.map((w) => [w, new Float64Array(count)])) as Record<W, Float64Array>;
  const run = async (n: number, record: boolean) => {
    for (let from = 0, turn = 0; from < n; from += block, turn++) {
      for (let k = 0; k < names.length; k++) {
        const way = names[(turn + k) % names.length]!;
        for (let i = from; i < Math.min(n, from + block); i++) {
          const started = performance.now();
          await ways[way](i);
          if (record) samples[way][i] = performance.now() - started;
        }
      }
    }
  };
  await run(Math.min(count, 2 * block), false);
  await run(count, true);
  return Object.fromEntries(names.map((w) => [w, Array.from(samples[w])])) as Record<W, number[]>;
}

async function benchCalls(rig: Rig, dataDir: string): Promise<Record<string, string | number>> {
  const file = `${dataDir}/small.txt`;
  const sbx = await rig.launch('sbx-files', [SERVER_FILESYSTEM, dataDir]);
  const ns = await rig.launch('ns-files', [SERVER_FILESYSTEM, dataDir]);
  try {
    const caller = (launched: Launched) => async () => {
      const result = await launched.session.callTool('read_text_file', { path: file }, REQUEST);
      if (result.isError || textOf(result) !== 'small granted file\n') throw new Error(`read_text_file failed: ${textOf(result)}`);
    };
    const ms = await interleaved({ sandbox: caller(sbx), pidns: caller(ns) }, CALLS, 500);
    return {
      'read_text_file calls each way': CALLS,
      'read_text_file, PID namespace: p50 / p99 (ms)': pair(ms.pidns, 50, 99, 3),
      'read_text_file, sandbox: p50 / p99 (ms)': pair(ms.sandbox, 50, 99, 3),
      'read_text_file, sandbox / PID namespace: p50 (target ≤ 1.05)': round(percentile(ms.sandbox, 50) / percentile(ms.pidns, 50), 3),
      'read_text_file, sandbox / PID namespace: p99': round(percentile(ms.sandbox, 99) / percentile(ms.pidns, 99), 3),
    };
  } finally {
    await sbx.stop();
    await ns.stop();
  }
}

/** A loopback HTTP server that counts the TCP connections it accepts (Node's default keep-alive). */
async function countingServer(): Promise<{ server: http.Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = http.createServer((_request, response) => response.end('hello'));
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

async function benchNetwork(rig: Rig, viaProxy: Awaited<ReturnType<typeof countingServer>>): Promise<Record<string, string | number>> {
  const direct = await countingServer();
  const sbx = await rig.launch('sbx-net', [SANDBOX_FIXTURE]);
  const plain = await rig.launch('ns-net', [SANDBOX_FIXTURE]);
  let watch: NodeJS.Timeout | undefined;
  try {
    const fetcher = (launched: Launched, url: string) => async () => {
      const result = await launched.session.callTool('fetch_url', { url }, REQUEST);
      if (result.isError || textOf(result) !== 'ok 200 hello') throw new Error(`fetch_url ${url} failed: ${textOf(result)}`);
    };
    const before = { proxied: viaProxy.connections(), direct: direct.connections() };
    // The host-side bridge forks a socat per connection from the sandbox: the distinct forks seen are a lower bound
    // of the server's connections to the proxy.
    const bridge = liveChildren(process.pid).find((pid) => procMemory(pid).comm === 'socat' && cmdlineOf(pid).includes(sbx.run!.folder));
    const forks = new Set<number>();
    watch = setInterval(() => bridge !== undefined && liveChildren(bridge).forEach((pid) => forks.add(pid)), 5);
    const ms = await interleaved({ sandbox: fetcher(sbx, `http://${TEST_HOST}:${viaProxy.port}/`), direct: fetcher(plain, `http://127.0.0.1:${direct.port}/`) }, NET_CALLS, 100);
    clearInterval(watch);
    const calls = Math.min(NET_CALLS, 200) + NET_CALLS;
    return {
      'fetch_url calls each way': NET_CALLS,
      'fetch_url, unsandboxed (direct): p50 / p99 (ms)': pair(ms.direct, 50, 99, 3),
      'fetch_url, sandbox (proxy): p50 / p99 (ms)': pair(ms.sandbox, 50, 99, 3),
      'fetch_url, sandbox / direct: p50': round(percentile(ms.sandbox, 50) / percentile(ms.direct, 50), 3),
      'fetch_url, sandbox / direct: p99': round(percentile(ms.sandbox, 99) / percentile(ms.direct, 99), 3),
      'TCP connections the HTTP server accepted per call: direct / from the proxy': `${round((direct.connections() - before.direct) / calls, 3)} / ${round((viaProxy.connections() - before.proxied) / calls, 3)}`,
      'sandbox: connections server → proxy seen (host bridge forks) over all calls': bridge === undefined ? 'no bridge found' : `${forks.size} for ${calls} calls`,
    };
  } finally {
    clearInterval(watch);
    await sbx.stop();
    await plain.stop();
    direct.server.close();
  }
}

/** VmRSS and Pss (smaps_rollup) of a process in KiB, and its command name. */
function procMemory(pid: number): { comm: string; rss: number; pss: number } {
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  const kib = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { comm: read('comm').trim(), rss: kib(read('status'), 'VmRSS'), pss: kib(read('smaps_rollup'), 'Pss') };
}

const cmdlineOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** Sums per server: the host-side socat bridges, the helpers in the sandbox (all but the server), the server. */
function processFigures(launched: Launched) {
  const serverPid = launched.session.info.pid;
  const children = liveChildren(process.pid);
  const mine = (pid: number) => (launched.run ? cmdlineOf(pid).includes(launched.run.folder) : liveDescendants(pid).includes(serverPid ?? -1));
  const bwrap = children.find((pid) => procMemory(pid).comm === 'bwrap' && mine(pid));
  if (bwrap === undefined || serverPid === undefined) throw new Error('the server process tree was not found');
  const serverTree = new Set([serverPid, ...liveDescendants(serverPid)]);
  const helpers = [bwrap, ...liveDescendants(bwrap)].filter((pid) => !serverTree.has(pid)).map(procMemory);
  const bridges = launched.run ? children.filter((pid) => procMemory(pid).comm === 'socat' && mine(pid)).map(procMemory) : [];
  const sum = (list: { rss: number; pss: number }[]) => ({ rss: list.reduce((s, m) => s + m.rss, 0), pss: list.reduce((s, m) => s + m.pss, 0) });
  const counts = new Map<string, number>();
  for (const h of helpers) counts.set(h.comm, (counts.get(h.comm) ?? 0) + 1);
  return {
    helpers: sum(helpers),
    bridges: sum(bridges),
    bridgeCount: bridges.length,
    server: sum([procMemory(serverPid)]),
    names: [...counts].map(([name, n]) => `${name}×${n}`).join(' '),
  };
}

async function benchMemory(rig: Rig): Promise<Record<string, string | number>> {
  const results: Record<string, string | number> = { 'servers running (fixture-server), each way': MEMORY_SERVERS };
  for (const way of ['ns', 'sbx'] as const) {
    settle();
    const before = process.memoryUsage();
    const running: Launched[] = [];
    try {
      for (let i = 0; i < MEMORY_SERVERS; i++) running.push(await rig.launch(`${way}-mem-${i}`, [FIXTURE]));
      await new Promise((r) => setTimeout(r, 2000));
      settle();
      const after = process.memoryUsage();
      const label = way === 'sbx' ? 'sandbox' : 'PID namespace';
      results[`${label}: this process's RSS growth per server (KiB)`] = round((after.rss - before.rss) / MEMORY_SERVERS / 1024);
      results[`${label}: this process's heap growth per server (KiB)`] = round((after.heapUsed - before.heapUsed) / MEMORY_SERVERS / 1024);
      const figures = running.map(processFigures);
      const mean = (pick: (f: (typeof figures)[number]) => number) => round(figures.reduce((s, f) => s + pick(f), 0) / figures.length);
      results[`${label}: helper processes per server`] = [...new Set(figures.map((f) => f.names))].join(' | ');
      results[`${label}: helpers per server, RSS sum / PSS sum (KiB)`] = `${mean((f) => f.helpers.rss)} / ${mean((f) => f.helpers.pss)}`;
      if (way === 'sbx') {
        results['sandbox: host-side socat bridges per server'] = [...new Set(figures.map((f) => f.bridgeCount))].join(' | ');
        results['sandbox: host-side socat bridges per server, RSS sum / PSS sum (KiB)'] = `${mean((f) => f.bridges.rss)} / ${mean((f) => f.bridges.pss)}`;
      }
      results[`${label}: the server itself (node), RSS / PSS (KiB)`] = `${mean((f) => f.server.rss)} / ${mean((f) => f.server.pss)}`;
    } finally {
      for (const launched of running) await launched.stop();
    }
  }
  return results;
}

export async function benchSandbox(): Promise<Record<string, number | string>> {
  const base = mkdtempSync('/tmp/mcpw-bench-');
  const dataDir = `${base}/data`;
  const viaProxy = await countingServer();
  let rig: Rig | undefined;
  try {
    mkdirSync(dataDir);
    writeFileSync(`${dataDir}/small.txt`, 'small granted file\n');
    const grantedAt = new Date().toISOString();
    rig = sandboxRig(base, (seal) => [
      ...['sbx-server-filesystem', 'sbx-files'].map((server) => seal({ server, kind: 'fs.read', target: dataDir, decision: 'allow', scope: 'workspace', grantedAt })),
      ...['sbx-fixture-server', 'sbx-net', ...Array.from({ length: MEMORY_SERVERS }, (_, i) => `sbx-mem-${i}`)].map((server) =>
        seal({ server, kind: 'fs.read', target: NODE_MODULES, decision: 'allow', scope: 'workspace', grantedAt }),
      ),
      ...[`${TEST_HOST}:${viaProxy.port}`, `127.0.0.1:${viaProxy.port}`].map((target) => seal({ server: 'sbx-net', kind: 'net', target, decision: 'allow', scope: 'workspace', grantedAt })),
    ]);
    const containment = await machineContainment();
    const results: Record<string, number | string> = { 'default containment (the unsandboxed way)': containment.kind };
    Object.assign(results, await benchStarts(rig, dataDir));
    Object.assign(results, await benchCalls(rig, dataDir));
    Object.assign(results, await benchNetwork(rig, viaProxy));
    Object.assign(results, await benchMemory(rig));
    if (rig.unexpected.length > 0) throw new Error(`servers were restarted: ${rig.unexpected.join('; ')}`);
    return results;
  } finally {
    rig?.dispose();
    viaProxy.server.close();
    rmSync(base, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchSandbox().then(
    (results) => {
      for (const [what, value] of Object.entries(results)) console.log(`  ${what.padEnd(72)} ${value}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
