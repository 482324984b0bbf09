// UsageApi and keyUsage against the simulator over HTTP, per flavour: the request log's paging and filters,
// what a gateway cannot filter, the stat, the hourly table and when it is not there, an unknown shape named by
// its field, and what a key alone can tell (billing routes first; the shared 20-per-20-minutes route only when
// they cannot answer).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleClient } from '../../src/core/consoleClient';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { quotaDisplayOf } from '../../src/core/quota';
import { keyUsage } from '../../src/core/usage/keyUsage';
import { UsageApi, type LogPage } from '../../src/core/usage/usageApi';
import { DEMO, Hostile, startGateway, type Flavor, type RunningGateway } from '../../src/simulator';

const http = new HttpClient({ timeoutMs: 5000, retries: 0 });
const DISABLED_KEY = `sk-demoDisabled${'0'.repeat(36)}`;
const LIMITED_KEY = `sk-demoLimited${'2'.repeat(37)}`;
const HISTORY = { days: 40, rows: 1500, until: 1_790_000_000 };

const clientFlavor = (flavor: Flavor) => (flavor === 'one-api' ? 'one-api' : 'new-api');
const usageApi = (gw: RunningGateway) =>
  new UsageApi(new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken }, clientFlavor(gw.flavor)), clientFlavor(gw.flavor));
const requestsTo = (gw: RunningGateway, prefix: string) => gw.requests.filter((r) => r.path.startsWith(prefix)).length;

async function chat(gw: RunningGateway, key: string = DEMO.key, model = 'gpt-4o-mini'): Promise<string> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST', headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  assert.equal(res.status, 200);
  return res.headers.get('x-oneapi-request-id') ?? '';
}

/** Every page of a filter, following the cursors (at most `max` pages). */
async function allPages(api: UsageApi, first: LogPage, max = 500): Promise<LogPage[]> {
  const pages = [first];
  while (pages.at(-1)!.next && pages.length < max) pages.push(await api.nextLogPage(pages.at(-1)!.next!));
  return pages;
}

for (const flavor of ['new-api', 'new-api-legacy', 'one-api'] as const) {
  describe(`UsageApi on ${flavor}`, () => {
    let gw: RunningGateway;
    before(async () => {
      gw = await startGateway({ flavor, usageHistory: HISTORY });
    });
    afterEach(() => gw.resetFaults());
    after(() => gw.close());

    it('the first log page holds a request just sent, newest first, with its token, model, tokens, cost and duration', async () => {
      const requestId = await chat(gw);
      const page = await usageApi(gw).firstLogPage({});
      const row = page.rows[0]!;
      assert.equal(row.requestId, requestId);
      assert.deepEqual([row.kind, row.tokenName, row.modelName, row.quota, row.promptTokens, row.completionTokens], ['consume', 'demo', 'gpt-4o-mini', 1000, 12, 3]);
      assert.equal(row.durationMs, 1000);
      assert.equal(page.rows.length, flavor === 'one-api' ? 10 : 100);
      assert.equal(page.total, flavor === 'one-api' ? undefined : gw.state.logs.length);
      assert.ok(page.rows.every((r, i) => i === 0 || r.at <= page.rows[i - 1]!.at));
    });

    it('pages through a time range to its end: every row once, none outside, and pages keep still while requests arrive', async () => {
      const api = usageApi(gw);
      const [start, end] = [HISTORY.until - 3 * 86_400, HISTORY.until];
      const first = await api.firstLogPage({ kind: 'consume', start, end });
      await chat(gw);
      const pages = await allPages(api, first);
      const rows = pages.flatMap((p) => p.rows);
      const expected = gw.state.logs.filter((l) => l.type === 2 && l.created_at >= start && l.created_at <= end);
      assert.equal(rows.length, expected.length);
      assert.deepEqual(new Set(rows.map((r) => r.requestId)).size, expected.length, 'no row twice');
      assert.equal(pages.at(-1)!.next, undefined);
    });

    it('a first page without an end pins it, so a request sent while paging does not shift the next page', async () => {
      const api = usageApi(gw);
      const first = await api.firstLogPage({ tokenName: 'demo' });
      // The end is pinned to the second: a request within that same second would still be in range.
      await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
      await chat(gw);
      await chat(gw);
      const second = await api.nextLogPage(first.next!);
      assert.notEqual(second.rows[0]!.requestId, first.rows.at(-1)!.requestId, 'the last row of page 1 is not repeated');
      const expectedNext = gw.state.logs.filter((l) => l.token_name === 'demo').reverse()[first.rows.length + 2]!;
      assert.equal(second.rows[0]!.requestId, expectedNext.request_id);
    });

    it('filters by token and model; a request id is found, or said to be matched only within the page', async () => {
      const api = usageApi(gw);
      const requestId = await chat(gw, LIMITED_KEY);
      const byToken = await api.firstLogPage({ tokenName: 'demo-limited', modelName: 'gpt-4o-mini' });
      assert.ok(byToken.rows.length > 0 && byToken.rows.every((r) => r.tokenName === 'demo-limited' && r.modelName === 'gpt-4o-mini'));
      const byId = await api.firstLogPage({ requestId });
      assert.deepEqual(byId.rows.map((r) => r.requestId), [requestId]);
      assert.deepEqual(byId.unsupported, flavor === 'new-api' ? [] : ['requestId']);
      const byGroup = await api.firstLogPage({ group: 'vip' });
      if (flavor === 'one-api') assert.deepEqual(byGroup.unsupported, ['group']);
      else assert.deepEqual(byGroup.rows, []);
    });

    it('the stat is the consumed quota of the range, as the rows add up', async () => {
      const api = usageApi(gw);
      const [start, end] = [HISTORY.until - 10 * 86_400, HISTORY.until];
      const stat = await api.stat({ start, end });
      const expected = gw.state.logs.filter((l) => l.type === 2 && l.created_at >= start && l.created_at <= end).reduce((s, l) => s + l.quota, 0);
      assert.equal(stat.quota, expected);
      assert.equal(stat.rpm === undefined, flavor === 'one-api', 'rpm on new-api only');
    });

    it('the hourly table: new-api\'s rows for 40 days in two requests; one-api has none, and nothing is asked', async () => {
      const api = usageApi(gw);
      const before = requestsTo(gw, '/api/data/self');
      const data = await api.quotaData(HISTORY.until - 40 * 86_400, HISTORY.until);
      if (flavor === 'one-api') {
        assert.deepEqual(data, { available: false, reason: 'missing', requests: 0 });
        assert.equal(requestsTo(gw, '/api/data/self'), before);
        return;
      }
      assert.ok(data.available);
      assert.equal(data.requests, 2, '30 days at most a request');
      assert.equal(requestsTo(gw, '/api/data/self'), before + 2);
      const hourOf = (t: number) => t - (t % 3600);
      const consumed = gw.state.logs.filter((l) => l.type === 2 && hourOf(l.created_at) >= HISTORY.until - 40 * 86_400 && hourOf(l.created_at) <= HISTORY.until);
      assert.equal(data.buckets.reduce((s, b) => s + b.count, 0), consumed.length);
    });

    it('an unknown shape is an error naming the field', async () => {
      const row = gw.state.logs.at(-1)!;
      gw.state.logs.push({ ...row, created_at: 'yesterday' as unknown as number });
      try {
        await assert.rejects(usageApi(gw).firstLogPage({}), (e: unknown) =>
          e instanceof GatewayError && e.kind === 'badResponse' && e.message.includes(flavor === 'one-api' ? '"data.0.created_at"' : '"data.items.0.created_at"'));
      } finally {
        gw.state.logs.pop();
      }
    });
  });
}

describe('UsageApi: what is not there is not an error', () => {
  it('a gateway without /api/data/self (a fork) is "missing"; a refused range is "refused" with the gateway\'s words', async () => {
    const gw = await startGateway({ flavor: 'new-api' });
    try {
      const api = usageApi(gw);
      // A fork on new-api's flavour that lacks the route: the simulator's one-api answers 404 Invalid URL there.
      const oneApi = await startGateway({ flavor: 'one-api' });
      try {
        const fork = new UsageApi(new ConsoleClient(http, oneApi.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken }, 'new-api'), 'new-api');
        assert.deepEqual(await fork.quotaData(0, 100), { available: false, reason: 'missing', requests: 1 });
      } finally {
        await oneApi.close();
      }
      assert.ok((await api.quotaData(0, 100)).available);
      // Asked directly for more than the gateway's 30 days (UsageApi splits longer ranges itself).
      const console = new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
      const refused = await console.call('GET', '/api/data/self?start_timestamp=0&end_timestamp=9999999').catch((e: unknown) => e);
      assert.ok(refused instanceof GatewayError && refused.kind === 'rejected');
      assert.match(refused.detail.serverMessage ?? '', /时间跨度不能超过 1 个月/);
    } finally {
      await gw.close();
    }
  });

  it('one-api has no error rows: asking for them sends nothing and says so', async () => {
    const gw = await startGateway({ flavor: 'one-api' });
    try {
      const page = await usageApi(gw).firstLogPage({ kind: 'error' });
      assert.deepEqual(page, { rows: [], unsupported: ['kind'] });
      assert.equal(requestsTo(gw, '/api/log/'), 0);
    } finally {
      await gw.close();
    }
  });

  it('new-api error rows carry the failure in Verify\'s words', async () => {
    const gw = await startGateway({ flavor: 'new-api', errorLog: true });
    try {
      gw.faults.upstreamFailure = { status: 503, message: 'No available channel for model gpt-4o under group default (distributor)', code: 'model_not_found' };
      await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${DEMO.key}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [] }) });
      const [row] = (await usageApi(gw).firstLogPage({ kind: 'error' })).rows;
      assert.equal(row?.kind, 'error');
      assert.deepEqual(row?.failure, {
        title: 'The gateway has no channel serving gpt-4o for this key\'s group',
        said: 'No available channel for model gpt-4o under group default (distributor)',
        status: 503, code: 'model_not_found', refusal: 'no-channel',
      });
    } finally {
      await gw.close();
    }
  });
});

describe('UsageApi: a hostile gateway', () => {
  it('names, models, messages and a non-JSON `other` come through as the data they are, and nothing breaks', async () => {
    const gw = await startGateway({ flavor: 'new-api', errorLog: true });
    try {
      gw.faults.hostile = true;
      await fetch(`${gw.url}/api/status`);
      gw.faults.upstreamFailure = { status: 500, message: Hostile.hostile('upstream'), code: Hostile.HOSTILE_LINK };
      await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${DEMO.key}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [] }) });
      const rows = (await usageApi(gw).firstLogPage({})).rows;
      const failed = rows.find((r) => r.kind === 'error')!;
      assert.equal(failed.failure?.title, 'The gateway failed with HTTP 500');
      assert.equal(failed.failure?.said, Hostile.hostile('upstream'));
      assert.equal(failed.failure?.code, Hostile.HOSTILE_LINK);
      const planted = rows.filter((r) => r.content === Hostile.hostile('content'));
      assert.equal(planted.length, 6);
      assert.ok(planted.some((r) => r.tokenName === Hostile.HOSTILE_LONG && r.modelName === `gpt-4o ${Hostile.HOSTILE_LINK}`));
    } finally {
      await gw.close();
    }
  });
});

describe('keyUsage: what a key alone can tell', () => {
  const usd = quotaDisplayOf({ quota_display_type: 'USD' });

  it('new-api: the billing routes, in quota units; the shared 20-per-20-minutes route is not touched', async () => {
    const gw = await startGateway({ flavor: 'new-api' });
    try {
      await chat(gw, LIMITED_KEY);
      const usage = await keyUsage(http, gw.url, LIMITED_KEY, 'new-api', usd);
      const token = gw.state.tokens.find((t) => t.name === 'demo-limited')!;
      assert.deepEqual({ ...usage, readAt: 0 }, {
        source: 'billing', unlimited: false, used: token.used_quota, granted: token.used_quota + token.remain_quota, remaining: token.remain_quota,
        readAt: 0, needsConsole: ['history', 'byModel', 'byToken', 'requestLog'],
      });
      assert.equal(requestsTo(gw, '/api/usage/token/'), 0);
    } finally {
      await gw.close();
    }
  });

  it('a CNY or TOKENS gateway: the billing amounts are in that unit, read back to the same quota', async () => {
    const gw = await startGateway({ flavor: 'new-api' });
    try {
      for (const type of ['CNY', 'TOKENS', 'CUSTOM'] as const) {
        gw.state.displayType = type;
        const display = quotaDisplayOf({ quota_display_type: type, usd_exchange_rate: 7.3 });
        const usage = await keyUsage(http, gw.url, LIMITED_KEY, 'new-api', display);
        assert.equal(usage.granted, 250_000, type);
      }
      gw.state.displayType = 'CNY';
      const misread = await keyUsage(http, gw.url, LIMITED_KEY, 'new-api', usd);
      assert.equal(misread.granted, Math.round(250_000 * 7.3), 'read as dollars, yuan would be 7.3 times too much');
    } finally {
      await gw.close();
    }
  });

  it('a disabled key: billing refuses it, the read-only route still tells (new-api); one-api says why', async () => {
    const newApi = await startGateway({ flavor: 'new-api' });
    const oneApi = await startGateway({ flavor: 'one-api' });
    try {
      const usage = await keyUsage(http, newApi.url, DISABLED_KEY, 'new-api', usd);
      assert.equal(usage.source, 'tokenUsage');
      assert.equal(usage.name, 'demo-disabled');
      assert.equal(usage.remaining, 1_000_000);
      await assert.rejects(keyUsage(http, oneApi.url, DISABLED_KEY, 'one-api', usd), (e: unknown) =>
        e instanceof GatewayError && e.kind === 'unauthorized' && /该令牌状态不可用/.test(e.detail.serverMessage ?? ''));
    } finally {
      await Promise.all([newApi.close(), oneApi.close()]);
    }
  });

  it('an unlimited key has no granted or remaining; `detailed` asks the read-only route for name, limits and expiry', async () => {
    const gw = await startGateway({ flavor: 'new-api' });
    try {
      const billing = await keyUsage(http, gw.url, DEMO.key, 'new-api', usd);
      assert.equal(billing.unlimited, true);
      assert.equal(billing.granted, undefined);
      const detailed = await keyUsage(http, gw.url, LIMITED_KEY, 'new-api', usd, { detailed: true });
      assert.deepEqual([detailed.source, detailed.name, detailed.modelLimits], ['tokenUsage', 'demo-limited', ['gpt-4o-mini']]);
      assert.equal(requestsTo(gw, '/api/usage/token/'), 1);
    } finally {
      await gw.close();
    }
  });

  it('the read-only route\'s 429 names the shared bucket', async () => {
    const gw = await startGateway({ flavor: 'new-api', criticalRateLimit: 0 });
    try {
      await assert.rejects(keyUsage(http, gw.url, LIMITED_KEY, 'new-api', usd, { detailed: true }), (e: unknown) =>
        e instanceof GatewayError && e.kind === 'rateLimited' && /shared with sign-ins and key reveals/.test(e.message));
    } finally {
      await gw.close();
    }
  });
});

describe('keyUsage: refusals that come with a 200 (the relay client reads them for every caller)', () => {
  // A gateway answering as new-api does when its database read fails (billing) or the route refuses (read-only).
  let server: Server;
  let root = '';
  before(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/api/usage/token/'
        ? { success: false, message: '令牌已过期' }
        : { error: { message: 'database is locked', type: 'new_api_error' } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the billing routes\' database error is a server error in the gateway\'s words, not a balance of zero', async () => {
    await assert.rejects(keyUsage(http, root, LIMITED_KEY, 'one-api', quotaDisplayOf(undefined)),
      (e: unknown) => e instanceof GatewayError && e.kind === 'server' && /database is locked/.test(e.message));
  });

  it('the read-only route\'s {success:false} is a refusal with its message, not a shape error', async () => {
    await assert.rejects(keyUsage(http, root, LIMITED_KEY, 'new-api', quotaDisplayOf(undefined), { detailed: true }),
      (e: unknown) => e instanceof GatewayError && e.kind === 'rejected' && e.detail.serverMessage === '令牌已过期');
  });
});
