/**
 * One request-log row as the UI shows it, the same for every flavour: what kind of row, when, which token
 * and model, tokens in and out, cost (quota units), duration, stream, request id, and for a failed request
 * its failure in Verify's words. Every string is the gateway's untrusted text, kept as data.
 */
import type { GatewayFlavor } from '../accounts';
import { failedRequest, type FailedRequest } from './failedRequest';
import type { RawLogRow } from './schemas';

export type LogKind = 'topup' | 'consume' | 'manage' | 'system' | 'error' | 'refund' | 'test' | 'unknown';

/** Log types by number (new-api model/log.go; one-api's 5 is LogTypeTest, and it has no error or refund rows). */
const KINDS: Record<GatewayFlavor, Record<number, LogKind>> = {
  'new-api': { 1: 'topup', 2: 'consume', 3: 'manage', 4: 'system', 5: 'error', 6: 'refund' },
  'one-api': { 1: 'topup', 2: 'consume', 3: 'manage', 4: 'system', 5: 'test' },
};

/** The number to send as `type=` for a kind, or undefined when the flavour has no such rows. */
export function logTypeCode(kind: LogKind, flavor: GatewayFlavor): number | undefined {
  const found = Object.entries(KINDS[flavor]).find(([, k]) => k === kind);
  return found ? Number(found[0]) : undefined;
}

export interface UsageLogRow {
  /** Unix seconds. */
  at: number;
  kind: LogKind;
  tokenName: string;
  modelName: string;
  /** new-api only. */
  group?: string;
  /** Quota units; format with formatQuota. */
  quota: number;
  promptTokens: number;
  completionTokens: number;
  /** new-api's use_time (seconds), one-api's elapsed_time (ms). */
  durationMs?: number;
  stream: boolean;
  requestId?: string;
  /** The row's own text (new-api: ratios for consumption, the error for a failure). */
  content: string;
  /** Set on error rows. */
  failure?: FailedRequest;
}

const nonNegative = (n: number | null | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

export function toLogRow(raw: RawLogRow, flavor: GatewayFlavor): UsageLogRow {
  const kind = KINDS[flavor][raw.type] ?? 'unknown';
  const tokenName = raw.token_name ?? '';
  const modelName = raw.model_name ?? '';
  const content = raw.content ?? '';
  const row: UsageLogRow = {
    at: raw.created_at,
    kind,
    tokenName,
    modelName,
    quota: nonNegative(raw.quota),
    promptTokens: nonNegative(raw.prompt_tokens),
    completionTokens: nonNegative(raw.completion_tokens),
    stream: raw.is_stream === true,
    content,
  };
  if (raw.group) row.group = raw.group;
  if (raw.request_id) row.requestId = raw.request_id;
  // one-api sends elapsed_time (ms); new-api use_time (s). A row with neither has no duration, not zero.
  if (typeof raw.elapsed_time === 'number') row.durationMs = nonNegative(raw.elapsed_time);
  else if (typeof raw.use_time === 'number') row.durationMs = nonNegative(raw.use_time) * 1000;
  if (kind === 'error') row.failure = failedRequest(content, raw.other, tokenName, modelName);
  return row;
}
