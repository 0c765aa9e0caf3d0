import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingKey, Settings } from '../../src/core/ids';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string; markdownDescription?: string }>;

/**
 * What a repository may set in its workspace settings: its servers, inputs and grants (gated by Workspace Trust;
 * grants also by their seal), whether its own MCP files are shown, and which of its servers the gateway lists
 * directly (a narrowing of the list, never a grant: hidden tools are still found with search_tools).
 */
const WORKSPACE_SETTABLE = [Settings.servers, Settings.inputs, Settings.grants, Settings.discoverConfigFiles, Settings.gatewayExposeDirectly].map(settingKey);

describe('setting scopes in package.json', () => {
  it('declares a scope for every setting, so none is workspace-settable by accident', () => {
    for (const [key, schema] of Object.entries(properties)) assert.ok(schema.scope, `${key} has no scope (VS Code would default to "window")`);
  });

  it('lets a workspace set only its servers, inputs, grants, file discovery and gateway listing; limits, log level, auditing and permission defaults are the user’s', () => {
    const settable = Object.entries(properties)
      .filter(([, schema]) => schema.scope !== 'application' && schema.scope !== 'machine')
      .map(([key]) => key)
      .sort();
    assert.deepEqual(settable, [...WORKSPACE_SETTABLE].sort());
    for (const key of WORKSPACE_SETTABLE) assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), `${key} is ignored in an untrusted workspace`);
  });

  it('tells the user in the description that a user-only setting cannot be set by a workspace', () => {
    for (const [key, schema] of Object.entries(properties)) {
      if (schema.scope === 'application') assert.match(schema.markdownDescription ?? '', /user setting only/i, key);
    }
  });
});
