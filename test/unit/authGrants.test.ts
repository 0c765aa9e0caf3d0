import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCredentialsProvider, CrossAppAccessProvider } from '@modelcontextprotocol/client';
import type { LaunchAuth } from '../../src/core/auth/authPorts';
import { DEFAULT_OAUTH_SETTINGS, type OAuthSettings } from '../../src/core/auth/oauthSettings';
import { parseOAuthField } from '../../src/core/config/oauthField';
import { LaunchError } from '../../src/core/lifecycle/launchError';
import { JWT_BEARER_GRANT, machineProvider, WorkloadIdentityProvider } from '../../src/node/auth/machineGrants';
import { MemoryAuthStore } from '../../src/node/auth/memoryAuthStore';
import { scenarioAuth } from '../../src/node/conformance/authContext';

const at = 'mcpWarden.servers.remote.oauth';
const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCJ9.c2lnbmF0dXJl';
const keys = (raw: unknown) => parseOAuthField(raw, at).problems.map((p) => p.keyPath);
const messages = (raw: unknown) => parseOAuthField(raw, at).problems.map((p) => p.message).join('\n');
const idp = { tokenEndpoint: 'https://idp.example/token', clientId: 'warden', idTokenFile: '/run/idp/id-token' };

function launchOf(settings: OAuthSettings, extra: Partial<LaunchAuth> = {}, secrets: string[] = []): LaunchAuth {
  return {
    settings,
    store: new MemoryAuthStore(),
    user: { confirm: async () => false, openBrowser: async () => false },
    onWaiting: () => undefined,
    onResumed: () => undefined,
    record: () => undefined,
    addSecrets: (values) => secrets.push(...values),
    ...extra,
  };
}

describe('auth grants without a browser', () => {
  describe('the oauth setting', () => {
    it('reads jwt_bearer with the workload token in a file or a variable', () => {
      assert.deepEqual(parseOAuthField({ grant: 'jwt_bearer', clientId: 'w', assertionFile: '/var/run/secrets/tokens/mcp' }, at).settings, {
        enabled: true,
        grant: 'jwt_bearer',
        clientId: 'w',
        assertion: { file: '/var/run/secrets/tokens/mcp' },
      });
      assert.deepEqual(parseOAuthField({ grant: 'jwt_bearer', clientId: 'w', assertionFile: '${env:AZURE_FEDERATED_TOKEN_FILE}' }, at).settings?.assertion, { file: '${env:AZURE_FEDERATED_TOKEN_FILE}' });
      assert.deepEqual(parseOAuthField({ grant: 'jwt_bearer', clientId: 'w', assertionEnv: 'MCP_WORKLOAD_TOKEN' }, at).settings?.assertion, { env: 'MCP_WORKLOAD_TOKEN' });
    });

    it('refuses a workload token written into settings, naming the key and never echoing it', () => {
      for (const key of ['assertionFile', 'assertionEnv']) {
        const raw = { grant: 'jwt_bearer', clientId: 'w', [key]: JWT };
        assert.deepEqual(keys(raw), [`${at}.${key}`]);
        assert.match(messages(raw), /not the token itself/);
        assert.doesNotMatch(messages(raw), /eyJ/);
      }
      assert.deepEqual(keys({ grant: 'jwt_bearer', clientId: 'w', assertionFile: 'relative/token' }), [`${at}.assertionFile`]);
    });

    it('names the key path of every jwt_bearer problem', () => {
      assert.deepEqual(keys({ grant: 'jwt_bearer', assertionFile: '/t' }), [`${at}.clientId`]);
      assert.deepEqual(keys({ grant: 'jwt_bearer', clientId: 'w' }), [at]);
      assert.deepEqual(keys({ grant: 'jwt_bearer', clientId: 'w', assertionFile: '/t', assertionEnv: 'T' }), [`${at}.assertionEnv`]);
      assert.deepEqual(keys({ grant: 'jwt_bearer', clientId: 'w', assertionFile: '/t', privateKey: '${input:k}' }), [`${at}.privateKey`]);
      assert.deepEqual(keys({ clientId: 'w', assertionFile: '/t' }), [`${at}.assertionFile`], 'only with jwt_bearer');
    });

    it('reads enterprise_managed with its identity provider', () => {
      assert.deepEqual(parseOAuthField({ grant: 'enterprise_managed', clientId: 'c', clientSecret: '${input:s}', idp: { ...idp, clientSecret: '${input:idp}' } }, at).settings, {
        enabled: true,
        grant: 'enterprise_managed',
        clientId: 'c',
        clientSecret: '${input:s}',
        idp: { tokenEndpoint: 'https://idp.example/token', clientId: 'warden', clientSecret: '${input:idp}', idToken: { file: '/run/idp/id-token' } },
      });
      const byIssuer = parseOAuthField({ grant: 'enterprise_managed', clientId: 'c', clientSecret: '${input:s}', idp: { issuer: 'https://idp.example', clientId: 'w', idTokenEnv: 'ID_TOKEN' } }, at).settings;
      assert.deepEqual(byIssuer?.idp, { issuer: 'https://idp.example', clientId: 'w', idToken: { env: 'ID_TOKEN' } });
    });

    it('names the key path of every enterprise_managed problem, refusing literal secrets and plain-http IdPs', () => {
      const base = { grant: 'enterprise_managed', clientId: 'c', clientSecret: '${input:s}' };
      assert.deepEqual(keys({ ...base, idp: { ...idp, clientSecret: 'idp-secret-literal' } }), [`${at}.idp.clientSecret`]);
      assert.doesNotMatch(messages({ ...base, idp: { ...idp, clientSecret: 'idp-secret-literal' } }), /idp-secret-literal/);
      assert.deepEqual(keys({ ...base, idp: { ...idp, tokenEndpoint: 'http://idp.example/token' } }), [`${at}.idp.tokenEndpoint`]);
      assert.deepEqual(keys({ ...base, idp: { ...idp, issuer: 'https://idp.example' } }), [`${at}.idp`], 'issuer or tokenEndpoint, not both');
      assert.deepEqual(keys({ ...base, idp: { clientId: 'w', idTokenFile: '/t' } }), [`${at}.idp`]);
      assert.deepEqual(keys({ ...base, idp: { ...idp, idTokenFile: JWT } }), [`${at}.idp.idTokenFile`]);
      assert.deepEqual(keys({ ...base, idp: { ...idp, password: 'x' } }), [`${at}.idp.password`]);
      assert.deepEqual(keys({ ...base, idp: { tokenEndpoint: idp.tokenEndpoint, idTokenFile: '/t' } }), [`${at}.idp.clientId`]);
      assert.deepEqual(keys({ grant: 'enterprise_managed', clientId: 'c', idp }), [`${at}.clientSecret`]);
      assert.deepEqual(keys({ ...base }), [`${at}.idp`]);
      assert.deepEqual(keys({ ...base, idp: 'https://idp.example' }), [`${at}.idp`]);
      assert.deepEqual(keys({ clientId: 'c', idp }), [`${at}.idp`], 'only with enterprise_managed');
      assert.match(messages({ ...base, idp: { ...idp, tokenEndpoint: 'http://idp.example/token' } }), /must be an https URL/);
    });
  });

  describe('grant selection', () => {
    it('gives each grant its provider, and the browser flow none', () => {
      assert.equal(machineProvider(launchOf(DEFAULT_OAUTH_SETTINGS), 'k'), undefined);
      const credentials = machineProvider(launchOf({ enabled: true, grant: 'client_credentials', clientId: 'c' }, { clientSecret: 's3cret-value' }), 'k');
      assert.ok(credentials instanceof ClientCredentialsProvider);
      const workload = machineProvider(launchOf({ enabled: true, grant: 'jwt_bearer', clientId: 'w', assertion: { env: 'T' } }), 'k');
      assert.ok(workload instanceof WorkloadIdentityProvider);
      assert.equal(workload.redirectUrl, undefined);
      assert.deepEqual(workload.clientMetadata.grant_types, [JWT_BEARER_GRANT]);
      assert.equal(workload.clientMetadata.token_endpoint_auth_method, 'none');
      const secrets: string[] = [];
      const enterprise = machineProvider(launchOf({ enabled: true, grant: 'enterprise_managed', clientId: 'c', idp: { clientId: 'w', tokenEndpoint: 'https://idp.example/token', idToken: { file: '/t' } } }, { clientSecret: 'as-secret-1' }, secrets), 'k');
      assert.ok(enterprise instanceof CrossAppAccessProvider);
      assert.deepEqual(secrets, ['as-secret-1'], 'the secret is kept out of logs');
    });

    it('refuses to start without what a grant needs, naming the key', () => {
      const refuses = (settings: OAuthSettings, extra: Partial<LaunchAuth>, key: RegExp) =>
        assert.throws(
          () => machineProvider(launchOf(settings, extra), 'mcpWarden.servers.remote'),
          (error: unknown) => error instanceof LaunchError && key.test(error.message),
        );
      refuses({ enabled: true, grant: 'jwt_bearer', assertion: { env: 'T' } }, {}, /^mcpWarden\.servers\.remote\.oauth\.clientId:/);
      refuses({ enabled: true, grant: 'enterprise_managed', clientId: 'c', idp: { clientId: 'w', tokenEndpoint: 'https://i/t', idToken: { env: 'T' } } }, {}, /^mcpWarden\.servers\.remote\.oauth\.clientSecret:/);
      refuses({ enabled: true, grant: 'enterprise_managed', clientId: 'c', idp: { clientId: 'w', tokenEndpoint: 'https://i/t', clientSecret: '${input:i}', idToken: { env: 'T' } } }, { clientSecret: 's3cret' }, /oauth\.idp\.clientSecret:/);
    });

    it('reads the workload token afresh for every token request (the platform rotates it), keeping each out of logs', async () => {
      const folder = await mkdtemp(join(tmpdir(), 'warden-wif-'));
      try {
        const file = join(folder, 'token');
        const secrets: string[] = [];
        const settings: OAuthSettings = { enabled: true, grant: 'jwt_bearer', clientId: 'w', assertion: { file: '${env:TOKEN_DIR}/token' } };
        const provider = machineProvider(launchOf(settings, {}, secrets), 'k', { TOKEN_DIR: folder }) as WorkloadIdentityProvider;
        await writeFile(file, 'first.workload.token\n');
        const first = await provider.prepareTokenRequest('mcp:read');
        assert.equal(first.get('grant_type'), JWT_BEARER_GRANT);
        assert.equal(first.get('assertion'), 'first.workload.token');
        assert.equal(first.get('scope'), 'mcp:read');
        await writeFile(file, 'second.workload.token');
        assert.equal((await provider.prepareTokenRequest()).get('assertion'), 'second.workload.token');
        assert.deepEqual(secrets, ['first.workload.token', 'second.workload.token']);
        await rm(file);
        await assert.rejects(provider.prepareTokenRequest(), (error: Error) => /^k\.oauth\.assertionFile: could not read the workload token from .*token \(ENOENT\)$/.test(error.message));
        const fromEnv = machineProvider(launchOf({ ...settings, assertion: { env: 'WORKLOAD_TOKEN' } }), 'k', {}) as WorkloadIdentityProvider;
        await assert.rejects(fromEnv.prepareTokenRequest(), /k\.oauth\.assertionEnv: the environment variable WORKLOAD_TOKEN/);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });

  describe('the conformance client', () => {
    it('maps the wif and enterprise contexts onto settings a user would write, with the tokens in files', () => {
      const wif = scenarioAuth('auth/wif-jwt-bearer', { client_id: 'wl', valid_jwt: JWT }, '/run/x');
      assert.deepEqual(wif.oauth, { grant: 'jwt_bearer', clientId: 'wl', assertionFile: '/run/x/workload-token.jwt' });
      assert.deepEqual(wif.files, { '/run/x/workload-token.jwt': JWT });
      assert.deepEqual(parseOAuthField(wif.oauth, at).problems, []);
      const context = { client_id: 'c', client_secret: 'cs', idp_client_id: 'ic', idp_id_token: JWT, idp_issuer: 'http://localhost:1', idp_token_endpoint: 'http://localhost:1/token' };
      const enterprise = scenarioAuth('auth/enterprise-managed-authorization', context, '/run/x');
      assert.deepEqual(enterprise.inputs, { clientSecret: 'cs' });
      assert.deepEqual(enterprise.files, { '/run/x/id-token.jwt': JWT });
      assert.deepEqual(parseOAuthField(enterprise.oauth, at).settings?.idp, { tokenEndpoint: 'http://localhost:1/token', clientId: 'ic', idToken: { file: '/run/x/id-token.jwt' } });
    });
  });
});
