// The IDs of the OAuth commands and settings. Kept beside the rest of src/vscode/auth (and free of 'vscode', so the
// unit test that checks every ID against package.json can read them) until they join src/core/ids.ts.

/** The sign-in commands: registered by registerAuthCommands. */
export const AuthCommands = {
  signIn: 'mcpWarden.signIn',
  signOut: 'mcpWarden.signOut',
  signOutEverywhere: 'mcpWarden.signOutEverywhere',
} as const;

/** Setting keys relative to the `mcpWarden` section. */
export const AuthSettings = {
  /** MCP Warden's Client ID Metadata Document URL: a user (application) setting, never a workspace's. */
  clientMetadataUrl: 'oauth.clientMetadataUrl',
  signInTimeoutSeconds: 'oauth.signInTimeoutSeconds',
} as const;
