import * as assert from 'node:assert/strict';
import { SecretStorageAuthStore, type SecretStorageLike } from '../../../src/vscode/auth/secretStorageAuthStore';

/** The extension's SecretStorage: OAuth keys next to an `${input:…}` answer and a gateway token. */
class MemorySecrets implements SecretStorageLike {
  readonly values = new Map<string, string>([
    ['mcpWarden.input/e2e-token', 'input-answer'],
    ['mcpWarden.gateway/agent-token', 'gateway-token'],
  ]);
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
  async keys() {
    return [...this.values.keys()];
  }
}

describe('SecretStorageAuthStore', () => {
  it('keeps OAuth values in secret storage and lists only its own keys', async () => {
    const secrets = new MemorySecrets();
    const store = new SecretStorageAuthStore(secrets);
    const key = 'mcpWarden.oauth/tokens/https://auth.example.com https://mcp.example.com/mcp';
    await store.set(key, '{"access_token":"at"}');
    assert.equal(secrets.values.get(key), '{"access_token":"at"}');
    assert.equal(await store.get(key), '{"access_token":"at"}');
    assert.deepEqual(await store.keys(), [key]);
    await store.delete(key);
    assert.equal(await store.get(key), undefined);
    assert.deepEqual(await store.keys(), []);
    assert.equal(secrets.values.size, 2, 'the input answer and the gateway token are untouched');
  });

  it('refuses a key outside mcpWarden.oauth/: Sign Out Everywhere can never delete an input or a gateway token', async () => {
    const secrets = new MemorySecrets();
    const store = new SecretStorageAuthStore(secrets);
    await assert.rejects(store.set('mcpWarden.input/e2e-token', 'x'), /only keys under 'mcpWarden\.oauth\/'/);
    await assert.rejects(store.delete('mcpWarden.gateway/agent-token'), /only keys under/);
    await assert.rejects(store.get('mcpWarden.input/e2e-token'), /only keys under/);
    assert.equal(secrets.values.get('mcpWarden.input/e2e-token'), 'input-answer');
    assert.equal(secrets.values.get('mcpWarden.gateway/agent-token'), 'gateway-token');
  });
});
