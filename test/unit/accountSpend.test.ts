// AccountSpend: what the tooltips get from the spend cache: key-only accounts and unnamed tokens ask nothing, a
// failed read falls back to today's last reading, and a reading from before midnight is not "today".
import assert from 'node:assert/strict';
import type { AccountMeta } from '../../src/core/accounts';
import { quotaDisplayOf } from '../../src/core/quota';
import { AccountSpend } from '../../src/vscode/spend';

const display = quotaDisplayOf(undefined);
const meta = (authKind: string) => ({ id: 'a1', baseUrl: 'https://api.example.com', authKind, flavor: 'new-api' }) as unknown as AccountMeta;

function setup(start: number) {
  let now = start;
  let fail = false;
  const calls: string[] = [];
  const console = {
    call: async (_method: string, path: string) => {
      calls.push(path);
      if (fail) throw new Error('offline');
      return { data: { quota: 250_000 } };
    },
  };
  const accounts = { onDidChange: () => ({ dispose() {} }), get: () => meta('accessToken') };
  const gateways = { console: async () => console, quotaDisplay: async () => display };
  const spend = new AccountSpend(accounts as never, gateways as never, () => now);
  return { spend, calls, advance: (ms: number) => { now += ms; }, failNext: () => { fail = true; } };
}

describe('AccountSpend: the tooltips\' spend', () => {
  // Mid-day, local time: wherever the tests run, an hour on is still the same day.
  const noon = new Date(2026, 10, 25, 12, 0).getTime();

  it('key-only accounts and tokens without a name ask nothing', async () => {
    const { spend, calls } = setup(noon);
    assert.equal(await spend.token(meta('key'), 'demo', display), undefined);
    assert.equal(await spend.token(meta('accessToken'), '', display), undefined);
    await spend.readToday(meta('key'));
    assert.equal(spend.peekToday(meta('key'), display), undefined);
    assert.deepEqual(calls, []);
  });

  it('a token: today and the last 7 days; when a later read fails, the last reading of today', async () => {
    const { spend, calls, advance, failNext } = setup(noon);
    const first = await spend.token(meta('accessToken'), 'demo', display);
    assert.equal(first?.today.text, '$0.50');
    assert.equal(first?.last7Days?.text, '$0.50');
    assert.equal(calls.length, 2);
    advance(10 * 60_000);
    failNext();
    const fallback = await spend.token(meta('accessToken'), 'demo', display);
    assert.equal(fallback?.readAt, noon, 'the earlier reading, with its time');
  });

  it('the account\'s today is peeked only on the day it was read', async () => {
    const { spend, advance } = setup(noon);
    await spend.readToday(meta('accessToken'));
    assert.equal(spend.peekToday(meta('accessToken'), display)?.today.text, '$0.50');
    advance(24 * 3_600_000);
    assert.equal(spend.peekToday(meta('accessToken'), display), undefined);
  });
});
