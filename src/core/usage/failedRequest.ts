/**
 * A failed request from the log (new-api's type-5 rows, written while ERROR_LOG_ENABLED is on) in Verify's
 * words: the same classifier (`refusal`, diagnosis/rules/requests.ts) and the same titles Verify's findings
 * use, plus the gateway's own message with its gloss. The message is untrusted text, kept as data.
 * Row shape (new-api controller/relay.go processChannelError): content `status_code=429, <message>`,
 * `other` {status_code, error_code, error_type, request_path}.
 */
import * as l10n from '@vscode/l10n';
import { gloss } from '../diagnosis/rules/common';
import { refusal, type Refusal } from '../diagnosis/rules/requests';
import { tryJsonObject } from '../json';

export interface FailedRequest {
  /** One line, as Verify titles the same failure (e.g. "The gateway is rate-limiting this key (429)"). */
  title: string;
  /** What the gateway said, glossed in the user's language where one is known; untrusted. */
  said?: string;
  status?: number;
  /** The body's error code, else its type (`rate_limit_exceeded`, `insufficient_user_quota`…). */
  code?: string;
  /** Verify's name for the refusal, when it is one Verify knows. */
  refusal?: Refusal;
}

/** `status_code=429, text` (MaskSensitiveErrorWithStatusCode), or only `status_code=429`. */
const STATUS_PREFIX = /^status_code=(\d{3})(?:,\s*)?/;

/**
 * Verify's finding titles (diagnosis/rules/relay.ts, models.ts, gateway.ts, claudeCode.ts) for the same refusal,
 * with the same translation keys, so the log and Verify say it in the same words in every language.
 */
function titleOf(kind: Refusal | undefined, status: number | undefined, message: string, token: string, model: string): string {
  switch (kind) {
    case 'banned': return l10n.t('The gateway account is banned');
    case 'disabled': return token ? l10n.t('The token "{0}" is disabled', token) : l10n.t('The token is disabled');
    case 'expired': return token ? l10n.t('The token "{0}" has expired', token) : l10n.t('The token has expired');
    case 'exhausted': return token ? l10n.t('The token "{0}" has used up its quota', token) : l10n.t('The token has used up its quota');
    case 'no-credit': return l10n.t('The account has no balance left');
    case 'ip-denied': return l10n.t('The token does not allow requests from this IP address');
    case 'group': return l10n.t('The token\'s group is not available to this account');
    case 'model-denied': return model ? l10n.t('The model {0} is refused for this token', model) : l10n.t('The model is refused for this token');
    case 'no-channel': return model ? l10n.t('The gateway has no channel serving {0} for this key\'s group', model) : l10n.t('The gateway has no channel serving the model for this key\'s group');
    case 'invalid': return l10n.t('The gateway does not accept this API key (401)');
    case 'rate-limited': return l10n.t('The gateway is rate-limiting this key (429)');
    case undefined: break;
  }
  if (status === 400 && /context_management/.test(message)) {
    return l10n.t('The gateway rejects Claude Code\'s context_management field (400 "Extra inputs are not permitted")');
  }
  if (status !== undefined && status >= 500) return l10n.t('The gateway failed with HTTP {0}', status);
  return status !== undefined ? l10n.t('The request failed (HTTP {0})', status) : l10n.t('The request failed');
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
