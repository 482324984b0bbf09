/**
 * The usage report for a period (today by hour, 7 or 30 days by day, in the user's time zone): spend over time,
 * by model and by token, requests, tokens in/out, in the account's display unit. Requests are bounded:
 * 1. `/api/log/self/stat` for the period: the gateway's own total (1 request);
 * 2. new-api's hourly data table when the gateway has it switched on (1 request for up to 30 days): the chart,
 *    models, requests and tokens, but no split by token and no prompt/completion split, and a few minutes late
 *    (new-api writes it every DataExportInterval, 5 minutes by default: the difference to the stat is the lag);
 * 3. otherwise, or when the caller asks for the detail, the consume log, newest first, page by page, stopping at
 *    a cap on pages and rows (the result says it is partial, and how far back it reaches) or at a 429.
 */
import * as l10n from '@vscode/l10n';
import { isGatewayError } from '../errors';
import { displayLocale } from '../locale';
import type { QuotaDisplay } from '../quota';
import { UsageAccumulator, type NamedSums } from './accumulator';
import { amount, type Amount } from './amount';
import { localParts, periodRange, type Period, type Slot } from './calendar';
import type { UsageApi } from './usageApi';

export interface LogLimits {
  /** Log pages at most (new-api: 100 rows each, one-api: 10). */
  maxPages: number;
  maxRows: number;
}

const HALF_HOUR_MS = 1_800_000;

/** Well inside new-api's 180 console requests per 3 minutes, which every other console call shares. */
export const DEFAULT_LOG_LIMITS: LogLimits = { maxPages: 40, maxRows: 4000 };

export interface UsageReportOptions {
  period: Period;
  /** IANA zone; default the system's. */
  timeZone?: string;
  display: QuotaDisplay;
  /** `/api/status`'s `enable_data_export` (GatewayStatus): false means the table gets no new rows, so it is not asked. */
  dataExport?: boolean | null;
  /** Read the log even when the table is there: adds the split by token and prompt/completion, costs pages. */
  detail?: boolean;
  limits?: Partial<LogLimits>;
  now?: number;
  signal?: AbortSignal;
}

export interface SeriesPoint {
  /** ms since epoch; `end` exclusive. */
  start: number;
  end: number;
  /** `HH:mm` or `YYYY-MM-DD`, local. */
  label: string;
  spend: Amount;
  requests: number;
  tokens: number;
  /**
   * `full` normally; after a partial log scan, `none` for slots older than it reached (no data, not zero) and
   * `partial` for the slot it stopped in.
   */
  coverage: 'full' | 'partial' | 'none';
}

export interface Breakdown {
  /** Untrusted text from the gateway. */
  name: string;
  spend: Amount;
  requests: number;
  tokens: number;
  /** Of the total spend, 0–1. */
  share: number;
}

export type UsageSource =
  /** `lagQuota`: spend the stat already counts but the table does not have yet (new-api writes it every few minutes). */
  | { kind: 'table'; lagQuota: number }
  | {
    kind: 'log';
    complete: boolean;
    rows: number;
    pages: number;
    /** Why a partial scan stopped. */
    stoppedBy?: 'pages' | 'rows' | 'rateLimited';
    /** ms: the oldest row read, when the scan is partial. */
    coveredFrom?: number;
  };

export type TableState =
  | { state: 'used' }
  | { state: 'notAsked' }
  | { state: 'unavailable'; reason: 'missing' | 'disabled' | 'refused'; message?: string };

export interface UsageReport {
  period: Period;
  timeZone: string;
  granularity: 'hour' | 'day';
  /** ms since epoch. */
  start: number;
  end: number;
  readAt: number;
  display: QuotaDisplay;
  total: {
    spend: Amount;
    requests: number;
    tokens: number;
    /** From the log only. */
    promptTokens?: number;
    completionTokens?: number;
  };
  /** The gateway's own total for the period (`/api/log/self/stat`). */
  gatewayTotal: Amount;
  /** new-api: requests and tokens in the last minute. */
  lastMinute?: { requests: number; tokens: number };
  series: SeriesPoint[];
  byModel: Breakdown[];
  /** From the log only: the table has no token column. */
  byToken?: Breakdown[];
  source: UsageSource;
  table: TableState;
  requestsSent: number;
  /** One plain sentence when the figures are incomplete or late, else undefined. */
  note?: string;
}

export async function usageReport(api: UsageApi, options: UsageReportOptions): Promise<UsageReport> {
  const now = options.now ?? Date.now();
  const range = periodRange(options.period, now, options.timeZone ?? '');
  const startSec = Math.floor(range.start / 1000);
  const endSec = Math.floor(now / 1000);
  const { display, signal } = options;
  let requestsSent = 1;
  const stat = await api.stat({ start: startSec, end: endSec }, signal);
  const acc = new UsageAccumulator(range.slots);
  let table: TableState = { state: 'notAsked' };
  let fromTable: UsageSource | undefined;

  if (api.flavor === 'one-api') table = { state: 'unavailable', reason: 'missing' };
  else if (options.dataExport === false) table = { state: 'unavailable', reason: 'disabled' };
  else if (!options.detail) {
    // From the hour the period starts in: in a zone offset by a half hour, that hour straddles local midnight.
    const data = await api.quotaData(startSec - (startSec % 3600), endSec, signal);
    requestsSent += data.requests;
    if (data.available) {
      table = { state: 'used' };
      // An hour counts where its middle falls: exact for whole-hour zones, at most half an hour off at a slot's
      // edges for zones offset by a half hour (India, Iran, Newfoundland), never dropped.
      for (const b of data.buckets) acc.addBucket(b.hour * 1000 + HALF_HOUR_MS, b.model, b.count, b.quota, b.tokens ?? 0);
      fromTable = { kind: 'table', lagQuota: Math.max(0, stat.quota - acc.total.quota) };
    } else {
      table = { state: 'unavailable', reason: data.reason, ...(data.message ? { message: data.message } : {}) };
    }
  }
  let source: UsageSource;
  if (fromTable) source = fromTable;
  else {
    const scan = await scanLog(api, acc, startSec, endSec, { ...DEFAULT_LOG_LIMITS, ...options.limits }, signal);
    requestsSent += scan.pages;
    source = scan;
  }

  const coveredFrom = source.kind === 'log' && !source.complete ? source.coveredFrom : undefined;
  const totalQuota = acc.total.quota;
  const breakdown = (rows: NamedSums[]): Breakdown[] => rows.map((r) => ({
    name: r.name, spend: amount(r.quota, display), requests: r.requests, tokens: r.tokens, share: totalQuota > 0 ? r.quota / totalQuota : 0,
  }));
  const report: UsageReport = {
    period: options.period,
    timeZone: range.timeZone,
    granularity: range.granularity,
    start: range.start,
    end: now,
    readAt: now,
    display,
    total: { spend: amount(totalQuota, display), requests: acc.total.requests, tokens: acc.total.tokens },
    gatewayTotal: amount(stat.quota, display),
    series: range.slots.map((slot: Slot, i) => {
      const sums = acc.slots[i]!;
      const coverage = coveredFrom === undefined || slot.start >= coveredFrom ? 'full' : slot.end > coveredFrom ? 'partial' : 'none';
      return { start: slot.start, end: slot.end, label: slot.label, spend: amount(sums.quota, display), requests: sums.requests, tokens: sums.tokens, coverage };
    }),
    byModel: breakdown(acc.byModel()),
    source,
    table,
    requestsSent,
  };
  if (stat.rpm !== undefined) report.lastMinute = { requests: stat.rpm, tokens: stat.tpm ?? 0 };
  if (source.kind === 'log') {
    report.total.promptTokens = acc.total.promptTokens;
    report.total.completionTokens = acc.total.completionTokens;
    report.byToken = breakdown(acc.byToken());
  }
  const note = noteOf(source, display, stat.quota, range.timeZone);
  if (note) report.note = note;
  return report;
}

/**
 * Consume rows of [start, end] (Unix seconds), newest first, into `acc`, until the log ends or a cap or a 429
 * stops it. A 429 on the first page is an error; later, the scan keeps what it read.
 */
async function scanLog(api: UsageApi, acc: UsageAccumulator, start: number, end: number, limits: LogLimits, signal?: AbortSignal): Promise<UsageSource & { kind: 'log' }> {
  let page = await api.firstLogPage({ kind: 'consume', start, end }, signal);
  let pages = 1;
  let rows = 0;
  let stoppedBy: 'pages' | 'rows' | 'rateLimited' | undefined;
  for (;;) {
    for (const row of page.rows) {
      acc.addRow(row.at * 1000, row.modelName, row.tokenName, row.quota, row.promptTokens, row.completionTokens);
      rows++;
    }
    if (!page.next) break;
    if (pages >= limits.maxPages) {
      stoppedBy = 'pages';
      break;
    }
    if (rows >= limits.maxRows) {
      stoppedBy = 'rows';
      break;
    }
    try {
      page = await api.nextLogPage(page.next, signal);
      pages++;
    } catch (error) {
      if (!isGatewayError(error, 'rateLimited')) throw error;
      // The 429 itself was a request too.
      pages++;
      stoppedBy = 'rateLimited';
      break;
    }
  }
  const scan: UsageSource & { kind: 'log' } = { kind: 'log', complete: stoppedBy === undefined, rows, pages };
  if (stoppedBy) {
    scan.stoppedBy = stoppedBy;
    if (Number.isFinite(acc.earliest)) scan.coveredFrom = acc.earliest;
  }
  return scan;
}

/** One whole sentence per case, so each reads naturally when translated. */
function noteOf(source: UsageSource, display: QuotaDisplay, gatewayQuota: number, timeZone: string): string | undefined {
  const total = amount(gatewayQuota, display).text;
  if (source.kind === 'table') {
    return source.lagQuota > 0
      ? l10n.t('The gateway\'s hourly figures lag by a few minutes: {0} of the period\'s {1} is not in the chart yet.', amount(source.lagQuota, display).text, total)
      : undefined;
  }
  if (source.complete) return undefined;
  // A partial scan stopped after a full page at least, so "requests" is always plural here.
  const rows = source.rows.toLocaleString(displayLocale());
  const limited = source.stoppedBy === 'rateLimited';
  if (source.coveredFrom === undefined) {
    return limited
      ? l10n.t('Partial: the newest {0} requests (the gateway started rate-limiting). The gateway\'s total for the period is {1}.', rows, total)
      : l10n.t('Partial: the newest {0} requests. The gateway\'s total for the period is {1}.', rows, total);
  }
  const from = localTime(source.coveredFrom, timeZone);
  return limited
    ? l10n.t('Partial: the newest {0} requests, back to {1} ({2}) (the gateway started rate-limiting). The gateway\'s total for the period is {3}.', rows, from, timeZone, total)
    : l10n.t('Partial: the newest {0} requests, back to {1} ({2}). The gateway\'s total for the period is {3}.', rows, from, timeZone, total);
}

function localTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}
