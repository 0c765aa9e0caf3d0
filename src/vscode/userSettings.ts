import * as vscode from 'vscode';
import { SETTINGS_SECTION, Settings } from '../core/ids';

type SettingKey = (typeof Settings)[keyof typeof Settings];

/**
 * A setting as the user set it (user or remote settings), else its default: a value a workspace wrote is never
 * read. For the settings a repository must not change (limits, auditing). VS Code already ignores workspace
 * values of the `application`-scoped settings that use this; reading through `inspect()` keeps that true even
 * where the scope would not be honoured (an older or different host, a scope edited by mistake).
 */
export function userSetting<T>(key: SettingKey, accept: (value: unknown) => value is T, fallback: T): T {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect(key);
  for (const value of [inspected?.globalValue, inspected?.defaultValue]) if (accept(value)) return value;
  return fallback;
}

/** For `userSetting`: a finite number of at least `min`. */
export function numberAtLeast(min: number): (value: unknown) => value is number {
  return (value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= min;
}
