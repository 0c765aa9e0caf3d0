// Runs inside the VS Code extension host (as extensionTestsPath): records how long MCP Warden's activate()
// took in this window, with the bench workspace's 20 servers configured and none autostarted.
import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/core/ids';
import type { McpWardenApi } from '../../src/vscode/api';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<McpWardenApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.ready;
  const servers = api.getServers();
  const running = servers.filter((s) => s.state.kind !== 'stopped').length;
  const out = process.env['MCP_WARDEN_BENCH_OUT'];
  if (!out) throw new Error('MCP_WARDEN_BENCH_OUT is not set');
  appendFileSync(out, `${JSON.stringify({ activationMs: api.activationMs, servers: servers.length, running })}\n`);
}
