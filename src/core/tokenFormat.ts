/** How a token reads in the tree: a one-line description and a tooltip with every field. */
import { formatQuota, type QuotaDisplay } from './quota';
import type { Token } from './tokenModel';
import { markdownText } from './untrustedText';

export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

function formatDateTime(unixSeconds: number): string {
  return unixSeconds > 0 ? new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never';
}

export function expiryText(token: Token): string {
  if (token.expiredTime === -1) return 'never expires';
  return token.status === 'expired' ? `expired ${formatDate(token.expiredTime)}` : `expires ${formatDate(token.expiredTime)}`;
}

export function remainingText(token: Token, display: QuotaDisplay): string {
  return token.unlimited ? 'unlimited' : `${formatQuota(Math.max(0, token.remainQuota), display)} left`;
}

/** e.g. `$12.30 left · expires 2027-01-01`, `unlimited · never expires`, `disabled · $1.00 left · …`. */
export function describeToken(token: Token, display: QuotaDisplay, usedBy: readonly string[] = []): string {
  const parts = [remainingText(token, display), expiryText(token)];
  if (token.status === 'disabled') parts.unshift('disabled');
  if (token.status === 'exhausted') parts.unshift('exhausted');
  if (usedBy.length) parts.push(`used by ${usedBy.join(', ')}`);
  return parts.join(' · ');
}

/** Markdown for the tree tooltip; every value (names, groups, models, IPs from the gateway) is escaped. */
export function tokenTooltip(token: Token, display: QuotaDisplay): string {
  const rows: [string, string][] = [
    ['Status', token.status],
    ['Key', `sk-${token.key.slice(0, 4)}…${token.key.slice(-4)}`],
    ['Group', token.group || 'the account\'s group'],
    ['Remaining', token.unlimited ? 'unlimited' : formatQuota(Math.max(0, token.remainQuota), display)],
    ['Used', formatQuota(token.usedQuota, display)],
    ['Models', token.modelLimits.length ? token.modelLimits.join(', ') : 'all models of the group'],
    ['IP allowlist', token.allowIps.length ? token.allowIps.join(', ') : 'any address'],
    ['Created', formatDateTime(token.createdTime)],
    ['Last used', token.accessedTime > 0 && token.accessedTime !== token.createdTime ? formatDateTime(token.accessedTime) : 'never'],
    ['Expires', token.expiredTime === -1 ? 'never' : formatDateTime(token.expiredTime)],
  ];
  return `**${markdownText(token.name || '(unnamed)')}** (#${token.id})\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${markdownText(v)} |`).join('\n')}`;
}
