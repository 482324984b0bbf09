/**
 * zod schemas for the usage routes, as new-api (current and older) and one-api send them. Unknown fields are
 * ignored; the fields we count with are checked, and a wrong one is an error naming it (parseOrThrow).
 * Sources: new-api model/log.go (Log), controller/log.go, model/usedata.go (QuotaData), controller/billing.go,
 * controller/token.go GetTokenUsage; one-api model/log.go, controller/log.go, controller/billing.go.
 */
import * as z from 'zod/mini';

/** A count or an amount: JSON numbers; a gateway that sends `null` for an empty sum means 0. */
const count = z.nullish(z.number());

/**
 * One log row. Both servers: created_at, type, content, token_name, model_name, quota, prompt/completion tokens,
 * is_stream, request_id. new-api adds use_time (s), group, token_id, other (a JSON string); one-api has
 * elapsed_time (ms). `id` is left out on purpose: new-api rewrites it per page, older new-api sends id % 1024,
 * one-api 0, so it identifies nothing.
 */
export const logRowSchema = z.object({
  created_at: z.number(),
  type: z.int(),
  content: z.nullish(z.string()),
  token_name: z.nullish(z.string()),
  model_name: z.nullish(z.string()),
  quota: count,
  prompt_tokens: count,
  completion_tokens: count,
  use_time: count,
  elapsed_time: count,
  is_stream: z.nullish(z.boolean()),
  token_id: z.nullish(z.number()),
  group: z.nullish(z.string()),
  request_id: z.nullish(z.string()),
  other: z.nullish(z.unknown()),
});
export type RawLogRow = z.infer<typeof logRowSchema>;

/** one-api's page: a plain array. */
export const logArraySchema = z.array(logRowSchema);
/** new-api's page: the envelope, `page` from 1. (Two schemas, not a union: a union's error would not name the field.) */
export const logEnvelopeSchema = z.object({
  page: z.nullish(z.number()),
  page_size: z.nullish(z.number()),
  total: z.nullish(z.number()),
  items: z.nullable(z.array(logRowSchema)),
});

/** `/api/log/self/stat`: `quota` on both; `rpm`/`tpm` (the last 60 seconds) on new-api only. */
export const logStatSchema = z.object({ quota: count, rpm: count, tpm: count });

/** One `/api/data/self` row: one model's consumption in one hour (`created_at` is the hour's first second). */
export const quotaDataRowSchema = z.object({
  model_name: z.nullish(z.string()),
  created_at: z.number(),
  count: count,
  quota: count,
  /** Since 2024-03; prompt + completion together. */
  token_used: count,
});
export const quotaDataSchema = z.nullable(z.array(quotaDataRowSchema));
export type RawQuotaData = z.infer<typeof quotaDataRowSchema>;

/** `GET /api/usage/token/` (new-api only): `code`, not `success`; raw quota units; `expires_at` 0 = never. */
export const tokenUsageSchema = z.object({
  code: z.boolean(),
  message: z.nullish(z.string()),
  data: z.object({
    name: z.nullish(z.string()),
    total_granted: z.number(),
    total_used: z.number(),
    total_available: z.number(),
    unlimited_quota: z.nullish(z.boolean()),
    model_limits: z.nullish(z.record(z.string(), z.unknown())),
    model_limits_enabled: z.nullish(z.boolean()),
    expires_at: z.nullish(z.number()),
  }),
});

/**
 * `GET /v1/dashboard/billing/subscription`: the key's granted amount in the gateway's display unit
 * (100000000 for an unlimited key), `access_until` its expiry in seconds (0 = never).
 */
export const billingSubscriptionSchema = z.object({
  hard_limit_usd: z.number(),
  access_until: z.nullish(z.number()),
});

/** `GET /v1/dashboard/billing/usage`: the used amount × 100 (cents), lifetime: the date parameters are ignored. */
export const billingUsageSchema = z.object({ total_usage: z.number() });

