/**
 * Spend in the account's display unit. From a cent up it is formatQuota's text exactly (the tree, the status
 * bar and Verify agree); below a cent it keeps two significant digits, because an hour of light use costs
 * fractions of a cent and "$0.00" on every bar of a chart says nothing (the gateway's own log shows 6 decimals).
 */
import { formatNumber, formatQuota, type QuotaDisplay } from '../quota';

export interface Amount {
  /** Quota units, for sums and chart scales. */
  quota: number;
  /** What a person reads, e.g. `$1.25`, `¥0.0073`, `12,000 tokens`. */
  text: string;
}

const MAX_DECIMALS = 6;

export function amount(quota: number, display: QuotaDisplay): Amount {
  return { quota, text: spendText(quota, display) };
}

export function spendText(quota: number, display: QuotaDisplay): string {
  if (display.type === 'TOKENS' || quota <= 0) return formatQuota(quota, display);
  const usd = quota / display.quotaPerUnit;
  const [value, symbol] =
    display.type === 'CNY' ? [usd * display.usdExchangeRate, '¥']
      : display.type === 'CUSTOM' ? [usd * display.customRate, display.customSymbol]
        : [usd, '$'];
  if (value >= 0.01) return formatQuota(quota, display);
  const smallest = 10 ** -MAX_DECIMALS;
  if (value < smallest) return `<${symbol}${formatNumber(smallest, MAX_DECIMALS)}`;
  const decimals = Math.min(MAX_DECIMALS, Math.ceil(-Math.log10(value)) + 1);
  return `${symbol}${formatNumber(value, decimals)}`;
}
