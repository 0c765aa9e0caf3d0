import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthCommands, Commands, EXTENSION_ID, PermissionCommands, SETTINGS_SECTION, Settings, Views } from '../../src/core/ids';
import { AgentCommands } from '../../src/core/gateway/agentConfigs/agents';

const allCommands: string[] = [...Object.values(Commands), ...Object.values(PermissionCommands), ...Object.values(AgentCommands), ...Object.values(AuthCommands)];

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));

describe('ids.ts matches package.json', () => {
  it('names the extension as published', () => {
    assert.equal(EXTENSION_ID, `${manifest.publisher}.${manifest.name}`);
  });

  it('has exactly the contributed commands, each in the MCP Warden category', () => {
    const contributed: { command: string; category: string }[] = manifest.contributes.commands;
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...allCommands].sort());
    for (const command of contributed) assert.equal(command.category, 'MCP Warden', command.command);
  });

  it('uses only contributed commands in menus and the welcome view', () => {
    const known = new Set<string>(allCommands);
    for (const [menu, items] of Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(known.has(item.command), `${menu}: ${item.command}`);
    }
    for (const welcome of manifest.contributes.viewsWelcome as { contents: string }[]) {
      for (const [, id] of welcome.contents.matchAll(/\(command:(mcpWarden\.[\w.]+)\)/g)) assert.ok(known.has(id!), id);
    }
  });

  it('has exactly the contributed settings, and the view and container', () => {
    const properties = Object.keys(manifest.contributes.configuration.properties).sort();
    assert.deepEqual(properties, Object.values(Settings).map((s) => `${SETTINGS_SECTION}.${s}`).sort());
    assert.equal(manifest.contributes.viewsContainers.activitybar[0].id, Views.container);
    assert.deepEqual(Object.keys(manifest.contributes.views), [Views.container]);
    assert.deepEqual(
      manifest.contributes.views[Views.container].map((v: { id: string }) => v.id),
      [Views.servers, Views.audit, Views.permissions],
    );
  });

  it('never activates on everything', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
  });
});
