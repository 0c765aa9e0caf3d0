import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/core/ids';
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
