// usageReport and SpendCache against the simulator over HTTP, per flavour: a request just sent is in today's
// total and its hour; the hourly table where new-api has it on, the log where it does not (or when the detail is
// asked for), with the same figures either way; a capped scan says it is partial and how far back it reaches;
// a 429 mid-scan keeps what was read; the table's lag is named; and each report's requests are counted.
import assert from 'node:assert/strict';
import { ConsoleClient } from '../../src/core/consoleClient';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { quotaDisplayOf } from '../../src/core/quota';
import { localParts } from '../../src/core/usage/calendar';
import { usageReport, type UsageReport } from '../../src/core/usage/report';
import { SpendCache } from '../../src/core/usage/spendCache';
import { UsageApi } from '../../src/core/usage/usageApi';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';

const http = new HttpClient({ timeoutMs: 10_000, retries: 0 });
const USD = quotaDisplayOf({ quota_display_type: 'USD' });
/** 40 days of history up to a fixed "now" (reports are asked as of then), about 40 requests a day. */
const UNTIL = 1_790_000_000;
const HISTORY = { days: 40, rows: 1600, until: UNTIL };
const AS_OF = UNTIL * 1000;

const apiOf = (gw: RunningGateway) => {
  const flavor = gw.flavor === 'one-api' ? 'one-api' : 'new-api';
  return new UsageApi(new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken }, flavor), flavor);
};
const usageRequests = (gw: RunningGateway) => gw.requests.filter((r) => /^\/api\/(log|data)\//.test(r.path)).map((r) => r.path);

async function chat(gw: RunningGateway, model = 'gpt-4o-mini'): Promise<void> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST', headers: { Authorization: `Bearer ${DEMO.key}` }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  assert.equal(res.status, 200);
}

/**
 * What the consume rows of the report's range add up to, per local day label, straight from the simulator's state:
 * by each row's own time, or ('hourMiddle') by the middle of the hour it was counted in on the gateway's table.
 */
function expectedByDay(gw: RunningGateway, report: UsageReport, by: 'row' | 'hourMiddle' = 'row'): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of gw.state.logs) {
    const at = by === 'row' ? l.created_at * 1000 : (l.created_at - (l.created_at % 3600) + 1800) * 1000;
    if (l.type !== 2 || l.user_id !== DEMO.userId || at < report.start || l.created_at * 1000 > report.end) continue;
    const p = localParts(at, report.timeZone);
    const label = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    out.set(label, (out.get(label) ?? 0) + l.quota);
  }
  return out;
}

const seriesByLabel = (report: UsageReport) => new Map(report.series.filter((p) => p.spend.quota > 0).map((p) => [p.label, p.spend.quota]));

describe('usageReport: today, with a request just sent', () => {
  for (const flavor of ['new-api', 'new-api-legacy', 'one-api'] as const) {
    it(`${flavor}: the request is in today's total and in its hour, in the display unit`, async () => {
      const gw = await startGateway({ flavor });
      try {
        await chat(gw);
        const report = await usageReport(apiOf(gw), { period: 'today', display: USD, timeZone: 'Europe/Berlin' });
        assert.equal(report.granularity, 'hour');
        assert.equal(report.total.requests, 1);
        assert.equal(report.total.spend.text, '$0.0020');
        assert.equal(report.gatewayTotal.quota, 1000);
        const hour = localParts(Date.now(), 'Europe/Berlin').hour;
        const slot = report.series.find((p) => p.requests > 0)!;
        assert.equal(slot.label, `${String(hour).padStart(2, '0')}:00`);
        assert.deepEqual(report.byModel.map((m) => [m.name, m.requests, m.share]), [['gpt-4o-mini', 1, 1]]);
        assert.equal(report.source.kind, flavor === 'one-api' ? 'log' : 'table');
        assert.equal(report.requestsSent, 2, 'the stat, then the table or one log page');
        assert.deepEqual(usageRequests(gw), ['/api/log/self/stat', flavor === 'one-api' ? '/api/log/self' : '/api/data/self']);
      } finally {
        await gw.close();
      }
    });
  }
});

describe('usageReport: 30 days of history', () => {
  let newApi: RunningGateway;
  let oneApi: RunningGateway;
  before(async () => {
    [newApi, oneApi] = await Promise.all([startGateway({ usageHistory: HISTORY }), startGateway({ flavor: 'one-api', usageHistory: HISTORY })]);
  });
  beforeEach(() => {
    newApi.requests.length = 0;
    oneApi.requests.length = 0;
  });
  afterEach(() => {
    newApi.resetFaults();
    newApi.state.dataExportEnabled = true;
  });
  after(() => Promise.all([newApi.close(), oneApi.close()]));

  it('new-api: the hourly table in two requests; each local day adds up to the log; no split by token', async () => {
    const report = await usageReport(apiOf(newApi), { period: '30d', display: USD, timeZone: 'Asia/Kolkata', now: AS_OF });
    assert.deepEqual(report.table, { state: 'used' });
    assert.equal(report.requestsSent, 2);
    assert.equal(report.series.length, 30);
    assert.equal(report.source.kind, 'table');
    assert.equal(report.byToken, undefined);
    assert.equal(report.total.promptTokens, undefined);
    // Kolkata is UTC+5:30: the gateway's hours straddle local midnights; each counts in the day its middle falls in.
    assert.deepEqual(seriesByLabel(report), expectedByDay(newApi, report, 'hourMiddle'));
    const utc = await usageReport(apiOf(newApi), { period: '30d', display: USD, timeZone: 'UTC', now: AS_OF });
    assert.equal(utc.total.spend.quota, utc.gatewayTotal.quota, 'in whole-hour zones, the table is the stat');
    assert.deepEqual(utc.source, { kind: 'table', lagQuota: 0 });
    assert.equal(utc.note, undefined);
  });

  it('new-api with detail: the log, every row, the same totals, plus tokens and in/out', async () => {
    const table = await usageReport(apiOf(newApi), { period: '7d', display: USD, timeZone: 'UTC', now: AS_OF });
    const log = await usageReport(apiOf(newApi), { period: '7d', display: USD, timeZone: 'UTC', now: AS_OF, detail: true });
    assert.equal(log.source.kind, 'log');
    assert.ok(log.source.kind === 'log' && log.source.complete);
    assert.equal(log.total.spend.quota, table.total.spend.quota);
    assert.equal(log.total.requests, table.total.requests);
    assert.deepEqual(seriesByLabel(log), seriesByLabel(table), 'UTC days: the table and the log agree exactly');
    assert.deepEqual(seriesByLabel(log), expectedByDay(newApi, log));
    assert.ok(log.byToken!.length >= 3);
    assert.equal(log.byToken!.reduce((s, t) => s + t.spend.quota, 0), log.total.spend.quota);
    assert.equal(log.total.promptTokens! + log.total.completionTokens!, log.total.tokens);
    assert.equal(log.requestsSent, 1 + Math.ceil(log.total.requests / 100));
  });

  it('a gateway with the dashboard off: the log instead, and the table is not asked', async () => {
    const report = await usageReport(apiOf(newApi), { period: '7d', display: USD, now: AS_OF, dataExport: false });
    assert.deepEqual(report.table, { state: 'unavailable', reason: 'disabled' });
    assert.equal(report.source.kind, 'log');
    assert.ok(!usageRequests(newApi).includes('/api/data/self'));
  });

  it('one-api: ten rows a page, so 30 days is a partial scan, and says so', async () => {
    const report = await usageReport(apiOf(oneApi), { period: '30d', display: USD, timeZone: 'UTC', now: AS_OF });
    assert.deepEqual(report.table, { state: 'unavailable', reason: 'missing' });
    const source = report.source;
    assert.ok(source.kind === 'log' && !source.complete);
    assert.deepEqual([source.rows, source.pages, source.stoppedBy], [400, 40, 'pages']);
    assert.equal(report.requestsSent, 41);
    assert.equal(usageRequests(oneApi).length, 41);
    assert.match(report.note ?? '', /^Partial: the newest 400 requests, back to 2026-09-\d\d \d\d:\d\d \(UTC\)\. The gateway's total for the period is \$\d+\.\d\d\.$/);
    const coverage = report.series.map((p) => p.coverage);
    const none = coverage.lastIndexOf('none');
    assert.ok(none > 10 && coverage.slice(0, none + 1).every((c) => c === 'none'), 'older days are "no data", not zero spend');
    assert.ok(report.series.slice(0, none + 1).every((p) => p.spend.quota === 0));
    assert.equal(coverage[none + 1], 'partial', 'the day the scan stopped in');
    assert.ok(coverage.slice(none + 2).every((c) => c === 'full'));
    assert.ok(report.gatewayTotal.quota > report.total.spend.quota, 'the gateway\'s own total is the whole period');
  });

  it('lifted caps read the whole period: the same figures as the stat', async () => {
    const report = await usageReport(apiOf(oneApi), { period: '30d', display: USD, now: AS_OF, limits: { maxPages: 1000, maxRows: 100_000 } });
    assert.ok(report.source.kind === 'log' && report.source.complete);
    assert.equal(report.total.spend.quota, report.gatewayTotal.quota);
  });

  it('a 429 in the middle of a scan keeps what was read, and says the gateway started limiting', async () => {
    const api = apiOf(newApi);
    const next = api.nextLogPage.bind(api);
    let pages = 0;
    api.nextLogPage = (cursor, signal) => {
      if (++pages === 2) newApi.faults.rateLimit = true;
      return next(cursor, signal);
    };
    const report = await usageReport(api, { period: '30d', display: USD, now: AS_OF, detail: true });
    assert.ok(report.source.kind === 'log' && report.source.stoppedBy === 'rateLimited');
    assert.equal(report.source.rows, 200);
    assert.match(report.note ?? '', /the gateway started rate-limiting/);
  });

  it('a 429 on the first request is an error to show, not an empty chart', async () => {
    newApi.faults.rateLimit = true;
    await assert.rejects(usageReport(apiOf(newApi), { period: 'today', display: USD }), (e: unknown) => e instanceof GatewayError && e.kind === 'rateLimited');
  });

  it('requests the table has not counted yet are named as the lag', async () => {
    const gw = await startGateway();
    try {
      await chat(gw);
      gw.state.dataExportEnabled = false; // new-api writes the table every few minutes: these are not in it yet
      await chat(gw);
      await chat(gw);
      const report = await usageReport(apiOf(gw), { period: 'today', display: USD, dataExport: true });
      assert.deepEqual(report.source, { kind: 'table', lagQuota: 2000 });
      assert.match(report.note ?? '', /lag by a few minutes: \$0\.0040 of the period's \$0\.0060 is not in the chart yet/);
    } finally {
      await gw.close();
    }
  });
});

describe('SpendCache: spend today and in 7 days, per token and for the account', () => {
  let gw: RunningGateway;
  let clock = 0;
  before(async () => {
    gw = await startGateway({ usageHistory: { days: 10, rows: 500 } });
    clock = Date.now();
  });
  after(() => gw.close());

  it('two stat requests for a token, then the cached reading until it is 5 minutes old; peek never asks', async () => {
    const cache = new SpendCache(() => apiOf(gw), { now: () => clock, timeZone: 'UTC' });
    assert.equal(cache.peekToken('demo', USD), undefined);
    gw.requests.length = 0;
    await chat(gw);
    const first = await cache.token('demo', USD);
    assert.equal(usageRequests(gw).length, 2);
    assert.ok(first && first.today.quota >= 1000 && first.last7Days!.quota > first.today.quota);
    assert.equal(first.readAt, clock);
    assert.deepEqual(await cache.token('demo', USD), first);
    assert.deepEqual(cache.peekToken('demo', USD), first);
    assert.equal(usageRequests(gw).length, 2, 'no more requests while fresh');
    clock += 5 * 60_000;
    await chat(gw);
    const later = await cache.token('demo', USD);
    assert.equal(later!.today.quota, first!.today.quota + 1000);
    assert.equal(usageRequests(gw).length, 4);
  });

  it('the same token asked at once shares its requests; the account\'s today is one request', async () => {
    const cache = new SpendCache(() => apiOf(gw), { timeZone: 'UTC' });
    gw.requests.length = 0;
    const [a, b] = await Promise.all([cache.token('demo-limited', USD), cache.token('demo-limited', USD)]);
    assert.deepEqual(a, b);
    assert.equal(usageRequests(gw).length, 2);
    const today = await cache.accountToday(USD);
    assert.equal(today.last7Days, undefined);
    assert.equal(usageRequests(gw).length, 3);
    assert.ok(today.today.quota >= a!.today.quota);
  });

  it('a token without a name cannot be asked for (the stat would read it as "all tokens")', async () => {
    const cache = new SpendCache(() => apiOf(gw));
    gw.requests.length = 0;
    assert.equal(await cache.token('', USD), undefined);
    assert.equal(usageRequests(gw).length, 0);
  });
});
