import assert from 'node:assert/strict';
import { quotaDisplayOf } from '../../src/core/quota';
import { describeToken, spendTooltipLine, tokenTooltip } from '../../src/core/tokenFormat';
import { fromRaw, inputOf, toRequestBody, type RawToken } from '../../src/core/tokenModel';
import { parseExpiryDate, parseIpAllowlist, parseQuotaAmount, suffixedTokenName, validateTokenName } from '../../src/core/tokenValidation';

const NOW = Date.UTC(2026, 10, 25) / 1000;
const newApi = (over: Partial<RawToken> = {}): RawToken => ({
  id: 12, name: 'vscode', key: 'AbCd**********WxYz', status: 1, created_time: NOW - 86400, accessed_time: NOW - 86400, expired_time: -1,
  remain_quota: 6150000, used_quota: 500000, unlimited_quota: false, model_limits_enabled: true, model_limits: 'gpt-4o,claude-sonnet-4-5',
  allow_ips: '10.0.0.0/8\n203.0.113.7', group: 'vip', cross_group_retry: false, ...over,
});
const usd = quotaDisplayOf({ quota_display_type: 'USD', quota_per_unit: 500000 });

describe('token model', () => {
  it('reads a new-api token: masked key, limits, newline IP list', () => {
    const t = fromRaw(newApi(), NOW);
    assert.equal(t.keyMasked, true);
    assert.deepEqual(t.modelLimits, ['gpt-4o', 'claude-sonnet-4-5']);
    assert.deepEqual(t.allowIps, ['10.0.0.0/8', '203.0.113.7']);
    assert.equal(t.status, 'enabled');
  });

  it('reads a one-api token: full key, models and subnet fields', () => {
    const t = fromRaw({ id: 3, name: 'x', key: 'k'.repeat(48), status: 1, remain_quota: 1, unlimited_quota: false, models: 'gpt-4o', subnet: '10.0.0.0/8' }, NOW);
    assert.equal(t.keyMasked, false);
    assert.deepEqual(t.modelLimits, ['gpt-4o']);
    assert.deepEqual(t.allowIps, ['10.0.0.0/8']);
  });

  it('ignores model_limits when limits are not enabled (new-api only enforces them then)', () => {
    assert.deepEqual(fromRaw(newApi({ model_limits_enabled: false }), NOW).modelLimits, []);
  });

  it('shows what the relay would do: a passed expiry is expired, no quota left is exhausted', () => {
    assert.equal(fromRaw(newApi({ expired_time: NOW - 1 }), NOW).status, 'expired');
    assert.equal(fromRaw(newApi({ remain_quota: 0 }), NOW).status, 'exhausted');
    assert.equal(fromRaw(newApi({ remain_quota: 0, unlimited_quota: true }), NOW).status, 'enabled');
    assert.equal(fromRaw(newApi({ status: 2 }), NOW).status, 'disabled');
  });

  it('a full update carries every field the server copies (omitted fields would be zeroed)', () => {
    const body = toRequestBody(inputOf(fromRaw(newApi(), NOW)), 'new-api', 12);
    assert.deepEqual(Object.keys(body).sort(), ['allow_ips', 'cross_group_retry', 'expired_time', 'group', 'id', 'model_limits', 'model_limits_enabled', 'name', 'remain_quota', 'unlimited_quota']);
    assert.equal(body.expired_time, -1);
    assert.equal(body.allow_ips, '10.0.0.0/8\n203.0.113.7');
    const one = toRequestBody(inputOf(fromRaw(newApi(), NOW)), 'one-api', 12);
    assert.equal(one.models, 'gpt-4o,claude-sonnet-4-5');
    assert.equal(one.subnet, '10.0.0.0/8,203.0.113.7');
    assert.equal('group' in one, false);
  });

  it('describes rows as the issue asks', () => {
    assert.equal(describeToken(fromRaw(newApi({ expired_time: Date.UTC(2027, 0, 1, 12) / 1000 }), NOW), usd), '$12.30 left · expires 2027-01-01');
    assert.equal(describeToken(fromRaw(newApi({ unlimited_quota: true }), NOW), usd), 'unlimited · never expires');
    assert.equal(describeToken(fromRaw(newApi({ status: 2 }), NOW), usd), 'disabled · $12.30 left · never expires');
    assert.match(describeToken(fromRaw(newApi({ expired_time: NOW - 86400 }), NOW), usd), /expired 2026-11-24/);
    assert.equal(describeToken(fromRaw(newApi({ unlimited_quota: true }), NOW), usd, ['Codex']), 'unlimited · never expires · used by Codex');
  });

  it('puts every field in the tooltip, and never the full key', () => {
    // As a person reads the Markdown: escapes removed.
    const tip = tokenTooltip(fromRaw(newApi({ key: 'demo' + 'K'.repeat(44) }), NOW), usd).replace(/\\([!-/:-@[-`{-~])/g, '$1');
    for (const text of ['vip', '$12.30', '$1.00', 'gpt-4o', '10.0.0.0/8', 'Created', 'Last used', 'Expires']) assert.ok(tip.includes(text), text);
    assert.ok(!tip.includes('K'.repeat(10)));
  });
});

describe('token form validation', () => {
  it('names: required, 50 bytes on new-api, 30 characters on one-api', () => {
    assert.match(validateTokenName('  ', 'new-api') ?? '', /Give the token a name/);
    assert.equal(validateTokenName('a'.repeat(50), 'new-api'), undefined);
    assert.match(validateTokenName('a'.repeat(51), 'new-api') ?? '', /50 bytes/);
    assert.match(validateTokenName('令'.repeat(17), 'new-api') ?? '', /50 bytes/);
    assert.match(validateTokenName('a'.repeat(31), 'one-api') ?? '', /30 characters/);
  });

  it('a rotated token\'s suffixed name: -2, then the next number, shortened to fit the gateway\'s limit', () => {
    assert.equal(suffixedTokenName('codex-laptop', 'new-api'), 'codex-laptop-2');
    assert.equal(suffixedTokenName('codex-laptop-2', 'new-api'), 'codex-laptop-3');
    assert.equal(suffixedTokenName('a'.repeat(50), 'new-api'), `${'a'.repeat(48)}-2`);
    assert.equal(suffixedTokenName('令'.repeat(16), 'new-api'), `${'令'.repeat(16)}-2`, '48 bytes + 2 fits 50');
    assert.equal(suffixedTokenName('令'.repeat(17), 'new-api'), `${'令'.repeat(16)}-2`);
    assert.equal(suffixedTokenName('b'.repeat(30), 'one-api'), `${'b'.repeat(28)}-2`);
    for (const name of [suffixedTokenName('a'.repeat(50), 'new-api'), suffixedTokenName('令'.repeat(17), 'new-api')]) assert.equal(validateTokenName(name, 'new-api'), undefined);
  });

  it('IP allowlists: addresses and CIDRs, the first bad entry named', () => {
    assert.deepEqual(parseIpAllowlist('203.0.113.7, 10.0.0.0/8\n2001:db8::/32'), { ok: true, entries: ['203.0.113.7', '10.0.0.0/8', '2001:db8::/32'] });
    assert.deepEqual(parseIpAllowlist(''), { ok: true, entries: [] });
    for (const bad of ['300.1.1.1', '10.0.0.0/33', 'example.com', '10.0.0.0/8/1']) {
      const r = parseIpAllowlist(`1.2.3.4, ${bad}`);
      assert.ok(!r.ok && r.error.includes(`"${bad}"`), bad);
    }
  });

  it('expiry dates: YYYY-MM-DD in the future only', () => {
    const now = new Date(2026, 10, 25);
    assert.ok(parseExpiryDate('2027-01-01', now).ok);
    assert.match((parseExpiryDate('2026-01-01', now) as { error: string }).error, /future/);
    assert.match((parseExpiryDate('2027-02-30', now) as { error: string }).error, /does not exist/);
    assert.match((parseExpiryDate('01/01/2027', now) as { error: string }).error, /YYYY-MM-DD/);
  });

  it('quota amounts accept a currency sign and refuse zero', () => {
    assert.deepEqual(parseQuotaAmount('$12.30'), { ok: true, amount: 12.3 });
    assert.equal(parseQuotaAmount('0').ok, false);
    assert.equal(parseQuotaAmount('abc').ok, false);
  });
});

describe('token tooltip: spend line', () => {
  const readAt = Date.UTC(2026, 10, 25, 14, 5, 59);
  it('reads today and the last 7 days with the time they were read', () => {
    assert.equal(spendTooltipLine({ today: { text: '$0.12' }, last7Days: { text: '$3.40' }, readAt }).replace(/\\([!-/:-@[-`{-~])/g, '$1'),
      'Spent today: $0.12 · last 7 days: $3.40 (read 14:05 UTC)');
  });
  it('today alone when the week is not known', () => {
    assert.equal(spendTooltipLine({ today: { text: '$0' }, readAt }).replace(/\\([!-/:-@[-`{-~])/g, '$1'), 'Spent today: $0 (read 14:05 UTC)');
  });
  it('escapes the gateway\'s currency symbol', () => {
    assert.doesNotMatch(spendTooltipLine({ today: { text: '[x](command:y)1' }, readAt }), /(?<!\\)\]\(command:y/);
  });
});
