// The Usage view's pure parts: the SVG chart (its numbers, scale and escaping), the page (every gateway string
// inert, only our command links, the CSP), the key-only page, and the arguments its links carry.
import assert from 'node:assert/strict';
import { quotaDisplayOf, type QuotaDisplay } from '../../src/core/quota';
import { registerSecret } from '../../src/core/redact';
import { amount } from '../../src/core/usage/amount';
import { periodRange, type Period } from '../../src/core/usage/calendar';
import { CHART_SIZE, chartRows, spendChartSvg } from '../../src/core/usage/chart';
import { NEEDS_CONSOLE, type KeyUsage } from '../../src/core/usage/keyUsage';
import { toLogRow, type UsageLogRow } from '../../src/core/usage/logRow';
import { renderUsagePage, USAGE_PAGE_COMMANDS } from '../../src/core/usage/page';
import type { Breakdown, UsageReport } from '../../src/core/usage/report';
import { changesLogFilter, nextLogFilter, usageArgs, type UsagePageModel } from '../../src/core/usage/viewModel';
import { HOSTILE_HTML, HOSTILE_LONG, hostile } from '../../src/simulator/hostile';

const USD = quotaDisplayOf({ quota_display_type: 'USD' });
/** 2026-01-15 10:30 UTC. */
const NOW = Date.UTC(2026, 0, 15, 10, 30);
const ZONE = 'UTC';
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

function breakdown(name: string, quota: number, total: number, display: QuotaDisplay = USD): Breakdown {
  return { name, spend: amount(quota, display), requests: 2, tokens: 300, share: total > 0 ? quota / total : 0 };
}

/** A report for `period` whose slots spend `quotas` (missing ones 0), as usageReport would return it. */
function reportOf(period: Period, quotas: number[], options: { display?: QuotaDisplay; models?: string[]; tokens?: string[] } = {}): UsageReport {
  const display = options.display ?? USD;
  const range = periodRange(period, NOW, ZONE);
  const series = range.slots.map((slot, i) => ({
    start: slot.start, end: slot.end, label: slot.label, spend: amount(quotas[i] ?? 0, display), requests: quotas[i] ? 3 : 0, tokens: quotas[i] ? 450 : 0, coverage: 'full' as const,
  }));
  const total = quotas.reduce((a, b) => a + b, 0);
  const models = options.models ?? ['gpt-4o-mini'];
  return {
    period, timeZone: ZONE, granularity: range.granularity, start: range.start, end: NOW, readAt: NOW, display,
    total: { spend: amount(total, display), requests: series.reduce((a, p) => a + p.requests, 0), tokens: series.reduce((a, p) => a + p.tokens, 0) },
    gatewayTotal: amount(total, display), series,
    byModel: models.map((m) => breakdown(m, total / models.length, total, display)),
    ...(options.tokens ? { byToken: options.tokens.map((t) => breakdown(t, total / options.tokens!.length, total, display)) } : {}),
    source: { kind: 'table', lagQuota: 0 }, table: { state: 'used' }, requestsSent: 2,
  };
}

function row(fields: Record<string, unknown>, flavor: 'new-api' | 'one-api' = 'new-api'): UsageLogRow {
  return toLogRow({ created_at: Math.floor(NOW / 1000) - 60, type: 2, token_name: 'demo', model_name: 'gpt-4o-mini', quota: 150, prompt_tokens: 10, completion_tokens: 5, use_time: 2, is_stream: false, content: '', ...fields } as never, flavor);
}

function pageModel(fields: Partial<UsagePageModel> = {}): UsagePageModel {
  return {
    accountId: 'acc-1', baseUrl: 'https://gw.example', account: 'demo @ gw.example', flavor: 'new-api', keyOnly: false, period: 'today', display: USD, timeZone: ZONE, detail: false,
    tokenIds: new Map([['demo', 7]]), ...fields,
  };
}

const render = (model: UsagePageModel) => renderUsagePage(model, { nonce: 'n0nce', now: NOW });
/** Every href in the page. */
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))));
/** The JSON argument of a command link. */
const argsOf = (href: string) => JSON.parse(decodeURIComponent(href.split('?')[1] ?? '[]')) as unknown[];

describe('usage chart (SVG)', () => {
  it('draws one bar per hour today, the tallest at the peak, each with its numbers in a <title>', () => {
    const quotas = Array(24).fill(0);
    quotas[9] = 250_000; // $0.50
    quotas[10] = 500_000; // $1.00
    const report = reportOf('today', quotas);
    const svg = spendChartSvg(report);
    const bars = [...svg.matchAll(/<rect class="bar" data-slot="([^"]+)" data-quota="(\d+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"><title>([^<]*)<\/title>/g)];
    assert.equal(bars.length, 24);
    const ten = bars.find((b) => b[1] === '10:00')!;
    const nine = bars.find((b) => b[1] === '09:00')!;
    assert.equal(ten[2], '500000');
    assert.equal(Number(ten[4]), CHART_SIZE.height - 14 - 28, 'the peak fills the plot');
    assert.equal(Number(nine[4]), Number(ten[4]) / 2);
    assert.equal(ten[5], '10:00: $1.00, 3 requests, 450 tokens');
    const hours = [...svg.matchAll(/text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(hours, ['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00']);
    assert.equal(bars.find((b) => b[1] === '08:00')![4], '0');
    // The scale is labelled with the peak and its half, and the chart names itself.
    assert.match(svg, />\$1\.00<\/text>/);
    assert.match(svg, />\$0\.50<\/text>/);
    assert.match(svg, /role="img" aria-labelledby="spend-chart-title spend-chart-desc"/);
    assert.match(svg, /<desc id="spend-chart-desc">Total \$1\.50, 6 requests\. The most, \$1\.00, at 10:00\.<\/desc>/);
  });

  it('30 days: 30 bars, at most 8 day labels, and the table rows carry the same figures', () => {
    const quotas = Array.from({ length: 30 }, (_, i) => (i + 1) * 1000);
    const report = reportOf('30d', quotas);
    const svg = spendChartSvg(report);
    assert.equal([...svg.matchAll(/<rect class="bar"/g)].length, 30);
    const labels = [...svg.matchAll(/<text class="axis" x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1]);
    assert.ok(labels.length <= 8 && labels.length >= 6, labels.join());
    assert.equal(labels.at(-1), '01-15', 'today is labelled');
    assert.equal(labels[0], '12-18');
    const rows = chartRows(report);
    assert.equal(rows.at(-1)!.label, '2026-01-15');
    assert.equal(rows.at(-1)!.spend, amount(30_000, USD).text);
    assert.equal(rows.at(-1)!.spend, '$0.06');
  });

  it('an empty period says so instead of drawing a scale', () => {
    const svg = spendChartSvg(reportOf('7d', []));
    assert.match(svg, /No spend in this period/);
    assert.doesNotMatch(svg, /class="grid"/);
    assert.match(svg, /<desc id="spend-chart-desc">No spend in this period\.<\/desc>/);
  });

  it('slots a partial log scan did not reach are drawn as "no data", not as zero', () => {
    const report = reportOf('7d', [0, 0, 0, 100, 200, 300, 400]);
    report.series.forEach((p, i) => { p.coverage = i < 3 ? 'none' : i === 3 ? 'partial' : 'full'; });
    const svg = spendChartSvg(report);
    assert.equal([...svg.matchAll(/class="bar missing"/g)].length, 3);
    assert.equal([...svg.matchAll(/class="bar partial"/g)].length, 1);
    assert.match(svg, /2026-01-09: no data/);
    assert.match(svg, /2026-01-12: at least/);
  });

  it('a hostile currency symbol is escaped in the scale and in every title', () => {
    const display: QuotaDisplay = { ...quotaDisplayOf({ quota_display_type: 'CUSTOM', custom_currency_symbol: '<script>alert(1)</script>', custom_currency_exchange_rate: 1 }) };
    const svg = spendChartSvg(reportOf('today', [500_000, 250_000], { display }));
    assert.doesNotMatch(svg, /<script/i);
    assert.match(svg, /&#60;script/);
  });
});

describe('usage page (HTML)', () => {
  it('a console account: period switch, totals, chart, breakdowns, and the log with a failed request and its Verify link', () => {
    const report = reportOf('today', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 300], { models: ['gpt-4o-mini', 'claude-sonnet-4-5'] });
    const failed = row({ type: 5, quota: 0, content: 'status_code=429, Rate limit reached for requests', other: JSON.stringify({ status_code: 429, error_code: 'rate_limit_exceeded' }) });
    const html = render(pageModel({
      report: { state: 'ready', value: report },
      log: { filter: {}, rows: [row({ is_stream: true }), failed], state: 'ready', more: true, total: 120, unsupported: [] },
    }));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce'; script-src 'nonce-n0nce';">/);
    assert.equal([...html.matchAll(/<script/g)].length, 1);
    assert.match(html, /<script nonce="n0nce">/);
    assert.match(html, /<a id="period-today" aria-current="true"/);
    assert.match(html, /<div class="label">Spend<\/div><div class="value">\$0\.00060<\/div>/);
    assert.match(html, /<table class="breakdown model">/);
    assert.match(html, /The gateway&#39;s hourly figures have no split by token\./);
    // The failed row: Verify's title, what the gateway said, and Verify for that token.
    assert.match(html, /<tr id="log-row-1" class="failed">/);
    assert.match(html, /<strong>The gateway is rate-limiting this key \(429\)<\/strong>/);
    assert.match(html, /The gateway said: Rate limit reached for requests/);
    const verify = hrefs(html).find((h) => h.startsWith('command:tokaify.verify'))!;
    assert.deepEqual(argsOf(verify), [{ accountId: 'acc-1', tokenId: 7 }]);
    assert.match(html, /2 of 120 shown\./);
    assert.deepEqual(argsOf(hrefs(html).find((h) => h.includes('%22more%22'))!), [{ accountId: 'acc-1', log: 'more' }]);
    for (const href of hrefs(html)) assert.ok(USAGE_PAGE_COMMANDS.includes(/^command:([\w.]+)/.exec(href)?.[1] ?? ''), href);
  });

  it('every gateway string is inert: names, models, messages, the account, the currency symbol', () => {
    const secret = 'sk-test-usageViewSecret0123456789abcdef';
    registerSecret(secret);
    const evil = `${hostile('name')} ${HOSTILE_LONG} ${secret}`;
    const display: QuotaDisplay = { ...quotaDisplayOf({ quota_display_type: 'CUSTOM', custom_currency_symbol: HOSTILE_HTML, custom_currency_exchange_rate: 1 }) };
    const report = reportOf('7d', [1000, 2000], { display, models: [evil, hostile('model')], tokens: [evil] });
    report.note = evil;
    const rows = [
      row({ token_name: evil, model_name: hostile('model') }),
      row({ type: 5, token_name: hostile('tok'), model_name: evil, content: `status_code=500, ${evil}`, other: HOSTILE_HTML }),
      row({ type: 1, content: evil }),
    ];
    const html = render(pageModel({
      account: evil, period: '7d', display, report: { state: 'ready', value: report },
      log: { filter: { tokenName: evil, modelName: hostile('m') }, rows, state: 'failed', message: evil, more: false, unsupported: [] },
    }));
    assert.doesNotMatch(html, /<img|onerror="|<b>|<a href="command:tokaify\.signOut/i);
    assert.equal([...html.matchAll(/<script/g)].length, 1);
    assert.doesNotMatch(html, BIDI);
    assert.ok(!html.includes('W'.repeat(700)), 'a 10,000-character name is capped');
    assert.ok(!html.includes(secret) && !html.includes(secret.slice(3)), 'a secret is redacted');
    for (const href of hrefs(html)) {
      const command = /^command:([\w.]+)/.exec(href)?.[1] ?? '';
      assert.ok(USAGE_PAGE_COMMANDS.includes(command), href);
      // A filter link carries a name as data; the hostile names are too long or hold a secret: no link at all.
      for (const arg of argsOf(href) as Record<string, unknown>[]) for (const value of Object.values(arg)) assert.ok(String(value).length <= 200, href.slice(0, 200));
    }
    // Every attribute value is quoted and holds no raw quote or angle bracket from the gateway.
    for (const [, value] of html.matchAll(/="([^"]*)"/g)) assert.doesNotMatch(value!, /[<>]/);
  });

  it('a short hostile model name becomes a filter link whose argument is data, not markup', () => {
    const report = reportOf('today', [500], { models: ['"><img src=x onerror=alert(1)>'] });
    const html = render(pageModel({ report: { state: 'ready', value: report } }));
    const link = hrefs(html).find((h) => h.includes('model'))!;
    assert.deepEqual(argsOf(link), [{ accountId: 'acc-1', model: '"><img src=x onerror=alert(1)>' }]);
    assert.doesNotMatch(html, /<img/);
  });

  it('while reading, and after a failure, the page says so in words', () => {
    assert.match(render(pageModel({ report: { state: 'loading' } })), /aria-busy="true">Reading from the gateway…/);
    const failed = render(pageModel({ report: { state: 'failed', message: 'The gateway refused the sign-in (401).' }, log: { filter: {}, rows: [], state: 'ready', more: false, unsupported: [] } }));
    assert.match(failed, /<p class="callout error" role="alert">The gateway refused the sign-in \(401\)\.<\/p>/);
    assert.match(failed, /No requests in this period\./);
  });

  it('one-api: no "failed requests only" filter (it keeps no error log)', () => {
    const html = render(pageModel({ flavor: 'one-api', report: { state: 'ready', value: reportOf('today', [10]) }, log: { filter: {}, rows: [row({}, 'one-api')], state: 'ready', more: false, unsupported: [] } }));
    assert.doesNotMatch(html, /Failed requests only/);
    assert.match(render(pageModel({ report: { state: 'ready', value: reportOf('today', [10]) }, log: { filter: {}, rows: [], state: 'ready', more: false, unsupported: [] } })), /Failed requests only/);
  });

  it('a key-only account: what the key tells, and what a console sign-in would add', () => {
    const usage: KeyUsage = { source: 'billing', unlimited: false, granted: 5_000_000, remaining: 4_000_000, used: 1_000_000, readAt: NOW, needsConsole: NEEDS_CONSOLE };
    const html = render(pageModel({ keyOnly: true, key: { state: 'ready', value: usage } }));
    assert.match(html, /<dt>Used<\/dt><dd>\$2\.00<\/dd>/);
    assert.match(html, /<dt>Remaining<\/dt><dd>\$8\.00<\/dd>/);
    assert.match(html, /<dt>Expires<\/dt><dd>Never<\/dd>/);
    assert.equal([...html.matchAll(/<li>/g)].length, NEEDS_CONSOLE.length);
    assert.match(html, /the request log, with the error of each failed request/);
    assert.doesNotMatch(html, /period-today/, 'no period switch: a key has no history');
    // Add Gateway starts from the account's own address: the only argument it takes from a link.
    assert.deepEqual(argsOf(hrefs(html).find((h) => h.startsWith('command:tokaify.addGateway'))!), [{ baseUrl: 'https://gw.example' }]);
  });
});

describe('usage view arguments (untrusted command arguments)', () => {
  it('keeps only the choices, checked', () => {
    assert.deepEqual(usageArgs({ period: '7d', refresh: true, detail: true, log: 'more', token: 'a', model: 'b', failed: false }), { period: '7d', refresh: true, detail: true, log: 'more', token: 'a', model: 'b', failed: false });
    assert.deepEqual(usageArgs({ period: '365d', refresh: 'yes', log: 'all', token: 'x'.repeat(201), model: 3, baseUrl: 'http://evil', key: 'sk-x' }), {});
    assert.deepEqual(usageArgs({ kind: 'account', meta: { id: 'acc-1' } }), {});
    assert.deepEqual(usageArgs('acc-1'), {});
    assert.deepEqual(usageArgs(['7d']), {});
  });

  it('log filters: set, cleared by an empty string, all cleared at once', () => {
    let filter = nextLogFilter({}, { token: 'demo' });
    filter = nextLogFilter(filter, { model: 'gpt-4o', failed: true });
    assert.deepEqual(filter, { tokenName: 'demo', modelName: 'gpt-4o', failedOnly: true });
    assert.deepEqual(nextLogFilter(filter, { token: '', failed: false }), { modelName: 'gpt-4o' });
    assert.deepEqual(nextLogFilter(filter, { log: 'clear' }), {});
    assert.deepEqual(nextLogFilter(filter, { log: 'clear', model: 'o3' }), { modelName: 'o3' });
    assert.equal(changesLogFilter({ period: '7d' }), false);
    assert.equal(changesLogFilter({ model: '' }), true);
  });
});
