import * as vscode from 'vscode';
import { definitionToSettingsValue } from '../core/config/settingsEdit';
import { definitionStrings, type InputDefinition, type ServerDefinition } from '../core/config/serverDefinition';
import { inputIds } from '../core/config/variables';
import { settingKey, Settings } from '../core/ids';
import type { ServerRegistry } from '../core/lifecycle/serverRegistry';
import { editWorkspaceSettings, readWorkspaceSetting } from './workspaceSettingsFile';

/**
 * `MCP Warden: Import Servers…`: copies servers found in `.vscode/mcp.json` / `.mcp.json` into
 * `mcpWarden.servers`, with the inputs they use. Returns the names imported.
 */
export async function importServersInteractively(
  registry: ServerRegistry,
  inputs: readonly InputDefinition[],
  preselected?: string,
): Promise<string[]> {
  const discovered = registry.servers.filter((s) => s.status === 'discovered');
  if (discovered.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: no servers to import. Servers are found in .vscode/mcp.json and .mcp.json.');
    return [];
  }
  const picks = await vscode.window.showQuickPick(
    discovered.map((s) => ({
      label: s.name,
      description: s.source.kind === 'file' ? s.source.path : '',
      detail: s.definition
        ? s.definition.type === 'stdio'
          ? [s.definition.command, ...s.definition.args].join(' ')
          : s.definition.url
        : `cannot be imported: ${s.problems.map((p) => p.message).join('; ')}`,
      picked: preselected === undefined || preselected === s.name,
      definition: s.definition,
    })),
    { title: 'Import MCP servers into workspace settings', canPickMany: true, placeHolder: 'Servers to copy into mcpWarden.servers' },
  );
  const chosen = (picks ?? []).filter((p): p is typeof p & { definition: ServerDefinition } => p.definition !== undefined);
  if (chosen.length === 0) return [];

  const used = new Set(inputIds(chosen.flatMap((p) => definitionStrings(p.definition))));
  const current = await readWorkspaceSetting([settingKey(Settings.inputs)]);
  const existing = Array.isArray(current) ? (current as { id?: unknown }[]) : [];
  const added = inputs
    .filter((i) => used.has(i.id) && !existing.some((e) => e.id === i.id))
    .map((i) => ({ id: i.id, type: 'promptString', ...(i.description && { description: i.description }), ...(i.password && { password: true }) }));

  await editWorkspaceSettings([
    ...chosen.map((p) => ({ path: [settingKey(Settings.servers), p.label], value: definitionToSettingsValue(p.definition) })),
    ...(added.length > 0 ? [{ path: [settingKey(Settings.inputs)], value: [...existing, ...added] }] : []),
  ]);
  void vscode.window.showInformationMessage(`MCP Warden: imported ${chosen.map((p) => `'${p.label}'`).join(', ')} into the workspace settings.`);
  return chosen.map((p) => p.label);
}
