/** Quota is an internal unit (500,000 per USD by default); people see it the way the gateway's own console shows it. */
import * as l10n from '@vscode/l10n';
import { displayLocale } from './locale';
import type { GatewayStatus } from './schemas';
import { plainText } from './untrustedText';

export const DEFAULT_QUOTA_PER_UNIT = 500_000;

export interface QuotaDisplay {
  type: 'USD' | 'CNY' | 'TOKENS' | 'CUSTOM';
  quotaPerUnit: number;
  usdExchangeRate: number;
  customSymbol: string;
  customRate: number;
}

export function quotaDisplayOf(status: GatewayStatus | undefined): QuotaDisplay {
  const declared = status?.quota_display_type?.toUpperCase();
  // one-api has no quota_display_type: only display_in_currency (USD) or raw tokens.
  const type =
    declared === 'USD' || declared === 'CNY' || declared === 'TOKENS' || declared === 'CUSTOM'
      ? declared
      : status?.display_in_currency === false ? 'TOKENS' : 'USD';
  // The gateway's settings are untrusted: a zero or absurd rate would show Infinity, a long symbol would flood every row.
  return {
    type,
    quotaPerUnit: positive(status?.quota_per_unit, DEFAULT_QUOTA_PER_UNIT),
    usdExchangeRate: positive(status?.usd_exchange_rate, 7.3),
    customSymbol: plainText(status?.custom_currency_symbol ?? '', 8) || '¤',
    customRate: positive(status?.custom_currency_exchange_rate, 1),
  };
}

/**
 * A QuotaDisplay read back from the state store (written by an earlier version, or edited by hand):
 * undefined unless it has the right shape, and re-checked as strictly as the gateway's own values.
 */
export function storedQuotaDisplay(value: unknown): QuotaDisplay | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { type, quotaPerUnit, usdExchangeRate, customSymbol, customRate } = v;
  if (type !== 'USD' && type !== 'CNY' && type !== 'TOKENS' && type !== 'CUSTOM') return undefined;
  if (typeof quotaPerUnit !== 'number' || typeof usdExchangeRate !== 'number' || typeof customSymbol !== 'string' || typeof customRate !== 'number') return undefined;
  return quotaDisplayOf({
    quota_display_type: type, quota_per_unit: quotaPerUnit, usd_exchange_rate: usdExchangeRate,
    custom_currency_symbol: customSymbol, custom_currency_exchange_rate: customRate,
  });
}

const positive = (value: number | null | undefined, fallback: number) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 1e12 ? value : fallback;

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * Languages that write 1,234.50. Their numbers are grouped here by hand: the first Intl.NumberFormat of
 * a process costs 30–80 ms (ICU data), and the status item's first frame, on the activation path, shows
 * an amount. test/unit/quota.test.ts checks the two agree.
 */
const COMMA_THEN_DOT = /^(en|zh)(-|$)/i;

export function groupedByHand(value: number, decimals: number): string {
  const [whole, fraction] = value.toFixed(decimals).split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `value` with exactly `decimals` fraction digits, grouped the way the user's locale groups numbers (1,234.50). */
export function formatNumber(value: number, decimals: number): string {
  const locale = displayLocale();
  // Intl writes -0 as "-0.00"; toFixed, which this replaced, wrote "0.00".
  if (COMMA_THEN_DOT.test(locale)) return groupedByHand(Object.is(value, -0) ? 0 : value, decimals);
  const key = `${locale}/${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(key, format);
  }
  // Intl writes -0 as "-0.00"; toFixed, which this replaced, wrote "0.00".
  return format.format(Object.is(value, -0) ? 0 : value);
}

export function formatQuota(quota: number, display: QuotaDisplay): string {
  if (display.type === 'TOKENS') {
    const tokens = Math.round(quota);
    return tokens === 1 ? l10n.t('1 token') : l10n.t('{0} tokens', formatNumber(tokens, 0));
  }
  const usd = quota / display.quotaPerUnit;
  if (display.type === 'CNY') return `¥${formatNumber(usd * display.usdExchangeRate, 2)}`;
  if (display.type === 'CUSTOM') return `${display.customSymbol}${formatNumber(usd * display.customRate, 2)}`;
  return `$${formatNumber(usd, 2)}`;
}

/** Converts an amount typed in the display unit back to quota units (for quota caps). */
export function toQuota(amount: number, display: QuotaDisplay): number {
  if (display.type === 'TOKENS') return Math.round(amount);
  const rate = display.type === 'CNY' ? display.usdExchangeRate : display.type === 'CUSTOM' ? display.customRate : 1;
  return Math.round((amount / rate) * display.quotaPerUnit);
}
