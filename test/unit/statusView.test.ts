import assert from 'node:assert/strict';
import type { BalanceSnapshot } from '../../src/core/balance';
import { quotaDisplayOf } from '../../src/core/quota';
import { statusLine, statusView, type StatusState } from '../../src/core/statusView';

const snapshot = (over: Partial<BalanceSnapshot> = {}): BalanceSnapshot =>
  ({ remaining: 4_750_000, used: 500_000, unlimited: false, source: 'account', latencyMs: 120, at: Date.UTC(2026, 10, 25, 9, 30), ...over });
const base: StatusState = { account: { label: 'Demo User', host: 'api.tokaify.com', keyOnly: false }, display: quotaDisplayOf(undefined), checking: false };
const at = Date.UTC(2026, 10, 25, 9, 35);

describe('statusView: the status-bar text and tooltip for each state', () => {
  const cases: [string, StatusState, RegExp, StatusState extends never ? never : 'normal' | 'warning' | 'error'][] = [
    ['signed out', { display: base.display, checking: false }, /^\$\(plug\) Tokaify: Sign in$/, 'normal'],
    ['first check running', { ...base, checking: true }, /^\$\(sync~spin\) Tokaify$/, 'normal'],
    ['ok', { ...base, last: snapshot() }, /^\$\(pass\) Tokaify: \$9\.50$/, 'normal'],
    ['slow (over 1.5 s)', { ...base, last: snapshot({ latencyMs: 2300 }) }, /^\$\(watch\) Tokaify: \$9\.50 · slow$/, 'warning'],
    ['offline keeps the last balance, marked stale', { ...base, last: snapshot(), error: { kind: 'network', message: 'Cannot reach api.tokaify.com', at } }, /^\$\(debug-disconnect\) Tokaify: \$9\.50 \(stale\) · offline$/, 'warning'],
    ['auth failed', { ...base, error: { kind: 'unauthorized', message: 'The access token was not accepted', at } }, /^\$\(error\) Tokaify: sign-in failed$/, 'error'],
    ['out of credit', { ...base, last: snapshot({ remaining: 0 }) }, /^\$\(alert\) Tokaify: \$0\.00 · no credit$/, 'error'],
    ['gateway error', { ...base, error: { kind: 'server', message: 'HTTP 502', at } }, /^\$\(warning\) Tokaify: gateway error$/, 'warning'],
    ['unlimited key', { ...base, last: snapshot({ unlimited: true, source: 'key', remaining: 0 }) }, /^\$\(pass\) Tokaify: unlimited$/, 'normal'],
  ];
  for (const [name, state, text, severity] of cases) {
    it(name, () => {
      const view = statusView(state);
      assert.match(view.text, text);
      assert.equal(view.severity, severity);
      // The first frame at activation shows the line alone: it must be the very same.
      const line = statusLine(state);
      assert.equal(line.text, view.text);
      assert.equal(line.severity, view.severity);
    });
  }

  it('server text in the tooltip and text cannot form a link or an icon: only our five read-only links remain', () => {
    const attack = 'Eve [Sign in](command:tokaify.addGateway?%7B%22allowInsecure%22%3Atrue%7D) $(add)';
    const display = quotaDisplayOf({ quota_display_type: 'CUSTOM', custom_currency_symbol: '[x](command:y)$(add)', custom_currency_exchange_rate: 1 } as never);
    const view = statusView({ ...base, account: { ...base.account!, label: attack }, display, last: snapshot(), error: { kind: 'server', message: attack, at } });
    const links = [...view.tooltip.matchAll(/(?<!\\)\[[^\]]*(?<!\\)\]\((command:[^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, ['command:tokaify.verify', 'command:tokaify.switchGateway', 'command:tokaify.openConsole', 'command:tokaify.refreshStatus', 'command:tokaify.showUsage']);
    assert.doesNotMatch(view.text.replace(/^\$\([a-z-~]+\) /, ''), /\$\(/);
  });

  it('shows the balance in the gateway\'s unit (CNY here)', () => {
    const display = quotaDisplayOf({ quota_display_type: 'CNY', quota_per_unit: 500_000, usd_exchange_rate: 7.3 } as never);
    assert.match(statusView({ ...base, display, last: snapshot() }).text, /¥69\.35/);
  });

  it('the tooltip names the account, balance, used, last check with latency, and links Verify, Switch, Console, Refresh, Usage', () => {
    // As a person reads the Markdown: escapes removed.
    const tooltip = statusView({ ...base, last: snapshot(), error: { kind: 'timeout', message: 'api.tokaify.com did not answer within 15 s.', at } }).tooltip
      .replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.match(tooltip, /Demo User @ api\.tokaify\.com/);
    assert.match(tooltip, /Balance: \*\*\$9\.50\*\* \(stale\) · used \$1\.00/);
    assert.match(tooltip, /Last good check: 09:30:00 UTC, 120 ms/);
    assert.match(tooltip, /did not answer within 15 s/);
    for (const link of ['command:tokaify.verify', 'command:tokaify.switchGateway', 'command:tokaify.openConsole', 'command:tokaify.refreshStatus', 'command:tokaify.showUsage']) assert.ok(tooltip.includes(link), link);
  });

  it('the tooltip shows today\'s spend next to the balance, with the time it was read, only when given', () => {
    const plain = (t: string) => t.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    const withSpend = plain(statusView({ ...base, last: snapshot(), spentToday: { text: '$0.0042', readAt: Date.UTC(2026, 10, 25, 9, 31, 40) } }).tooltip);
    assert.match(withSpend, /Balance: \*\*\$9\.50\*\* · used \$1\.00\n\nSpent today: \*\*\$0\.0042\*\* \(read 09:31 UTC\)/);
    assert.doesNotMatch(plain(statusView({ ...base, last: snapshot() }).tooltip), /Spent today/);
    // A custom symbol is the gateway's text: escaped, it forms no link.
    const hostile = statusView({ ...base, last: snapshot(), spentToday: { text: '[x](command:y)1', readAt: at } }).tooltip;
    assert.doesNotMatch(hostile, /(?<!\\)\]\(command:y/);
  });

  it('names a used token about to stop working, with a Rotate Key… link carrying only ids', () => {
    const view = statusView({ ...base, last: snapshot(), agentAlerts: [{ agents: 'Codex CLI, Claude Code', token: 'work *bold* [x](command:evil)', what: 'expires in 3 days (2026-12-05)', ref: { accountId: 'a1', tokenId: 12 } }] });
    const line = view.tooltip.split('\n').find((l) => l.includes('used by'));
    assert.ok(line, view.tooltip);
    assert.ok(line.includes('(used by Codex CLI, Claude Code): expires in 3 days (2026-12-05).'), line);
    assert.ok(!line.includes('[x](command:evil)'), 'the token name is escaped');
    assert.ok(line.includes(`[Rotate Key…](command:tokaify.rotateKey?${encodeURIComponent('[{"accountId":"a1","tokenId":12}]')})`), line);
  });

  it('the tooltip names this window\'s workspace profile when one is applied, the token name escaped', () => {
    const plain = (t: string) => t.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    const profile = { token: 'work', host: 'gw.example', models: 'Codex CLI gpt-5.4, Claude Code claude-sonnet-4-5' };
    assert.match(plain(statusView({ ...base, last: snapshot(), workspaceProfile: profile }).tooltip), /This workspace: \*\*work\*\* @ gw\.example \(Codex CLI gpt-5\.4, Claude Code claude-sonnet-4-5\)/);
    assert.doesNotMatch(plain(statusView({ ...base, last: snapshot() }).tooltip), /This workspace/);
    // A token's name is the gateway's text: escaped, it forms no link.
    const hostile = statusView({ ...base, last: snapshot(), workspaceProfile: { ...profile, token: '[x](command:y)' } }).tooltip;
    assert.doesNotMatch(hostile, /(?<!\\)\]\(command:y/);
  });
});
