/**
 * Usage at scale, measured in plain Node over the same core the Usage view will use: a simulator seeded with
 * 100,000 log rows over 30 days, then the 30-day report three ways (new-api's hourly table; the log within the
 * default caps; the whole log with the caps lifted), one-api's capped scan, and the aggregation alone.
 * The simulator runs in its own process (dist/simulator.js), so the heap figures are the client's alone; times
 * include the gateway's answers; requests are what the gateway saw. Figures, not assertions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { ConsoleClient } from '../src/core/consoleClient';
import { HttpClient } from '../src/core/http';
import { quotaDisplayOf } from '../src/core/quota';
import { UsageAccumulator } from '../src/core/usage/accumulator';
import { periodRange } from '../src/core/usage/calendar';
import { usageReport, type UsageReport, type UsageReportOptions } from '../src/core/usage/report';
import { spendChartSvg } from '../src/core/usage/chart';
import { UsageApi } from '../src/core/usage/usageApi';
import { DEMO, type Flavor } from '../src/simulator';

/** This file runs as dist/bench/run.js; `npm run bench` builds the simulator next to it. */
const SIMULATOR = path.resolve(__dirname, '../simulator.js');

interface Gateway {
  url: string;
  flavor: Flavor;
  /** How many requests it has answered (its control routes aside). */
  requests(): Promise<number>;
  close(): void;
}

function settle(): void {
  global.gc?.();
  global.gc?.();
}

const display = quotaDisplayOf({ quota_display_type: 'USD' });

function apiOf(gw: Gateway): UsageApi {
  const flavor = gw.flavor === 'one-api' ? 'one-api' : 'new-api';
  const http = new HttpClient({ timeoutMs: 60_000 });
  return new UsageApi(new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken }, flavor), flavor);
}

/**
 * One report: ms, requests the gateway saw, what it says of itself, the heap the report holds once built, and the
 * most the heap grew while it was built (sampled after every log page: the scan keeps sums, not rows).
 */
async function measure(gw: Gateway, options: Omit<UsageReportOptions, 'display'>): Promise<{ ms: number; drawMs: number; svgKB: number; requests: number; report: string; heldKB: number; peakMB: number }> {
  const api = apiOf(gw);
  const before = await gw.requests();
  settle();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const next = api.nextLogPage.bind(api);
  api.nextLogPage = async (cursor, signal) => {
    const page = await next(cursor, signal);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return page;
  };
  const t0 = performance.now();
  let report: UsageReport | undefined = await usageReport(api, { ...options, display });
  const ms = Math.round(performance.now() - t0);
  // What the Usage view then draws: the period's chart, as the SVG string the webview gets.
  const t1 = performance.now();
  const svg = spendChartSvg(report);
  const drawMs = Math.round((performance.now() - t1) * 10) / 10;
  const svgKB = Math.round((svg.length / 1024) * 10) / 10;
  const source = report.source.kind === 'table'
    ? 'hourly table'
    : `log, ${report.source.rows.toLocaleString('en-US')} rows${report.source.complete ? '' : ` (partial: ${report.source.stoppedBy})`}`;
  const summary = `${source}; ${report.total.requests.toLocaleString('en-US')} requests, ${report.total.spend.text}; report ${(JSON.stringify(report).length / 1024).toFixed(1)} KB as JSON`;
  settle();
  const heapWith = process.memoryUsage().heapUsed;
  report = undefined;
  settle();
  const heldKB = Math.max(0, Math.round((heapWith - process.memoryUsage().heapUsed) / 1024));
  const peakMB = Math.round(((peak - heapBefore) / 1048576) * 10) / 10;
  return { ms, drawMs, svgKB, requests: (await gw.requests()) - before, report: summary, heldKB, peakMB };
}

/** The simulator CLI with the history seeded; resolves once it prints its URL (the seeding is done by then). */
async function seeded(flavor: Flavor, rows: number): Promise<{ gw: Gateway; seedMs: number }> {
  const t0 = performance.now();
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [SIMULATOR, '--port', '0', '--flavor', flavor, '--usage-days', '30', '--usage-rows', String(rows)]);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^TOKAIFY_GATEWAY_URL=(\S+)$/m.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited ${code}`)));
  });
  const requests = async () => {
    const res = await fetch(`${url}/__simulator/requests`, { method: 'POST', body: '{}' });
    return ((await res.json()) as { requests: unknown[] }).requests.length;
  };
  return { gw: { url, flavor, requests, close: () => child.kill() }, seedMs: Math.round(performance.now() - t0) };
}

export async function benchUsage(rows = 100_000): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  const { gw, seedMs } = await seeded('new-api', rows);
  try {
    out['log rows on the gateway (30 days)'] = rows;
    out['simulator start and seeding ms'] = seedMs;
    // Once untimed: module set-up, zod's and Intl's first use would otherwise count as the first report's.
    await measure(gw, { period: 'today', timeZone: 'UTC' });
    const table = await measure(gw, { period: '30d', timeZone: 'UTC' });
    out['new-api table: ms'] = table.ms;
    out['new-api table: requests'] = table.requests;
    out['new-api table: heap held by the report KB (±200 noise)'] = table.heldKB;
    out['new-api table: result'] = table.report;
    out['new-api table: chart drawn (SVG) ms'] = table.drawMs;
    out['new-api table: chart SVG KB'] = table.svgKB;
    const capped = await measure(gw, { period: '30d', timeZone: 'UTC', detail: true });
    out['new-api log, default caps: ms'] = capped.ms;
    out['new-api log, default caps: requests'] = capped.requests;
    out['new-api log, default caps: result'] = capped.report;
    const full = await measure(gw, { period: '30d', timeZone: 'UTC', detail: true, limits: { maxPages: 10_000, maxRows: 1_000_000 } });
    out['new-api log, caps lifted: ms'] = full.ms;
    out['new-api log, caps lifted: requests'] = full.requests;
    out['new-api log, caps lifted: heap held KB (±200 noise)'] = full.heldKB;
    out['new-api log, caps lifted: peak heap growth MB'] = full.peakMB;
    out['new-api log, caps lifted: result'] = full.report;
  } finally {
    gw.close();
  }
  const one = await seeded('one-api', rows);
  try {
    const capped = await measure(one.gw, { period: '30d', timeZone: 'UTC' });
    out['one-api log, default caps: ms'] = capped.ms;
    out['one-api log, default caps: requests'] = capped.requests;
    out['one-api log, default caps: result'] = capped.report;
  } finally {
    one.gw.close();
  }
  // The client's own share: 100,000 parsed rows into 30 local days, by model and by token.
  const now = Date.now();
  const range = periodRange('30d', now, 'Europe/Berlin');
  const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-5.4', 'claude-sonnet-4-5', 'claude-opus-4-1'];
  const span = now - range.start;
  const tokens = Array.from({ length: 7 }, (_, i) => `token-${i}`);
  const aggregate = () => {
    const t0 = performance.now();
    const acc = new UsageAccumulator(range.slots);
    for (let i = 0; i < rows; i++) acc.addRow(range.start + (i / rows) * span, models[i % 5]!, tokens[i % 7]!, 2750, 1000, 300);
    acc.byModel();
    acc.byToken();
    return performance.now() - t0;
  };
  aggregate();
  out['aggregation alone, 100,000 rows into 30 days: ms (warm)'] = Math.round(aggregate() * 10) / 10;
  return out;
}
