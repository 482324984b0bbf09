import assert from 'node:assert/strict';
import { alertText, tokenAlert } from '../../src/core/tokenAlert';
import { fromRaw, type RawToken } from '../../src/core/tokenModel';

const NOW_MS = Date.UTC(2026, 11, 2, 12);
const NOW = NOW_MS / 1000;
const DAY = 86_400;
const token = (over: Partial<RawToken> = {}) => fromRaw({
  id: 7, name: 'codex', key: 'AbCd**********WxYz', status: 1, created_time: NOW - 30 * DAY, expired_time: -1,
  remain_quota: 900_000, used_quota: 100_000, unlimited_quota: false, ...over,
}, NOW);

describe('token alerts (expiring within 7 days, under 10 % of quota left)', () => {
  it('flags a token that expires in 3 days, with the date', () => {
    const alert = tokenAlert(token({ expired_time: NOW + 3 * DAY - 60 }), NOW_MS);
    assert.deepEqual(alert && { kind: alert.kind, days: alert.kind === 'expiring' && alert.days }, { kind: 'expiring', days: 3 });
    assert.equal(alertText(alert!), 'expires in 3 days (2026-12-05)');
  });

  it('says tomorrow and today in words', () => {
    assert.equal(alertText(tokenAlert(token({ expired_time: NOW + DAY - 60 }), NOW_MS)!), 'expires tomorrow (2026-12-03)');
    assert.equal(alertText(tokenAlert(token({ expired_time: NOW + 60 }), NOW_MS)!), 'expires today (2026-12-02)');
  });

  it('leaves a token that expires in 8 days, or never, alone', () => {
    assert.equal(tokenAlert(token({ expired_time: NOW + 8 * DAY }), NOW_MS), undefined);
    assert.equal(tokenAlert(token(), NOW_MS), undefined);
  });

  it('flags a token with under 10 % of its quota left, and not one with 10 %', () => {
    const low = tokenAlert(token({ remain_quota: 99_999, used_quota: 900_001 }), NOW_MS);
    assert.equal(low?.kind, 'lowQuota');
    assert.equal(alertText(low!), '9 % of its quota left');
    assert.equal(tokenAlert(token({ remain_quota: 100_000, used_quota: 900_000 }), NOW_MS), undefined);
  });

  it('never flags an unlimited token for quota, nor a token that is already disabled, expired or exhausted', () => {
    assert.equal(tokenAlert(token({ unlimited_quota: true, remain_quota: 0, used_quota: 5_000_000 }), NOW_MS), undefined);
    assert.equal(tokenAlert(token({ status: 2, expired_time: NOW + DAY }), NOW_MS), undefined);
    assert.equal(tokenAlert(token({ expired_time: NOW - DAY }), NOW_MS), undefined); // shows as expired
    assert.equal(tokenAlert(token({ remain_quota: 0 }), NOW_MS), undefined); // shows as exhausted
  });

  it('an expiry beats low quota (the date is the harder limit to notice)', () => {
    assert.equal(tokenAlert(token({ expired_time: NOW + 2 * DAY, remain_quota: 1, used_quota: 999_999 }), NOW_MS)?.kind, 'expiring');
  });
});
