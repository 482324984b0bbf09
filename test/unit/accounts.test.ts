import assert from 'node:assert/strict';
import { AccountStore, accountId, type AccountMeta } from '../../src/core/accounts';
import { MemorySecrets, MemoryState } from './memoryStores';


const meta = (baseUrl: string, userId: number): AccountMeta => ({
  id: accountId(baseUrl, `user:${userId}`), baseUrl, authKind: 'accessToken', flavor: 'new-api', userId, username: `u${userId}`, addedAt: 1,
});

describe('AccountStore', () => {
  let state: MemoryState;
  let secrets: MemorySecrets;
  let store: AccountStore;
  beforeEach(() => {
    state = new MemoryState();
    secrets = new MemorySecrets();
    store = new AccountStore(state, secrets);
  });

  it('keeps credentials only in the secret store', async () => {
    await store.save(meta('http://127.0.0.1:1', 1), { kind: 'accessToken', accessToken: 'test-access-token-1' });
    assert.ok(!JSON.stringify([...state.values]).includes('test-access-token-1'));
    assert.deepEqual(await store.credential(store.list()[0]!.id), { kind: 'accessToken', accessToken: 'test-access-token-1' });
  });

  it('makes the newest account active, switches, and re-adding replaces instead of duplicating', async () => {
    const a = meta('http://127.0.0.1:1', 1);
    const b = meta('http://127.0.0.1:2', 1);
    await store.save(a, { kind: 'accessToken', accessToken: 'test-token-aaaa' });
    await store.save(b, { kind: 'accessToken', accessToken: 'test-token-bbbb' });
    assert.equal(store.active()?.id, b.id);
    await store.setActive(a.id);
    assert.equal(store.active()?.id, a.id);
    await store.save({ ...a, displayName: 'Renamed' }, { kind: 'accessToken', accessToken: 'test-token-cccc' });
    assert.equal(store.list().length, 2);
    assert.equal(store.get(a.id)?.displayName, 'Renamed');
  });

  it('sign-out removes the account and every secret it owns', async () => {
    const a = meta('http://127.0.0.1:1', 1);
    const b = meta('http://127.0.0.1:2', 2);
    await store.save(a, { kind: 'accessToken', accessToken: 'test-token-aaaa' });
    await store.save(b, { kind: 'session', cookie: 'session=test-cookie' });
    await store.storeAccountSecret(a.id, 'key.12', 'sk-test-revealed-key-12');
    await store.remove(a.id);
    assert.deepEqual(store.list().map((x) => x.id), [b.id]);
    assert.equal(store.active()?.id, b.id);
    assert.deepEqual([...secrets.values.keys()].filter((k) => k.includes(a.id)), []);
    assert.equal(secrets.values.size, 1);
  });

  it('nothing is half-saved when the metadata write fails', async () => {
    state.failNextUpdate = true;
    await assert.rejects(store.save(meta('http://127.0.0.1:1', 1), { kind: 'accessToken', accessToken: 'test-token-aaaa' }), /disk full/);
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(store.list(), []);
  });

  it('drops a corrupt credential instead of failing forever', async () => {
    const a = meta('http://127.0.0.1:1', 1);
    await store.save(a, { kind: 'accessToken', accessToken: 'test-token-aaaa' });
    secrets.values.set(`tokaify.account.${a.id}.credential`, '{not json');
    assert.equal(await store.credential(a.id), undefined);
    assert.equal(secrets.values.size, 0);
  });

  it('fires onDidChange on every change', async () => {
    let fired = 0;
    store.onDidChange(() => fired++);
    const a = meta('http://127.0.0.1:1', 1);
    await store.save(a, { kind: 'accessToken', accessToken: 'test-token-aaaa' });
    await store.setActive(a.id);
    await store.remove(a.id);
    assert.equal(fired, 3);
  });
});
