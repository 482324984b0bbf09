/**
 * Whether a token an agent uses is about to stop working: it expires within 7 days, or has under 10 % of
 * its quota left. Computed from the token as listed (no request of its own), for the tree and the status
 * bar's tooltip, which offer Rotate Key… as the way out.
 */
import * as l10n from '@vscode/l10n';
import { formatDate } from './tokenFormat';
import type { Token } from './tokenModel';

export const EXPIRY_WARNING_DAYS = 7;
/** Remaining share of the token's quota (remaining + used) under which it is flagged. */
export const LOW_QUOTA_SHARE = 0.1;

export type TokenAlert =
  | { kind: 'expiring'; expiresAt: number; days: number }
  | { kind: 'lowQuota'; remaining: number; share: number };

/** `nowMs`: injectable for tests. Only enabled tokens are flagged: a dead one says so by its status already. */
export function tokenAlert(token: Token, nowMs = Date.now()): TokenAlert | undefined {
  if (token.status !== 'enabled') return undefined;
  if (token.expiredTime > 0) {
    const left = token.expiredTime * 1000 - nowMs;
    // Calendar days in UTC, as the date beside it is written: "tomorrow" is the next date, not 24 hours.
    const days = Math.round((utcDay(token.expiredTime * 1000) - utcDay(nowMs)) / 86_400_000);
    if (left <= EXPIRY_WARNING_DAYS * 86_400_000) return { kind: 'expiring', expiresAt: token.expiredTime, days: Math.max(0, days) };
  }
  if (!token.unlimited) {
    const total = Math.max(0, token.remainQuota) + Math.max(0, token.usedQuota);
    const share = total > 0 ? Math.max(0, token.remainQuota) / total : 0;
    if (share < LOW_QUOTA_SHARE) return { kind: 'lowQuota', remaining: Math.max(0, token.remainQuota), share };
  }
  return undefined;
}

const utcDay = (ms: number): number => ms - (ms % 86_400_000);

/** One short phrase for a tree row or a tooltip line, e.g. "expires in 3 days (2027-01-04)" or "8 % of its quota left". */
export function alertText(alert: TokenAlert): string {
  if (alert.kind === 'expiring') {
    const date = formatDate(alert.expiresAt);
    if (alert.days <= 0) return l10n.t('expires today ({0})', date);
    return alert.days === 1 ? l10n.t('expires tomorrow ({0})', date) : l10n.t('expires in {0} days ({1})', alert.days, date);
  }
  return l10n.t('{0} % of its quota left', Math.floor(alert.share * 100));
}
