// Usage aggregation on recorded-shaped data, without a gateway: local days and hours (DST, half-hour zones, a
// zone that skips midnight), rows placed on the right side of midnight, display units, empty periods, and failed
// requests worded exactly as Verify words them.
import assert from 'node:assert/strict';
import { diagnose } from '../../src/core/diagnosis/rules';
import type { Facts } from '../../src/core/diagnosis/types';
import { formatQuota, quotaDisplayOf } from '../../src/core/quota';
import { parseOrThrow } from '../../src/core/schemas';
import { UsageAccumulator } from '../../src/core/usage/accumulator';
import { spendText } from '../../src/core/usage/amount';
import { localParts, periodRange, slotIndex, startOfLocalDay } from '../../src/core/usage/calendar';
import { failedRequest } from '../../src/core/usage/failedRequest';
import { toLogRow, type UsageLogRow } from '../../src/core/usage/logRow';
import { logArraySchema, logEnvelopeSchema } from '../../src/core/usage/schemas';

/** A new-api page as the gateway sends it (recorded from the simulator, which follows new-api's Log struct). */
const NEW_API_PAGE = JSON.parse(`{"page":1,"page_size":3,"total":3,"items":[
 {"id":1,"user_id":1,"created_at":1796166000,"type":2,"content":"模型倍率 1.5，补全倍率 5，分组倍率 1","username":"demo","token_name":"vscode","model_name":"claude-sonnet-4-5","quota":9105,"prompt_tokens":655,"completion_tokens":1083,"is_stream":true,"channel":1,"use_time":8,"group":"default","token_id":1,"channel_name":"","ip":"","other":"{\\"model_ratio\\":1.5,\\"completion_ratio\\":5,\\"group_ratio\\":1}","request_id":"202612020855430001869eseedrow0"},
 {"id":2,"user_id":1,"created_at":1796165999,"type":2,"content":"模型倍率 0.075，补全倍率 4，分组倍率 1","username":"demo","token_name":"ci","model_name":"gpt-4o-mini","quota":501,"prompt_tokens":2208,"completion_tokens":1116,"is_stream":false,"channel":1,"use_time":24,"group":"default","token_id":4,"channel_name":"","ip":"","other":"{}"},
 {"id":3,"user_id":1,"created_at":1796162400,"type":5,"content":"status_code=429, Rate limit reached for requests","username":"demo","token_name":"vscode","model_name":"gpt-5.4","quota":0,"prompt_tokens":0,"completion_tokens":0,"is_stream":false,"channel":1,"use_time":0,"group":"default","token_id":1,"channel_name":"","ip":"","other":"{\\"request_path\\":\\"/v1/chat/completions\\",\\"error_type\\":\\"upstream_error\\",\\"error_code\\":\\"rate_limit_exceeded\\",\\"status_code\\":429}","request_id":"2026120204534800018645seedrow0"}]}`) as unknown;

/** A one-api page: a plain array, `id` 0, `elapsed_time` in ms, type 5 is a test row. */
const ONE_API_PAGE = JSON.parse(`[
 {"id":0,"user_id":1,"created_at":1796166000,"type":2,"content":"模型倍率 1.25","username":"demo","token_name":"vscode","model_name":"gpt-4o","quota":2750,"prompt_tokens":1000,"completion_tokens":300,"channel":1,"request_id":"2026120209000012345678abcdefgh","elapsed_time":1830,"is_stream":false,"system_prompt_reset":false},
 {"id":0,"user_id":1,"created_at":1796165000,"type":5,"content":"通道测试","username":"demo","token_name":"","model_name":"gpt-4o","quota":0,"prompt_tokens":0,"completion_tokens":0,"channel":1,"request_id":"","elapsed_time":0,"is_stream":false,"system_prompt_reset":false}]`) as unknown;

const USD = quotaDisplayOf({ quota_display_type: 'USD' });
const local = (ms: number, zone: string) => {
  const p = localParts(ms, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};
const newApiRows = (): UsageLogRow[] => parseOrThrow(logEnvelopeSchema, NEW_API_PAGE, 'page').items!.map((r) => toLogRow(r, 'new-api'));

describe('usage calendar: local days and hours', () => {
  it('a spring-forward day in Berlin has 23 hours (no 02:00), an autumn one 25 (02:00 twice)', () => {
    const spring = periodRange('today', Date.UTC(2026, 2, 29, 12), 'Europe/Berlin');
    assert.equal(spring.slots.length, 23);
    assert.ok(!spring.slots.some((s) => s.label === '02:00'));
    const autumn = periodRange('today', Date.UTC(2026, 9, 25, 12), 'Europe/Berlin');
    assert.equal(autumn.slots.length, 25);
    assert.deepEqual(autumn.slots.filter((s) => s.label === '02:00').length, 2);
    assert.equal(autumn.slots.at(-1)!.end - autumn.slots[0]!.start, 25 * 3_600_000);
  });

  it('7 and 30 days start at local midnights across a DST change, today last', () => {
    const now = Date.UTC(2026, 10, 3, 15);
    const week = periodRange('7d', now, 'America/New_York');
    assert.deepEqual(week.slots.map((s) => s.label), ['2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03']);
    assert.ok(week.slots.every((s) => local(s.start, 'America/New_York').endsWith('00:00')));
    assert.equal(week.slots[4]!.end - week.slots[4]!.start, 25 * 3_600_000, 'Nov 1 has 25 hours');
    const month = periodRange('30d', now, 'America/New_York');
    assert.equal(month.slots.length, 30);
    assert.equal(month.slots.at(-1)!.label, '2026-11-03');
  });

  it('half-hour zones start the day at :30 UTC; a zone that skips midnight starts it at 01:00', () => {
    assert.equal(new Date(startOfLocalDay(2026, 3, 29, 'Asia/Kolkata')).toISOString(), '2026-03-28T18:30:00.000Z');
    const santiago = startOfLocalDay(2026, 9, 6, 'America/Santiago');
    assert.equal(local(santiago, 'America/Santiago'), '2026-09-06 01:00');
    assert.equal(local(santiago - 1000, 'America/Santiago').slice(0, 10), '2026-09-05');
  });

  it('an unknown zone falls back to UTC instead of failing', () => {
    const range = periodRange('today', Date.UTC(2026, 0, 1, 5), 'Mars/Olympus_Mons');
    assert.equal(range.timeZone, 'UTC');
    assert.equal(range.start, Date.UTC(2026, 0, 1));
  });

  it('slots hold their start, not their end', () => {
    const { slots } = periodRange('7d', Date.UTC(2026, 5, 10, 12), 'UTC');
    assert.equal(slotIndex(slots, slots[2]!.start), 2);
    assert.equal(slotIndex(slots, slots[2]!.end - 1), 2);
    assert.equal(slotIndex(slots, slots[2]!.end), 3);
    assert.equal(slotIndex(slots, slots[0]!.start - 1), -1);
    assert.equal(slotIndex(slots, slots[6]!.end), -1);
  });
});

describe('usage rows: each flavour\'s page becomes the same rows', () => {
  it('new-api: duration in ms, the stream flag, group, request id; a type-5 row is a failure', () => {
    const [first, second, failed] = newApiRows();
    assert.deepEqual([first!.kind, first!.durationMs, first!.stream, first!.group, first!.requestId], ['consume', 8000, true, 'default', '202612020855430001869eseedrow0']);
    assert.equal(second!.requestId, undefined, 'new-api omits an empty request id');
    assert.equal(failed!.kind, 'error');
    assert.equal(failed!.failure?.title, 'The gateway is rate-limiting this key (429)');
    assert.equal(failed!.failure?.said, 'Rate limit reached for requests');
  });

  it('one-api: elapsed_time is ms already, and its type 5 is a test row, not an error', () => {
    const [row, test] = parseOrThrow(logArraySchema, ONE_API_PAGE, 'page').map((r) => toLogRow(r, 'one-api'));
    assert.equal(row!.durationMs, 1830);
    assert.equal(test!.kind, 'test');
    assert.equal(test!.failure, undefined);
  });
});

describe('usage accumulator: where rows land, and what they add up to', () => {
  it('a row a second before local midnight is in that day, the next second in the next', () => {
    const zone = 'Asia/Tokyo';
    const { slots } = periodRange('7d', Date.UTC(2026, 11, 2, 3), zone);
    const midnight = slots[5]!.start;
    const acc = new UsageAccumulator(slots);
    acc.addRow(midnight - 1000, 'gpt-4o', 'a', 100, 10, 1);
    acc.addRow(midnight, 'gpt-4o', 'a', 200, 20, 2);
    assert.deepEqual(acc.slots.map((s) => s.quota), [0, 0, 0, 0, 100, 200, 0]);
  });

  it('the same rows by day in two zones: the days differ, the totals do not', () => {
    const rows = newApiRows().filter((r) => r.kind === 'consume');
    const totals = ['UTC', 'Pacific/Kiritimati'].map((zone) => {
      const range = periodRange('7d', Date.UTC(2026, 11, 2, 12), zone);
      const acc = new UsageAccumulator(range.slots);
      for (const r of rows) acc.addRow(r.at * 1000, r.modelName, r.tokenName, r.quota, r.promptTokens, r.completionTokens);
      const day = range.slots.filter((_, i) => acc.slots[i]!.quota > 0).map((slot) => slot.label);
      return { last: range.slots.at(-1)!.label, total: acc.total, day };
    });
    assert.deepEqual([totals[0]!.last, totals[1]!.last], ['2026-12-02', '2026-12-03'], 'Kiritimati (UTC+14) is a day ahead');
    assert.deepEqual([totals[0]!.day, totals[1]!.day], [['2026-12-01'], ['2026-12-02']], '23:00 UTC is the next afternoon there');
    assert.deepEqual(totals[0]!.total, totals[1]!.total);
    assert.deepEqual(totals[0]!.total, { quota: 9606, requests: 2, tokens: 5062, promptTokens: 2863, completionTokens: 2199 });
  });

  it('by model and by token, biggest spend first; hourly buckets add requests without a token', () => {
    const range = periodRange('7d', Date.UTC(2026, 11, 2, 12), 'UTC');
    const acc = new UsageAccumulator(range.slots);
    for (const r of newApiRows()) acc.addRow(r.at * 1000, r.modelName, r.tokenName, r.quota, r.promptTokens, r.completionTokens);
    acc.addBucket(range.slots[3]!.start, 'gpt-4o', 5, 7000, 900);
    assert.deepEqual(acc.byModel().map((m) => [m.name, m.quota, m.requests]), [['claude-sonnet-4-5', 9105, 1], ['gpt-4o', 7000, 5], ['gpt-4o-mini', 501, 1], ['gpt-5.4', 0, 1]]);
    assert.deepEqual(acc.byToken().map((t) => t.name), ['vscode', 'ci']);
    assert.equal(acc.total.requests, 8);
  });

  it('an empty period is all zeros, every slot there', () => {
    const range = periodRange('30d', Date.now(), 'Europe/Paris');
    const acc = new UsageAccumulator(range.slots);
    assert.equal(acc.slots.length, 30);
    assert.ok(acc.slots.every((s) => s.quota === 0 && s.requests === 0));
    assert.deepEqual(acc.byModel(), []);
  });
});

describe('usage amounts: the account\'s display unit', () => {
  it('from a cent up, exactly what formatQuota shows everywhere else', () => {
    for (const type of ['USD', 'CNY', 'CUSTOM', 'TOKENS'] as const) {
      const display = quotaDisplayOf({ quota_display_type: type, custom_currency_symbol: '€', custom_currency_exchange_rate: 0.9 });
      for (const quota of [6000, 123_456, 500_000_000]) assert.equal(spendText(quota, display), formatQuota(quota, display), `${type} ${quota}`);
    }
  });

  it('below a cent, two significant digits instead of "$0.00"', () => {
    assert.equal(spendText(1000, USD), '$0.0020');
    assert.equal(spendText(500, quotaDisplayOf({ quota_display_type: 'CNY' })), '¥0.0073');
    assert.equal(spendText(3, USD), '$0.000006');
    assert.equal(spendText(0.4, USD), '<$0.000001');
    assert.equal(spendText(0, USD), '$0.00');
    assert.equal(spendText(1000, quotaDisplayOf({ quota_display_type: 'TOKENS' })), '1,000 tokens');
  });
});

/** Facts in which the relay refused one keyed request with this answer, and nothing else is wrong. */
function refusedFacts(status: number, serverMessage: string, code?: string): Facts {
  return {
    accountId: 'a', gatewayRoot: 'https://gw.example', accountKind: 'accessToken', keyLabel: 'sk-test…xxxx',
    gateway: { ok: true, status: 200, isGateway: true },
    relay: { ok: false, status, serverMessage, ...(code ? { code } : {}) },
    token: { id: 7, name: 'vscode', status: 'enabled', unlimited: true, remainQuota: 0, modelLimits: [], allowIps: [], group: 'default', expiredTime: -1, origin: { source: 'gateway' } },
    consoleReads: [], display: USD, agents: [],
    environment: { processEnv: {}, terminalEnv: {}, shellProfiles: [], projectOverrides: [] },
  };
}

describe('failed requests: worded as Verify words them', () => {
  const cases: [string, number, string, string?][] = [
    ['disabled', 401, '该令牌状态不可用'],
    ['expired', 401, '该令牌已过期'],
    ['exhausted', 401, '[sk-abc***xyz] 该令牌额度已用尽 !token.UnlimitedQuota && token.RemainQuota = 0'],
    ['no-credit', 403, '用户额度不足, 剩余额度: 0', 'insufficient_user_quota'],
    ['ip-denied', 403, '您的 IP 不在令牌允许访问的列表中', 'access_denied'],
    ['group', 403, '无权访问 vip 分组'],
    ['banned', 403, '用户已被封禁'],
    ['invalid', 401, '无效的令牌'],
    ['rate-limited', 429, 'Rate limit reached for requests'],
  ];
  for (const [kind, status, message, code] of cases) {
    it(`${kind}: the log's title is Verify's finding title`, () => {
      const verify = diagnose(refusedFacts(status, message, code)).find((f) => f.id.startsWith('relay.'));
      assert.ok(verify, `Verify has a relay finding for ${kind}`);
      const other = JSON.stringify({ status_code: status, ...(code ? { error_code: code } : {}) });
      const failure = failedRequest(`status_code=${status}, ${message}`, other, 'vscode', 'gpt-4o');
      assert.equal(failure.refusal, kind);
      assert.equal(failure.title, verify.title);
    });
  }

  it('no channel for the model: the title of Verify\'s finding on an agent\'s test request', () => {
    const message = 'No available channel for model gpt-4o under group default (distributor)';
    const facts = refusedFacts(200, '');
    facts.relay = { ok: true, status: 200, models: ['gpt-4o'] };
    facts.agents = [{
      agent: 'claude-code', configured: true, expectedModel: 'gpt-4o', files: [], parseProblems: [],
      probe: { ok: false, status: 503, serverMessage: message, code: 'model_not_found', contextManagementRejected: false },
    }];
    const verify = diagnose(facts).find((f) => f.id === 'model.not-allowed');
    const failure = failedRequest(`status_code=503, ${message}`, '{"status_code":503,"error_code":"model_not_found"}', 'vscode', 'gpt-4o');
    assert.equal(failure.refusal, 'no-channel');
    assert.equal(failure.title, verify?.title);
  });

  it('an upstream 5xx reads as Verify\'s server error; the gateway\'s words keep their gloss', () => {
    const failure = failedRequest('status_code=503, 用户额度不足', '{}', 'vscode', 'gpt-4o');
    assert.equal(failure.status, 503);
    assert.match(failure.said ?? '', /^用户额度不足 \(the account balance is insufficient\)$/);
    assert.equal(failedRequest('status_code=502, bad gateway', '{"status_code":502}', '', '').title, 'The gateway failed with HTTP 502');
  });

  it('text that is not the usual shape is still shown, as data', () => {
    const failure = failedRequest('<img src=x onerror=alert(1)>', '<not json>', '', '');
    assert.deepEqual(failure, { title: 'The request failed', said: '<img src=x onerror=alert(1)>' });
  });
});
