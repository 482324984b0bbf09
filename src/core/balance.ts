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
import { RelayClient } from './relayClient';

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
  /** The console account's group (console accounts only). */
  group?: string;
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
  return {
    remaining: self.quota, used: self.used_quota, unlimited: false, source: 'account', latencyMs: now() - started, at: now(),
    ...(self.group ? { group: self.group } : {}),
  };
}

export async function keyBalance(http: HttpClient, root: string, key: string, flavor: 'new-api' | 'one-api', quotaPerUnit = DEFAULT_QUOTA_PER_UNIT, now = Date.now): Promise<BalanceSnapshot> {
  const started = now();
  const relay = new RelayClient(http, root, key);
  if (flavor === 'new-api') {
    try {
      const { data } = await relay.getJson('/api/usage/token/', tokenUsageSchema);
      return { remaining: data.total_available, used: data.total_used, unlimited: data.unlimited_quota, source: 'key', latencyMs: now() - started, at: now() };
    } catch (error) {
      if (!isGatewayError(error, 'notFound')) throw error;
      // An older new-api without the route: the billing routes below work everywhere.
    }
  }
  const [subscription, usage] = await Promise.all([
    relay.getJson('/v1/dashboard/billing/subscription', subscriptionSchema), relay.getJson('/v1/dashboard/billing/usage', usageSchema),
  ]);
  const unlimited = subscription.hard_limit_usd >= UNLIMITED_USD;
  const usedUsd = usage.total_usage / 100;
  return {
    remaining: unlimited ? 0 : Math.round((subscription.hard_limit_usd - usedUsd) * quotaPerUnit),
    used: Math.round(usedUsd * quotaPerUnit), unlimited, source: 'key', latencyMs: now() - started, at: now(),
  };
}
