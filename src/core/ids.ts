/** Every command, view and setting ID in one place; a unit test checks them against package.json. */

export const EXTENSION_ID = 'mcp-warden.mcp-warden';

export const Commands = {
  startServer: 'mcpWarden.startServer',
  stopServer: 'mcpWarden.stopServer',
  restartServer: 'mcpWarden.restartServer',
  startAllServers: 'mcpWarden.startAllServers',
  stopAllServers: 'mcpWarden.stopAllServers',
  showServerOutput: 'mcpWarden.showServerOutput',
  showLog: 'mcpWarden.showLog',
  addServer: 'mcpWarden.addServer',
  importServers: 'mcpWarden.importServers',
  openServerSettings: 'mcpWarden.openServerSettings',
  callTool: 'mcpWarden.callTool',
  forgetInputs: 'mcpWarden.forgetInputs',
  focusServers: 'mcpWarden.focusServers',
} as const;

export const Views = {
  container: 'mcpWarden',
  servers: 'mcpWarden.servers',
} as const;

export const SETTINGS_SECTION = 'mcpWarden';

/** Setting keys relative to the `mcpWarden` section. */
export const Settings = {
  servers: 'servers',
  inputs: 'inputs',
  startupTimeoutSeconds: 'startupTimeoutSeconds',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxMessageSizeMiB: 'maxMessageSizeMiB',
  serverLogLevel: 'serverLogLevel',
  discoverConfigFiles: 'discoverConfigFiles',
} as const;

/** The full key of a setting, e.g. `mcpWarden.servers`. */
export function settingKey(key: (typeof Settings)[keyof typeof Settings]): string {
  return `${SETTINGS_SECTION}.${key}`;
}
