// In-memory stand-ins for VS Code's globalState and SecretStorage, shared by the unit tests.
// Not a test file itself (mocha loads only *.test.ts).
import type { SecretStore, StateStore } from '../../src/core/accounts';

/** globalState: values go through a structured clone, as VS Code stores them; `failNextUpdate` simulates a failed write. */
export class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  failNextUpdate = false;
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (this.failNextUpdate) {
      this.failNextUpdate = false;
      throw new Error('disk full');
    }
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }
}

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
