import * as assert from 'node:assert/strict';
import { buildGatewayView, type RunningServer } from '../../../src/core/gateway/gatewayCatalog';
import {
  CALL_TOOL,
  CALL_TOOL_NAME,
  parseCallToolArguments,
  parseSearchToolsArguments,
  SEARCH_TOOLS,
  SEARCH_TOOLS_NAME,
  ToolSearchIndex,
  type SearchableTool,
} from '../../../src/core/gateway/toolSearch';
import type { ToolInfo } from '../../../src/core/lifecycle/session';
import { fleet } from './fleet';

function running(servers: { name: string; tools: ToolInfo[] }[]): RunningServer[] {
  return servers.map(({ name, tools }) => ({ name, catalog: { tools, prompts: [], resources: [] } }));
}

function indexOf(servers: { name: string; tools: ToolInfo[] }[]): ToolSearchIndex {
  return new ToolSearchIndex(buildGatewayView(running(servers)).tools);
}

const names = (index: ToolSearchIndex, query: string, limit = 3, server?: string): string[] =>
  index.search(query, { limit, ...(server === undefined ? {} : { server }) }).map((hit) => hit.name);

describe('tool search', () => {
  const index = indexOf(fleet());

  it('indexes the 200 tools of 10 servers', () => {
    assert.equal(index.size, 200);
  });

  const expectations: [string, string][] = [
    ['create a github issue', 'github__create_issue'],
    ['read file contents', 'fs__read_file'],
    ['send a message to a slack channel', 'slack__post_message'],
    ['run a sql query', 'postgres__query'],
    ['list open pull requests', 'github__list_pull_requests'],
    ['commit staged changes', 'git__commit'],
    ['take a screenshot of the page', 'browser__screenshot'],
    ['schedule a meeting with attendees', 'calendar__create_event'],
    ['search emails', 'email__search_messages'],
    ['restart a container', 'docker__restart_container'],
    ['container logs', 'docker__fetch_container_logs'],
    ['move jira ticket to done status', 'jira__transition_ticket'],
    ['who changed this line', 'git__blame'],
    ['free time slots for a meeting', 'calendar__find_free_slots'],
    ['query plan', 'postgres__explain_query'],
    ['thread_ts', 'slack__get_thread_replies'],
  ];
  for (const [query, expected] of expectations) {
    it(`finds ${expected} in the top 3 for "${query}"`, () => {
      assert.ok(names(index, query).includes(expected), `${query}: ${names(index, query).join(', ')}`);
    });
  }

  it('ranks an exact name first, qualified or not', () => {
    assert.equal(names(index, 'fs__write_file')[0], 'fs__write_file');
    assert.equal(names(index, 'GIT__STASH_POP')[0], 'git__stash_pop');
    assert.equal(names(index, 'directory tree')[0], 'fs__directory_tree');
    // By words alone the longer tool wins (its description says "query" three times).
    const exact = indexOf([{ name: 'db', tools: [
      { name: 'query', description: 'Run SQL.', inputSchema: {} },
      { name: 'query_history', description: 'Every query, query by query.', inputSchema: {} },
    ] }]);
    assert.equal(names(exact, 'query')[0], 'db__query');
  });

  it('matches a word by its start and boosts a name that starts with the query', () => {
    assert.deepEqual(names(index, 'snap', 1), ['browser__accessibility_snapshot']);
    assert.equal(names(index, 'docker__compose_d', 1)[0], 'docker__compose_down');
  });

  it('folds plurals so a query need not match the number', () => {
    assert.equal(names(index, 'archives', 1)[0], 'fs__extract_archive');
    assert.equal(names(index, 'attendee', 1)[0], 'calendar__list_attendees');
  });

  it('indexes argument names', () => {
    assert.deepEqual(names(index, 'excludePatterns', 1), ['fs__search_files']);
  });

  it('indexes the server name', () => {
    const anonymous = indexOf([
      { name: 'kubernetes', tools: [{ name: 'list', description: 'List things.', inputSchema: {} }] },
      { name: 'other', tools: [{ name: 'list', description: 'List things.', inputSchema: {} }] },
    ]);
    assert.deepEqual(names(anonymous, 'kubernetes list', 1), ['kubernetes__list']);
  });

  it('splits camelCase names and arguments, and reads titles', () => {
    const weather = indexOf([
      ...fleet(),
      {
        name: 'weather',
        tools: [
          { name: 'getWeatherForecast', description: 'Tomorrow and the next days.', inputSchema: { properties: { targetCityName: {} } } },
          { name: 'wx_7', title: 'Pollen report', description: 'Daily.', inputSchema: {} },
        ],
      },
    ]);
    assert.equal(names(weather, 'weather forecast')[0], 'weather__getWeatherForecast');
    assert.equal(names(weather, 'city name')[0], 'weather__getWeatherForecast');
    assert.deepEqual(names(weather, 'pollen'), ['weather__wx_7']);
  });

  it('searches one server when asked', () => {
    const hits = index.search('create', { server: 'git', limit: 50 });
    assert.ok(hits.length > 0);
    assert.ok(hits.every((hit) => hit.server === 'git'));
    assert.deepEqual(index.search('create', { server: 'nobody' }), []);
  });

  it('orders equal scores by name, whatever the order tools were given in', () => {
    const same = (server: string): { name: string; tools: ToolInfo[] } => ({ name: server, tools: [{ name: 'read_file', description: 'Read a file.', inputSchema: {} }] });
    const forward = indexOf([same('alpha'), same('bravo'), same('charlie')]);
    const backward = new ToolSearchIndex([...buildGatewayView(running([same('charlie'), same('bravo'), same('alpha')])).tools].reverse());
    const hits = forward.search('read file');
    assert.deepEqual(hits.map((h) => h.name), ['alpha__read_file', 'bravo__read_file', 'charlie__read_file']);
    assert.equal(hits[0]!.score, hits[2]!.score);
    assert.deepEqual(backward.search('read file'), hits);
  });

  it('returns at most limit hits (default 8) with the description cut to about 200 characters', () => {
    assert.equal(index.search('list').length, 8);
    assert.equal(index.search('list', { limit: 2 }).length, 2);
    const long = indexOf([{ name: 'big', tools: [{ name: 'wordy', title: 'Wordy', description: 'word '.repeat(100), inputSchema: {} }] }]);
    const [hit] = long.search('wordy');
    assert.ok(hit!.description.length <= 200 && hit!.description.endsWith('…'), hit!.description);
    assert.equal(hit!.title, 'Wordy');
    assert.equal(hit!.server, 'big');
  });

  it('finds nothing for an empty query or one of stop words only', () => {
    assert.deepEqual(index.search(''), []);
    assert.deepEqual(index.search('   '), []);
    assert.deepEqual(index.search('the of and'), []);
  });

  it('finds the right tool among 2,000 tools of 100 servers', () => {
    const big: { name: string; tools: ToolInfo[] }[] = [];
    for (let copy = 0; copy < 10; copy++) for (const s of fleet()) big.push({ name: `${s.name}${copy}`, tools: s.tools });
    big[57]!.tools = [...big[57]!.tools.slice(1), { name: 'rotate_api_key', description: 'Rotate the API key of a service account.', inputSchema: {} }];
    const large = indexOf(big);
    assert.equal(large.size, 2000);
    assert.equal(names(large, 'rotate the api key')[0], `${big[57]!.name}__rotate_api_key`);
    assert.deepEqual(names(large, 'create a github issue', 10).slice(0, 10).sort(), Array.from({ length: 10 }, (_, i) => `github${i}__create_issue`));
    assert.deepEqual(names(large, 'read file', 1, 'fs3'), ['fs3__read_file']);
  });
});

describe('gateway meta tools', () => {
  it('can never share a name with a server tool: qualified names always contain __', () => {
    const servers: readonly SearchableTool[] = buildGatewayView(
      running([
        { name: 'search', tools: [{ name: 'tools', inputSchema: {} }] },
        { name: 'call', tools: [{ name: 'tool', inputSchema: {} }] },
        { name: '', tools: [{ name: '', inputSchema: {} }] },
        { name: 'x'.repeat(300), tools: [{ name: SEARCH_TOOLS_NAME, inputSchema: {} }, { name: 'y'.repeat(300), inputSchema: {} }] },
      ]),
    ).tools;
    for (const { qualifiedName } of servers) {
      assert.ok(qualifiedName.includes('__'), qualifiedName);
      assert.ok(qualifiedName !== SEARCH_TOOLS_NAME && qualifiedName !== CALL_TOOL_NAME);
    }
    assert.ok(!SEARCH_TOOLS_NAME.includes('__') && !CALL_TOOL_NAME.includes('__'));
  });

  it('describes both tools with a fixed schema', () => {
    assert.equal(SEARCH_TOOLS.name, 'search_tools');
    assert.equal(CALL_TOOL.name, 'call_tool');
    assert.deepEqual(SEARCH_TOOLS.inputSchema['required'], ['query']);
    assert.deepEqual(CALL_TOOL.inputSchema['required'], ['name']);
    for (const server of fleet()) assert.ok(!SEARCH_TOOLS.description!.includes(server.name) && !CALL_TOOL.description!.includes(server.name));
  });

  it('refuses a blank query or a limit outside 1..50 with a message for the agent', () => {
    assert.deepEqual(parseSearchToolsArguments({ query: 'read file', limit: 5, server: 'fs' }), { ok: true, value: { query: 'read file', limit: 5, server: 'fs' } });
    assert.deepEqual(parseSearchToolsArguments({ query: 'x' }), { ok: true, value: { query: 'x' } });
    for (const bad of [{ query: '  ' }, {}, undefined, { query: 'x', limit: 0 }, { query: 'x', limit: 51 }, { query: 'x', limit: 1.5 }, { query: 'x', server: 3 }, 'q']) {
      const parsed = parseSearchToolsArguments(bad);
      assert.ok(!parsed.ok && parsed.error.startsWith('search_tools: '), JSON.stringify(bad));
    }
  });

  it('reads call_tool arguments, defaulting to none', () => {
    assert.deepEqual(parseCallToolArguments({ name: 'fs__read_file', arguments: { path: '/a' } }), { ok: true, value: { name: 'fs__read_file', arguments: { path: '/a' } } });
    assert.deepEqual(parseCallToolArguments({ name: 'fs__list' }), { ok: true, value: { name: 'fs__list', arguments: {} } });
    for (const bad of [{}, { name: '' }, { name: 'a', arguments: [] }, { name: 'a', arguments: 'x' }, null]) {
      assert.equal(parseCallToolArguments(bad).ok, false, JSON.stringify(bad));
    }
  });
});
