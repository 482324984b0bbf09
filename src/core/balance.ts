/**
 * What the account has left, in quota units: `/api/user/self` for console accounts (one request); for
 * key-only accounts the key's own quota from the OpenAI-style billing routes (two at once), or new-api's
 * `/api/usage/token/` when billing refuses the key.
 */
import type { GatewayFlavor } from './accountKeys';
import type { HttpClient } from './http';
import type { ConsoleClient } from './consoleClient';
import { quotaDisplayOf } from './quota';
import { keyUsage } from './usage/keyUsage';

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

export async function accountBalance(console: ConsoleClient, now = Date.now): Promise<BalanceSnapshot> {
  const started = now();
  const self = await console.self();
  return {
    remaining: self.quota, used: self.used_quota, unlimited: false, source: 'account', latencyMs: now() - started, at: now(),
    ...(self.group ? { group: self.group } : {}),
  };
}

/**
 * A key-only account: the key's own quota (usage/keyUsage.ts). The billing routes first: they are under the
 * ordinary rate limit, while `/api/usage/token/` spends the 20-per-20-minutes bucket that sign-in and key
 * reveal share, so a status bar refreshing every few minutes must not use it unless billing cannot answer.
 */
export async function keyBalance(http: HttpClient, root: string, key: string, flavor: GatewayFlavor, display = quotaDisplayOf(undefined), now = Date.now): Promise<BalanceSnapshot> {
  const started = now();
  const usage = await keyUsage(http, root, key, flavor, display, { now });
  return { remaining: usage.remaining ?? 0, used: usage.used, unlimited: usage.unlimited, source: 'key', latencyMs: now() - started, at: now() };
}
