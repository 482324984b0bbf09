import assert from 'node:assert/strict';
import { accountBalance, keyBalance } from '../../src/core/balance';
import { ConsoleClient } from '../../src/core/consoleClient';
import { HttpClient } from '../../src/core/http';
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

  it('a key on new-api: the key\'s own quota from /api/usage/token/ (one request)', async () => {
    const before = newApi.requests.length;
    const balance = await keyBalance(http, newApi.url, limitedKey(newApi), 'new-api');
    assert.deepEqual([balance.remaining, balance.unlimited, balance.source], [250_000, false, 'key']);
    assert.deepEqual(newApi.requests.slice(before).map((r) => r.path), ['/api/usage/token/']);
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
