import * as vscode from 'vscode';
import { EXTENSION_ID, PermissionCommands } from '../../../src/core/ids';
import type { GrantScope, PermissionKind } from '../../../src/core/permissions/permission';
import type { McpWardenApi, WardenServer } from '../../../src/vscode/api';

export async function wardenApi(): Promise<McpWardenApi> {
  const extension = vscode.extensions.getExtension<McpWardenApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

/**
 * Waits until `condition` holds for a server, re-checking on every change event (no fixed sleeps). Fails
 * with the server's last state, so a timeout says what happened instead.
 */
export function waitForServer(
  api: McpWardenApi,
  name: string,
  condition: (server: WardenServer) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<WardenServer> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const server = api.getServer(name);
      if (server && condition(server)) {
        done();
        resolve(server);
        return true;
      }
      return false;
    };
    const subscription = api.onDidChangeServers(() => void check());
    const timer = setTimeout(() => {
      done();
      reject(new Error(`server '${name}' is not ${what} after ${timeoutMs} ms; last state: ${JSON.stringify(api.getServer(name)?.state)}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

export const isRunning = (server: WardenServer) => server.state.kind === 'running';

export function pidOf(server: WardenServer | undefined): number | undefined {
  return server?.state.kind === 'running' ? server.state.session.pid : undefined;
}

/** Waits until `condition` holds, re-checked on every change MCP Warden reports (servers or configuration problems). */
export function waitUntil(api: McpWardenApi, condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!condition()) return;
      done();
      resolve();
    };
    const subscription = api.onDidChangeServers(check);
    const timer = setTimeout(() => {
      done();
      reject(new Error(`not ${what} after ${timeoutMs} ms; configuration problems: ${JSON.stringify(api.getConfigurationProblems())}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/** True while a process exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const needsApproval = (server: WardenServer) => server.state.kind === 'needs-approval';

/**
 * Approves a server's launch the way its Approve Launch action does, once the server waits for it: the question
 * is open by then (the broker asks in the same turn that reports "needs approval").
 */
export async function approveLaunch(api: McpWardenApi, name: string, timeoutMs = 30_000): Promise<void> {
  await waitForServer(api, name, needsApproval, 'waiting for launch approval', timeoutMs);
  await vscode.commands.executeCommand(PermissionCommands.approveLaunch, name);
}

/**
 * Answers the open questions of `kind` of a server as a notification button would (Answer Permission Request),
 * once one is open; returns how many it answered. No event tells that a question opened, so the command is
 * re-issued every 50 ms, until it answers one, `until` settles (the request was decided without asking: 0), or
 * `timeoutMs` passes (an error).
 */
export async function answerWhenAsked(
  server: string,
  kind: PermissionKind,
  verdict: 'allow' | 'deny',
  scope: GrantScope,
  { until, timeoutMs = 30_000 }: { until?: Promise<unknown>; timeoutMs?: number } = {},
): Promise<number> {
  let settled = false;
  void until?.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await vscode.commands.executeCommand<number>(PermissionCommands.answerPermission, server, kind, verdict, scope);
    if (answered > 0) return answered;
    if (settled) return 0;
    if (Date.now() > deadline) throw new Error(`no ${kind} question of server '${server}' was asked within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function allowWhenAsked(server: string, kind: PermissionKind, scope: GrantScope, options?: { until?: Promise<unknown>; timeoutMs?: number }): Promise<number> {
  return answerWhenAsked(server, kind, 'allow', scope, options);
}

/** Calls a tool and allows it (for `scope`) if it asks; a grant that already decides it leaves nothing to answer. */
export async function callAllowed(
  api: McpWardenApi,
  server: string,
  tool: string,
  args: Record<string, unknown> = {},
  scope: GrantScope = 'once',
): ReturnType<McpWardenApi['callTool']> {
  const call = api.callTool(server, tool, args);
  await allowWhenAsked(server, 'tool', scope, { until: call });
  return call;
}

/** Runs `start` (which resolves once the server runs) and approves the launch it waits for. */
export async function startApproved(api: McpWardenApi, name: string, start: () => Thenable<unknown>): Promise<void> {
  const started = Promise.resolve(start());
  await Promise.race([approveLaunch(api, name), started.then(() => Promise.reject(new Error(`server '${name}' started without asking for approval`)))]);
  await started;
}
