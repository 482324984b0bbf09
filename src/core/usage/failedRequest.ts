/**
 * A failed request from the log (new-api's type-5 rows, written while ERROR_LOG_ENABLED is on) in Verify's
 * words: the same classifier (`refusal`, diagnosis/rules/requests.ts) and the same titles Verify's findings
 * use, plus the gateway's own message with its English gloss. The message is untrusted text, kept as data.
 * Row shape (new-api controller/relay.go processChannelError): content `status_code=429, <message>`,
 * `other` {status_code, error_code, error_type, request_path}.
 */
import { gloss } from '../diagnosis/rules/common';
import { refusal, type Refusal } from '../diagnosis/rules/requests';
import { tryJsonObject } from '../json';

export interface FailedRequest {
  /** One line, as Verify titles the same failure (e.g. "The gateway is rate-limiting this key (429)"). */
  title: string;
  /** What the gateway said, with an English gloss where one is known; untrusted. */
  said?: string;
  status?: number;
  /** The body's error code, else its type (`rate_limit_exceeded`, `insufficient_user_quota`…). */
  code?: string;
  /** Verify's name for the refusal, when it is one Verify knows. */
  refusal?: Refusal;
}

/** `status_code=429, text` (MaskSensitiveErrorWithStatusCode), or only `status_code=429`. */
const STATUS_PREFIX = /^status_code=(\d{3})(?:,\s*)?/;

/** Verify's finding titles (diagnosis/rules/relay.ts, models.ts, gateway.ts, claudeCode.ts) for the same refusal. */
function titleOf(kind: Refusal | undefined, status: number | undefined, message: string, token: string, model: string): string {
  const theToken = `The token${token ? ` "${token}"` : ''}`;
  switch (kind) {
    case 'banned': return 'The gateway account is banned';
    case 'disabled': return `${theToken} is disabled`;
    case 'expired': return `${theToken} has expired`;
    case 'exhausted': return `${theToken} has used up its quota`;
    case 'no-credit': return 'The account has no balance left';
    case 'ip-denied': return 'The token does not allow requests from this IP address';
    case 'group': return 'The token\'s group is not available to this account';
    case 'model-denied': return `The model ${model || '(none)'} is refused for this token`;
    case 'no-channel': return `The gateway has no channel serving ${model || '(none)'} for this key's group`;
    case 'invalid': return 'The gateway does not accept this API key (401)';
    case 'rate-limited': return 'The gateway is rate-limiting this key (429)';
    case undefined: break;
  }
  if (status === 400 && /context_management/.test(message)) {
    return 'The gateway rejects Claude Code\'s context_management field (400 "Extra inputs are not permitted")';
  }
  if (status !== undefined && status >= 500) return `The gateway failed with HTTP ${status}`;
  return `The request failed${status !== undefined ? ` (HTTP ${status})` : ''}`;
}

const stringField = (o: Record<string, unknown> | undefined, name: string): string | undefined => {
  const v = o?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** The failure a log row records; `content` and `other` as the gateway sent them. */
export function failedRequest(content: string, other: unknown, token: string, model: string): FailedRequest {
  const details = typeof other === 'string' ? tryJsonObject(other) : typeof other === 'object' && other !== null && !Array.isArray(other) ? (other as Record<string, unknown>) : undefined;
  const prefix = STATUS_PREFIX.exec(content);
  const statusField = details?.status_code;
  const status = typeof statusField === 'number' && Number.isInteger(statusField) ? statusField : prefix ? Number(prefix[1]) : undefined;
  const message = content.replace(STATUS_PREFIX, '').trim();
  const code = stringField(details, 'error_code') ?? stringField(details, 'error_type');
  const kind = refusal({ ok: false, status, serverMessage: message, code });
  const failure: FailedRequest = { title: titleOf(kind, status, message, token, model) };
  if (message) failure.said = gloss(message);
  if (status !== undefined) failure.status = status;
  if (code !== undefined) failure.code = code;
  if (kind !== undefined) failure.refusal = kind;
  return failure;
}
