import { Settings } from '../../core/ids';
import { numberAtLeast, userSetting } from '../userSettings';

// User values only (userSetting): a repository must not choose the client identity MCP Warden presents to an
// authorization server, nor keep a sign-in waiting for hours.

/** `mcpWarden.oauth.clientMetadataUrl`: an https URL (a Client ID Metadata Document), else none. */
export function clientMetadataUrl(): string | undefined {
  const value = userSetting(Settings.oauthClientMetadataUrl, (v): v is string => typeof v === 'string', '');
  if (value === '') return undefined;
  try {
    return new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `mcpWarden.oauth.signInTimeoutSeconds`, in ms (at least 30 s, default 5 min). */
export function signInTimeoutMs(): number {
  return userSetting(Settings.oauthSignInTimeoutSeconds, numberAtLeast(30), 300) * 1000;
}
