import type { AuthSecretStore } from '../../core/auth/authPorts';
import { AUTH_KEY_PREFIX } from '../../core/auth/authKeys';

/** What this store needs of `vscode.SecretStorage` (structural, so a unit test can pass a map). */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  keys(): PromiseLike<readonly string[]>;
}

/**
 * Tokens, client registrations and the account index in VS Code's SecretStorage (the OS keychain), and nowhere
 * else. The extension's SecretStorage also holds `${input:…}` answers and gateway tokens: this store reads and
 * writes only keys under `mcpWarden.oauth/`, so Sign Out Everywhere never deletes them and a wrong key fails
 * loudly instead of overwriting one.
 */
export class SecretStorageAuthStore implements AuthSecretStore {
  constructor(private readonly secrets: SecretStorageLike) {}

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(ownKey(key));
  }

  async set(key: string, value: string): Promise<void> {
    await this.secrets.store(ownKey(key), value);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(ownKey(key));
  }

  async keys(): Promise<readonly string[]> {
    return (await this.secrets.keys()).filter((key) => key.startsWith(AUTH_KEY_PREFIX));
  }
}

function ownKey(key: string): string {
  if (!key.startsWith(AUTH_KEY_PREFIX)) throw new Error(`the OAuth store keeps only keys under '${AUTH_KEY_PREFIX}' (asked for another key)`);
  return key;
}
