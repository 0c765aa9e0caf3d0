import * as assert from 'node:assert/strict';
import type { ToolCallResult, ToolInfo } from '../../../src/core/lifecycle/session';
import { negotiationMismatch, readRun } from '../../../src/node/conformance/conformanceClient';
import { AUTH_SCRIPT, parseScenarioContext, sampleArguments, scenarioScript, SCENARIOS, type ScenarioUser } from '../../../src/node/conformance/scenarios';

/** A user whose calls are recorded; `fail` makes a call reject with that message. */
function recordingUser(tools: ToolInfo[] = [], fail: Record<string, string> = {}) {
  const calls: { tool: string; args: Readonly<Record<string, unknown>> }[] = [];
  const notes: string[] = [];
  const user: ScenarioUser = {
    tools,
    call: async (tool, args) => {
      calls.push({ tool, args });
      if (fail[tool]) throw new Error(fail[tool]);
      return { content: [] } as ToolCallResult;
    },
    note: (message) => notes.push(message),
  };
  return { user, calls, notes };
}

const tool = (name: string, inputSchema: Record<string, unknown> = { type: 'object' }): ToolInfo => ({ name, inputSchema });

describe('conformance scenarios', () => {
  it('has a script for every non-auth client scenario of conformance 0.1.16 and 0.2.0-alpha.12', () => {
    assert.deepEqual(Object.keys(SCENARIOS).sort(), [
      'elicitation-sep1034-client-defaults',
      'http-custom-headers',
      'http-invalid-tool-headers',
      'http-standard-headers',
      'initialize',
      'json-schema-2020-12-preservation',
      'json-schema-ref-no-deref',
      'request-metadata',
      'sep-2322-client-request-state',
      'sse-retry',
      'tools_call',
    ]);
  });

  it('plays every auth scenario as a plain start, and names the known scenarios for an unknown one', () => {
    assert.equal(scenarioScript('auth/metadata-default'), AUTH_SCRIPT);
    assert.throws(() => scenarioScript('sep-2640-client-no-prefetch'), /unknown scenario 'sep-2640-client-no-prefetch'; known scenarios: initialize, tools_call, .*auth\/\*/);
    assert.throws(() => scenarioScript(undefined), /MCP_CONFORMANCE_SCENARIO is not set/);
  });

  it('calls add_numbers with two numbers', async () => {
    const { user, calls } = recordingUser();
    await SCENARIOS['tools_call']!.run(user, {});
    assert.deepEqual(calls, [{ tool: 'add_numbers', args: { a: 2, b: 3 } }]);
  });

  it('makes exactly the calls of context.toolCalls, null arguments included, and refuses a context without them', async () => {
    const context = parseScenarioContext(JSON.stringify({ name: 'http-custom-headers', toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: { verbose: null } }] }));
    const { user, calls } = recordingUser();
    await SCENARIOS['http-custom-headers']!.run(user, context);
    assert.deepEqual(calls, [
      { tool: 'a', args: { x: 1 } },
      { tool: 'b', args: { verbose: null } },
    ]);
    await assert.rejects(SCENARIOS['http-custom-headers']!.run(user, {}), /no toolCalls/);
  });

  it('sends the inputSchema of json_schema_2020_12_tool to json_schema_echo as the catalog keeps it', async () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', $defs: { a: { type: 'string' } }, unevaluatedProperties: false };
    const { user, calls } = recordingUser([tool('json_schema_2020_12_tool', schema), tool('json_schema_echo')]);
    await SCENARIOS['json-schema-2020-12-preservation']!.run(user, {});
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.tool, 'json_schema_echo');
    assert.equal(calls[0]!.args['schema'], schema);
  });

  it('calls every tool offered (and only those) in http-invalid-tool-headers, with the required arguments filled in', async () => {
    const { user, calls } = recordingUser([tool('valid_tool', { type: 'object', properties: { region: { type: 'string' } }, required: ['region'] })]);
    await SCENARIOS['http-invalid-tool-headers']!.run(user, {});
    assert.deepEqual(calls, [{ tool: 'valid_tool', args: { region: 'us-west1' } }]);
  });

  it('confirms sep-2322 forms with {confirmed: true}, and accepts the defaults form without content', () => {
    const form = { mode: 'form' as const, server: 's', message: 'm', requestedSchema: { type: 'object' as const, properties: {} } };
    assert.deepEqual(SCENARIOS['sep-2322-client-request-state']!.answerElicitation!(form), { action: 'accept', content: { confirmed: true } });
    assert.deepEqual(SCENARIOS['elicitation-sep1034-client-defaults']!.answerElicitation!(form), { action: 'accept', content: {} });
    assert.equal(SCENARIOS['tools_call']!.answerElicitation, undefined);
  });

  it('tolerates only the SDK refusing a result without resultType in sep-2322', async () => {
    const refused = recordingUser([], { test_mrtr_no_result_type: 'Invalid result for tools/call: missing required resultType' });
    await SCENARIOS['sep-2322-client-request-state']!.run(refused.user, {});
    assert.deepEqual(
      refused.calls.map((c) => c.tool),
      ['test_mrtr_echo_state', 'test_mrtr_no_state', 'test_mrtr_unrelated', 'test_mrtr_no_result_type'],
    );
    assert.match(refused.notes.join('\n'), /refused as the user sees it/);
    const broken = recordingUser([], { test_mrtr_no_result_type: 'connection lost' });
    await assert.rejects(SCENARIOS['sep-2322-client-request-state']!.run(broken.user, {}), /connection lost/);
  });

  it('reads the context: absent is empty, toolCalls must be well formed', () => {
    assert.deepEqual(parseScenarioContext(undefined), {});
    assert.deepEqual(parseScenarioContext('{"name":"x","toolCalls":[{"name":"t"}]}'), { name: 'x', toolCalls: [{ name: 't', arguments: {} }] });
    assert.throws(() => parseScenarioContext('[1]'), /must be a JSON object/);
    assert.throws(() => parseScenarioContext('{"toolCalls":{}}'), /toolCalls must be an array/);
    assert.throws(() => parseScenarioContext('{"toolCalls":[{"arguments":{}}]}'), /toolCalls\[0\]\.name/);
    assert.throws(() => parseScenarioContext('{"toolCalls":[{"name":"t","arguments":[]}]}'), /toolCalls\[0\]\.arguments/);
  });

  it('fills only required arguments, by type', () => {
    const schema = { properties: { n: { type: 'integer' }, b: { type: 'boolean' }, s: { type: 'string' }, optional: { type: 'string' } }, required: ['n', 'b', 's'] };
    assert.deepEqual(sampleArguments(schema), { n: 1, b: true, s: 'us-west1' });
  });

  it('reads the command line and environment the suite hands over', () => {
    const run = readRun(['http://localhost:1/mcp'], { MCP_CONFORMANCE_SCENARIO: 'tools_call', MCP_CONFORMANCE_PROTOCOL_VERSION: '2026-07-28', MCP_CONFORMANCE_CONTEXT: '{"name":"tools_call"}' });
    assert.equal(run.serverUrl, 'http://localhost:1/mcp');
    assert.equal(run.script, SCENARIOS['tools_call']);
    assert.equal(run.protocolVersion, '2026-07-28');
    assert.deepEqual(run.context, { name: 'tools_call' });
    assert.equal(readRun(['u'], { MCP_CONFORMANCE_SCENARIO: 'initialize' }).protocolVersion, undefined);
    assert.throws(() => readRun([], { MCP_CONFORMANCE_SCENARIO: 'initialize' }), /usage/);
  });

  it('fails a run whose negotiated version is not the one the suite runs the scenario at', () => {
    assert.equal(negotiationMismatch(undefined, '2025-11-25'), undefined);
    assert.equal(negotiationMismatch('2026-07-28', '2026-07-28'), undefined);
    assert.equal(negotiationMismatch('2026-07-28', '2025-11-25'), 'the suite runs this scenario at 2026-07-28, but MCP Warden negotiated 2025-11-25');
  });
});
