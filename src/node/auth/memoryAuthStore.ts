import type { AuthSecretStore } from '../../core/auth/authPorts';

/** An AuthSecretStore in memory: the conformance client's, and the tests'. Nothing outlives the process. */
export class MemoryAuthStore implements AuthSecretStore {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async keys(): Promise<readonly string[]> {
    return [...this.values.keys()];
  }
}
