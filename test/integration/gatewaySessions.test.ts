// The gateway's 2025-era sessions and its port: what an agent meets across reconnects and reloads.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { AgentTokenTable } from '../../src/node/gateway/agentTokens';
import { Gateway } from '../../src/node/gateway/gateway';
import { RecordingLogger } from '../unit/fakes';
import { FIXTURE, NODE } from './harness';
import { LEGACY, disposeGateways, post, startGateway, type GatewayRun } from './gatewayHarness';

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });

describe('gateway: sessions and port', function () {
  this.timeout(60_000);
  afterEach(disposeGateways);

  async function open(run: GatewayRun, agent = 'claude-code'): Promise<string> {
    const answer = await post(run, { authorization: `Bearer ${run.tokenOf[agent]}` }, INITIALIZE);
    assert.equal(answer.status, 200, answer.body);
    return String(answer.headers['mcp-session-id']);
  }

  function list(run: GatewayRun, session: string, agent = 'claude-code') {
    return post(run, { authorization: `Bearer ${run.tokenOf[agent]}`, 'mcp-session-id': session, 'mcp-protocol-version': LEGACY }, LIST);
  }

  it("an agent's sessions are capped: opening one more closes its least recently used, not another agent's", async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } }, { gateway: { limits: { maxSessionsPerAgent: 2 } } });
    // A stopped clock: every open and use falls in the same millisecond, as it may on a fast machine. The order of
    // use must still decide which session goes (it once closed the wrong one on a tie).
    const realNow = Date.now;
    const frozen = realNow();
    Date.now = () => frozen;
    let second: string, first: string, third: string, other: string;
    try {
      other = await open(run, 'cursor');
      first = await open(run);
      second = await open(run);
      assert.equal((await list(run, first)).status, 200, 'used: now the second is the least recently used');
      third = await open(run);
    } finally {
      Date.now = realNow;
    }
    assert.equal((await list(run, second)).status, 404, 'closed: the agent must initialize again');
    for (const session of [first, third]) assert.equal((await list(run, session)).status, 200);
    assert.equal((await list(run, other, 'cursor')).status, 200);
  });

  it('DELETE ends a session', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const session = await open(run);
    const deleted = await post(run, { authorization: `Bearer ${run.tokenOf['claude-code']}`, 'mcp-session-id': session, 'mcp-protocol-version': LEGACY }, '', '/mcp', 'DELETE');
    assert.equal(deleted.status, 200, deleted.body);
    assert.equal((await list(run, session)).status, 404);
  });

  it('listens on the port of the last run when it is free, and on another when it is taken', async () => {
    const run = await startGateway({ fixture: { command: NODE, args: [FIXTURE] } });
    const taken = run.endpoint.port;
    const second = new Gateway({ registry: run.harness.registry, agentOfToken: new AgentTokenTable().agentOfToken, logger: new RecordingLogger(), version: '0' });
    try {
      const elsewhere = await second.start({ preferredPort: taken });
      assert.notEqual(elsewhere.port, taken);
      await second.stop();
      const free = await freePort();
      assert.equal((await second.start({ preferredPort: free })).port, free);
      assert.equal(second.endpoint?.url, `http://127.0.0.1:${free}/mcp`);
    } finally {
      second.dispose();
      await second.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
