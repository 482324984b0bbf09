/**
 * Months of request history for user 1 (`--usage-days 90 --usage-rows 100000`): consume rows spread evenly
 * over the days before `until`, the same rows on every run for the same options and `until` (a fixed PRNG),
 * written through the state as the relay would (so the dashboard table counts them too), plus a failed
 * upstream call now and then while the error log is on. Prices follow new-api's ratio billing:
 * quota = (prompt + completion × completion ratio) × model ratio.
 */
import type { GatewayState, Token, User } from './state';
import { nowSeconds } from './state';

export interface UsageHistory {
  days: number;
  rows: number;
  /** The end of the history, Unix seconds; default now. */
  until?: number;
}

/** Model ratio and completion ratio, roughly new-api's defaults for these models. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4o': [1.25, 4],
  'gpt-4o-mini': [0.075, 4],
  'gpt-5.4': [0.625, 8],
  'claude-sonnet-4-5': [1.5, 5],
  'claude-opus-4-1': [7.5, 5],
};
const DEFAULT_PRICE: [number, number] = [1, 1];
/** One row in this many is a failed upstream call (when the error log is on). */
const ERROR_EVERY = 97;
const UPSTREAM_ERRORS: [number, string, string][] = [
  [429, 'Rate limit reached for requests', 'rate_limit_exceeded'],
  [500, 'upstream error: do request failed', 'do_request_failed'],
  [503, 'The server is overloaded or not ready yet.', 'upstream_error'],
];

/** mulberry32: small, fast, and the same sequence everywhere for one seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Busier in the working day than at night, so a chart by hour has a shape. */
const HOUR_WEIGHT = [1, 1, 1, 1, 1, 1, 2, 3, 5, 8, 9, 9, 7, 8, 9, 9, 8, 6, 4, 3, 3, 2, 2, 1];

/** Adds the history to user 1 (the demo user); returns how many rows were written. */
export function seedUsage(state: GatewayState, history: UsageHistory): number {
  const user = state.users.find((u) => u.id === 1);
  if (!user || history.rows <= 0 || history.days <= 0) return 0;
  const until = history.until ?? nowSeconds();
  const span = history.days * 86_400;
  const start = until - span;
  const random = prng(history.rows * 31 + history.days);
  const tokens = pickTokens(state, user);
  const models = state.models.filter((m) => m in PRICES);
  const useModels = models.length ? models : state.models;
  // Content and `other` per model are shared strings: 100,000 rows must not cost 100,000 copies.
  const contentOf = new Map(useModels.map((m) => {
    const [ratio, completion] = PRICES[m] ?? DEFAULT_PRICE;
    return [m, [`模型倍率 ${ratio}，补全倍率 ${completion}，分组倍率 1`, JSON.stringify({ model_ratio: ratio, completion_ratio: completion, group_ratio: 1, model_price: -1 })] as const];
  }));
  const perDay = history.rows / history.days;
  for (let i = 0; i < history.rows; i++) {
    // Row i falls on day ⌊x⌋ at the point of that day the busy-hour curve gives for x's fraction: times rise with i.
    const x = (i + random()) / perDay;
    const day = Math.min(Math.floor(x), history.days - 1);
    const at = start + day * 86_400 + timeOfDay(x - day);
    const token = tokens[Math.floor(random() * tokens.length)]!;
    const limited = token.model_limits_enabled ? token.model_limits.split(',').filter(Boolean) : [];
    const model = limited.length ? limited[0]! : useModels[Math.floor(random() * useModels.length)]!;
    const requestId = `${isoStamp(at)}${(i >>> 0).toString(16).padStart(8, '0')}seedrow0`;
    if (state.errorLogEnabled && i % ERROR_EVERY === ERROR_EVERY - 1) {
      const [status, message, code] = UPSTREAM_ERRORS[i % UPSTREAM_ERRORS.length]!;
      state.addErrorLog(user, token, model, status, message, code, '/v1/chat/completions', at, requestId);
      continue;
    }
    const prompt = 200 + Math.floor(random() * 3800);
    const completion = 20 + Math.floor(random() * 1500);
    const [ratio, completionRatio] = PRICES[model] ?? DEFAULT_PRICE;
    const quota = Math.ceil((prompt + completion * completionRatio) * ratio);
    const [content, other] = contentOf.get(model)!;
    state.addLog(user, token, model, prompt, completion, quota, at, requestId, {
      is_stream: random() < 0.7, use_time: 1 + Math.floor(random() * 30), content, other,
    });
    user.used_quota += quota;
    user.request_count += 1;
    token.used_quota += quota;
  }
  return history.rows;
}

/** The user's tokens that history is spread over: the demo key most, then the others. */
function pickTokens(state: GatewayState, user: User): Token[] {
  const own = state.tokens.filter((t) => t.user_id === user.id);
  const demo = own[0];
  const rest = own.slice(1, 8);
  // The demo key carries about half the traffic.
  return demo ? [...rest.map(() => demo), ...rest] : rest;
}

const HOUR_TOTAL = HOUR_WEIGHT.reduce((a, b) => a + b, 0);

/** The second of the day (UTC) at fraction `f` of the day's traffic, busy hours getting more of it; rises with `f`. */
function timeOfDay(f: number): number {
  let target = Math.min(Math.max(f, 0), 0.999_999) * HOUR_TOTAL;
  for (let hour = 0; hour < 24; hour++) {
    const weight = HOUR_WEIGHT[hour]!;
    if (target < weight) return hour * 3600 + Math.floor((target / weight) * 3600);
    target -= weight;
  }
  return 86_399;
}

/** `YYYYMMDDhhmmss` of a Unix second, as request ids start. */
const isoStamp = (at: number): string => new Date(at * 1000).toISOString().replace(/\D/g, '').slice(0, 14);
