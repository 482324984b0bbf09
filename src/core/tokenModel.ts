/**
 * One token model for both server families. new-api and one-api name the same things differently
 * (model_limits/allow_ips vs models/subnet) and page differently; the rest of the extension sees only this.
 */
import * as z from 'zod/mini';

export type TokenStatus = 'enabled' | 'disabled' | 'expired' | 'exhausted';

export interface Token {
  id: number;
  name: string;
  /** Without `sk-`. Masked (`AbCd**********WxYz`) on current new-api, full on one-api and older new-api. */
  key: string;
  keyMasked: boolean;
  status: TokenStatus;
  group: string;
  createdTime: number;
  accessedTime: number;
  /** Unix seconds; -1 = never. */
  expiredTime: number;
  remainQuota: number;
  usedQuota: number;
  unlimited: boolean;
  modelLimits: string[];
  allowIps: string[];
  crossGroupRetry: boolean;
}

/** What a person edits: the fields a full update copies (spec §2.7). */
export interface TokenInput {
  name: string;
  group: string;
  unlimited: boolean;
  remainQuota: number;
  modelLimits: string[];
  allowIps: string[];
  expiredTime: number;
  crossGroupRetry: boolean;
}

const num = z.nullish(z.number());
export const rawTokenSchema = z.object({
  id: z.int(),
  name: z.nullish(z.string()),
  key: z.string(),
  status: z.int(),
  created_time: num,
  accessed_time: num,
  expired_time: num,
  remain_quota: num,
  used_quota: num,
  unlimited_quota: z.nullish(z.boolean()),
  // new-api
  model_limits_enabled: z.nullish(z.boolean()),
  model_limits: z.nullish(z.string()),
  allow_ips: z.nullish(z.string()),
  group: z.nullish(z.string()),
  cross_group_retry: z.nullish(z.boolean()),
  // one-api
  models: z.nullish(z.string()),
  subnet: z.nullish(z.string()),
});
export type RawToken = z.infer<typeof rawTokenSchema>;

const STATUS: Record<number, TokenStatus> = { 1: 'enabled', 2: 'disabled', 3: 'expired', 4: 'exhausted' };

const splitList = (text: string | null | undefined, separator: RegExp) =>
  (text ?? '').split(separator).map((s) => s.trim()).filter(Boolean);

export function fromRaw(raw: RawToken, nowSeconds = Date.now() / 1000): Token {
  const expiredTime = raw.expired_time ?? -1;
  const unlimited = raw.unlimited_quota ?? false;
  const remainQuota = raw.remain_quota ?? 0;
  let status = STATUS[raw.status] ?? 'disabled';
  // The server only flips the stored status when a request hits the token; show what the relay would do.
  if (status === 'enabled' && expiredTime !== -1 && expiredTime > 0 && expiredTime <= nowSeconds) status = 'expired';
  else if (status === 'enabled' && !unlimited && remainQuota <= 0) status = 'exhausted';
  const limitsText = raw.model_limits_enabled ? raw.model_limits : raw.models;
  return {
    id: raw.id,
    name: raw.name ?? '',
    key: raw.key.replace(/^sk-/, ''),
    keyMasked: raw.key.includes('*'),
    status,
    group: raw.group ?? '',
    createdTime: raw.created_time ?? 0,
    accessedTime: raw.accessed_time ?? 0,
    expiredTime,
    remainQuota,
    usedQuota: raw.used_quota ?? 0,
    unlimited,
    modelLimits: splitList(limitsText, /,/),
    allowIps: splitList(raw.allow_ips ?? raw.subnet, /[\n,]/),
    crossGroupRetry: raw.cross_group_retry ?? false,
  };
}

export function inputOf(token: Token): TokenInput {
  const { name, group, unlimited, remainQuota, modelLimits, allowIps, expiredTime, crossGroupRetry } = token;
  return { name, group, unlimited, remainQuota, modelLimits, allowIps, expiredTime, crossGroupRetry };
}

/** Request body in the server's own field names. Every copied field is present: a full PUT zeroes what is missing. */
export function toRequestBody(input: TokenInput, flavor: 'new-api' | 'one-api', id?: number): Record<string, unknown> {
  const common = {
    ...(id !== undefined ? { id } : {}),
    name: input.name,
    expired_time: input.expiredTime,
    remain_quota: input.remainQuota,
    unlimited_quota: input.unlimited,
  };
  if (flavor === 'one-api') return { ...common, models: input.modelLimits.join(','), subnet: input.allowIps.join(',') };
  return {
    ...common,
    model_limits_enabled: input.modelLimits.length > 0,
    model_limits: input.modelLimits.join(','),
    allow_ips: input.allowIps.join('\n'),
    group: input.group,
    cross_group_retry: input.crossGroupRetry,
  };
}
