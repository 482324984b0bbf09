/**
 * SecretStorage with some reads started ahead of need. At activation the startup chunk asks for the active
 * account's credential at once, so the round trip to the secret store (through the workbench in remote and
 * web windows) overlaps the wait for the main chunk instead of following it. Each early read answers the
 * first get() of its key only; a store or delete of the key drops it, so nothing stale is ever returned.
 */
import type { SecretStore } from './accountKeys';

export class PrimedSecrets implements SecretStore {
  private readonly early = new Map<string, PromiseLike<string | undefined>>();

  constructor(private readonly secrets: SecretStore, keys: readonly string[]) {
    for (const key of keys) {
      // A failed early read is tried once more, so it fails (or not) as an ordinary read would.
      this.early.set(key, Promise.resolve(secrets.get(key)).then(undefined, () => secrets.get(key)));
    }
  }

  get(key: string): PromiseLike<string | undefined> {
    const read = this.early.get(key);
    this.early.delete(key);
    return read ?? this.secrets.get(key);
  }

  store(key: string, value: string): PromiseLike<void> {
    this.early.delete(key);
    return this.secrets.store(key, value);
  }

  delete(key: string): PromiseLike<void> {
    this.early.delete(key);
    return this.secrets.delete(key);
  }
}
