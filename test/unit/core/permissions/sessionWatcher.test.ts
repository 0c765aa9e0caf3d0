import * as assert from 'node:assert/strict';
import { parseServers } from '../../../../src/core/config/parseServers';
import { ServerRegistry } from '../../../../src/core/lifecycle/serverRegistry';
import type { Grant, UserAnswer } from '../../../../src/core/permissions/permission';
import { PermissionBroker, type PermissionQuestion } from '../../../../src/core/permissions/permissionBroker';
import { PermissionGate } from '../../../../src/core/permissions/permissionGate';
import { permissionForRequest, PinCache } from '../../../../src/core/permissions/requestPermissions';
import { declarationsOf, SessionWatcher } from '../../../../src/core/permissions/sessionWatcher';
import { nullLogger } from '../../../../src/core/ports';
import { approveEveryLaunch, textHasher } from '../../../support/approveEverything';
import { FakeLauncher, flush, ManualClock } from '../../fakes';

function setup() {
  const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: ['/ws'], caseInsensitivePaths: false });
  const questions: PermissionQuestion[] = [];
  const answers: UserAnswer[] = [];
  const broker = new PermissionBroker({
    gate,
    prompter: { ask: async (q) => (questions.push(q), answers.shift()) },
    store: { add: async () => undefined, remove: async () => undefined, confirm: async () => undefined },
    sealer: { seal: (g) => g, status: () => 'sealed' },
    audit: { record: () => undefined },
    clock: new ManualClock(),
    logger: nullLogger,
    askTimeoutMs: () => 1000,
  });
  const launcher = new FakeLauncher();
  const registry = new ServerRegistry({
    supervisor: { launcher, authorizeLaunch: approveEveryLaunch, resolveSpec: async () => ({ type: 'stdio', command: 'x', args: [], env: {}, secrets: [] }), limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }), clock: new ManualClock() },
    loggerFor: () => nullLogger,
    logger: nullLogger,
    requestTimeoutMs: () => 1000,
    authorizer: broker,
    hasher: textHasher,
  });
  const watcher = new SessionWatcher({ registry, gate, broker, logger: nullLogger, declarationsOf: (s) => declarationsOf(s, ['/ws']) });
  return { gate, broker, registry, launcher, watcher, questions, answers };
}

const config = (servers: Record<string, unknown>) => ({ servers: parseServers(servers, 'mcpWarden.servers', { kind: 'settings' }, { strict: true }), discovered: [], problems: [] });

describe('SessionWatcher', () => {
  it('asks for each declared permission nothing decides yet, once per run, settings first', async () => {
    const { registry, questions, gate } = setup();
    gate.setWorkspaceGrants([{ grant: { server: 'files', kind: 'net', target: 'api.github.com', decision: 'allow', scope: 'workspace', grantedAt: 'x' }, status: 'sealed' }]);
    await registry.applyConfiguration(
      config({ files: { command: 'x', permissions: { 'fs.write': [{ target: './build', reason: 'writes the site' }], net: ['api.github.com'] } } }),
      { autostart: true },
    );
    await flush();
    assert.deepEqual(
      questions.map((q) => [q.request.permission.kind, q.request.permission.target, q.request.reason, q.request.method]),
      [['fs.write', '/ws/build', 'writes the site', 'declared (settings)']],
      'the net declaration is already granted: not asked',
    );
    await registry.stop('files');
    await registry.start('files');
    await flush();
    assert.equal(questions.length, 2, 'asked again in a new run (the first answer was dismissed)');
  });

  it('asks again about a tool whose definition changed since it was allowed, with the new definition', async () => {
    const { registry, launcher, gate, questions } = setup();
    await registry.applyConfiguration(config({ files: { command: 'x' } }), { autostart: true });
    const session = launcher.sessions[0]!;
    const pin = registry.toolPin('files', 'echo')!;
    const grant: Grant = { server: 'files', kind: 'tool', target: 'echo', decision: 'allow', scope: 'workspace', grantedAt: 'x', pin };
    gate.setWorkspaceGrants([{ grant, status: 'sealed' }]);
    const changed = { ...session.catalog, tools: [{ name: 'echo', description: 'now it deletes', inputSchema: { type: 'object' } }] };
    session.catalog = changed;
    session.catalogEmitter.fire(changed);
    await flush();
    const question = questions.find((q) => q.decision.suspended);
    assert.equal(question?.decision.suspended, grant);
    assert.equal((question?.definition as { description?: string }).description, 'now it deletes');
  });

  it('tells a server its roots changed when its fs.read grants do, and only then', async () => {
    const { registry, launcher, gate } = setup();
    await registry.applyConfiguration(config({ files: { command: 'x' } }), { autostart: true });
    await flush();
    const session = launcher.sessions[0]!;
    gate.setWorkspaceGrants([{ grant: { server: 'files', kind: 'tool', target: 'echo', decision: 'allow', scope: 'workspace', grantedAt: 'x' }, status: 'sealed' }]);
    assert.equal(session.rootsChanged, 0, 'a tool grant is not a root');
    gate.setWorkspaceGrants([{ grant: { server: 'files', kind: 'fs.read', target: '/ws/docs', decision: 'allow', scope: 'workspace', grantedAt: 'x' }, status: 'sealed' }]);
    assert.equal(session.rootsChanged, 1);
  });
});

describe('permissionForRequest', () => {
  const catalog = { tools: [{ name: 'echo', inputSchema: {}, annotations: { readOnlyHint: true } }], prompts: [{ name: 'greet' }], resources: [] };
  const pins = new PinCache(textHasher);

  it('maps each client request to the one permission it needs, with pins of listed definitions', () => {
    const tool = permissionForRequest('tools/call', { name: 'echo' }, catalog, pins);
    assert.deepEqual([tool?.permission, tool?.annotations, typeof tool?.pin], [{ kind: 'tool', target: 'echo' }, { readOnlyHint: true }, 'string']);
    assert.deepEqual(permissionForRequest('prompts/get', { name: 'greet' }, catalog, pins)?.permission, { kind: 'prompt', target: 'greet' });
    assert.deepEqual(permissionForRequest('resources/subscribe', { uri: 'file:///a' }, catalog, pins)?.permission, { kind: 'resource', target: 'file:///a' });
    assert.deepEqual(permissionForRequest('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' } }, catalog, pins)?.permission, { kind: 'prompt', target: 'greet' });
    assert.deepEqual(permissionForRequest('completion/complete', { ref: { type: 'ref/resource', uri: 'db://{table}' } }, catalog, pins)?.permission, { kind: 'resource', target: 'db://{table}' });
    assert.equal(permissionForRequest('resources/unsubscribe', { uri: 'file:///a' }, catalog, pins), undefined, 'taking something away needs nothing');
  });

  it('a request without a readable name gets a target no grant names', () => {
    assert.deepEqual(permissionForRequest('tools/call', { name: 42 }, catalog, pins)?.permission, { kind: 'tool', target: '(missing)' });
    assert.equal(permissionForRequest('tools/call', { name: 'unlisted' }, catalog, pins)?.pin, undefined, 'an unlisted tool has no pin, so no pinned grant matches it');
  });
});
