import * as assert from 'node:assert/strict';
import { callOutcome } from '../../../src/core/callOutcome';
import type { McpWardenApi } from '../../../src/vscode/api';
import { allowWhenAsked, callAllowed, isRunning, waitForServer, wardenApi } from './helpers';

describe('A tool call the user interrupts', function () {
  let api: McpWardenApi;

  before(async function () {
    api = await wardenApi();
  });

  it('is reported as stopped, not failed, when the user stops its server while it runs', async function () {
    await waitForServer(api, 'modern', isRunning, 'running');
    const sleep = api.callTool('modern', 'sleep', { ms: 60_000 });
    const failure = sleep.then(
      () => assert.fail('the call outlived its server'),
      (error: unknown) => error,
    );
    await allowWhenAsked('modern', 'tool', 'once', { until: sleep });
    // Requests go out in order and the server answers them concurrently: once echo is answered, sleep is running.
    assert.deepEqual((await callAllowed(api, 'modern', 'echo', { text: 'after sleep' })).content, [{ type: 'text', text: 'after sleep' }]);
    await api.stopServer('modern');
    const error = await failure;
    const outcome = callOutcome(error, { serverName: 'modern', toolName: 'sleep', serverState: api.getServer('modern')?.state.kind });
    assert.deepEqual(outcome, { kind: 'stopped', message: "server 'modern' was stopped while 'sleep' was running" }, `raw error: ${String(error)}`);
    await api.startServer('modern');
    await waitForServer(api, 'modern', isRunning, 'running');
  });
});
