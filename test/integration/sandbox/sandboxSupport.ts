// What the sandbox tests share: a baseline profile, a sandboxed server reached through ProcessTransport and the
// SDK client, and a check that fails the suite loudly where bubblewrap is missing (CI installs it; nothing skips).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import type { SandboxProfile } from '../../../src/core/sandbox/sandboxProfile';
import { ProcessTransport } from '../../../src/node/processTransport';
import { SandboxSession, type SandboxSessionOptions } from '../../../src/node/sandbox/sandboxSession';
import { serverEnvironment } from '../../../src/node/serverEnvironment';
import { RecordingLogger } from '../../unit/fakes';
import { NODE, ROOT } from '../harness';

export const SANDBOX_FIXTURE = join(ROOT, 'test/fixtures/sandbox-server.mjs');

/** The sandbox needs bubblewrap, socat and ripgrep: without them the suite fails here, naming what is missing. */
export function requireSandboxTools(): void {
  const missing = ['bwrap', 'socat', 'rg'].filter((tool) => {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  assert.deepEqual(missing, [], `the sandbox tests need ${missing.join(', ')} (Debian/Ubuntu: sudo apt install bubblewrap socat ripgrep)`);
}

/** What any node server needs to run: system folders, the runtime, the packages and the fixtures. */
export function baseline(): string[] {
  const nodeModules = join(ROOT, 'node_modules');
  return [
    ...['/usr', '/bin', '/lib', '/lib64', '/sbin', '/etc/ld.so.cache', '/etc/ssl', '/etc/ca-certificates', '/etc/hosts', '/etc/nsswitch.conf', '/etc/passwd'],
    dirname(dirname(NODE)),
    nodeModules,
    realpathSync(nodeModules),
    join(ROOT, 'test/fixtures'),
  ];
}

export function profileWith(parts: { read?: string[]; write?: string[]; denyRead?: string[]; allowedDomains?: string[]; unixSockets?: boolean }): SandboxProfile {
  return {
    filesystem: { denyRead: ['/', ...(parts.denyRead ?? [])], allowRead: [...baseline(), ...(parts.read ?? [])], allowWrite: parts.write ?? [], denyWrite: [] },
    network: { allowedDomains: parts.allowedDomains ?? [], deniedDomains: [], allowAllUnixSockets: parts.unixSockets ?? false },
  };
}

/** A fresh folder for a test's files; removed by the returned cleanup. */
export function scratchFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(`/tmp/${prefix}-`);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface SandboxedRun {
  readonly session: SandboxSession;
  readonly transport: ProcessTransport;
  readonly client: Client;
  readonly logger: RecordingLogger;
  readonly violations: string[];
  readonly asks: string[];
  /** Calls a tool; returns its text and whether it was an error. */
  call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
  stop(): Promise<void>;
}

/** Starts a sandbox session and a server in it, connected through ProcessTransport and the SDK client. */
export async function startSandboxed(
  args: string[],
  profile: SandboxProfile,
  options: { answer?: (host: string, port: number) => boolean | Promise<boolean>; testHosts?: Record<string, string>; cwd?: string } = {},
): Promise<SandboxedRun> {
  const logger = new RecordingLogger();
  const violations: string[] = [];
  const asks: string[] = [];
  const folder = mkdtempSync('/tmp/mcpw-run-');
  const sessionOptions: SandboxSessionOptions = {
    profile,
    folder,
    logger,
    onAsk: async (host, port) => {
      asks.push(`${host}:${port}`);
      return (await options.answer?.(host, port)) ?? false;
    },
    onViolation: (line) => violations.push(line),
    ...(options.testHosts && { testHosts: options.testHosts }),
  };
  const session = await SandboxSession.start(sessionOptions);
  const transport = new ProcessTransport({
    command: NODE,
    args,
    env: serverEnvironment({}),
    cwd: options.cwd ?? '/',
    maxMessageBytes: 1 << 20,
    logger,
    graceMs: 500,
    containment: { kind: 'sandbox', session },
  });
  const client = new Client({ name: 'sandbox-tests', version: '0.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    await session.stop();
    throw new Error(`the sandboxed server did not start: ${String(error)}\n${logger.lines.join('\n')}`, { cause: error });
  }
  return {
    session,
    transport,
    client,
    logger,
    violations,
    asks,
    async call(name, toolArgs) {
      const result = (await client.callTool({ name, arguments: toolArgs })) as { content: { type: string; text?: string }[]; isError?: boolean };
      return { text: result.content.map((c) => c.text ?? '').join('\n'), isError: result.isError === true };
    },
    async stop() {
      await client.close().catch(() => undefined);
      await transport.close();
      await session.stop();
    },
  };
}
