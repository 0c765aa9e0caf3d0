import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { Settings } from '../../core/ids';
import type { AnnotationDefaults, Verdict } from '../../core/permissions/permission';
import type { GateOptions } from '../../core/permissions/permissionGate';
import { numberAtLeast, userSetting } from '../userSettings';

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** `mcpWarden.permissions.annotationDefaults` from user settings only (a workspace must not allow its own tools). */
export function annotationDefaults(): AnnotationDefaults {
  const value = userSetting(Settings.annotationDefaults, (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v), {});
  const defaults: Partial<Record<(typeof HINTS)[number], Verdict | 'ask'>> = {};
  for (const hint of HINTS) {
    const choice = value[hint];
    if (choice === 'allow' || choice === 'deny' || choice === 'ask') defaults[hint] = choice;
  }
  return defaults;
}

/** `mcpWarden.permissions.askTimeoutSeconds` (user settings only), in ms. */
export function askTimeoutMs(): number {
  return userSetting(Settings.askTimeoutSeconds, numberAtLeast(10), 300) * 1000;
}

/** The gate's options as this window sees them now. */
export function gateOptions(): GateOptions {
  return {
    annotationDefaults: annotationDefaults(),
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    caseInsensitivePaths: process.platform === 'win32' || process.platform === 'darwin',
    // A path reached through a symlink is decided by where it leads.
    realpath: (path) => realpathSync(path),
  };
}
