// What the permission gate and the audit log cost a tool call: server-everything's `echo`, 10,000 calls each way
// in the same run, each way with its own instance of the server:
//  - gate + audit (the figure): ServerRegistry.callTool → the real gate and broker, the call allowed by a
//    workspace grant sealed with the real HMAC sealer (no question is asked), every request and every permission
//    decision written to the real audit log (HMAC on every record) in a temp folder;
//  - raw: a @modelcontextprotocol/client Client over the SDK's StdioClientTransport, calling client.callTool;
//  - and, to tell where the difference goes: ServerRegistry.callTool with neither gate nor audit (an authorizer
//    that allows everything), and with the gate but no audit.
// Calls run in blocks of 1,000, the ways in turn and each block starting with the next way, so drift hits all
// alike. A block is long enough for the audit log's timed flush (100 ms) to land inside it, as it lands on calls in
// the editor; what the log still holds at the end of a block is written before the next block starts (untimed for
// latency, but counted in the CPU per call).
// Run alone: `npm run compile-tests && node out/bench/permissions.bench.js`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { nullAuditSink, type AuditSink } from '../src/core/audit/auditEvent';
import type { VariableContext } from '../src/core/config/variables';
import type { ServerState } from '../src/core/lifecycle/serverState';
import { gatedClientRequests, grantedRoots } from '../src/core/permissions/clientRequestGate';
import { launchConsent } from '../src/core/permissions/launchConsent';
import { PermissionBroker } from '../src/core/permissions/permissionBroker';
import { PermissionGate } from '../src/core/permissions/permissionGate';
import { nullLogger, systemClock } from '../src/core/ports';
import { Redactor } from '../src/core/redaction';
import { AuditKey } from '../src/node/audit/auditKey';
import { AuditLog } from '../src/node/audit/auditLog';
import { verifyAuditLog } from '../src/node/audit/auditVerifier';
import { HmacGrantSealer } from '../src/node/permissions/grantSealer';
import { nodeHasher } from '../src/node/permissions/hasher';
import { EVERYTHING, NODE, ROOT, running, startServers, type Harness } from '../test/integration/harness';
import { allow, MemoryGrantStore, ScriptedPrompter } from '../test/support/scriptedPermissions';
import { percentile, round } from './measure';

const CALLS = Number(process.env['BENCH_PERMISSION_CALLS'] ?? 10_000);
const BLOCK = Math.min(1_000, CALLS);
const WARM_UP = 2 * BLOCK;
const SERVER = 'everything';
const EVERYTHING_STDIO = { command: NODE, args: [EVERYTHING, 'stdio'] };

type Way = 'full' | 'raw' | 'plain' | 'gate';
interface Caller {
  call(i: number): Promise<unknown>;
  /** Writes what the way still holds (its audit log), so it does not spill into another way's block. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The real gate, broker and sealer; only the user's one click (the launch) is scripted. */
export function realPermissions(audit: AuditSink) {
  const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: [ROOT], caseInsensitivePaths: false });
  gate.setTrusted(true);
  const sealer = new HmacGrantSealer(randomBytes(32), `file://${ROOT}`);
  const store = new MemoryGrantStore();
  // What the extension does when mcpWarden.grants changes: classify every grant by its seal, hand them to the gate.
  store.onChange = () => gate.setWorkspaceGrants(store.grants.map((grant) => ({ grant, status: sealer.status(grant) })));
  const prompter = new ScriptedPrompter();
  const broker = new PermissionBroker({ gate, prompter, store, sealer, audit, clock: systemClock, logger: nullLogger, askTimeoutMs: () => 10_000 });
  const variables: VariableContext = { workspaceFolders: [{ name: 'ws', path: ROOT }], userHome: '/home/test', env: process.env, pathSeparator: '/' };
  const harness = {
    authorizer: broker,
    authorizeLaunch: launchConsent(broker, () => variables, nodeHasher),
    clientRequests: gatedClientRequests(broker, { rootsOf: (server) => grantedRoots(gate, server) }),
    onSessionEnd: (server: string, session: string) => gate.endSession(server, session),
  };
  return { gate, sealer, store, prompter, harness };
}

/** ServerRegistry.callTool on its own server-everything, with the real gate (unless `gated` is false). */
async function wardenCaller(gated: boolean, audit: AuditLog | undefined): Promise<Caller & { harness: Harness }> {
  const settle = async () => audit?.flush();
  if (!gated) {
    const harness = await startServers({ [SERVER]: EVERYTHING_STDIO }, audit ? { audit } : {});
    await harness.waitFor(SERVER, running, 'running');
    return { harness, call: (i) => harness.registry.callTool(SERVER, 'echo', { message: `call ${i}` }), settle, close: () => harness.dispose() };
  }
  const p = realPermissions(audit ?? nullAuditSink);
  p.prompter.answer(allow('workspace')); // the launch: approved once, kept as a sealed workspace grant
  // server-everything asks for roots when it starts: answered by a grant too, so no question stays open.
  await p.store.add([p.sealer.seal({ server: SERVER, kind: 'roots', target: '', decision: 'allow', scope: 'workspace', grantedAt: new Date().toISOString() })]);
  const harness = await startServers({ [SERVER]: EVERYTHING_STDIO }, { ...(audit && { audit }), permissions: p.harness });
  await harness.waitFor(SERVER, running, 'running');

  // The tool grant, as "Allow for this workspace" leaves it in settings: sealed, pinned to echo's definition.
  const pin = harness.registry.toolPin(SERVER, 'echo');
  if (!pin) throw new Error(`${SERVER} lists no echo tool`);
  const grant = p.sealer.seal({ server: SERVER, kind: 'tool', target: 'echo', decision: 'allow', scope: 'workspace', grantedAt: new Date().toISOString(), pin });
  await p.store.add([grant]);
  const decision = p.gate.decide({ server: SERVER, session: harness.registry.sessionOf(SERVER), permission: { kind: 'tool', target: 'echo' }, pin });
  if (p.sealer.status(grant) !== 'sealed' || decision.verdict !== 'allow' || decision.grant?.seal === undefined) {
    throw new Error(`the echo call is not decided by the sealed grant: ${JSON.stringify(decision)}`);
  }
  return {
    harness,
    call: (i) => harness.registry.callTool(SERVER, 'echo', { message: `call ${i}` }),
    settle,
    close: async () => {
      const asked = p.prompter.questions.map((q) => q.request.permission.kind);
      await harness.dispose();
      if (asked.join() !== 'launch') throw new Error(`questions asked: ${asked.join(', ')}; only the launch was expected`);
    },
  };
}

async function rawCaller(): Promise<Caller & { client: Client }> {
  const client = new Client({ name: 'mcp-warden-bench-raw', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ ...EVERYTHING_STDIO, stderr: 'ignore' }));
  return {
    client,
    call: (i) => client.callTool({ name: 'echo', arguments: { message: `call ${i}` } }),
    settle: async () => undefined,
    close: () => client.close(),
  };
}

export async function benchPermissions(): Promise<Record<string, number | string>> {
  const key = AuditKey.generate();
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-permissions-'));
  const audit = await AuditLog.open({ dir, redactor: new Redactor(), maxSegmentBytes: 16 * 1024 * 1024, retentionDays: 0, key });
  const callers: Partial<Record<Way, Caller>> = {};
  try {
    const full = (callers.full = await wardenCaller(true, audit));
    const raw = (callers.raw = await rawCaller());
    callers.plain = await wardenCaller(false, undefined);
    callers.gate = await wardenCaller(true, undefined);
    const ways = Object.keys(callers) as Way[];

    const samples = Object.fromEntries(ways.map((w) => [w, new Float64Array(CALLS)])) as Record<Way, Float64Array>;
    const cpuMicros = Object.fromEntries(ways.map((w) => [w, 0])) as Record<Way, number>;
    const block = async (way: Way, from: number, record: boolean) => {
      const caller = callers[way]!;
      const cpu = process.cpuUsage();
      for (let i = from; i < from + BLOCK; i++) {
        const started = performance.now();
        const result = (await caller.call(i)) as { content?: { text?: string }[]; isError?: boolean };
        const elapsed = performance.now() - started;
        if (result.isError || !result.content?.[0]?.text?.includes(`call ${i}`)) throw new Error(`${way} call ${i} failed: ${JSON.stringify(result)}`);
        if (record) samples[way][i] = elapsed;
      }
      await caller.settle();
      const used = process.cpuUsage(cpu);
      if (record) cpuMicros[way] += used.user + used.system;
    };
    const run = async (count: number, record: boolean) => {
      for (let from = 0, turn = 0; from < count; from += BLOCK, turn++) {
        for (let k = 0; k < ways.length; k++) await block(ways[(turn + k) % ways.length]!, from, record);
      }
    };
    await run(WARM_UP, false);
    await run(CALLS, true);

    const ms = Object.fromEntries(ways.map((w) => [w, Array.from(samples[w])])) as Record<Way, number[]>;
    const at = (way: Way, pct: number) => percentile(ms[way], pct);
    const p50p99 = (way: Way) => `${round(at(way, 50), 3)} / ${round(at(way, 99), 3)}`;
    const tail = (way: Way) => `${round(at(way, 99.9), 2)} / ${round(Math.max(...ms[way]), 2)}`;
    const overhead = (way: Way) => `+${round((at(way, 50) - at('raw', 50)) * 1000, 1)} µs (${round(at(way, 50) / at('raw', 50), 3)}×)`;
    const cpu = (way: Way) => round(cpuMicros[way] / CALLS, 1);
    const version = (state: ServerState) => (state.kind === 'running' ? state.session.protocolVersion : state.kind);
    const results: Record<string, number | string> = {
      'tool call, gate + audit vs raw SDK client: calls each': CALLS,
      'raw SDK client: p50 / p99 (ms)': p50p99('raw'),
      'gate + audit (ServerRegistry.callTool): p50 / p99 (ms)': p50p99('full'),
      'gate + audit / raw: p50 (target ≤ 1.05)': round(at('full', 50) / at('raw', 50), 3),
      'gate + audit / raw: p99': round(at('full', 99) / at('raw', 99), 3),
      'p99.9 / max (ms): raw': tail('raw'),
      'p99.9 / max (ms): gate + audit': tail('full'),
      'p50 over raw: Warden without gate or audit': overhead('plain'),
      'p50 over raw: Warden with the gate, audit off': overhead('gate'),
      'p50 over raw: Warden with gate + audit': overhead('full'),
      'p99 (ms): without gate or audit / gate, audit off': `${round(at('plain', 99), 3)} / ${round(at('gate', 99), 3)}`,
      'client CPU per call (µs): raw / no gate / gate / gate + audit': `${cpu('raw')} / ${cpu('plain')} / ${cpu('gate')} / ${cpu('full')}`,
      'protocol version: Warden / raw': `${version(full.harness.server(SERVER).state)} / ${raw.client.getNegotiatedProtocolVersion() ?? '?'}`,
    };
    for (const way of ways) {
      const caller = callers[way]!;
      delete callers[way];
      await caller.close();
    }
    await audit.close();
    const verified = await verifyAuditLog(dir, { key });
    results['audit records written (chain intact)'] = `${verified.records} (${String(verified.ok)})`;
    return results;
  } finally {
    await Promise.all(Object.values(callers).map((c) => c.close().catch(() => undefined)));
    await audit.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchPermissions().then(
    (results) => {
      for (const [what, value] of Object.entries(results)) console.log(`  ${what.padEnd(64)} ${value}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
