import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatQuota, groupedByHand, quotaDisplayOf, toQuota } from '../../src/core/quota';

describe('quota display', () => {
  it('follows the gateway display type like its console does', () => {
    const base = { quota_per_unit: 500000, usd_exchange_rate: 7.3, custom_currency_symbol: '€', custom_currency_exchange_rate: 0.9 };
    assert.equal(formatQuota(500000, quotaDisplayOf({ ...base, quota_display_type: 'USD' })), '$1.00');
    assert.equal(formatQuota(6150000, quotaDisplayOf({ ...base, quota_display_type: 'USD' })), '$12.30');
    assert.equal(formatQuota(500000, quotaDisplayOf({ ...base, quota_display_type: 'CNY' })), '¥7.30');
    assert.equal(formatQuota(500000, quotaDisplayOf({ ...base, quota_display_type: 'CUSTOM' })), '€0.90');
    assert.equal(formatQuota(1234567, quotaDisplayOf({ ...base, quota_display_type: 'TOKENS' })), '1,234,567 tokens');
  });

  it('falls back like one-api: display_in_currency, 500000 per USD', () => {
    assert.equal(formatQuota(250000, quotaDisplayOf({ display_in_currency: true })), '$0.50');
    assert.equal(formatQuota(250000, quotaDisplayOf({ display_in_currency: false })), '250,000 tokens');
    assert.equal(formatQuota(250000, quotaDisplayOf(undefined)), '$0.50');
  });

  it('converts an amount typed in the display unit back to quota units', () => {
    assert.equal(toQuota(12.3, quotaDisplayOf({ quota_display_type: 'USD', quota_per_unit: 500000 })), 6150000);
    assert.equal(toQuota(7.3, quotaDisplayOf({ quota_display_type: 'CNY', quota_per_unit: 500000, usd_exchange_rate: 7.3 })), 500000);
    assert.equal(toQuota(42, quotaDisplayOf({ quota_display_type: 'TOKENS' })), 42);
  });
});

describe('numbers grouped by hand for English and Chinese (no Intl on the activation path)', () => {
  it('write exactly what Intl.NumberFormat writes for en and zh-CN', () => {
    const intl = (locale: string, decimals: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    const values = fc.oneof(fc.double({ min: -1e11, max: 1e11, noNaN: true }), fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100));
    // formatNumber turns -0 into 0 before either (Intl would write "-0").
    fc.assert(fc.property(values.filter((v) => !Object.is(v, -0)), fc.constantFrom(0, 2), (value, decimals) => {
      const mine = groupedByHand(value, decimals);
      for (const locale of ['en', 'zh-CN']) assert.equal(mine, intl(locale, decimals).format(value), `${value} with ${decimals} decimals in ${locale}`);
    }), { numRuns: 2000 });
    assert.equal(groupedByHand(1234567.891, 2), '1,234,567.89');
    assert.equal(groupedByHand(-1234.5, 2), '-1,234.50');
  });
});
