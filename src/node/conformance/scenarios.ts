// What a user does in each client scenario of the MCP conformance suite (@modelcontextprotocol/conformance 0.1.16
// and 0.2.0-alpha.12): which tools they call with which arguments, and what they answer when a server asks. The
// suite's mock servers check what reaches them; this table only plays the user. Pure: no I/O, no SDK.
import type { ElicitationAnswer, ElicitationRequest } from '../../core/clientFeatures/elicitation';
import type { ToolCallResult, ToolInfo } from '../../core/lifecycle/session';

/** `MCP_CONFORMANCE_CONTEXT`, as far as the scripts read it. */
export interface ScenarioContext {
  readonly name?: string;
  /** The exact calls a scenario wants (http-custom-headers): arguments as given, nulls included. */
  readonly toolCalls?: readonly ScriptedCall[];
  readonly [key: string]: unknown;
}

export interface ScriptedCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** What the user can do once the server runs: see its tools (as MCP Warden lists them) and call one. */
export interface ScenarioUser {
  readonly tools: readonly ToolInfo[];
  call(tool: string, args: Readonly<Record<string, unknown>>): Promise<ToolCallResult>;
  /** A line for the log (stderr): the suite saves it next to the checks. */
  note(message: string): void;
}

export interface ScenarioScript {
  /** What the user does, in words. */
  readonly does: string;
  /** What the user clicks when the server asks for input (undefined: the scenario never asks). */
  readonly answerElicitation?: (request: ElicitationRequest) => ElicitationAnswer;
  /** A start that fails is the expected end of this scenario (MCP Warden must refuse); the run then ends well. */
  readonly refusalExpected?: boolean;
  run(user: ScenarioUser, context: ScenarioContext): Promise<void>;
}

/** Accept a form without typing anything: the SDK fills in the schema's defaults (MCP Warden declares applyDefaults). */
const acceptDefaults = (): ElicitationAnswer => ({ action: 'accept', content: {} });

const listOnly: ScenarioScript['run'] = async () => undefined;

/** Calls each tool in order, with no arguments (the tools of these scenarios take none). */
function callEach(...tools: string[]): ScenarioScript['run'] {
  return async (user) => {
    for (const tool of tools) await user.call(tool, {});
  };
}

export const SCENARIOS: Readonly<Record<string, ScenarioScript>> = {
  initialize: { does: 'starts the server (initialize, tools/list) and stops it', run: listOnly },
  tools_call: {
    does: 'calls add_numbers with two numbers',
    run: async (user) => {
      await user.call('add_numbers', { a: 2, b: 3 });
    },
  },
  'elicitation-sep1034-client-defaults': {
    does: 'calls test_client_elicitation_defaults and accepts the form without typing: the defaults apply',
    answerElicitation: acceptDefaults,
    run: callEach('test_client_elicitation_defaults'),
  },
  'sse-retry': { does: 'calls test_reconnection, whose stream the server closes (the SDK reconnects)', run: callEach('test_reconnection') },
  'request-metadata': { does: 'starts the server and lists its tools (every request carries the _meta envelope)', run: listOnly },
  'sep-2322-client-request-state': {
    does: 'calls the four test_mrtr_* tools and confirms each form ({confirmed: true})',
    answerElicitation: () => ({ action: 'accept', content: { confirmed: true } }),
    run: async (user) => {
      await user.call('test_mrtr_echo_state', {});
      await user.call('test_mrtr_no_state', {});
      await user.call('test_mrtr_unrelated', {});
      // The server leaves out resultType. The SDK refuses such a result from a 2026-07-28 server (the spec says a
      // server MUST send it; absent-means-complete is only for earlier revisions): the user sees that error. The
      // suite checks only that no further round was attempted.
      await user.call('test_mrtr_no_result_type', {}).then(
        () => user.note('test_mrtr_no_result_type: completed'),
        (error: unknown) => {
          if (!/resultType/.test(String(error))) throw error;
          user.note(`test_mrtr_no_result_type: refused as the user sees it: ${String(error)}`);
        },
      );
    },
  },
  'http-standard-headers': { does: 'calls test_headers and my-hyphenated-tool', run: callEach('test_headers', 'my-hyphenated-tool') },
  'http-custom-headers': {
    does: 'makes exactly the calls the scenario hands over (context.toolCalls), null arguments included',
    run: async (user, context) => {
      const calls = context.toolCalls;
      if (!calls || calls.length === 0) throw new Error('http-custom-headers: MCP_CONFORMANCE_CONTEXT has no toolCalls');
      for (const call of calls) await user.call(call.name, call.arguments);
    },
  },
  'http-invalid-tool-headers': {
    does: 'calls every tool MCP Warden offers; tools with an invalid x-mcp-header must not be among them',
    run: async (user) => {
      user.note(`tools offered: ${user.tools.map((t) => t.name).join(', ') || '(none)'}`);
      for (const tool of user.tools) await user.call(tool.name, sampleArguments(tool.inputSchema));
    },
  },
  'json-schema-ref-no-deref': { does: 'lists the tools (a network $ref in a schema is never fetched)', run: listOnly },
  'json-schema-2020-12-preservation': {
    does: 'reads the inputSchema of json_schema_2020_12_tool as MCP Warden keeps it and sends it to json_schema_echo',
    run: async (user) => {
      const tool = user.tools.find((t) => t.name === 'json_schema_2020_12_tool');
      if (!tool) throw new Error('json_schema_2020_12_tool is not in the catalog');
      await user.call('json_schema_echo', { schema: tool.inputSchema });
    },
  },
};

/**
 * Every `auth/*` scenario: the user starts the server as any other (MCP Warden signs in when it asks), then lists
 * its tools and calls `test-tool` when there is one, as the SDK's own conformance client does. In the scenarios
 * where a correct client must refuse (a wrong `iss`, a resource or issuer that does not match, a scope that never
 * suffices), the user sees the start or the call refused and the run ends well: the suite's checks say whether
 * the refusal came at the right step.
 */
export const AUTH_SCRIPT: ScenarioScript = {
  does: 'starts the server (signing in when asked), lists its tools and calls test-tool when it is offered',
  run: async (user) => {
    user.note(`tools: ${user.tools.map((t) => t.name).join(', ') || '(none)'}`);
    if (user.tools.some((t) => t.name === 'test-tool')) await user.call('test-tool', {});
  },
};

/** Auth scenarios in which MCP Warden must refuse to go on; the refusal is what the user sees. */
export const AUTH_REFUSALS: ReadonlySet<string> = new Set([
  'auth/resource-mismatch',
  'auth/iss-supported-missing',
  'auth/iss-wrong-issuer',
  'auth/iss-unexpected',
  'auth/iss-normalized',
  'auth/metadata-issuer-mismatch',
  'auth/scope-retry-limit',
]);

/** The refusing twin of AUTH_SCRIPT: a refused start or call is the expected end. */
export const AUTH_REFUSAL_SCRIPT: ScenarioScript = {
  does: 'starts the server and expects MCP Warden to refuse the sign-in (or the call) at the step the scenario breaks',
  refusalExpected: true,
  run: async (user, context) => {
    await AUTH_SCRIPT.run(user, context).catch((error: unknown) => user.note(`the call was refused, as expected: ${String(error)}`));
  },
};

/** The script of a scenario, or an error naming the scenarios there are scripts for. */
export function scenarioScript(name: string | undefined): ScenarioScript {
  const script = name === undefined ? undefined : AUTH_REFUSALS.has(name) ? AUTH_REFUSAL_SCRIPT : name.startsWith('auth/') ? AUTH_SCRIPT : SCENARIOS[name];
  if (script) return script;
  const known = [...Object.keys(SCENARIOS), 'auth/*'].join(', ');
  throw new Error(name === undefined ? `MCP_CONFORMANCE_SCENARIO is not set; known scenarios: ${known}` : `unknown scenario '${name}'; known scenarios: ${known}`);
}

/** Reads `MCP_CONFORMANCE_CONTEXT` (absent: empty); throws on text that is not a JSON object or on malformed toolCalls. */
export function parseScenarioContext(text: string | undefined): ScenarioContext {
  if (text === undefined || text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('MCP_CONFORMANCE_CONTEXT must be a JSON object');
  const context = value as Record<string, unknown>;
  const calls = context['toolCalls'];
  if (calls === undefined) return context;
  if (!Array.isArray(calls)) throw new Error('MCP_CONFORMANCE_CONTEXT.toolCalls must be an array');
  const toolCalls = calls.map((call: unknown, i): ScriptedCall => {
    const c = call as Record<string, unknown> | null;
    if (typeof c?.['name'] !== 'string') throw new Error(`MCP_CONFORMANCE_CONTEXT.toolCalls[${i}].name must be a string`);
    const args = c['arguments'] ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error(`MCP_CONFORMANCE_CONTEXT.toolCalls[${i}].arguments must be an object`);
    return { name: c['name'], arguments: args as Record<string, unknown> };
  });
  return { ...context, toolCalls };
}

/** What a user would type into each required field of a flat schema: a word, a number, true. */
export function sampleArguments(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, { type?: unknown } | undefined>;
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [];
  const args: Record<string, unknown> = {};
  for (const name of required) {
    if (typeof name !== 'string') continue;
    const type = properties[name]?.type;
    args[name] = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : 'us-west1';
  }
  return args;
}
