// A second, independent client: the MCP Inspector's CLI (its own copy of the SDK) sees through the gateway what the
// SDK client sees, in both eras, and is refused the same way without the token.
import * as assert from 'node:assert/strict';
import { EVERYTHING, FIXTURE, NODE } from './harness';
import { LEGACY, MODERN, disposeGateways, runInspector, sentTo, startGateway, type Era, type InspectorOutcome } from './gatewayHarness';

type Outcome = InspectorOutcome;
const inspector = runInspector;

function resultOf(outcome: Outcome): Record<string, unknown> {
  assert.equal(outcome.code, 0, `the Inspector failed: ${outcome.stderr}`);
  const parsed = JSON.parse(outcome.stdout) as { result?: Record<string, unknown> } & Record<string, unknown>;
  return parsed.result ?? parsed;
}

describe('gateway: the MCP Inspector CLI as a second client', function () {
  this.timeout(120_000);
  afterEach(disposeGateways);

  for (const era of [LEGACY, MODERN] as Era[]) {
    it(`lists the same tools as the SDK client and calls one (${era})`, async () => {
      const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] }, everything: { command: NODE, args: [EVERYTHING] } });
      await run.harness.waitFor('everything', (s) => s.state.kind === 'running', 'running');
      const token = run.tokenOf['cursor']!;
      const listed = resultOf(await inspector(run, era, token, ['--method', 'tools/list']));
      const inspectorNames = (listed['tools'] as { name: string }[]).map((t) => t.name).sort();
      const sdkNames = (await (await run.agent(era)).listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(inspectorNames, sdkNames);
      assert.ok(inspectorNames.includes('fixture__echo') && inspectorNames.includes('everything__echo'));

      const called = resultOf(await inspector(run, era, token, ['--method', 'tools/call', '--tool-name', 'fixture__echo', '--tool-arg', 'text=from the inspector']));
      assert.deepEqual(called['content'], [{ type: 'text', text: 'from the inspector' }]);
      const calls = sentTo(run.audited, 'fixture').filter((e) => e.type === 'request' && e.request.method === 'tools/call');
      assert.deepEqual(calls.map((e) => e.type === 'request' && e.agent), ['cursor'], 'audited under the agent its token names');
    });
  }

  it('without the right token it is refused with an auth error, and nothing reaches a server', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const before = run.audited.length;
    for (const era of [LEGACY, MODERN] as Era[]) {
      const refused = await inspector(run, era, 'not-a-token', ['--method', 'tools/list']);
      assert.equal(refused.code, 3, refused.stderr);
      assert.equal((JSON.parse(refused.stderr) as { error: { code: string } }).error.code, 'auth_required');
    }
    assert.deepEqual(run.audited.slice(before), []);
  });
});
