import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../../../src/core/audit/auditEvent';
import type { ServerDefinition } from '../../../../src/core/config/serverDefinition';
import { REDACTED, Redactor } from '../../../../src/core/redaction';
import { ServerSupervisor } from '../../../../src/core/lifecycle/serverSupervisor';
import type { ServerState } from '../../../../src/core/lifecycle/serverState';
import { approveEveryLaunch } from '../../../support/approveEverything';
import { FakeLauncher, flush, ManualClock, RecordingLogger } from '../../fakes';

const definition: ServerDefinition = { name: 'srv', type: 'stdio', command: 'x', args: [], env: {}, autostart: true, disabled: false };

function setup() {
  const launcher = new FakeLauncher();
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const supervisor = new ServerSupervisor(definition, 'mcpWarden.servers.srv', {
    launcher,
    authorizeLaunch: approveEveryLaunch,
      resolveSpec: async (d) => ({ type: 'stdio', command: d.type === 'stdio' ? d.command : '', args: [], env: {}, secrets: [] }),
    limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }),
    clock,
    logger,
  });
  const states: ServerState['kind'][] = [];
  const gaveUp: string[] = [];
  supervisor.onDidChangeState((s) => states.push(s.kind));
  supervisor.onDidGiveUp((m) => gaveUp.push(m));
  return { launcher, clock, logger, supervisor, states, gaveUp };
}

/** The state's kind, read afresh (TypeScript would otherwise keep a narrowing from an earlier assertion). */
const kindOf = (supervisor: ServerSupervisor): string => supervisor.state.kind;

describe('ServerSupervisor', () => {
  it('goes stopped → starting → running → stopping → stopped, closing the session', async () => {
    const { launcher, supervisor, states } = setup();
    await supervisor.start();
    assert.equal(supervisor.state.kind, 'running');
    assert.equal(launcher.requests[0]?.keyPath, 'mcpWarden.servers.srv');
    await supervisor.stop();
    assert.deepEqual(states, ['starting', 'running', 'stopping', 'stopped']);
    assert.equal(launcher.last.closed, true);
  });

  it('restarts a crashed server after a backoff, and gives up at the fifth crash in three minutes', async () => {
    const { launcher, clock, supervisor, gaveUp } = setup();
    await supervisor.start();
    const delays = [1000, 2000, 4000, 8000];
    for (const [i, delay] of delays.entries()) {
      launcher.last.crash(`exit ${i}`);
      assert.equal(supervisor.state.kind, 'waiting');
      assert.equal(supervisor.state.kind === 'waiting' && supervisor.state.retryAt - clock.now(), delay);
      clock.advance(delay - 1);
      assert.equal(launcher.sessions.length, i + 1, 'no restart before the delay');
      clock.advance(1);
      await flush();
      assert.equal(supervisor.state.kind, 'running');
    }
    launcher.last.crash('exit 4');
    assert.equal(supervisor.state.kind, 'error');
    assert.ok(supervisor.state.kind === 'error' && supervisor.state.gaveUp);
    assert.match(gaveUp[0] ?? '', /exit 4 — it crashed 5 times in 3 minutes, so MCP Warden stopped restarting it/);
    assert.equal(clock.pendingTimers, 0, 'no restart is scheduled after giving up');
    await supervisor.start();
    assert.equal(supervisor.state.kind, 'running', 'a start by the user tries again');
  });

  it('does not retry a failure the user must fix, and retries a process that died during start', async () => {
    const { launcher, supervisor } = setup();
    launcher.next = [{ fail: "command 'x' was not found", retryable: false }];
    await supervisor.start();
    assert.deepEqual(supervisor.state, { kind: 'error', message: "command 'x' was not found", gaveUp: false });
    launcher.next = [{ fail: 'exited with code 1', retryable: true }];
    await supervisor.start();
    assert.equal(kindOf(supervisor), 'waiting');
  });

  it('ends in error without restarting when a session ends fatally', async () => {
    const { launcher, clock, supervisor } = setup();
    await supervisor.start();
    launcher.last.crash('message too large', true);
    assert.deepEqual(supervisor.state, { kind: 'error', message: 'message too large', gaveUp: false });
    clock.advance(60_000);
    assert.equal(launcher.sessions.length, 1);
  });

  it('stop cancels a start in flight and a pending restart', async () => {
    const { launcher, clock, supervisor } = setup();
    launcher.next = ['hang'];
    const starting = supervisor.start();
    await flush();
    assert.equal(supervisor.state.kind, 'starting');
    await supervisor.stop();
    await starting;
    assert.equal(supervisor.state.kind, 'stopped');
    assert.equal(launcher.requests[0]?.signal.aborted, true);

    await supervisor.start();
    launcher.last.crash();
    assert.equal(kindOf(supervisor), 'waiting');
    await supervisor.stop();
    clock.advance(60_000);
    await flush();
    assert.equal(kindOf(supervisor), 'stopped');
    assert.equal(launcher.sessions.length, 1, 'the cancelled restart never ran');
  });

  it('restarts on a definition change only when running and only if the launch changed', async () => {
    const { launcher, supervisor } = setup();
    await supervisor.update({ ...definition, args: ['changed'] });
    assert.equal(launcher.requests.length, 0, 'a stopped server is not started by a change');
    await supervisor.start();
    await supervisor.update({ ...definition, args: ['changed'], autostart: false });
    assert.equal(launcher.requests.length, 1, 'autostart is not part of the launch');
    await supervisor.update({ ...definition, args: ['changed again'] });
    assert.equal(launcher.requests.length, 2);
    assert.equal(launcher.sessions[0]?.closed, true);
    await supervisor.update({ ...definition, disabled: true });
    assert.equal(supervisor.state.kind, 'stopped');
  });

  it('refuses a tool call when not running, naming the state', async () => {
    const { supervisor } = setup();
    await assert.rejects(supervisor.request('tools/call', { name: 'echo', arguments: {} }, { timeoutMs: 10 }), /server 'srv' is not running \(stopped\)/);
    await supervisor.start();
    const result = (await supervisor.request('tools/call', { name: 'echo', arguments: { a: 1 } }, { timeoutMs: 10 })) as { content: unknown };
    assert.deepEqual(result.content, [{ type: 'text', text: 'echo {"a":1}' }]);
  });

  it('stop wins over a start that hangs resolving its definition (an env file that never ends, a prompt left open)', async () => {
    const launcher = new FakeLauncher();
    let resolving = 0;
    const supervisor = new ServerSupervisor(definition, 'mcpWarden.servers.srv', {
      launcher,
      authorizeLaunch: approveEveryLaunch,
      resolveSpec: () => {
        resolving++;
        return new Promise(() => undefined); // never settles
      },
      limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }),
      clock: new ManualClock(),
      logger: new RecordingLogger(),
    });
    void supervisor.start();
    await flush();
    assert.equal(resolving, 1);
    assert.equal(kindOf(supervisor), 'starting');
    await supervisor.stop(); // would wait forever if the start were not abandoned
    assert.equal(kindOf(supervisor), 'stopped');
    assert.equal(launcher.requests.length, 0, 'nothing was launched');
  });

  it('records a tool call it refuses because the server is not running', async () => {
    const events: AuditInput[] = [];
    const supervisor = new ServerSupervisor(definition, 'mcpWarden.servers.srv', {
      launcher: new FakeLauncher(),
      authorizeLaunch: approveEveryLaunch,
      resolveSpec: async () => ({ type: 'stdio', command: 'x', args: [], env: {}, secrets: [] }),
      limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }),
      clock: new ManualClock(),
      logger: new RecordingLogger(),
      audit: { record: (e) => events.push(typeof e === 'function' ? e() : e) },
    });
    await assert.rejects(supervisor.request('tools/call', { name: 'echo', arguments: { text: 'hi' } }, { timeoutMs: 1000 }), /server 'srv' is not running/);
    const [refused] = events;
    assert.equal(refused?.type, 'request');
    assert.deepEqual(refused?.type === 'request' && [refused.refused, refused.request, refused.response.error?.message], [
      true,
      { method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
      "refused by MCP Warden: server 'srv' is not running (stopped)",
    ]);
  });

  it('hides secrets in the messages of its states, which views, notifications and the API show', async () => {
    const launcher = new FakeLauncher();
    const redactor = new Redactor();
    redactor.addSecrets(['value-from-env-1234']);
    const supervisor = new ServerSupervisor(definition, 'mcpWarden.servers.srv', {
      launcher,
      authorizeLaunch: approveEveryLaunch,
      resolveSpec: async () => ({ type: 'stdio', command: 'x', args: [], env: {}, secrets: [] }),
      limits: () => ({ startupTimeoutMs: 1000, maxMessageBytes: 1024, serverLogLevel: 'info' }),
      clock: new ManualClock(),
      logger: new RecordingLogger(),
      redact: (text) => redactor.text(text),
    });
    launcher.next = [{ fail: 'cannot connect to http://127.0.0.1:9/mcp?k=value-from-env-1234: connection refused', retryable: true }];
    await supervisor.start();
    assert.equal(supervisor.state.kind === 'waiting' && supervisor.state.lastError, `cannot connect to http://127.0.0.1:9/mcp?k=${REDACTED}: connection refused`);
    launcher.next = [{ fail: 'Authorization: Bearer value-from-env-1234 refused', retryable: false }];
    await supervisor.start();
    assert.equal(supervisor.state.kind === 'error' && supervisor.state.message, `Authorization: Bearer ${REDACTED} refused`);
  });
});
