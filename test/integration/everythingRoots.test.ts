// Roots as server-everything sees them: only the folders the server may read (fs.read grants), and a new list
// after the grants change (notifications/roots/list_changed, initialize era). The real registry, gate, broker,
// sealer and SessionWatcher; only the user's clicks are scripted.
import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { nullLogger } from '../../src/core/ports';
import { SessionWatcher } from '../../src/core/permissions/sessionWatcher';
import type { Grant } from '../../src/core/permissions/permission';
import { allow, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { EVERYTHING, NODE, ROOT, running, startServers, waitUntil, type Harness } from './harness';

const textOf = (result: unknown) => ((result as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');

describe('roots with server-everything', function () {
  this.timeout(60_000);
  let harness: Harness | undefined;
  let watcher: SessionWatcher | undefined;
  let p: ScriptedPermissions;

  beforeEach(() => {
    p = scriptedPermissions({ workspaceFolder: ROOT });
  });
  afterEach(async () => {
    watcher?.dispose();
    await harness?.dispose();
    harness = undefined;
  });

  it('are the granted folders only, and change when a grant is added', async function () {
    const audited: AuditInput[] = [];
    const audit = { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
    const seal = (kind: Grant['kind'], target: string): Grant =>
      p.sealer.seal({ server: 'everything', kind, target, decision: 'allow', scope: 'workspace', grantedAt: '2026-12-03T00:00:00.000Z' } as Grant);
    p.writeSettings([seal('fs.read', `${ROOT}/docs`)]);
    // The launch, the roots request and the tool: allowed for the session, as a user would click.
    p.prompter.answer((q) => allow(q.request.permission.kind === 'launch' ? 'workspace' : 'session'));
    p.prompter.answer((q) => allow(q.request.permission.kind === 'launch' ? 'workspace' : 'session'));
    p.prompter.answer((q) => allow(q.request.permission.kind === 'launch' ? 'workspace' : 'session'));
    harness = await startServers({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } }, { permissions: p.harness, audit });
    watcher = new SessionWatcher({ registry: harness.registry, gate: p.gate, broker: p.broker, logger: nullLogger, declarationsOf: () => [] });
    await harness.waitFor('everything', running, 'running');

    const rootsNow = async () => textOf(await harness?.registry.callTool('everything', 'get-roots-list', {}));
    const rootsRequests = () => audited.filter((e) => e.type === 'request' && e.request.method === 'roots/list').length;
    await waitUntil(() => rootsRequests() >= 1, 'the server asked for the roots');
    const first = await rootsNow();
    assert.match(first, new RegExp(`file://${ROOT}/docs`), 'the granted folder is a root');
    assert.doesNotMatch(first, new RegExp(`file://${ROOT}/test`), 'a folder not granted is no root');

    const before = rootsRequests();
    p.writeSettings([...p.store.grants, seal('fs.read', `${ROOT}/test`)]);
    await waitUntil(() => rootsRequests() > before, 'the server asked for the roots again');
    assert.match(await rootsNow(), new RegExp(`file://${ROOT}/test`), 'the new grant reaches the server as a root');
    assert.ok(
      audited.some((e) => e.type === 'notification' && e.method === 'notifications/roots/list_changed'),
      'the server was told the roots changed',
    );
    assert.deepEqual(p.prompter.questions.map((q) => q.request.permission.kind).sort(), ['launch', 'roots', 'tool'], 'asked once each, the session answers decided the rest');
  });
});
