// Resource subscriptions with a server of the 2026-07-28 era, which has no resources/subscribe: the same requests
// through the real registry, gate and supervisor become a subscriptions/listen stream of the subscribed URIs.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { PermissionRequest } from '../../src/core/permissions/permission';
import { PermissionDeniedError } from '../../src/core/permissions/permissionDenied';
import type { RequestAuthorizer } from '../../src/core/permissions/permissionBroker';
import { approveEveryLaunch } from '../support/approveEverything';
import { FAST_RESTARTS, FIXTURE, NODE, pidOf, running, sessionOf, startServers, waitUntil, type Harness, type HarnessOptions } from './harness';

const SERVER = FIXTURE.replace('fixture-server.mjs', 'subscriptions-server.mjs');
const NOTE = 'note://current';

describe('resource subscriptions in the 2026-07-28 era (subscriptions/listen)', function () {
  this.timeout(60_000);
  let harness: Harness;
  let audited: AuditInput[];
  let asked: PermissionRequest[];
  let updates: string[];
  /** The gate's answer to a resource permission (subscribe, read); everything else is allowed. */
  let resourceVerdict: 'allow' | 'deny';

  let httpServer: ChildProcess | undefined;

  afterEach(() => {
    httpServer?.kill();
    httpServer = undefined;
  });

  /** The fixture over Streamable HTTP on a free port: its URL. */
  async function startHttp(): Promise<string> {
    const child = spawn(NODE, [SERVER, '--transport', 'http', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    httpServer = child;
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening on (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
    });
    return `http://127.0.0.1:${port}/mcp`;
  }

  async function start(args: string[] = [], options: HarnessOptions = {}, definition?: Record<string, unknown>): Promise<void> {
    audited = [];
    asked = [];
    updates = [];
    resourceVerdict = 'allow';
    const authorizer: RequestAuthorizer = {
      authorize: async (request) => {
        asked.push(request);
        return { verdict: request.permission.kind === 'resource' ? resourceVerdict : 'allow', rule: 'the test decides', risks: [] };
      },
    };
    harness = await startServers(
      { notes: definition ?? { command: NODE, args: [SERVER, ...args] } },
      { ...options, audit: { record: (e) => audited.push(typeof e === 'function' ? e() : e) }, permissions: { authorizer, authorizeLaunch: approveEveryLaunch } },
    );
    assert.equal(sessionOf(await harness.waitFor('notes', running, 'running')).era, 'modern');
    harness.registry.onDidUpdateResource((event) => updates.push(`${event.server} ${event.uri}`));
  }

  /** Changes the note. The server sends its update before the tool's result, on the same stdio channel. */
  async function edit(text: string): Promise<void> {
    await harness.registry.callTool('notes', 'edit', { text });
  }

  /** The URIs of each listen stream the server acknowledged for resource updates (the SDK's list-changed stream has none). */
  const listenAcks = () =>
    audited.flatMap((e) => {
      if (e.type !== 'notification' || e.direction !== 'to-client' || e.method !== 'notifications/subscriptions/acknowledged') return [];
      const uris = (e.params as { notifications: { resourceSubscriptions?: string[] } }).notifications.resourceSubscriptions;
      return uris ? [uris] : [];
    });

  it('a subscribe becomes a listen stream for the URI: updates reach onDidUpdateResource, and stop after unsubscribe', async () => {
    await start();
    await harness.registry.request('notes', 'resources/subscribe', { uri: NOTE });
    // The gate decided on the resources/subscribe request, as in the initialize era…
    assert.deepEqual(asked.filter((r) => r.permission.kind === 'resource').map((r) => [r.method, r.permission.target]), [['resources/subscribe', NOTE]]);
    // …and what went to the server was a subscriptions/listen the server acknowledged for that URI.
    assert.deepEqual(listenAcks(), [[NOTE]]);
    assert.ok(!audited.some((e) => e.type === 'request' && e.request.method === 'resources/subscribe'), 'resources/subscribe does not exist in 2026-07-28');

    await edit('second version');
    await waitUntil(() => updates.length === 1, 'the update of the note');
    assert.deepEqual(updates, [`notes ${NOTE}`]);
    const [read] = (await harness.registry.request('notes', 'resources/read', { uri: NOTE }) as { contents: { text: string }[] }).contents;
    assert.equal(read?.text, 'second version');

    await harness.registry.request('notes', 'resources/unsubscribe', { uri: NOTE });
    await edit('third version');
    // One more round trip on the channel the update would have come on, before the count is read.
    await harness.registry.request('notes', 'resources/read', { uri: NOTE });
    assert.deepEqual(updates, [`notes ${NOTE}`], 'no update after unsubscribe');
  });

  it('over Streamable HTTP too: the update comes on the listen stream', async () => {
    await start([], {}, { url: await startHttp() });
    assert.equal(sessionOf(harness.server('notes')).transport, 'streamable-http');
    await harness.registry.request('notes', 'resources/subscribe', { uri: NOTE });
    assert.deepEqual(listenAcks(), [[NOTE]]);
    await edit('over http');
    await waitUntil(() => updates.length === 1, 'the update over HTTP');
    assert.deepEqual(updates, [`notes ${NOTE}`]);
  });

  it('a subscribe the gate denies opens no stream; allowed later, it does', async () => {
    await start();
    resourceVerdict = 'deny';
    await assert.rejects(harness.registry.request('notes', 'resources/subscribe', { uri: NOTE }), PermissionDeniedError);
    await edit('unseen');
    await edit('unseen again');
    assert.deepEqual(listenAcks(), []);
    assert.deepEqual(updates, []);

    resourceVerdict = 'allow';
    await harness.registry.request('notes', 'resources/subscribe', { uri: NOTE });
    await edit('seen');
    await waitUntil(() => updates.length === 1, 'the update once allowed');
    assert.deepEqual(listenAcks(), [[NOTE]]);
  });

  it('makes the subscription again after a restart and after a crash: updates arrive again', async () => {
    await start([], { restartPolicy: FAST_RESTARTS });
    await harness.registry.request('notes', 'resources/subscribe', { uri: NOTE });
    const first = pidOf(harness.server('notes'));

    await harness.registry.restart('notes', 'a test');
    const restarted = await harness.waitFor('notes', (s) => running(s) && pidOf(s) !== first, 'running again');
    await waitUntil(() => listenAcks().filter((uris) => uris.includes(NOTE)).length === 2, 'the subscription made again');
    await edit('after the restart');
    await waitUntil(() => updates.length === 1, 'an update after the restart');

    process.kill(pidOf(restarted), 'SIGKILL');
    await harness.waitFor('notes', (s) => running(s) && pidOf(s) !== pidOf(restarted), 'restarted after the crash');
    await waitUntil(() => listenAcks().filter((uris) => uris.includes(NOTE)).length === 3, 'the subscription made again after the crash');
    await edit('after the crash');
    await waitUntil(() => updates.length === 2, 'an update after the crash');
    assert.deepEqual(updates, [`notes ${NOTE}`, `notes ${NOTE}`]);
  });

  it('a server that does not declare resources.subscribe: the subscribe is refused and says why', async () => {
    await start(['--no-subscribe']);
    await assert.rejects(harness.registry.request('notes', 'resources/subscribe', { uri: NOTE }), /does not support resource subscriptions/);
    await edit('unseen');
    await harness.registry.request('notes', 'resources/read', { uri: NOTE });
    assert.deepEqual(updates, []);
  });
});
