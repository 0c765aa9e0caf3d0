// The gateway with real parts: a real registry running real servers (harness.ts), the real Gateway listening on
// 127.0.0.1, and agents that are real SDK clients over HTTP. Only the tokens are made up here.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport, type ClientCapabilities } from '@modelcontextprotocol/client';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { AgentTokenTable } from '../../src/node/gateway/agentTokens';
import { Gateway, type GatewayDeps, type GatewayEndpoint, type GatewayStartOptions } from '../../src/node/gateway/gateway';
import { RecordingLogger } from '../unit/fakes';
import { NODE, ROOT, startServers, type Harness, type HarnessOptions } from './harness';

export const LEGACY = '2025-11-25';
export const MODERN = '2026-07-28';
export type Era = typeof LEGACY | typeof MODERN;

export interface GatewayRun {
  readonly harness: Harness;
  readonly gateway: Gateway;
  readonly endpoint: GatewayEndpoint;
  /** Token by agent id (agents `claude-code` and `cursor` exist from the start). */
  readonly tokens: AgentTokenTable;
  readonly tokenOf: Record<string, string>;
  /** Every audit record, in order. */
  readonly audited: AuditInput[];
  readonly logger: RecordingLogger;
  /** Opens an agent's client; closed after the test. */
  agent(era: Era, options?: AgentOptions): Promise<Client>;
  dispose(): Promise<void>;
}

export interface AgentOptions {
  readonly agent?: string;
  readonly url?: string;
  readonly clientName?: string;
  readonly capabilities?: ClientCapabilities;
  /** `autoFulfill: false`: input_required results surface to the test instead of being answered by the handlers. */
  readonly inputRequired?: { readonly autoFulfill: boolean };
  readonly listChanged?: { readonly tools?: (names: string[]) => void };
  /** Install handlers before connecting. */
  readonly setup?: (client: Client) => void;
}

const runs: GatewayRun[] = [];

/** Stops every gateway a test started (call from afterEach). */
export async function disposeGateways(): Promise<void> {
  await Promise.all(runs.splice(0).map((run) => run.dispose().catch(() => undefined)));
}

export async function startGateway(
  servers: Record<string, unknown>,
  options: HarnessOptions & { readonly gateway?: Partial<GatewayDeps>; readonly start?: GatewayStartOptions } = {},
): Promise<GatewayRun> {
  const audited: AuditInput[] = [];
  const audit = options.audit ?? { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
  const harness = await startServers(servers, { ...options, audit });
  const tokens = new AgentTokenTable();
  const tokenOf: Record<string, string> = {};
  for (const agent of ['claude-code', 'cursor']) {
    tokenOf[agent] = randomBytes(24).toString('base64url');
    tokens.set(agent, tokenOf[agent]);
  }
  const logger = new RecordingLogger();
  const gateway = new Gateway({ registry: harness.registry, agentOfToken: tokens.agentOfToken, logger, version: '0.0.0-test', ...options.gateway });
  const endpoint = await gateway.start(options.start);
  const clients: Client[] = [];
  const run: GatewayRun = {
    harness,
    gateway,
    endpoint,
    tokens,
    tokenOf,
    audited,
    logger,
    async agent(era, agentOptions = {}) {
      const client = new Client(
        { name: agentOptions.clientName ?? 'test-agent', version: '1.0.0' },
        {
          ...(agentOptions.capabilities && { capabilities: agentOptions.capabilities }),
          ...(agentOptions.inputRequired && { inputRequired: agentOptions.inputRequired }),
          versionNegotiation: { mode: era === LEGACY ? 'legacy' : { pin: MODERN } },
          ...(agentOptions.listChanged?.tools && {
            listChanged: { tools: { debounceMs: 0, onChanged: (_e: Error | null, items: { name: string }[] | null) => items && agentOptions.listChanged?.tools?.(items.map((t) => t.name)) } },
          }),
        },
      );
      agentOptions.setup?.(client);
      const token = tokenOf[agentOptions.agent ?? 'claude-code'];
      await client.connect(new StreamableHTTPClientTransport(new URL(agentOptions.url ?? endpoint.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      clients.push(client);
      return client;
    },
    async dispose() {
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
      gateway.dispose();
      await gateway.stop();
      await harness.dispose();
    },
  };
  runs.push(run);
  return run;
}

/** A fresh 0700 directory for the stdio bridge's socket (short: Unix socket paths are limited). */
export function socketDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'mw-gw-'));
}

export const textOf = (result: unknown) => ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');

/** Requests that reached a server (not refused by MCP Warden), by server. */
export function sentTo(audited: readonly AuditInput[], server: string): AuditInput[] {
  return audited.filter((e) => e.type === 'request' && e.server === server && e.direction === 'to-server' && !e.refused);
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: string;
}

/** A raw request to the gateway (node:http, so that Host can be anything). */
export function post(run: GatewayRun, headers: Record<string, string>, body: string, path = '/mcp', method = 'POST'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: run.endpoint.port, path, method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const INSPECTOR = join(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const INSPECTOR_ERA: Record<Era, string> = { [LEGACY]: 'legacy', [MODERN]: 'modern' };

export interface InspectorOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One run of the MCP Inspector's CLI (its own copy of the SDK) against the gateway: one connection, one method
 * (e.g. `['--method', 'tools/list']`). HOME is a fresh folder (it keeps a catalogue there); `--stored-auth-only`
 * keeps a 401 from starting a sign-in.
 */
export function runInspector(run: GatewayRun, era: Era, token: string, method: readonly string[]): Promise<InspectorOutcome> {
  const args = ['--cli', run.endpoint.url, '--transport', 'http', '--protocol-era', INSPECTOR_ERA[era], '--header', `Authorization: Bearer ${token}`, ...method, '--format', 'json', '--stored-auth-only'];
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [INSPECTOR, ...args], { env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'mw-insp-')) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
