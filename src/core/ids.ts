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
  verifyAuditLog: 'mcpWarden.verifyAuditLog',
  exportAuditKey: 'mcpWarden.exportAuditKey',
  exportAuditLog: 'mcpWarden.exportAuditLog',
  clearAuditLog: 'mcpWarden.clearAuditLog',
  filterAuditLog: 'mcpWarden.filterAuditLog',
  clearAuditFilter: 'mcpWarden.clearAuditFilter',
  showAuditOutput: 'mcpWarden.showAuditOutput',
  showAuditRecord: 'mcpWarden.showAuditRecord',
  loadMoreAuditRecords: 'mcpWarden.loadMoreAuditRecords',
  showSandboxProfile: 'mcpWarden.showSandboxProfile',
  getPrompt: 'mcpWarden.getPrompt',
  openResource: 'mcpWarden.openResource',
  subscribeResource: 'mcpWarden.subscribeResource',
  unsubscribeResource: 'mcpWarden.unsubscribeResource',
} as const;

/** The Permissions commands: registered on their own by registerPermissionCommands (they need the broker's revoke). */
export const PermissionCommands = {
  revoke: 'mcpWarden.revoke',
  revokeAllForServer: 'mcpWarden.revokeAllForServer',
  reviewPermissions: 'mcpWarden.reviewPermissions',
  approveLaunch: 'mcpWarden.approveLaunch',
  denyLaunch: 'mcpWarden.denyLaunch',
  /** What a notification's button does, for keybindings and tests: (server, kind, verdict, scope?) → questions answered. */
  answerPermission: 'mcpWarden.answerPermission',
} as const;

/** The sign-in commands: registered by registerAuthCommands (src/vscode/auth). */
export const AuthCommands = {
  signIn: 'mcpWarden.signIn',
  signOut: 'mcpWarden.signOut',
  signOutEverywhere: 'mcpWarden.signOutEverywhere',
} as const;

export const Views = {
  container: 'mcpWarden',
  servers: 'mcpWarden.servers',
  audit: 'mcpWarden.audit',
  permissions: 'mcpWarden.permissions',
} as const;

/** Context keys set by the extension, for `when` clauses. */
export const ContextKeys = {
  auditFiltered: 'mcpWarden.auditFiltered',
  /** True while permission questions wait for an answer. */
  permissionsPending: 'mcpWarden.permissionsPending',
} as const;

export const SETTINGS_SECTION = 'mcpWarden';

/** Setting keys relative to the `mcpWarden` section. */
export const Settings = {
  servers: 'servers',
  inputs: 'inputs',
  startupTimeoutSeconds: 'startupTimeoutSeconds',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxRequestSeconds: 'maxRequestSeconds',
  maxMessageSizeMiB: 'maxMessageSizeMiB',
  serverLogLevel: 'serverLogLevel',
  minProtocolVersion: 'minProtocolVersion',
  discoverConfigFiles: 'discoverConfigFiles',
  auditEnabled: 'audit.enabled',
  auditRetentionDays: 'audit.retentionDays',
  auditMaxSegmentMiB: 'audit.maxSegmentMiB',
  grants: 'grants',
  annotationDefaults: 'permissions.annotationDefaults',
  askTimeoutSeconds: 'permissions.askTimeoutSeconds',
  sandboxMode: 'sandbox.mode',
  gatewayEnabled: 'gateway.enabled',
  gatewayPort: 'gateway.port',
  gatewayExposeDirectly: 'gateway.exposeDirectly',
  gatewayEditorDefinitions: 'gateway.editorDefinitions',
  /** MCP Warden's Client ID Metadata Document URL: a user (application) setting, never a workspace's. */
  oauthClientMetadataUrl: 'oauth.clientMetadataUrl',
  oauthSignInTimeoutSeconds: 'oauth.signInTimeoutSeconds',
} as const;

/** The full key of a setting, e.g. `mcpWarden.servers`. */
export function settingKey(key: (typeof Settings)[keyof typeof Settings]): string {
  return `${SETTINGS_SECTION}.${key}`;
}
