import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../core/ids';
import { AuthSettings } from './authIds';

/**
 * A setting as the user set it, else its default, never a workspace's value (the same rule as userSetting(), for
 * the keys of authIds.ts): a repository must not choose the client identity MCP Warden presents to an
 * authorization server, nor keep a sign-in waiting for hours.
 */
function userValue(key: (typeof AuthSettings)[keyof typeof AuthSettings]): unknown {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** `mcpWarden.oauth.clientMetadataUrl`: an https URL (a Client ID Metadata Document), else none. */
export function clientMetadataUrl(): string | undefined {
  const value = userValue(AuthSettings.clientMetadataUrl);
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `mcpWarden.oauth.signInTimeoutSeconds`, in ms (at least 30 s, default 5 min). */
export function signInTimeoutMs(): number {
  const value = userValue(AuthSettings.signInTimeoutSeconds);
  return (typeof value === 'number' && Number.isFinite(value) && value >= 30 ? value : 300) * 1000;
}
