import * as assert from 'node:assert/strict';
import { parseServer } from '../../src/core/config/parseServers';
import { scenarioAuth } from '../../src/node/conformance/authContext';
import { AUTH_REFUSAL_SCRIPT, AUTH_SCRIPT, scenarioScript } from '../../src/node/conformance/scenarios';

describe('auth conformance context', () => {
  it('turns a pre-registered client into oauth settings whose secret is an input, as a user would write them', () => {
    const auth = scenarioAuth('auth/pre-registration', { client_id: 'pre', client_secret: 'shh-secret' });
    assert.deepEqual(auth.oauth, { clientId: 'pre', clientSecret: '${input:clientSecret}' });
    assert.deepEqual(auth.inputs, { clientSecret: 'shh-secret' });
    const entry = parseServer('s', { url: 'http://127.0.0.1:1/mcp', oauth: auth.oauth }, 'mcpWarden.servers.s', { kind: 'settings' }, { strict: true });
    assert.equal(entry.ok, true);
  });

  it('maps client credentials (secret and private key) to the client_credentials grant', () => {
    assert.deepEqual(scenarioAuth('auth/client-credentials-basic', { client_id: 'm', client_secret: 'shh-secret' }).oauth, { grant: 'client_credentials', clientId: 'm', clientSecret: '${input:clientSecret}' });
    const jwt = scenarioAuth('auth/client-credentials-jwt', { client_id: 'm', private_key_pem: 'PEM', signing_algorithm: 'RS256' });
    assert.deepEqual(jwt.oauth, { grant: 'client_credentials', clientId: 'm', privateKey: '${input:privateKey}', signingAlgorithm: 'RS256' });
    assert.deepEqual(jwt.inputs, { privateKey: 'PEM' });
  });

  it('leaves the defaults when the scenario hands over nothing', () => {
    assert.deepEqual(scenarioAuth('auth/metadata-default', {}), { inputs: {} });
  });

  it('expects a refusal only in the scenarios where a correct client must refuse', () => {
    assert.equal(scenarioScript('auth/iss-wrong-issuer'), AUTH_REFUSAL_SCRIPT);
    assert.equal(scenarioScript('auth/scope-retry-limit'), AUTH_REFUSAL_SCRIPT);
    assert.equal(scenarioScript('auth/iss-supported'), AUTH_SCRIPT);
    assert.equal(AUTH_SCRIPT.refusalExpected, undefined);
  });

  it('calls test-tool when it is offered, and nothing else', async () => {
    const calls: string[] = [];
    const user = (tools: string[]) => ({ tools: tools.map((name) => ({ name, inputSchema: {} })), call: async (tool: string) => (calls.push(tool), { content: [] }), note: () => undefined });
    await AUTH_SCRIPT.run(user(['other', 'test-tool']), {});
    await AUTH_SCRIPT.run(user(['other']), {});
    assert.deepEqual(calls, ['test-tool']);
  });
});
