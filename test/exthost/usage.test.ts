// "Tokaify: Show Usage" against the simulator, through the command as the palette, the tree and the page's own
// links run it: the report the panel drew matches what the gateway holds (today, 30 days), a request just sent
// is in the log with its cost, a failed one in Verify's words with Verify for its token, the log's filters and
// next page, what each choice costs in requests, the key-only page, one-api and older new-api, a hostile
// gateway, and the panel closing on sign-out.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { UsagePageModel } from '../../src/core/usage/viewModel';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import { HOSTILE_LONG } from '../../src/simulator/hostile';
import { activateExtension, endSuite, signInWithAccessToken, signOutAll } from './helpers';

const show = async (...args: unknown[]) => (await vscode.commands.executeCommand<UsagePageModel | undefined>('tokaify.showUsage', ...args))!;
const usageRoutes = (gw: RunningGateway, from = 0) => gw.requests.slice(from).filter((r) => /^\/api\/(log|data)\//.test(r.path)).map((r) => r.path);
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/** One chat completion with the demo key, as Test It sends it; the gateway's request id. */
async function chat(gw: RunningGateway, model = 'gpt-4o-mini'): Promise<string> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST', headers: { Authorization: `Bearer ${DEMO.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return res.headers.get('x-oneapi-request-id') ?? '';
}

/** The consume rows of the demo user in [start, end] (ms), summed as the gateway holds them. */
function consumed(gw: RunningGateway, start: number, end: number): { quota: number; requests: number } {
  const rows = gw.state.logs.filter((l) => l.type === 2 && l.user_id === DEMO.userId && l.created_at * 1000 >= start && l.created_at * 1000 <= end);
  return { quota: rows.reduce((a, l) => a + l.quota, 0), requests: rows.length };
}

function ready<T>(part: { state: string; value?: T; message?: string } | undefined, what: string): T {
  assert.equal(part?.state, 'ready', `${what}: ${JSON.stringify(part)}`);
  return (part as { value: T }).value;
}

describe('Usage view (Tokaify: Show Usage)', () => {
  describe('new-api with the hourly table and the error log on', () => {
    let gw: RunningGateway;
    let accountId: string;
    let requestId: string;

    before(async () => {
      const api = await activateExtension();
      await signOutAll(api);
      gw = await startGateway({ flavor: 'new-api', errorLog: true, usageHistory: { days: 40, rows: 1200 } });
      accountId = await signInWithAccessToken(gw.url);
      requestId = await chat(gw);
      await api.gateways.tokens(api.accounts.get(accountId)!).ensureLoaded();
    });
    after(async () => {
      await endSuite({ api: await activateExtension(), gw });
    });

    it('opens for the active account: today\'s total is the gateway\'s, and the request just sent leads the log', async () => {
      const before = gw.requests.length;
      const model = await show();
      const api = await activateExtension();
      assert.equal(model.accountId, accountId);
      const report = ready(model.report, 'report');
      const expected = consumed(gw, report.start, report.end);
      assert.ok(expected.requests >= 1);
      assert.equal(report.total.spend.quota, expected.quota);
      assert.equal(report.total.requests, expected.requests);
      assert.equal(report.gatewayTotal.quota, expected.quota);
      assert.equal(report.source.kind, 'table');
      assert.equal(report.series.length >= 23, true);
      const log = model.log!;
      assert.equal(log.state, 'ready');
      assert.equal(log.rows[0]!.requestId, requestId);
      assert.equal(log.rows[0]!.modelName, 'gpt-4o-mini');
      // Three requests: the stat, the hourly table, the log's first page.
      assert.deepEqual(usageRoutes(gw, before).sort(), ['/api/data/self', '/api/log/self', '/api/log/self/stat']);
      // What the panel shows says the same, in the display unit.
      const html = api.usageView.lastHtml;
      assert.match(html, /<h1>Usage<\/h1>/);
      assert.ok(html.includes(`<div class="value">${report.total.spend.text}</div>`), 'the total is shown');
      assert.match(html, /<tr id="log-row-0" class="consume"><td class="time">\d\d:\d\d:\d\d<\/td>/);
      assert.match(html, /<a id="period-today" aria-current="true"/);
    });

    it('opened again without a choice: shown as it is, nothing read', async () => {
      const before = gw.requests.length;
      await show({ accountId });
      assert.deepEqual(usageRoutes(gw, before), []);
    });

    it('the 30-day link: one bar per day, each day\'s spend as the gateway counted it', async () => {
      const before = gw.requests.length;
      const model = await show({ accountId, period: '30d' });
      const report = ready(model.report, 'report');
      assert.equal(report.series.length, 30);
      assert.equal(report.granularity, 'day');
      // The table counts a row in its hour; in a whole-hour zone (the test host's) every hour lies inside one day.
      for (const point of report.series) assert.equal(point.spend.quota, consumed(gw, point.start, point.end - 1).quota, point.label);
      assert.equal(report.total.spend.quota, consumed(gw, report.start, report.end).quota);
      const html = (await activateExtension()).usageView.lastHtml;
      assert.equal([...html.matchAll(/<rect class="bar[^"]*" data-slot="/g)].length, 30);
      assert.match(html, /<a id="period-30d" aria-current="true"/);
      assert.match(html, /<h2 id="chart-h">Spend by day, last 30 days<\/h2>/);
      const last = report.series.at(-1)!;
      assert.ok(html.includes(`<tr data-slot="${last.label}"><th scope="row">${last.label}</th><td class="num">${last.spend.text}</td>`), 'the table gives each day\'s figure');
      assert.equal(model.focus, `period-30d`, 'the focus goes back to the period switch');
      assert.deepEqual(usageRoutes(gw, before).sort(), ['/api/data/self', '/api/log/self', '/api/log/self/stat']);
    });

    it('a failed request: its error in Verify\'s words, and Verify for its token', async () => {
      gw.faults.upstreamFailure = { status: 429, message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' };
      try {
        await chat(gw);
      } finally {
        delete gw.faults.upstreamFailure;
      }
      const model = await show({ accountId, period: 'today', failed: true });
      const log = model.log!;
      assert.deepEqual(log.filter, { failedOnly: true });
      assert.ok(log.rows.length >= 1 && log.rows.every((r) => r.kind === 'error'), JSON.stringify(log.rows.map((r) => r.kind)));
      assert.equal(log.rows[0]!.failure?.title, 'The gateway is rate-limiting this key (429)');
      const html = (await activateExtension()).usageView.lastHtml;
      assert.match(html, /<strong>The gateway is rate-limiting this key \(429\)<\/strong>/);
      assert.match(html, /The gateway said: Rate limit reached for requests/);
      const demo = gw.state.tokens.find((t) => t.name === 'demo')!;
      const verify = /href="(command:tokaify\.verify\?[^"]+)"/.exec(html)![1]!;
      assert.deepEqual(JSON.parse(decodeURIComponent(verify.split('?')[1]!.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))))), [{ accountId, tokenId: demo.id }]);
    });

    it('log filters by model and token, and the next page on demand, one request each', async () => {
      let before = gw.requests.length;
      let model = await show({ accountId, log: 'clear', model: 'gpt-4o' });
      assert.deepEqual(model.log!.filter, { modelName: 'gpt-4o' });
      assert.ok(model.log!.rows.every((r) => r.modelName === 'gpt-4o'));
      assert.deepEqual(usageRoutes(gw, before), ['/api/log/self']);
      model = await show({ accountId, model: '', token: 'demo' });
      assert.deepEqual(model.log!.filter, { tokenName: 'demo' });
      assert.ok(model.log!.rows.every((r) => r.tokenName === 'demo'));
      // 30 days of a busy token: more than one page.
      model = await show({ accountId, period: '30d', log: 'clear' });
      const first = model.log!.rows.length;
      assert.equal(first, 100);
      assert.equal(model.log!.more, true);
      before = gw.requests.length;
      model = await show({ accountId, log: 'more' });
      assert.ok(model.log!.rows.length > first);
      assert.equal(model.focus, `log-row-${first}`);
      assert.deepEqual(usageRoutes(gw, before), ['/api/log/self']);
      assert.equal(new Set(model.log!.rows.map((r) => `${r.at}:${r.requestId}:${r.quota}`)).size, model.log!.rows.length, 'no row twice');
    });

    it('a filter chosen while the period is still being read: the report still arrives, the log follows the filter', async () => {
      gw.faults.latencyMs = 300;
      try {
        const period = show({ accountId, period: '7d', log: 'clear' });
        await new Promise((r) => setTimeout(r, 100));
        const filtered = await show({ accountId, model: 'gpt-4o' });
        assert.deepEqual(filtered.log!.filter, { modelName: 'gpt-4o' });
        await period;
      } finally {
        delete gw.faults.latencyMs;
      }
      const model = (await activateExtension()).usageView.lastModel!;
      assert.equal(ready(model.report, 'report').period, '7d');
      assert.deepEqual(model.log!.filter, { modelName: 'gpt-4o' });
      assert.ok(model.log!.rows.length > 0 && model.log!.rows.every((r) => r.modelName === 'gpt-4o'));
    });

    it('the split by token reads the log for it, when asked', async () => {
      const model = await show({ accountId, period: '7d', detail: true });
      const report = ready(model.report, 'report');
      assert.equal(report.source.kind, 'log');
      assert.ok(report.byToken && report.byToken.some((t) => t.name === 'demo'));
      assert.equal(report.total.spend.quota, consumed(gw, report.start, report.end).quota);
      assert.match((await activateExtension()).usageView.lastHtml, /<table class="breakdown token">/);
    });
  });

  for (const flavor of ['one-api', 'new-api-legacy'] as const) {
    it(`${flavor}: today's request is in the total and the log`, async () => {
      const api = await activateExtension();
      await signOutAll(api);
      const gw = await startGateway({ flavor });
      try {
        const accountId = await signInWithAccessToken(gw.url);
        const id = await chat(gw);
        const model = await show({ accountId, period: 'today', refresh: true });
        const report = ready(model.report, 'report');
        assert.equal(report.total.spend.quota, consumed(gw, report.start, report.end).quota);
        assert.ok(report.total.requests >= 1);
        assert.equal(report.source.kind, flavor === 'one-api' ? 'log' : 'table');
        assert.equal(model.log!.rows[0]!.modelName, 'gpt-4o-mini');
        if (flavor !== 'one-api') assert.equal(model.log!.rows[0]!.requestId, id);
        assert.equal(/Failed requests only/.test(api.usageView.lastHtml), flavor !== 'one-api');
      } finally {
        await endSuite({ api, gw });
      }
    });
  }

  it('a key-only account: what the key tells, and what a console sign-in would add', async () => {
    const api = await activateExtension();
    await signOutAll(api);
    const gw = await startGateway({ flavor: 'new-api' });
    try {
      const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'key', apiKey: DEMO.key });
      assert.ok(outcome.ok, JSON.stringify(outcome));
      await chat(gw);
      const before = gw.requests.length;
      const model = await show({ accountId: outcome.accountId });
      assert.equal(model.keyOnly, true);
      const usage = ready(model.key, 'key usage');
      assert.ok(usage.used > 0);
      assert.deepEqual([...usage.needsConsole], ['history', 'byModel', 'byToken', 'requestLog']);
      assert.deepEqual(usageRoutes(gw, before), [], 'no console route for a key');
      const html = api.usageView.lastHtml;
      assert.match(html, /What a console sign-in adds/);
      assert.ok(html.includes(`href="command:tokaify.addGateway?${encodeURIComponent(JSON.stringify([{ baseUrl: gw.url }]))}"`), 'Add Gateway starts from this gateway');
      assert.doesNotMatch(html, /period-today/);
    } finally {
      await endSuite({ api, gw });
    }
  });

  it('a hostile gateway: every name, model and message in the page is inert, and signing out closes the panel', async () => {
    const api = await activateExtension();
    await signOutAll(api);
    const gw = await startGateway({ flavor: 'new-api', errorLog: true });
    gw.faults.hostile = true;
    try {
      const accountId = await signInWithAccessToken(gw.url);
      gw.faults.upstreamFailure = { status: 500, message: `upstream ${HOSTILE_LONG} <img src=x onerror=alert(1)>`, code: 'x' };
      await chat(gw);
      delete gw.faults.upstreamFailure;
      api.gateways.refreshAll(); // the hostile currency symbol
      const model = await show({ accountId, period: '7d', detail: true });
      ready(model.report, 'report');
      assert.ok(model.log!.rows.length >= 2);
      const html = api.usageView.lastHtml;
      assert.doesNotMatch(html, /<img|onerror="|<b>|<a href="command:tokaify\.signOut/i);
      assert.equal([...html.matchAll(/<script/g)].length, 1);
      assert.doesNotMatch(html, BIDI);
      assert.ok(!html.includes('W'.repeat(700)), 'long strings are capped');
      for (const secret of [DEMO.accessToken, ...gw.state.tokens.map((t) => t.key)]) assert.ok(!html.includes(secret), 'a secret is shown');
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^command:tokaify\.(showUsage|verify|addGateway)(\?|$)/);
      await api.internal.signOut(accountId, { confirm: false });
      const open = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Tokaify: Usage');
      for (let i = 0; i < 40 && open(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(open(), false, 'the panel closed');
    } finally {
      await endSuite({ api, gw });
    }
  });
});
