import * as vscode from 'vscode';
import { MCP_CONFIG_FILES, parseMcpConfigFile } from '../core/config/mcpConfigFile';
import { parseInputs, parseServers } from '../core/config/parseServers';
import type { ConfigProblem, InputDefinition, ServerEntry } from '../core/config/serverDefinition';
import { DisposableStore, type Disposable } from '../core/disposable';
import { Emitter } from '../core/events';
import { SETTINGS_SECTION, Settings, settingKey } from '../core/ids';
import type { ConfigSnapshot } from '../core/lifecycle/serverRegistry';
import type { LaunchLimits } from '../core/lifecycle/session';
import { readText } from './workspaceFiles';

export interface WorkspaceConfig {
  readonly snapshot: ConfigSnapshot;
  readonly inputs: readonly InputDefinition[];
}

/**
 * Reads server definitions from settings and from the MCP files other clients write, and says when they change.
 * An untrusted workspace yields nothing: no server from any source is honoured there.
 */
export class ConfigurationSource implements Disposable {
  private readonly disposables = new DisposableStore();
  private readonly changeEmitter = this.disposables.add(new Emitter<void>());
  /** Fires (debounced) when settings or an MCP file changed, or the workspace became trusted. */
  readonly onDidChange = this.changeEmitter.event;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.changed();
      }),
    );
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed()));
    this.disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed()));
    const watcher = this.disposables.add(vscode.workspace.createFileSystemWatcher(`**/{${MCP_CONFIG_FILES.map((f) => f.path).join(',')}}`));
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this.disposables.add(event(() => this.changed()));
  }

  async read(): Promise<WorkspaceConfig> {
    if (!vscode.workspace.isTrusted) return { snapshot: { servers: [], discovered: [], problems: [] }, inputs: [] };
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const servers = parseServers(config.get(Settings.servers), settingKey(Settings.servers), { kind: 'settings' }, { strict: true });
    const settingsInputs = parseInputs(config.get(Settings.inputs), settingKey(Settings.inputs));
    const problems: ConfigProblem[] = [...settingsInputs.problems];
    const inputs: InputDefinition[] = [...settingsInputs.inputs];
    const discovered: ServerEntry[] = [];
    if (config.get<boolean>(Settings.discoverConfigFiles, true)) {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const files = await Promise.all(
        folders.flatMap((folder) =>
          MCP_CONFIG_FILES.map(async ({ path, format }) => {
            const text = await readText(vscode.Uri.joinPath(folder.uri, path));
            if (text === undefined) return undefined;
            return parseMcpConfigFile(text, folders.length > 1 ? `${folder.name}/${path}` : path, format);
          }),
        ),
      );
      for (const file of files) {
        if (!file) continue;
        discovered.push(...file.servers);
        problems.push(...file.problems);
        // Inputs of imported definitions still resolve: settings win when both define one.
        for (const input of file.inputs) if (!inputs.some((i) => i.id === input.id)) inputs.push(input);
      }
    }
    return { snapshot: { servers, discovered, problems }, inputs };
  }

  /** The limits a server is started with; read at each start, so a change applies from the next one. */
  limits(): LaunchLimits & { readonly requestTimeoutMs: number } {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const number = (key: string, fallback: number, min: number) => {
      const value = config.get<number>(key, fallback);
      return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
    };
    return {
      startupTimeoutMs: number(Settings.startupTimeoutSeconds, 30, 1) * 1000,
      requestTimeoutMs: number(Settings.requestTimeoutSeconds, 60, 1) * 1000,
      maxMessageBytes: Math.round(number(Settings.maxMessageSizeMiB, 16, 1 / 16) * 1024 * 1024),
      serverLogLevel: config.get<string>(Settings.serverLogLevel, 'info'),
    };
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.disposables.dispose();
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.changeEmitter.fire(), 150);
  }
}
