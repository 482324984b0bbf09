import assert from 'node:assert/strict';
import { accountBalance, keyBalance } from '../../src/core/balance';
import { ConsoleClient } from '../../src/core/consoleClient';
import { HttpClient } from '../../src/core/http';
import { quotaDisplayOf } from '../../src/core/quota';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';

describe('balance: one request for the status bar', () => {
  const http = new HttpClient({ timeoutMs: 5000 });
  let newApi: RunningGateway;
  let oneApi: RunningGateway;
  before(async () => {
    newApi = await startGateway({ flavor: 'new-api' });
    oneApi = await startGateway({ flavor: 'one-api' });
  });
  after(async () => {
    await newApi.close();
    await oneApi.close();
  });
  const limitedKey = (gw: RunningGateway) => `sk-${gw.state.tokens.find((t) => t.name === 'demo-limited')!.key}`;

  it('a console account: the user\'s quota and use from /api/user/self', async () => {
    const before = newApi.requests.length;
    const console = new ConsoleClient(http, newApi.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    const balance = await accountBalance(console);
    assert.equal(balance.remaining, newApi.state.users[0]!.quota);
    assert.equal(balance.used, newApi.state.users[0]!.used_quota);
    assert.equal(balance.source, 'account');
    assert.equal(newApi.requests.length - before, 1, 'one request');
  });

  it('a key on new-api: its own quota from the billing routes, never the bucket sign-in and key reveal share', async () => {
    const before = newApi.requests.length;
    const balance = await keyBalance(http, newApi.url, limitedKey(newApi), 'new-api');
    assert.deepEqual([balance.remaining, balance.unlimited, balance.source], [250_000, false, 'key']);
    assert.deepEqual(newApi.requests.slice(before).map((r) => r.path).sort(), ['/v1/dashboard/billing/subscription', '/v1/dashboard/billing/usage']);
  });

  it('a gateway showing CNY: the billing amounts (in yuan) come back as the same quota units', async () => {
    newApi.state.displayType = 'CNY';
    try {
      const display = quotaDisplayOf({ quota_display_type: 'CNY', quota_per_unit: 500_000, usd_exchange_rate: 7.3 } as never);
      assert.equal((await keyBalance(http, newApi.url, limitedKey(newApi), 'new-api', display)).remaining, 250_000);
    } finally {
      newApi.state.displayType = 'USD';
    }
  });

  it('a disabled key, which billing refuses: /api/usage/token/ still tells its quota', async () => {
    const before = newApi.requests.length;
    const disabled = `sk-${newApi.state.tokens.find((t) => t.name === 'demo-disabled')!.key}`;
    const balance = await keyBalance(http, newApi.url, disabled, 'new-api');
    assert.equal(balance.remaining, 1_000_000);
    assert.ok(newApi.requests.slice(before).some((r) => r.path === '/api/usage/token/'));
  });

  it('an unlimited key says so', async () => {
    assert.equal((await keyBalance(http, newApi.url, DEMO.key, 'new-api')).unlimited, true);
  });

  it('a key on one-api (no usage route): the billing routes, converted back to quota units', async () => {
    const balance = await keyBalance(http, oneApi.url, limitedKey(oneApi), 'one-api');
    assert.equal(balance.remaining, 250_000);
    assert.deepEqual(oneApi.requests.slice(-2).map((r) => r.path).sort(), ['/v1/dashboard/billing/subscription', '/v1/dashboard/billing/usage']);
  });

  it('an invalid key is an unauthorized error, not a balance of zero', async () => {
    await assert.rejects(keyBalance(http, oneApi.url, 'sk-test' + 'q'.repeat(40), 'one-api'), (e: Error & { kind?: string }) => e.kind === 'unauthorized');
  });
});
