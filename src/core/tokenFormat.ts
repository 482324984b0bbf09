/** How a token reads in the tree: a one-line description and a tooltip with every field. */
import * as l10n from '@vscode/l10n';
import { formatQuota, type QuotaDisplay } from './quota';
import type { Token, TokenStatus } from './tokenModel';
import { markdownText } from './untrustedText';

/** ISO dates and times (2027-01-01, 14:05 UTC): they read the same in every language. */
export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** `none` is what an unset time (0 or -1) reads as in its row. */
function formatDateTime(unixSeconds: number, none: string): string {
  return unixSeconds > 0 ? new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : none;
}

/** The status as the console names it. */
export function statusText(status: TokenStatus): string {
  switch (status) {
    case 'enabled': return l10n.t('enabled');
    case 'disabled': return l10n.t('disabled');
    case 'expired': return l10n.t('expired');
    case 'exhausted': return l10n.t('exhausted');
  }
}

export function expiryText(token: Token): string {
  if (token.expiredTime === -1) return l10n.t('never expires');
  return token.status === 'expired' ? l10n.t('expired {0}', formatDate(token.expiredTime)) : l10n.t('expires {0}', formatDate(token.expiredTime));
}

export function remainingText(token: Token, display: QuotaDisplay): string {
  return token.unlimited ? l10n.t('unlimited') : l10n.t('{0} left', formatQuota(Math.max(0, token.remainQuota), display));
}

/** e.g. `$12.30 left · expires 2027-01-01`, `unlimited · never expires`, `disabled · $1.00 left · …`. */
export function describeToken(token: Token, display: QuotaDisplay, usedBy: readonly string[] = []): string {
  const parts = [remainingText(token, display), expiryText(token)];
  if (token.status === 'disabled' || token.status === 'exhausted') parts.unshift(statusText(token.status));
  // Agent names are product names (Codex CLI, Claude Code…), the same in every language.
  if (usedBy.length) parts.push(l10n.t('used by {0}', usedBy.join(', ')));
  return parts.join(' · ');
}

/** Markdown for the tree tooltip; every value (names, groups, models, IPs from the gateway) is escaped. */
export function tokenTooltip(token: Token, display: QuotaDisplay): string {
  const rows: [string, string][] = [
    [l10n.t('Status'), statusText(token.status)],
    [l10n.t('Key'), `sk-${token.key.slice(0, 4)}…${token.key.slice(-4)}`],
    [l10n.t('Group'), token.group || l10n.t('the account\'s group')],
    [l10n.t('Remaining'), token.unlimited ? l10n.t('unlimited') : formatQuota(Math.max(0, token.remainQuota), display)],
    [l10n.t('Used'), formatQuota(token.usedQuota, display)],
    [l10n.t('Models'), token.modelLimits.length ? token.modelLimits.join(', ') : l10n.t('all models of the group')],
    [l10n.t('IP allowlist'), token.allowIps.length ? token.allowIps.join(', ') : l10n.t('any address')],
    [l10n.t('Created'), formatDateTime(token.createdTime, l10n.t('unknown'))],
    [l10n.t('Last used'), token.accessedTime > 0 && token.accessedTime !== token.createdTime ? formatDateTime(token.accessedTime, '') : l10n.t('never')],
    [l10n.t('Expires'), formatDateTime(token.expiredTime, l10n.t({ message: 'never', comment: ['the Expires row: the token never expires'] }))],
  ];
  return `**${markdownText(token.name || l10n.t('(unnamed)'))}** (#${token.id})\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${markdownText(v)} |`).join('\n')}`;
}

/**
 * The token tooltip's spend line, e.g. `Spent today: $0.12 · last 7 days: $3.40 (read 14:05 UTC)`, Markdown with
 * the amounts escaped (a custom currency symbol is the gateway's text).
 */
export function spendTooltipLine(spend: { today: { text: string }; last7Days?: { text: string }; readAt: number }): string {
  const read = new Date(spend.readAt).toISOString().slice(11, 16);
  return spend.last7Days
    ? l10n.t('Spent today: {0} · last 7 days: {1} (read {2} UTC)', markdownText(spend.today.text), markdownText(spend.last7Days.text), read)
    : l10n.t('Spent today: {0} (read {1} UTC)', markdownText(spend.today.text), read);
}
