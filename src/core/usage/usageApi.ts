/**
 * The console's usage routes over a signed-in ConsoleClient, for new-api (current and older) and one-api:
 * - `GET /api/log/self`: one page of the request log. new-api pages from 1 in an envelope with a total and
 *   takes `page_size` (≤ 100); one-api pages from 0, ten rows a page, as a plain array. The first request
 *   sends p=0, which both read as their first page, and the reply's shape says how to ask for the next.
 * - `GET /api/log/self/stat`: consumed quota for a filter (new-api adds rpm/tpm of the last minute).
 * - `GET /api/data/self`: new-api's hourly per-model table, at most 30 days a request; one-api has none.
 * Rate limits (new-api router/api-router.go): these routes are only under the global API limit (180 requests
 * per 3 minutes per IP by default, shared with every other console call); one-api's is 480 per 3 minutes.
 * So callers ask for the stat and the table first and page the log only on demand, within a cap.
 */
import * as l10n from '@vscode/l10n';
import type { GatewayFlavor } from '../accounts';
import type { ConsoleClient } from '../consoleClient';
import { GatewayError, isGatewayError } from '../errors';
import { parseOrThrow, refuseLongList } from '../schemas';
import { logTypeCode, toLogRow, type LogKind, type UsageLogRow } from './logRow';
import { logArraySchema, logEnvelopeSchema, logStatSchema, quotaDataSchema } from './schemas';

export interface LogFilter {
  /** Default: every kind. */
  kind?: LogKind;
  /** Unix seconds, both inclusive. */
  start?: number;
  end?: number;
  tokenName?: string;
  /** new-api: exact, or a pattern with `%`; one-api: exact. */
  modelName?: string;
  /** new-api only. */
  group?: string;
  requestId?: string;
}

/** Filters a gateway does not apply itself: `requestId` is then matched here, within the page; `group` cannot be. */
export type UnsupportedFilter = 'group' | 'requestId' | 'kind';

export interface LogCursor {
  /** The filter with `end` fixed at the first page's time, so rows arriving meanwhile do not shift the pages. */
  readonly filter: Readonly<LogFilter>;
  /** In the server's own numbering. */
  readonly page: number;
  readonly style: 'envelope' | 'array';
}

export interface LogPage {
  rows: UsageLogRow[];
  /** new-api only. */
  total?: number;
  /** Undefined on the last page. */
  next?: LogCursor;
  unsupported: UnsupportedFilter[];
}

export interface LogStat {
  quota: number;
  /** new-api only: requests and tokens in the last 60 seconds. */
  rpm?: number;
  tpm?: number;
}

/** One model's consumption in one hour, from the data table. */
export interface QuotaBucket {
  /** The hour's first second (Unix, UTC-aligned). */
  hour: number;
  model: string;
  count: number;
  quota: number;
  /** Prompt + completion; absent on versions before 2024-03. */
  tokens?: number;
}

export type QuotaDataResult =
  | { available: true; buckets: QuotaBucket[]; requests: number }
  | { available: false; reason: 'missing' | 'refused'; message?: string; requests: number };

/** Rows per request we ask for (new-api's cap); one-api always sends ten. */
export const LOG_PAGE_SIZE = 100;
const ONE_API_PAGE_SIZE = 10;
/** More rows than this in one page is not a log page (new-api caps at 100). */
const MAX_LOG_PAGE_ITEMS = 1000;
/** `GetUserQuotaDates` refuses a span over 30 days. */
export const MAX_DATA_SPAN_SECONDS = 2_592_000;
/** 30 days × 24 hours × a few hundred models is far below this. */
const MAX_QUOTA_ROWS = 200_000;

export class UsageApi {
  constructor(private readonly console: ConsoleClient, readonly flavor: GatewayFlavor, private readonly now: () => number = Date.now) {}

  /** The first page for a filter; its cursor pins `end` to now when the filter has none. */
  firstLogPage(filter: LogFilter = {}, signal?: AbortSignal): Promise<LogPage> {
    const pinned: LogFilter = { ...filter, end: filter.end ?? Math.floor(this.now() / 1000) };
    return this.logPage({ filter: pinned, page: 0, style: this.flavor === 'one-api' ? 'array' : 'envelope' }, true, signal);
  }

  nextLogPage(cursor: LogCursor, signal?: AbortSignal): Promise<LogPage> {
    return this.logPage(cursor, false, signal);
  }

  private async logPage(cursor: LogCursor, first: boolean, signal?: AbortSignal): Promise<LogPage> {
    const { filter } = cursor;
    const unsupported: UnsupportedFilter[] = [];
    const type = filter.kind === undefined ? 0 : logTypeCode(filter.kind, this.flavor);
    // one-api has no error or refund rows: nothing to ask for.
    if (type === undefined) return { rows: [], unsupported: ['kind'] };
    const params = new URLSearchParams({ p: String(cursor.page), page_size: String(LOG_PAGE_SIZE), type: String(type) });
    if (filter.start !== undefined) params.set('start_timestamp', String(Math.floor(filter.start)));
    if (filter.end !== undefined) params.set('end_timestamp', String(Math.floor(filter.end)));
    if (filter.tokenName) params.set('token_name', filter.tokenName);
    if (filter.modelName) params.set('model_name', filter.modelName);
    if (this.flavor === 'one-api') {
      if (filter.group) unsupported.push('group');
      if (filter.requestId) unsupported.push('requestId');
    } else {
      if (filter.group) params.set('group', filter.group);
      if (filter.requestId) params.set('request_id', filter.requestId);
    }
    const route = 'GET /api/log/self';
    const { data } = await this.console.call('GET', `/api/log/self?${params}`, { signal });
    const items = Array.isArray(data) ? data : data !== null && typeof data === 'object' && 'items' in data ? data.items : undefined;
    refuseLongList(items, MAX_LOG_PAGE_ITEMS, route, Array.isArray(data) ? 'data' : 'data.items', l10n.t('log rows'));
    const reply = Array.isArray(data) ? parseOrThrow(logArraySchema, data, route, 'data') : parseOrThrow(logEnvelopeSchema, data, route, 'data');
    // The first reply tells the numbering: an envelope pages from 1 (p=0 was read as 1), an array from 0.
    const style = first ? (Array.isArray(reply) ? 'array' : 'envelope') : cursor.style;
    const raw = Array.isArray(reply) ? reply : reply.items ?? [];
    let rows = raw.map((r) => toLogRow(r, this.flavor));
    if (filter.requestId) {
      // Older new-api (before 2026-02) ignores request_id: a row with another id says so.
      if (!unsupported.includes('requestId') && rows.some((r) => r.requestId !== filter.requestId)) unsupported.push('requestId');
      rows = rows.filter((r) => r.requestId === filter.requestId);
    }
    const page: LogPage = { rows, unsupported };
    if (Array.isArray(reply)) {
      if (raw.length >= ONE_API_PAGE_SIZE) page.next = { filter, page: cursor.page + 1, style };
      return page;
    }
    const served = reply.page ?? Math.max(1, cursor.page);
    const size = reply.page_size || LOG_PAGE_SIZE;
    if (typeof reply.total === 'number') page.total = reply.total;
    if (raw.length > 0 && (reply.total === undefined || reply.total === null || served * size < reply.total)) {
      page.next = { filter, page: served + 1, style };
    }
    return page;
  }

  /** Consumed quota for a filter (the `kind`, `group` on one-api, and `requestId` do not apply). */
  async stat(filter: Omit<LogFilter, 'kind' | 'requestId'> = {}, signal?: AbortSignal): Promise<LogStat> {
    const params = new URLSearchParams();
    if (filter.start !== undefined) params.set('start_timestamp', String(Math.floor(filter.start)));
    if (filter.end !== undefined) params.set('end_timestamp', String(Math.floor(filter.end)));
    if (filter.tokenName) params.set('token_name', filter.tokenName);
    if (filter.modelName) params.set('model_name', filter.modelName);
    if (filter.group && this.flavor !== 'one-api') params.set('group', filter.group);
    const query = params.toString() ? `?${params}` : '';
    const { data } = await this.console.call('GET', `/api/log/self/stat${query}`, { signal });
    const stat = parseOrThrow(logStatSchema, data, 'GET /api/log/self/stat', 'data');
    const out: LogStat = { quota: stat.quota ?? 0 };
    if (typeof stat.rpm === 'number') out.rpm = stat.rpm;
    if (typeof stat.tpm === 'number') out.tpm = stat.tpm;
    return out;
  }

  /**
   * The hourly table for [start, end] (Unix seconds, inclusive), in requests of at most 30 days. A gateway
   * without the route (one-api, forks) or one that refuses the range is "not available", never an exception;
   * a sign-in, rate-limit or network failure is thrown as usual.
   */
  async quotaData(start: number, end: number, signal?: AbortSignal): Promise<QuotaDataResult> {
    if (this.flavor === 'one-api') return { available: false, reason: 'missing', requests: 0 };
    const buckets: QuotaBucket[] = [];
    let requests = 0;
    for (let from = Math.floor(start); from <= end; from += MAX_DATA_SPAN_SECONDS + 1) {
      const to = Math.min(Math.floor(end), from + MAX_DATA_SPAN_SECONDS);
      requests++;
      let data: unknown;
      try {
        ({ data } = await this.console.call('GET', `/api/data/self?start_timestamp=${from}&end_timestamp=${to}`, { signal }));
      } catch (error) {
        if (isGatewayError(error, 'notFound')) return { available: false, reason: 'missing', requests };
        if (isGatewayError(error, 'rejected')) return { available: false, reason: 'refused', message: refusedMessage(error), requests };
        throw error;
      }
      refuseLongList(data, MAX_QUOTA_ROWS, 'GET /api/data/self', 'data', l10n.t('rows'));
      for (const row of parseOrThrow(quotaDataSchema, data, 'GET /api/data/self', 'data') ?? []) {
        const bucket: QuotaBucket = { hour: row.created_at, model: row.model_name ?? '', count: row.count ?? 0, quota: row.quota ?? 0 };
        if (typeof row.token_used === 'number') bucket.tokens = row.token_used;
        buckets.push(bucket);
      }
    }
    return { available: true, buckets, requests };
  }
}

function refusedMessage(error: GatewayError): string {
  return error.detail.serverMessage ?? error.message;
}
