import assert from 'node:assert/strict';
import type { BalanceSnapshot } from '../../src/core/balance';
import { BalanceStore } from '../../src/core/balanceStore';
import { ConsoleClient } from '../../src/core/consoleClient';
import { GatewayError } from '../../src/core/errors';
import { failureText } from '../../src/core/failureText';
import { HttpClient } from '../../src/core/http';
import { quotaDisplayOf } from '../../src/core/quota';
import { TokenApi } from '../../src/core/tokenApi';
import { TokenList } from '../../src/core/tokenList';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';

const snapshot = (remaining: number): BalanceSnapshot => ({ remaining, used: 0, unlimited: false, source: 'account', latencyMs: 5, at: 1 });

describe('BalanceStore: one balance for every view', () => {
  it('callers at the same time share one read, and every change is announced', async () => {
    let reads = 0;
    const store = new BalanceStore(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 20));
      return { snapshot: snapshot(100), display: quotaDisplayOf(undefined) };
    });
    const changed: string[] = [];
    store.onDidChange((id) => changed.push(id));
    const [a, b, c] = await Promise.all([store.refresh('x'), store.refresh('x'), store.ensure('x')]);
    assert.equal(reads, 1);
    assert.equal(a, b);
    assert.equal(c.snapshot?.remaining, 100);
    assert.deepEqual(changed, ['x', 'x'], 'checking, then the result');
    await store.ensure('x');
    assert.equal(reads, 1, 'ensure does not read again');
  });

  it('a failed read keeps the last good balance, marked by the error', async () => {
    let fail = false;
    const store = new BalanceStore(async () => {
      if (fail) throw new GatewayError('timeout', 'slow');
      return { snapshot: snapshot(7), display: quotaDisplayOf(undefined) };
    });
    await store.refresh('x');
    fail = true;
    const entry = await store.refresh('x');
    assert.equal(entry.snapshot?.remaining, 7);
    assert.equal(entry.error?.kind, 'timeout');
  });
});

describe('TokenList.refresh keeps what was loaded', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway({ flavor: 'new-api', seedTokens: 250 });
  });
  after(() => gw.close());

  it('reads as many pages again as were loaded, and swaps them in whole', async () => {
    const console = new ConsoleClient(new HttpClient(), gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    const api = new TokenApi(console, 'new-api');
    const list = new TokenList(async () => api, 'new-api');
    await list.refresh();
    await list.loadMore();
    assert.equal(list.state.tokens.length, 200);
    const sizes: number[] = [];
    list.onDidChange(() => sizes.push(list.state.tokens.length));
    await list.refresh();
    assert.equal(list.state.tokens.length, 200, 'still two pages');
    assert.ok(!sizes.some((n) => n < 200), `the rows never dropped to one page: ${sizes.join(', ')}`);
    await list.setFilter('token-0012');
    assert.ok(list.state.tokens.length < 100, 'a filter starts over');
  });

  it('search reads the gateway without changing the rows', async () => {
    const console = new ConsoleClient(new HttpClient(), gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    const list = new TokenList(async () => new TokenApi(console, 'new-api'), 'new-api');
    await list.refresh();
    const found = await list.search('token-00007');
    assert.deepEqual(found.map((t) => t.name), ['token-00007']);
    assert.equal(list.state.tokens.length, 100);
  });
});

describe('failureText: what failed, what to do next, no routes', () => {
  const rejected = (serverMessage: string) => new GatewayError('rejected', `The gateway refused PUT /api/token/?status_only=true: ${serverMessage}.`, { serverMessage });

  it('an expired token: Edit Token → expiry, with the server\'s words glossed', () => {
    const text = failureText('Could not enable "expired"', rejected('令牌已过期，无法启用，请先修改令牌过期时间，或者设置为永不过期'));
    assert.equal(text.next, 'editToken');
    assert.match(text.message, /^Could not enable "expired": the token has expired\. Set a later expiry \(or Never\) in Edit Token, then enable it\. The gateway said: "令牌已过期.*\(the token has expired, so it cannot be enabled\)"\.$/);
    assert.doesNotMatch(text.message, /\/api\//);
  });

  it('an exhausted token, a lost sign-in, a rate limit, an unknown refusal', () => {
    assert.match(failureText('x', rejected('令牌可用额度已用尽，无法启用')).message, /no quota left/);
    assert.equal(failureText('x', new GatewayError('unauthorized', 'The gateway did not accept the credentials for GET /api/user/self.')).next, 'signIn');
    assert.match(failureText('x', new GatewayError('rateLimited', 'The gateway is rate-limiting GET /api/token/search.')).message, /Wait a few minutes/);
    assert.match(failureText('x', rejected('something else')).message, /the gateway refused\. The gateway said: "something else"/);
    assert.doesNotMatch(failureText('x', new GatewayError('badResponse', 'GET /api/token/ answered with malformed JSON.')).message, /\/api\//);
  });
});

describe('ConsoleClient: an access token the gateway no longer knows is a lost sign-in', () => {
  it('the HTTP 200 "access token 无效" refusal (spec §1.3) is unauthorized, like a 401', async () => {
    const gw = await startGateway({ flavor: 'new-api' });
    try {
      const console = new ConsoleClient(new HttpClient(), gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: 'reset-in-the-console' });
      await assert.rejects(console.self(), (e: unknown) => e instanceof GatewayError && e.kind === 'unauthorized');
    } finally {
      await gw.close();
    }
  });
});
