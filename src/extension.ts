import * as vscode from 'vscode';
import type { McpWardenApi } from './vscode/api';
import { registerCommands } from './vscode/commands';
import { registerPermissionCommands } from './vscode/permissions/permissionCommands';
import { Warden } from './vscode/warden';
import { GatewayController } from './vscode/gateway/gatewayController';
import { registerGatewayDefinitions } from './vscode/gateway/mcpDefinitionProvider';
import { registerConnectAgentCommands } from './vscode/gateway/connectAgentCommand';

let warden: Warden | undefined;

/** Builds MCP Warden for this window and returns its public API. Servers start after this returns. */
export function activate(context: vscode.ExtensionContext): McpWardenApi {
  const started = performance.now();
  warden = new Warden(context);
  for (const command of registerCommands(warden)) warden.disposables.add(command);
  const { permissions, broker, logger } = warden;
  for (const command of registerPermissionCommands({ permissions, revoke: (grants) => broker.revoke(grants), logger })) warden.disposables.add(command);
  // The gateway: the editor's own MCP client and other agents reach MCP Warden's servers through it.
  const gateway = warden.disposables.add(new GatewayController(context, warden.registry, logger));
  warden.delegateThrough(gateway);
  warden.disposables.add(registerGatewayDefinitions(gateway, logger));
  warden.disposables.add(registerConnectAgentCommands(context, gateway, logger));
  void warden.ready.then(() => gateway.start());
  const activationMs = performance.now() - started;
  warden.logger.info(`activated in ${activationMs.toFixed(1)} ms`);
  return warden.api(activationMs);
}

/** Stops every server before the extension host goes away, so no server process is left behind. */
export async function deactivate(): Promise<void> {
  const current = warden;
  warden = undefined;
  await current?.shutdown();
}
