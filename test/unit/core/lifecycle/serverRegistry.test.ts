import * as assert from 'node:assert/strict';
import { parseServers } from '../../../../src/core/config/parseServers';
import { ServerRegistry, type ConfigSnapshot } from '../../../../src/core/lifecycle/serverRegistry';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import { nullLogger } from '../../../../src/core/ports';
import { approveEverything, approveEveryLaunch, textHasher } from '../../../support/approveEverything';
import { FakeLauncher, ManualClock } from '../../fakes';

function snapshot(servers: Record<string, unknown>, discovered: Record<string, unknown> = {}): ConfigSnapshot {
  return {
    servers: parseServers(servers, 'mcpWarden.servers', { kind: 'settings' }, { strict: true }),
    discovered: parseServers(discovered, '.vscode/mcp.json: servers', { kind: 'file', path: '.vscode/mcp.json', format: 'vscode' }, { strict: false }),
    problems: [],
  };
}

function setup() {
  const launcher = new FakeLauncher();
  const audited: AuditInput[] = [];
  const registry = new ServerRegistry({
    supervisor: {
      audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) },
      launcher,
      authorizeLaunch: approveEveryLaunch,
      resolveSpec: async () => ({ type: 'stdio', command: 'x', args: [], env: {}, secrets: [] }),
      limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }),
      clock: new ManualClock(),
    },
    loggerFor: () => nullLogger,
    logger: nullLogger,
    requestTimeoutMs: () => 1000,
    authorizer: approveEverything,
    hasher: textHasher,
  });
  return { launcher, registry, audited };
}

const started = (launcher: FakeLauncher) => launcher.requests.map((r) => r.serverName);

describe('ServerRegistry', () => {
  it('autostarts configured servers, never disabled, invalid or discovered ones', async () => {
    const { launcher, registry } = setup();
    await registry.applyConfiguration(
      snapshot({ a: { command: 'a' }, manual: { command: 'm', autostart: false }, off: { command: 'o', disabled: true }, bad: { url: 'http://x.example' } }, { found: { command: 'f' } }),
      { autostart: true },
    );
    assert.deepEqual(started(launcher), ['a']);
    assert.deepEqual(
      registry.servers.map((s) => [s.name, s.status, s.state.kind]),
      [['a', 'configured', 'running'], ['manual', 'configured', 'stopped'], ['off', 'configured', 'stopped'], ['bad', 'invalid', 'stopped'], ['found', 'discovered', 'stopped']],
    );
    assert.throws(() => registry.start('found'), /only defined in \.vscode\/mcp\.json; import it into mcpWarden\.servers first/);
    assert.throws(() => registry.start('bad'), /server 'bad' cannot start: mcpWarden\.servers\.bad\.url must be https/);
    assert.throws(() => registry.start('nope'), /no server is named 'nope'/);
  });

  it('applies a change by restarting only changed servers and stopping removed ones', async () => {
    const { launcher, registry } = setup();
    await registry.applyConfiguration(snapshot({ a: { command: 'a' }, b: { command: 'b' }, c: { command: 'c' } }), { autostart: true });
    const [a, b, c] = launcher.sessions;
    await registry.applyConfiguration(snapshot({ a: { command: 'a' }, b: { command: 'b', args: ['new'] }, d: { command: 'd' } }), { autostart: true });
    assert.equal(a?.closed, false, 'unchanged a keeps its session');
    assert.equal(b?.closed, true, 'changed b was restarted');
    assert.equal(c?.closed, true, 'removed c was stopped');
    assert.deepEqual(started(launcher).sort(), ['a', 'b', 'b', 'c', 'd']);
    assert.equal(registry.server('c'), undefined);
  });

  it('audits settings changes that touch a server (not the configuration it opened with), and lifecycles', async () => {
    const { registry, audited } = setup();
    await registry.applyConfiguration(snapshot({ a: { command: 'a' }, b: { command: 'b' } }), { autostart: true });
    assert.deepEqual(audited.filter((e) => e.type === 'config'), []);
    await registry.applyConfiguration(snapshot({ a: { command: 'a', args: ['x'] }, c: { url: 'https://c.example/mcp' } }), { autostart: true });
    assert.deepEqual(
      audited.filter((e) => e.type === 'config').map((e) => e.type === 'config' && [e.server, e.action, e.keyPath]),
      [['b', 'removed', 'mcpWarden.servers.b'], ['a', 'changed', 'mcpWarden.servers.a'], ['c', 'added', 'mcpWarden.servers.c']],
    );
    const lifecycleOfA = audited.filter((e) => e.type === 'lifecycle' && e.server === 'a').map((e) => e.type === 'lifecycle' && e.action);
    assert.deepEqual(lifecycleOfA, ['start', 'ready', 'restart', 'stop', 'start', 'ready']);
  });

  it('does not autostart when told not to (an untrusted workspace)', async () => {
    const { launcher, registry } = setup();
    await registry.applyConfiguration(snapshot({ a: { command: 'a' } }), { autostart: false });
    assert.deepEqual(started(launcher), []);
  });

  it('routes tool calls to the right server and checks the tool exists', async () => {
    const { registry } = setup();
    await registry.applyConfiguration(snapshot({ a: { command: 'a' } }), { autostart: true });
    assert.deepEqual((await registry.callTool('a', 'echo', { x: 1 })).content, [{ type: 'text', text: 'echo {"x":1}' }]);
    await assert.rejects(registry.callTool('a', 'missing', {}), /server 'a' has no tool named 'missing'/);
  });

  it('records every call it refuses before it reaches a server: no such tool, no such server', async () => {
    const { registry, audited } = setup();
    await registry.applyConfiguration(snapshot({ a: { command: 'a' } }), { autostart: true });
    audited.length = 0;
    await assert.rejects(registry.callTool('a', 'missing', { k: 1 }));
    await assert.rejects(registry.callTool('nope', 'echo', {}), /no server is named 'nope'/);
    const refused = audited.filter((e) => e.type === 'request');
    assert.deepEqual(
      refused.map((e) => e.type === 'request' && [e.server, e.refused, e.request.params, e.response.error?.message]),
      [
        ['a', true, { name: 'missing', arguments: { k: 1 } }, "refused by MCP Warden: server 'a' has no tool named 'missing'"],
        ['nope', true, { name: 'echo', arguments: {} }, "refused by MCP Warden: no server is named 'nope'"],
      ],
    );
  });

  it('starts and stops all, and one failing start does not stop the others', async () => {
    const { launcher, registry } = setup();
    await registry.applyConfiguration(snapshot({ a: { command: 'a' }, b: { command: 'b' }, c: { command: 'c' } }), { autostart: false });
    launcher.next = ['succeed', { fail: 'boom', retryable: false }, 'succeed'];
    await registry.startAll();
    assert.deepEqual(registry.servers.map((s) => s.state.kind), ['running', 'error', 'running']);
    await registry.stopAll();
    assert.deepEqual(registry.servers.map((s) => s.state.kind), ['stopped', 'stopped', 'stopped']);
  });
});
