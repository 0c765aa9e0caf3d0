import * as vscode from 'vscode';
import { MCP_CONFIG_FILES, parseMcpConfigFile } from '../core/config/mcpConfigFile';
import { parseInputs, parseServers } from '../core/config/parseServers';
import type { ConfigProblem, InputDefinition, ServerEntry } from '../core/config/serverDefinition';
import { scopesMatchSettingsText, settingsSyntaxError, type SettingScopes } from '../core/config/settingsFile';
import { DisposableStore, type Disposable } from '../core/disposable';
import { Emitter } from '../core/events';
import { SETTINGS_SECTION, Settings, settingKey } from '../core/ids';
import type { ConfigSnapshot } from '../core/lifecycle/serverRegistry';
import type { LaunchLimits } from '../core/lifecycle/session';
import { numberAtLeast, userSetting } from './userSettings';
import { readText } from './workspaceFiles';
import { workspaceSettingsFile } from './workspaceSettingsFile';

export interface WorkspaceConfig {
  readonly snapshot: ConfigSnapshot;
  readonly inputs: readonly InputDefinition[];
  /** Set while the workspace settings file does not parse: where the error is and what MCP Warden does meanwhile. */
  readonly settingsNotice?: string;
}

/** The settings a repository writes for MCP Warden, as VS Code hands them over. */
interface ServerSettings {
  readonly servers: unknown;
  readonly inputs: unknown;
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
  /** What the settings held when the workspace settings file last parsed. */
  private lastGood: ServerSettings | undefined;
  /** Reads in a row that kept the last good values because VS Code had not yet read the file as it is on disk. */
  private waits = 0;
  private recheck: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.changed();
      }),
    );
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed()));
    this.disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed()));
    // The settings file too: a syntax error that leaves VS Code's values as they were changes no setting.
    const watched = [...MCP_CONFIG_FILES.map((f) => f.path), '.vscode/settings.json'];
    const patterns: vscode.GlobPattern[] = [`**/{${watched.join(',')}}`];
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile?.scheme === 'file') patterns.push(new vscode.RelativePattern(vscode.Uri.joinPath(workspaceFile, '..'), fileName(workspaceFile)));
    for (const pattern of patterns) {
      const watcher = this.disposables.add(vscode.workspace.createFileSystemWatcher(pattern));
      for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this.disposables.add(event(() => this.changed()));
    }
  }

  async read(): Promise<WorkspaceConfig> {
    if (!vscode.workspace.isTrusted) return { snapshot: { servers: [], discovered: [], problems: [] }, inputs: [] };
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const settings = await this.serverSettings(config);
    const servers = parseServers(settings.values.servers, settingKey(Settings.servers), { kind: 'settings' }, { strict: true });
    const settingsInputs = parseInputs(settings.values.inputs, settingKey(Settings.inputs));
    const problems: ConfigProblem[] = [...(settings.problem ? [settings.problem] : []), ...settingsInputs.problems];
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
    return { snapshot: { servers, discovered, problems }, inputs, ...(settings.notice && { settingsNotice: settings.notice }) };
  }

  /**
   * The limits a server is started with; read at each start, so a change applies from the next one. Only the
   * user's own values count: a repository must not be able to raise a limit (or lower the log level).
   */
  limits(): LaunchLimits & { readonly requestTimeoutMs: number; readonly maxRequestMs: number } {
    return {
      startupTimeoutMs: userSetting(Settings.startupTimeoutSeconds, numberAtLeast(1), 30) * 1000,
      requestTimeoutMs: userSetting(Settings.requestTimeoutSeconds, numberAtLeast(1), 60) * 1000,
      maxRequestMs: userSetting(Settings.maxRequestSeconds, numberAtLeast(1), 600) * 1000,
      maxMessageBytes: Math.round(userSetting(Settings.maxMessageSizeMiB, numberAtLeast(1 / 16), 16) * 1024 * 1024),
      serverLogLevel: userSetting(Settings.serverLogLevel, (v): v is string => typeof v === 'string', 'info'),
      minProtocolVersion: userSetting(Settings.minProtocolVersion, isProtocolVersion, '2024-11-05'),
    };
  }

  dispose(): void {
    clearTimeout(this.debounce);
    clearTimeout(this.recheck);
    this.disposables.dispose();
  }

  /**
   * `mcpWarden.servers` and `mcpWarden.inputs`. While the workspace settings file does not parse, VS Code hands
   * over whatever its lenient parser kept (often nothing, which would stop every server): the last values read
   * from a file that parsed are kept instead, and the error is reported.
   */
  private async serverSettings(config: vscode.WorkspaceConfiguration): Promise<{ values: ServerSettings; notice?: string; problem?: ConfigProblem }> {
    const current: ServerSettings = { servers: serversByScope(config), inputs: config.get(Settings.inputs) };
    const file = workspaceSettingsFile();
    const text = file && vscode.workspace.workspaceFile?.scheme !== 'untitled' ? await readText(file.uri) : undefined;
    if (!file || text === undefined) return this.accept(current);
    const error = settingsSyntaxError(text);
    if (error) {
      this.waits = 0;
      clearTimeout(this.recheck);
      const where = file.inWorkspaceFile ? fileName(file.uri) : '.vscode/settings.json';
      const meanwhile = this.lastGood ? 'servers keep their last good definitions until it is fixed' : 'no server is read from it until it is fixed';
      const message = `syntax error at ${error.line}:${error.column} (${error.code}): ${meanwhile}`;
      // Without a last good state, only the user's own settings are trusted: VS Code's partial parse could hold a cut-off definition.
      const values = this.lastGood ?? { servers: config.inspect(Settings.servers)?.globalValue, inputs: config.inspect(Settings.inputs)?.globalValue };
      return { values, notice: `${where} has a ${message}`, problem: { keyPath: where, message } };
    }
    if (this.lastGood && this.waits < MAX_WAITS && !vsCodeHasRead(text, file.inWorkspaceFile, config)) {
      // The file watcher, or a change of folders, can come before VS Code has re-read the file (and VS Code's merged
      // values can lag behind its per-scope ones): keep the last good values and look again shortly. Bounded, so a
      // file VS Code reads differently (e.g. settings nested as "mcpWarden": { "servers": … }) cannot hold them for ever.
      this.waits++;
      clearTimeout(this.recheck);
      this.recheck = setTimeout(() => this.changed(), RECHECK_MS);
      return { values: this.lastGood };
    }
    return this.accept(current);
  }

  private accept(values: ServerSettings): { values: ServerSettings } {
    this.waits = 0;
    clearTimeout(this.recheck);
    this.lastGood = values;
    return { values };
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.changeEmitter.fire(), 150);
  }
}

/** True when VS Code's values of `mcpWarden.servers` and `mcpWarden.inputs` are those of the settings file's text. */
function vsCodeHasRead(text: string, inWorkspaceFile: boolean, config: vscode.WorkspaceConfiguration): boolean {
  const scopes = (key: typeof Settings.servers | typeof Settings.inputs): SettingScopes => ({ ...config.inspect(key), value: config.get(key) });
  return scopesMatchSettingsText(text, inWorkspaceFile, { [settingKey(Settings.servers)]: scopes(Settings.servers), [settingKey(Settings.inputs)]: scopes(Settings.inputs) });
}

/**
 * `mcpWarden.servers` with each server taken whole from the most specific scope that defines it. VS Code merges
 * objects across scopes member by member, so a repository's `"github": { "url": … }` would otherwise keep the
 * `headers` of the user's own "github" server, and send the user's token to the repository's URL.
 */
function serversByScope(config: vscode.WorkspaceConfiguration): unknown {
  const scopes = config.inspect<unknown>(Settings.servers);
  const layers = [scopes?.defaultValue, scopes?.globalValue, scopes?.workspaceValue, scopes?.workspaceFolderValue].filter((v) => v !== undefined);
  const servers: Record<string, unknown> = {};
  for (const layer of layers) {
    // Not an object: handed over as it is, so parseServers reports it with its setting key.
    if (layer === null || typeof layer !== 'object' || Array.isArray(layer)) return layer;
    Object.assign(servers, layer);
  }
  return servers;
}

/** How long, at most, a settings file waits for VS Code to read it (MAX_WAITS × RECHECK_MS). */
const MAX_WAITS = 10;
const RECHECK_MS = 500;

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** A protocol version as the spec writes them: a date, YYYY-MM-DD. */
function isProtocolVersion(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}
