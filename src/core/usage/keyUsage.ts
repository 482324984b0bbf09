/**
 * What an `sk-` key alone can tell about its spending, for accounts without a console sign-in (spec §3.2, §3.3):
 * - `GET /v1/dashboard/billing/subscription` and `/usage` (both flavours): granted and used, lifetime, in the
 *   gateway's display unit (new-api converts by its display type, CUSTOM as USD; one-api USD or raw), under the
 *   ordinary API rate limit. A disabled, expired or used-up key is refused here.
 * - `GET /api/usage/token/` (new-api only): the same in quota units, plus the token's name, model limits and
 *   expiry, and it answers for a disabled, expired or used-up key too. But it is in the CriticalRateLimit bucket
 *   shared with sign-in and key reveal (20 per 20 minutes per IP), so it is asked only when the billing routes
 *   cannot answer, or when the caller asks for the detail.
 * Neither has history: spend over time, by model and by token, and the request log need a console sign-in.
 */
import * as l10n from '@vscode/l10n';
import type { GatewayFlavor } from '../accounts';
import { GatewayError, isGatewayError } from '../errors';
import type { HttpClient } from '../http';
import type { QuotaDisplay } from '../quota';
import { RelayClient } from '../relayClient';
import type * as z from 'zod/mini';
import { billingSubscriptionSchema, billingUsageSchema, tokenUsageSchema } from './schemas';

/** What a console sign-in adds to a key-only account's usage. */
export const NEEDS_CONSOLE = ['history', 'byModel', 'byToken', 'requestLog'] as const;
export type ConsoleOnlyUsage = (typeof NEEDS_CONSOLE)[number];

export interface KeyUsage {
  source: 'billing' | 'tokenUsage';
  unlimited: boolean;
  /** Quota units (format with formatQuota); granted and remaining are absent for an unlimited key. */
  granted?: number;
  remaining?: number;
  used: number;
  /** Unix seconds; absent = never expires. */
  expiresAt?: number;
  /** `/api/usage/token/` only; untrusted text. */
  name?: string;
  modelLimits?: string[];
  /** ms since epoch. */
  readAt: number;
  needsConsole: readonly ConsoleOnlyUsage[];
}

export interface KeyUsageOptions {
  /** Ask `/api/usage/token/` first (name, limits, expiry), spending one of the shared 20-per-20-minutes. */
  detailed?: boolean;
  signal?: AbortSignal;
  now?: () => number;
}

/** What the billing route reports for a key without a cap (controller/billing.go). */
const UNLIMITED_AMOUNT = 100_000_000;

export async function keyUsage(http: HttpClient, root: string, key: string, flavor: GatewayFlavor, display: QuotaDisplay, options: KeyUsageOptions = {}): Promise<KeyUsage> {
  const now = options.now ?? Date.now;
  const viaTokenUsage = () => tokenUsage(http, root, key, options.signal, now);
  if (options.detailed && flavor === 'new-api') return viaTokenUsage();
  try {
    return await billing(http, root, key, flavor, display, options.signal, now);
  } catch (error) {
    // A key the relay refuses (disabled, expired, used up) or a gateway without the billing routes: the
    // read-only route still answers on new-api.
    const worthTrying = error instanceof GatewayError && (error.kind === 'unauthorized' || error.kind === 'forbidden' || error.kind === 'notFound');
    if (flavor !== 'new-api' || !worthTrying) throw error;
    try {
      return await viaTokenUsage();
    } catch {
      throw error;
    }
  }
}

async function billing(http: HttpClient, root: string, key: string, flavor: GatewayFlavor, display: QuotaDisplay, signal: AbortSignal | undefined, now: () => number): Promise<KeyUsage> {
  const [subscription, usage] = await Promise.all([
    getJson(http, root, '/v1/dashboard/billing/subscription', key, billingSubscriptionSchema, signal),
    getJson(http, root, '/v1/dashboard/billing/usage', key, billingUsageSchema, signal),
  ]);
  const toQuota = billingToQuota(display, flavor);
  const used = toQuota(usage.total_usage / 100);
  const out: KeyUsage = { source: 'billing', unlimited: subscription.hard_limit_usd === UNLIMITED_AMOUNT, used, readAt: now(), needsConsole: NEEDS_CONSOLE };
  if (!out.unlimited) {
    out.granted = toQuota(subscription.hard_limit_usd);
    out.remaining = Math.max(0, out.granted - used);
  }
  if (subscription.access_until && subscription.access_until > 0) out.expiresAt = subscription.access_until;
  return out;
}

/**
 * The billing routes' amount back in quota units: new-api divides by quota_per_unit and, for CNY, multiplies
 * by the exchange rate (CUSTOM is treated as USD there), TOKENS stays raw; one-api is USD unless it shows tokens.
 */
function billingToQuota(display: QuotaDisplay, flavor: GatewayFlavor): (amount: number) => number {
  if (display.type === 'TOKENS') return (amount) => Math.round(amount);
  const rate = flavor === 'new-api' && display.type === 'CNY' ? display.usdExchangeRate : 1;
  return (amount) => Math.round((amount / rate) * display.quotaPerUnit);
}

async function tokenUsage(http: HttpClient, root: string, key: string, signal: AbortSignal | undefined, now: () => number): Promise<KeyUsage> {
  const { data } = await getJson(http, root, '/api/usage/token/', key, tokenUsageSchema, signal);
  const unlimited = data.unlimited_quota === true;
  const out: KeyUsage = { source: 'tokenUsage', unlimited, used: data.total_used, readAt: now(), needsConsole: NEEDS_CONSOLE };
  if (!unlimited) {
    out.granted = data.total_granted;
    out.remaining = Math.max(0, data.total_available);
  }
  if (data.expires_at && data.expires_at > 0) out.expiresAt = data.expires_at;
  if (data.name) out.name = data.name;
  const limits = data.model_limits_enabled && data.model_limits ? Object.keys(data.model_limits) : [];
  if (limits.length) out.modelLimits = limits;
  return out;
}

/**
 * GET with the key as `Authorization: Bearer sk-…` (the form `/api/usage/token/` insists on), through the
 * relay client, which knows each refusal shape. A 429 there is the bucket sign-in and key reveal share.
 */
async function getJson<T>(http: HttpClient, root: string, path: string, key: string, schema: z.ZodMiniType<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await new RelayClient(http, root, key.startsWith('sk-') ? key : `sk-${key}`).getJson(path, schema, signal);
  } catch (error) {
    if (path !== '/api/usage/token/' || !isGatewayError(error, 'rateLimited')) throw error;
    throw new GatewayError('rateLimited',
      l10n.t('The gateway allows only 20 key-usage reads (shared with sign-ins and key reveals) per 20 minutes from one address. Try again in a few minutes.'),
      { ...error.detail, retryAfterSeconds: 20 * 60 });
  }
}
