/**
 * Usage routes (spec §5 and new-api's data dashboard), each flavour in its real shape:
 * - `GET /api/log/self`: new-api's 1-based paged envelope (`id` rewritten to offset+i+1, `request_id` omitted
 *   when empty, `other` a JSON string without admin fields); older new-api (before 2026-02) the same envelope
 *   with `id % 1024`, `model_name` as a raw LIKE and no `request_id` filter; one-api a plain array, `p` from 0,
 *   10 a page, `id` 0 (`Omit("id")`), `elapsed_time` in ms, no group/request_id filters.
 * - `GET /api/log/self/stat`: the consume rows' quota (the `type` parameter is ignored), plus new-api's rpm/tpm
 *   of the last 60 seconds (which ignore the time range).
 * - `GET /api/data/self` (new-api only): the hourly per-model table, a span of at most 30 days.
 * Rows are ordered `id desc`, as both servers do, which is insertion order here.
 */
import { userAuth } from './console-auth';
import { fail, ok, pageQuery, route, type Ctx, type Reply, type Route } from './http-util';
import { nowSeconds, type LogRow, type QuotaDataRow, type User } from './state';
import type { Sim } from './types';

/** new-api's DataExportDefaultTime: the console's default chart granularity. */
export const DATA_EXPORT_DEFAULT_TIME = 'hour';
/** `GetUserQuotaDates` refuses a longer span (30 days, in seconds). */
const MAX_DATA_SPAN = 2_592_000;
const ONE_API_PAGE = 10;

interface LogQuery {
  type: number;
  from: number;
  to: number;
  tokenName: string;
  modelName: string;
  group: string;
  requestId: string;
}

/** strconv.Atoi / ParseInt with the error ignored, as the controllers read their query: anything odd is 0. */
const int = (text: string | null): number => (text && /^[+-]?\d+$/.test(text) ? Number(text) : 0);

function readQuery(ctx: Ctx): LogQuery {
  const q = (name: string) => ctx.query.get(name) ?? '';
  return {
    type: int(q('type')), from: int(q('start_timestamp')), to: int(q('end_timestamp')),
    tokenName: q('token_name'), modelName: q('model_name'), group: q('group'), requestId: q('request_id'),
  };
}

/** new-api's `sanitizeLikePattern` (model/token.go): `!` and `_` escaped, `%` allowed with limits; undefined = fine. */
function likeError(pattern: string): string | undefined {
  if (pattern.includes('%%')) return '搜索模式中不允许包含连续的 % 通配符';
  const count = pattern.split('%').length - 1;
  if (count > 2) return '搜索模式中最多允许包含 2 个 % 通配符';
  if (count > 0 && pattern.replace(/%/g, '').length < 2) return '使用模糊搜索时，关键词长度至少为 2 个字符';
  return undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A model-name matcher in the flavour's semantics: one-api `=`, new-api LIKE with only `%`, older new-api raw LIKE. */
function modelMatcher(sim: Sim, pattern: string): (name: string) => boolean {
  if (!pattern) return () => true;
  if (sim.flavor === 'one-api') return (name) => name === pattern;
  const raw = sim.flavor === 'new-api-legacy';
  const source = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' && raw ? '.' : escapeRegex(c))).join('');
  const regex = new RegExp(`^${source}$`, raw ? 'is' : 's');
  return (name) => regex.test(name);
}

/**
 * Calls `each` for the user's rows matching the query, newest (highest id) first, with their position in the
 * result; `group`/`request_id` only where the flavour reads them. A callback, not an array: a page of a
 * 100,000-row log keeps its 100 rows, not all of them.
 */
function forEachMatch(sim: Sim, user: User, q: LogQuery, consumeOnly: boolean, each: (row: LogRow, index: number) => void): number {
  const model = modelMatcher(sim, q.modelName);
  const newApi = sim.flavor !== 'one-api';
  const byRequestId = sim.flavor === 'new-api' && q.requestId !== '';
  const logs = sim.state.logs;
  let n = 0;
  for (let i = logs.length - 1; i >= 0; i--) {
    const l = logs[i]!;
    if (l.user_id !== user.id) continue;
    if (consumeOnly ? l.type !== 2 : q.type !== 0 && l.type !== q.type) continue;
    if (q.from !== 0 && l.created_at < q.from) continue;
    if (q.to !== 0 && l.created_at > q.to) continue;
    if (q.tokenName && l.token_name !== q.tokenName) continue;
    if (!model(l.model_name)) continue;
    if (newApi && q.group && l.group !== q.group) continue;
    if (byRequestId && l.request_id !== q.requestId) continue;
    each(l, n++);
  }
  return n;
}

/** Rows [offset, offset + size) of the matches, and how many match in all. */
function pageOf(sim: Sim, user: User, q: LogQuery, offset: number, size: number): { rows: LogRow[]; total: number } {
  const rows: LogRow[] = [];
  const total = forEachMatch(sim, user, q, false, (row, index) => {
    if (index >= offset && index < offset + size) rows.push(row);
  });
  return { rows, total };
}

function quotaOf(sim: Sim, user: User, q: LogQuery): { quota: number; count: number; tokens: number } {
  const sum = { quota: 0, count: 0, tokens: 0 };
  forEachMatch(sim, user, q, true, (l) => {
    sum.quota += l.quota;
    sum.count += 1;
    sum.tokens += l.prompt_tokens + l.completion_tokens;
  });
  return sum;
}

/** new-api's `formatUserLogs` drops these from `other` before a user sees it. */
const ADMIN_FIELDS = ['admin_info', 'stream_status'];
const DEFAULT_OTHER = '{"model_ratio":1,"group_ratio":1}';

function userOther(other: string | undefined): string {
  if (!other) return DEFAULT_OTHER;
  if (!ADMIN_FIELDS.some((f) => other.includes(`"${f}"`))) return other;
  try {
    const parsed = JSON.parse(other) as Record<string, unknown>;
    for (const f of ADMIN_FIELDS) delete parsed[f];
    return JSON.stringify(parsed);
  } catch {
    return other;
  }
}

/** One row as the flavour serialises it; `index` is the row's position in the whole result (offset + i). */
export function logView(sim: Sim, l: LogRow, index: number): Record<string, unknown> {
  const { use_time, group, request_id, token_id, other, ...rest } = l;
  // one-api's Log has request_id (always, '' when unknown) but no group, token_id, ip or other; `id` is omitted from the SELECT.
  if (sim.flavor === 'one-api') return { ...rest, id: 0, request_id, elapsed_time: use_time * 1000, system_prompt_reset: false };
  // new-api rewrites `id` (offset+i+1 since 2026-02; before, the row id % 1024) and omits an empty request_id.
  const id = sim.flavor === 'new-api' ? index + 1 : l.id % 1024;
  return { ...rest, id, use_time, group, token_id, channel_name: '', ip: '', other: userOther(other), ...(request_id ? { request_id } : {}) };
}

function logs(sim: Sim, ctx: Ctx, user: User): Reply {
  const q = readQuery(ctx);
  if (sim.flavor === 'new-api') {
    const problem = likeError(q.modelName);
    if (problem) return fail(problem);
  }
  if (sim.flavor !== 'one-api') {
    const { page, size } = pageQuery(ctx);
    const offset = (page - 1) * size;
    const { rows, total } = pageOf(sim, user, q, offset, size);
    return ok({ page, page_size: size, total, items: rows.map((l, i) => logView(sim, l, offset + i)) });
  }
  const offset = Math.max(0, int(ctx.query.get('p'))) * ONE_API_PAGE;
  return ok(pageOf(sim, user, q, offset, ONE_API_PAGE).rows.map((l, i) => logView(sim, l, offset + i)));
}

function stat(sim: Sim, ctx: Ctx, user: User): Reply {
  const q = readQuery(ctx);
  if (sim.flavor === 'new-api') {
    const problem = likeError(q.modelName);
    if (problem) return fail(problem);
  }
  const { quota } = quotaOf(sim, user, q);
  if (sim.flavor === 'one-api') return ok({ quota });
  // rpm/tpm: the same filters but the last 60 seconds instead of the asked range.
  const recent = quotaOf(sim, user, { ...q, from: nowSeconds() - 60, to: 0 });
  return ok({ quota, rpm: recent.count, tpm: recent.tokens });
}

function quotaDates(sim: Sim, ctx: Ctx, user: User): Reply {
  const from = int(ctx.query.get('start_timestamp'));
  const to = int(ctx.query.get('end_timestamp'));
  if (to - from > MAX_DATA_SPAN) return fail('时间跨度不能超过 1 个月');
  const rows: QuotaDataRow[] = [];
  for (const row of sim.state.quotaData.values()) {
    if (row.user_id === user.id && row.created_at >= from && row.created_at <= to) rows.push(row);
  }
  return ok(rows.sort((a, b) => a.id - b.id));
}

export function usageRoutes(sim: Sim): Route[] {
  const auth = (handler: Parameters<typeof userAuth>[1]) => userAuth(sim, handler);
  return [
    route('GET', '/api/log/self/stat', auth((ctx, user) => stat(sim, ctx, user))),
    route('GET', '/api/log/self', auth((ctx, user) => logs(sim, ctx, user))),
    ...(sim.flavor === 'one-api' ? [] : [route('GET', '/api/data/self', auth((ctx, user) => quotaDates(sim, ctx, user)))]),
  ];
}
