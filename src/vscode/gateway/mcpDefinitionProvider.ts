// The gateway as VS Code's own MCP client sees it: server definitions from an MCP server definition provider, so
// the editor's chat uses MCP Warden's servers under MCP Warden's gate, sandbox and audit (agent `vscode`).
import * as vscode from 'vscode';
import { currentDefinition, editorDefinitions, type EditorDefinition } from '../../core/gateway/editorDefinitions';
import { errorMessage, type Logger } from '../../core/ports';
import type { GatewayEndpoint } from './gatewayEndpoint';

/** The id in package.json `contributes.mcpServerDefinitionProviders`. */
export const GATEWAY_PROVIDER_ID = 'mcpWarden.gateway';

/**
 * Registers the provider. Definitions carry no token: VS Code caches provided definitions (headers included) in
 * workspace storage, so the `Authorization` header is added only in `resolveMcpServerDefinition`, when VS Code
 * starts a definition.
 */
export function registerGatewayDefinitions(endpoint: GatewayEndpoint, logger: Logger): vscode.Disposable {
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider !== 'function') {
    logger.info(`this editor (${vscode.env.appName} ${vscode.version}) has no MCP server definition provider API: its own MCP client cannot use the gateway`);
    return new vscode.Disposable(() => undefined);
  }
  const changed = new vscode.EventEmitter<void>();
  const onEndpointChange = endpoint.onDidChange(() => changed.fire());
  const registration = vscode.lm.registerMcpServerDefinitionProvider(GATEWAY_PROVIDER_ID, {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => editorDefinitions(endpoint.baseUrl, endpoint.mode, endpoint.servers()).map((definition) => httpDefinition(definition)),
    resolveMcpServerDefinition: (server, token) => resolve(endpoint, logger, server, token),
  });
  return vscode.Disposable.from(registration, onEndpointChange, changed);
}

async function resolve(endpoint: GatewayEndpoint, logger: Logger, server: vscode.McpServerDefinition, token: vscode.CancellationToken): Promise<vscode.McpServerDefinition | undefined> {
  if (endpoint.baseUrl === undefined) {
    logger.warn(`VS Code asked to start '${server.label}', but the MCP Warden gateway is not running: it was not started (start it, or open a trusted workspace with MCP Warden servers)`);
    return undefined;
  }
  // As it is now: the gateway's port may have changed since VS Code cached the definition.
  const definition = currentDefinition(server.label, endpoint.baseUrl, endpoint.mode, endpoint.servers());
  if (!definition) {
    logger.warn(`VS Code asked to start '${server.label}', which MCP Warden no longer offers (setting mcpWarden.gateway.editorDefinitions is '${endpoint.mode}'): it was not started`);
    return undefined;
  }
  let bearer: string;
  try {
    bearer = await endpoint.tokenFor('vscode');
  } catch (error) {
    logger.error(`could not read the gateway token of VS Code's MCP client, so '${server.label}' was not started: ${errorMessage(error)}`);
    return undefined;
  }
  if (token.isCancellationRequested) return undefined;
  logger.info(`VS Code's MCP client starts '${definition.label}' through the gateway (${definition.url})`);
  return httpDefinition(definition, { Authorization: `Bearer ${bearer}` });
}

function httpDefinition(definition: EditorDefinition, headers?: Record<string, string>): vscode.McpHttpServerDefinition {
  return new vscode.McpHttpServerDefinition(definition.label, vscode.Uri.parse(definition.url), headers, definition.version);
}
