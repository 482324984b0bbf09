/**
 * zod schemas for every gateway response we read. Unknown fields are ignored (servers add fields
 * between versions); a missing or mistyped field we rely on is a clear error naming it.
 * `zod/mini` has the same checks as classic zod at a twentieth of the bundle size.
 */
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import { GatewayError } from './errors';
import { displayLocale } from './locale';

export const envelopeSchema = z.object({
  success: z.boolean(),
  message: z.nullish(z.string()),
  data: z.optional(z.unknown()),
});

export const statusSchema = z.object({
  version: z.nullish(z.string()),
  system_name: z.nullish(z.string()),
  server_address: z.nullish(z.string()),
  quota_per_unit: z.nullish(z.number().check(z.positive())),
  display_in_currency: z.nullish(z.boolean()),
  quota_display_type: z.nullish(z.string()),
  usd_exchange_rate: z.nullish(z.number()),
  custom_currency_symbol: z.nullish(z.string()),
  custom_currency_exchange_rate: z.nullish(z.number()),
  turnstile_check: z.nullish(z.boolean()),
  top_up_link: z.nullish(z.string()),
  docs_link: z.nullish(z.string()),
  /** new-api's DataExportEnabled: false means `/api/data/self` gets no new rows (usage falls back to the log). */
  enable_data_export: z.nullish(z.boolean()),
});
export type GatewayStatus = z.infer<typeof statusSchema>;

export const userSelfSchema = z.object({
  id: z.int(),
  username: z.string(),
  display_name: z.nullish(z.string()),
  role: z.nullish(z.int()),
  status: z.nullish(z.int()),
  email: z.nullish(z.string()),
  group: z.nullish(z.string()),
  quota: z.number(),
  used_quota: z.number(),
  request_count: z.nullish(z.number()),
});
export type UserSelf = z.infer<typeof userSelfSchema>;

export const loginUserSchema = z.object({
  id: z.int(),
  username: z.string(),
  display_name: z.nullish(z.string()),
});
export const login2faSchema = z.object({ require_2fa: z.literal(true) });

export const groupsSchema = z.record(z.string(), z.object({ ratio: z.union([z.number(), z.string()]), desc: z.nullish(z.string()) }));
export type UserGroups = z.infer<typeof groupsSchema>;

export const modelNamesSchema = z.nullable(z.array(z.string()));

/** `GET /v1/models`: OpenAI list shape (new-api adds `success`, one-api does not). */
export const relayModelsSchema = z.object({
  data: z.array(z.object({ id: z.string(), owned_by: z.nullish(z.string()) })),
});

/** Relay errors: OpenAI shape, Anthropic shape, and TokModel's numeric code. */
export const relayErrorSchema = z.object({
  type: z.optional(z.string()),
  error: z.object({
    message: z.string(),
    type: z.nullish(z.string()),
    code: z.nullish(z.union([z.string(), z.number()])),
  }),
});
export type RelayErrorBody = z.infer<typeof relayErrorSchema>;

/** Most tokens one list page may hold: we ask for 100, new-api caps at 100, one-api sends 10. */
export const MAX_PAGE_ITEMS = 1000;
/** Most model ids one model list may hold: real gateways list tens to a few hundred. */
export const MAX_MODELS = 10_000;

/**
 * Refuses a list longer than `max` before it is parsed item by item: a gateway sending a million
 * items would otherwise cost hundreds of MB to validate and keep. Anything not an array passes here
 * (the schema names it). `noun` is translated by the caller (`l10n.t('models')`).
 */
export function refuseLongList(list: unknown, max: number, what: string, field: string, noun: string): void {
  if (!Array.isArray(list) || list.length <= max) return;
  const locale = displayLocale();
  throw new GatewayError('badResponse', l10n.t('{0}: the gateway sent {1} {2} at "{3}"; Tokaify accepts at most {4}. It may be a different server or version.',
    what, list.length.toLocaleString(locale), noun, field, max.toLocaleString(locale)));
}

/** Parses `value` or throws a GatewayError that names the offending field, e.g. `data.quota: expected number`. */
export function parseOrThrow<T>(schema: z.ZodMiniType<T>, value: unknown, what: string, pathPrefix = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const field = [pathPrefix, ...path.map(String)].filter(Boolean).join('.') || l10n.t('(the whole reply)');
  // zod's own issue codes (too small, invalid union…) stay as they are: technical words for a bug report.
  const problem = issue?.code === 'invalid_type' ? l10n.t('expected {0}, got {1}', issue.expected, describe(valueAt(value, path))) : (issue?.code ?? 'invalid').replace(/_/g, ' ');
  throw new GatewayError('badResponse', l10n.t('{0}: the gateway\'s reply has an unexpected shape at "{1}" ({2}). It may be a different server or version.', what, field, problem));
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/** What was there instead; JSON type names (number, boolean, object, null) are kept as they are. */
function describe(value: unknown): string {
  if (value === undefined) return l10n.t('nothing');
  if (value === null) return 'null';
  if (Array.isArray(value)) return l10n.t('an array');
  return typeof value === 'string' ? l10n.t('the string {0}', JSON.stringify(value.slice(0, 20))) : typeof value;
}
