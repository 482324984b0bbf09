import * as assert from 'node:assert/strict';
import { PrimedSecrets } from '../../src/core/primedSecrets';
import type { SecretStore } from '../../src/core/accountKeys';

/** An in-memory SecretStorage that counts reads and can fail the next one. */
function countingStore(values: Record<string, string>) {
  const reads: string[] = [];
  let failNext = false;
  const store: SecretStore & { reads: string[]; failNextRead(): void } = {
    reads,
    failNextRead: () => void (failNext = true),
    get: async (key) => {
      reads.push(key);
      if (failNext) {
        failNext = false;
        throw new Error('keychain locked');
      }
      return values[key];
    },
    store: async (key, value) => void (values[key] = value),
    delete: async (key) => void delete values[key],
  };
  return store;
}

describe('PrimedSecrets: the active credential is read at activation, once', () => {
  it('starts the read before anyone asks, and the first get() takes that read', async () => {
    const inner = countingStore({ cred: 'one' });
    const secrets = new PrimedSecrets(inner, ['cred']);
    assert.deepEqual(inner.reads, ['cred'], 'read at construction');
    assert.equal(await secrets.get('cred'), 'one');
    assert.deepEqual(inner.reads, ['cred'], 'no second read for the first get()');
  });

  it('answers only the first get(): a later one reads the store again (a sign-in may have changed it)', async () => {
    const inner = countingStore({ cred: 'one' });
    const secrets = new PrimedSecrets(inner, ['cred']);
    await secrets.get('cred');
    await inner.store('cred', 'two');
    assert.equal(await secrets.get('cred'), 'two');
  });

  it('a store or delete before the first get() drops the early read, so the new value is returned', async () => {
    const inner = countingStore({ cred: 'one' });
    const secrets = new PrimedSecrets(inner, ['cred']);
    await secrets.store('cred', 'two');
    assert.equal(await secrets.get('cred'), 'two');
    const other = new PrimedSecrets(countingStore({ cred: 'one' }), ['cred']);
    await other.delete('cred');
    assert.equal(await other.get('cred'), undefined);
  });

  it('a failed early read is tried again, not handed out as a failure', async () => {
    const inner = countingStore({ cred: 'one' });
    inner.failNextRead();
    const secrets = new PrimedSecrets(inner, ['cred']);
    assert.equal(await secrets.get('cred'), 'one');
  });

  it('keys that were not primed go straight to the store', async () => {
    const inner = countingStore({ other: 'x' });
    const secrets = new PrimedSecrets(inner, []);
    assert.deepEqual(inner.reads, []);
    assert.equal(await secrets.get('other'), 'x');
  });
});
