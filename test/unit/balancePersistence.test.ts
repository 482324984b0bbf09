// The last good balance and the gateway's display settings kept in the state store (globalState):
// a returning user's balance shows at once, and a check is one request.
import assert from 'node:assert/strict';
import { AccountStore, accountId, accountStateKey, type AccountMeta } from '../../src/core/accounts';
import { MemorySecrets, MemoryState } from './memoryStores';
import type { BalanceSnapshot } from '../../src/core/balance';
import { BalanceStore } from '../../src/core/balanceStore';
import { HttpClient } from '../../src/core/http';
import { quotaDisplayOf } from '../../src/core/quota';
import { statusView } from '../../src/core/statusView';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import { DISPLAY_MAX_AGE_MS, Gateways } from '../../src/vscode/gateways';


const snapshot = (remaining: number): BalanceSnapshot =>
  ({ remaining, used: 10, unlimited: false, source: 'account', latencyMs: 5, at: Date.UTC(2026, 0, 2, 10, 32, 5), group: 'vip' });
const cny = quotaDisplayOf({ quota_display_type: 'CNY', usd_exchange_rate: 7.3 });
const settle = () => new Promise((r) => setTimeout(r, 20));
/** Waits for a background read to land: a fixed pause is too short on a loaded machine. */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await settle()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('BalanceStore: the last good balance survives the session', () => {
  it('a good read is persisted (amounts and unit only) and a new store shows it at once, marked restored, without reading', async () => {
    const state = new MemoryState();
    await new BalanceStore(async () => ({ snapshot: snapshot(700), display: cny }), state).refresh('x');
    const stored = state.values.get(accountStateKey('x', 'lastBalance'));
    assert.deepEqual(Object.keys(stored as object).sort(), ['display', 'snapshot']);
    assert.ok(!JSON.stringify(stored).includes('vip'), 'no group or other server text');

    let reads = 0;
    const next = new BalanceStore(async () => {
      reads++;
      return { snapshot: snapshot(600), display: cny };
    }, state);
    const entry = next.get('x');
    assert.equal(entry?.snapshot?.remaining, 700);
    assert.equal(entry?.display?.type, 'CNY');
    assert.equal(entry?.restored, true);
    assert.equal(entry?.error, undefined);
    assert.equal(reads, 0);
    const fresh = await next.refresh('x');
    assert.equal(fresh.snapshot?.remaining, 600);
    assert.equal(fresh.restored, false);
  });

  it('ensure() returns a restored balance at once and reads again behind it', async () => {
    const state = new MemoryState();
    await new BalanceStore(async () => ({ snapshot: snapshot(700), display: cny }), state).refresh('x');
    let release: () => void = () => undefined;
    const store = new BalanceStore(async () => {
      await new Promise<void>((r) => (release = r));
      return { snapshot: snapshot(650), display: cny };
    }, state);
    const entry = await store.ensure('x');
    assert.equal(entry.snapshot?.remaining, 700);
    assert.equal(store.get('x')?.checking, true, 'a read is under way');
    release();
    await settle();
    assert.equal(store.get('x')?.snapshot?.remaining, 650);
  });

  it('a damaged or foreign entry is ignored, not shown', () => {
    const state = new MemoryState();
    const store = new BalanceStore(async () => ({ snapshot: snapshot(1), display: cny }), state);
    state.values.set(accountStateKey('a', 'lastBalance'), { snapshot: { remaining: 'lots' }, display: cny });
    state.values.set(accountStateKey('b', 'lastBalance'), { snapshot: snapshot(5), display: { ...cny, type: 'GOLD' } });
    state.values.set(accountStateKey('c', 'lastBalance'), 'x');
    for (const id of ['a', 'b', 'c']) assert.equal(store.get(id), undefined, id);
  });

  it('the status bar\'s view of a restored balance: the amount, its age, "checking now…", not an error or "slow"', () => {
    const at = Date.UTC(2026, 0, 2, 10, 32, 5);
    const view = statusView({
      account: { label: 'Demo', host: 'gw', keyOnly: false }, display: quotaDisplayOf(undefined), checking: true, restored: true,
      last: { ...snapshot(5_000_000), latencyMs: 4000, at }, now: at + 2 * 3_600_000,
    });
    assert.equal(view.text, '$(pass) Tokaify: $10.00');
    assert.equal(view.severity, 'normal');
    assert.match(view.tooltip, /Last good check: 10:32:05 UTC \(2 h ago\); checking now…/);
    const older = statusView({ account: { label: 'D', host: 'gw', keyOnly: false }, display: quotaDisplayOf(undefined), checking: false, restored: true, last: snapshot(1), now: Date.UTC(2026, 0, 5) });
    assert.match(older.tooltip, /Last good check: 2026-01-02 10:32:05 UTC \(2 days ago\)\n/);
  });
});

describe('Gateways: display settings stored with the account, one request per check', () => {
  let gw: RunningGateway;
  let state: MemoryState;
  let accounts: AccountStore;
  let meta: AccountMeta;
  const http = { client: new HttpClient() };
  const paths = (from = 0) => gw.requests.slice(from).map((r) => r.path);

  beforeEach(async () => {
    gw = await startGateway({ flavor: 'new-api' });
    state = new MemoryState();
    accounts = new AccountStore(state, new MemorySecrets());
    meta = { id: accountId(gw.url, `user:${DEMO.userId}`), baseUrl: gw.url, authKind: 'accessToken', flavor: 'new-api', userId: DEMO.userId, addedAt: 1 };
    await accounts.save(meta, { kind: 'accessToken', accessToken: DEMO.accessToken });
  });
  afterEach(() => gw.close());

  it('first check: /api/status and /api/user/self together; the next session: the stored balance at once, then /api/user/self alone', async () => {
    const first = new Gateways(accounts, http, state);
    assert.equal(first.balances.get(meta.id), undefined, 'nothing stored yet');
    const entry = await first.balances.refresh(meta.id);
    assert.equal(entry.snapshot?.remaining, 5_000_000);
    assert.deepEqual(paths().sort(), ['/api/status', '/api/user/self']);
    await settle();

    const before = gw.requests.length;
    gw.state.users[0]!.quota = 4_000_000;
    const next = new Gateways(accounts, http, state);
    assert.equal(next.balances.get(meta.id)?.snapshot?.remaining, 5_000_000, 'the last session\'s balance, with no request');
    assert.equal(gw.requests.length, before);
    const fresh = await next.balances.refresh(meta.id);
    assert.equal(fresh.snapshot?.remaining, 4_000_000);
    assert.deepEqual(paths(before), ['/api/user/self']);
  });

  it('Refresh (refreshAll) reads the display settings again before the balance, and stores them', async () => {
    await new Gateways(accounts, http, state).balances.refresh(meta.id);
    await settle();
    const gateways = new Gateways(accounts, http, state);
    await gateways.balances.refresh(meta.id);
    gw.state.displayType = 'CNY';
    const before = gw.requests.length;
    gateways.refreshAll();
    await settle();
    await gateways.balances.refresh(meta.id);
    assert.equal(gateways.balances.get(meta.id)?.display?.type, 'CNY');
    assert.ok(paths(before).includes('/api/status'));
    await settle();
    assert.equal(new Gateways(accounts, http, state).balances.get(meta.id)?.display?.type, 'CNY', 'persisted with the balance');
    assert.equal((await new Gateways(accounts, http, state).quotaDisplay(meta)).type, 'CNY', 'and as the display settings');
  });

  it('settings over a day old are used at once and read again in the background', async () => {
    let now = Date.now();
    await new Gateways(accounts, http, state, () => now).balances.refresh(meta.id);
    await settle();
    gw.state.displayType = 'CNY';
    now += DISPLAY_MAX_AGE_MS + 1;
    const gateways = new Gateways(accounts, http, state, () => now);
    const before = gw.requests.length;
    assert.equal((await gateways.quotaDisplay(meta)).type, 'USD', 'the stored settings, without waiting');
    await until(() => (state.values.get(accountStateKey(meta.id, 'display')) as { display?: { type?: string } } | undefined)?.display?.type === 'CNY', 'the background read to store CNY');
    assert.deepEqual(paths(before), ['/api/status'], 'read again behind them');
    assert.equal((await gateways.quotaDisplay(meta)).type, 'CNY');
    assert.deepEqual(paths(before), ['/api/status'], 'once');
  });

  it('sign-out removes the stored display settings and balance', async () => {
    await new Gateways(accounts, http, state).balances.refresh(meta.id);
    await settle();
    assert.ok(state.values.has(accountStateKey(meta.id, 'display')));
    assert.ok(state.values.has(accountStateKey(meta.id, 'lastBalance')));
    await accounts.remove(meta.id);
    assert.ok(!state.values.has(accountStateKey(meta.id, 'display')));
    assert.ok(!state.values.has(accountStateKey(meta.id, 'lastBalance')));
  });
});
