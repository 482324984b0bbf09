/**
 * What the account has left, in quota units, with one request: `/api/user/self` for console accounts;
 * for key-only accounts the key's own usage (`/api/usage/token/`, new-api) or, where that route does
 * not exist (one-api), the OpenAI-style billing routes.
 */
import * as z from 'zod/mini';
import { isGatewayError } from './errors';
import type { HttpClient } from './http';
import type { ConsoleClient } from './consoleClient';
import { DEFAULT_QUOTA_PER_UNIT } from './quota';
import { relayError } from './relayClient';
import { parseOrThrow } from './schemas';

export interface BalanceSnapshot {
  /** Quota units left. */
  remaining: number;
  used: number;
  /** A key with no cap (its account balance is what limits it). */
  unlimited: boolean;
  /** Whose balance: the console account's, or the key's own quota. */
  source: 'account' | 'key';
  latencyMs: number;
  at: number;
}

const tokenUsageSchema = z.object({
  code: z.boolean(),
  data: z.object({ total_available: z.number(), total_used: z.number(), unlimited_quota: z.boolean() }),
});
const subscriptionSchema = z.object({ hard_limit_usd: z.number() });
const usageSchema = z.object({ total_usage: z.number() });
/** What the billing route reports for a key without a cap. */
const UNLIMITED_USD = 100_000_000;

export async function accountBalance(console: ConsoleClient, now = Date.now): Promise<BalanceSnapshot> {
  const started = now();
  const self = await console.self();
  return { remaining: self.quota, used: self.used_quota, unlimited: false, source: 'account', latencyMs: now() - started, at: now() };
}

export async function keyBalance(http: HttpClient, root: string, key: string, flavor: 'new-api' | 'one-api', quotaPerUnit = DEFAULT_QUOTA_PER_UNIT, now = Date.now): Promise<BalanceSnapshot> {
  const started = now();
  const auth = { authorization: `Bearer ${key}` };
  if (flavor === 'new-api') {
    try {
      const url = `${root}/api/usage/token/`;
      const response = await http.send({ method: 'GET', url, headers: auth });
      const json = jsonOf(response.text);
      if (response.status !== 200) throw relayError(response.status, json, url);
      const { data } = parseOrThrow(tokenUsageSchema, json, 'GET /api/usage/token/');
      return { remaining: data.total_available, used: data.total_used, unlimited: data.unlimited_quota, source: 'key', latencyMs: now() - started, at: now() };
    } catch (error) {
      if (!isGatewayError(error, 'notFound')) throw error;
      // An older new-api without the route: the billing routes below work everywhere.
    }
  }
  const get = async <T>(path: string, schema: z.ZodMiniType<T>): Promise<T> => {
    const url = `${root}${path}`;
    const response = await http.send({ method: 'GET', url, headers: auth });
    const json = jsonOf(response.text);
    if (response.status !== 200) throw relayError(response.status, json, url);
    return parseOrThrow(schema, json, `GET ${path}`);
  };
  const [subscription, usage] = await Promise.all([get('/v1/dashboard/billing/subscription', subscriptionSchema), get('/v1/dashboard/billing/usage', usageSchema)]);
  const unlimited = subscription.hard_limit_usd >= UNLIMITED_USD;
  const usedUsd = usage.total_usage / 100;
  return {
    remaining: unlimited ? 0 : Math.round((subscription.hard_limit_usd - usedUsd) * quotaPerUnit),
    used: Math.round(usedUsd * quotaPerUnit), unlimited, source: 'key', latencyMs: now() - started, at: now(),
  };
}

/** undefined when the body is not JSON; parseOrThrow then names what was expected. */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
