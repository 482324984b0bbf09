// Spend in the tooltips (issue 14) against the simulator: after a relay request as Test It sends it, hovering a
// token row shows its spend today and in the last 7 days as the gateway holds them, a second hover reads the cache,
// the status tooltip shows the account's spend today next to the balance, and an unfocused window asks nothing.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { periodRange } from '../../src/core/usage/calendar';
import { spendText } from '../../src/core/usage/amount';
import { StatusBar } from '../../src/vscode/statusBar';
import { DEMO, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';
import { endSuite, readMarkdown, signedInSuite } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(probe: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !probe();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const spendRoutes = (gw: RunningGateway, from: number) => gw.requests.slice(from).filter((r) => r.path.startsWith('/api/log/')).map((r) => r.path);

/** The demo user's consumption since the start of `period` (local days), optionally of one token, as the gateway holds it. */
function consumed(gw: RunningGateway, period: 'today' | '7d', tokenName?: string): number {
  const start = periodRange(period, Date.now(), '').start / 1000;
  return gw.state.logs
    .filter((l) => l.type === 2 && l.user_id === DEMO.userId && l.created_at >= start && (tokenName === undefined || l.token_name === tokenName))
    .reduce((sum, l) => sum + l.quota, 0);
}

describe('Spend in the token and status tooltips', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;

  before(async () => {
    // One chat completion with the demo key, as Test It sends it, before the sign-in's check reads today.
    ({ api, gw, accountId } = await signedInSuite({ flavor: 'new-api', usageHistory: { days: 10, rows: 200 } }, undefined, async (gateway) => {
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST', headers: { Authorization: `Bearer ${DEMO.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.text();
      assert.equal(res.status, 200);
    }));
    // The sign-in's balance check reads today's spend too: let it land before counting requests.
    await until(() => readMarkdown(api.statusBar.tooltip).includes('Spent today:'), 'the sign-in\'s spend reading');
  });
  after(async () => {
    await endSuite({ api, gw });
  });

  const demoRow = async () => {
    const meta = api.accounts.get(accountId)!;
    await api.gateways.tokens(meta).ensureLoaded();
    const account = (await api.tree.getChildren()).find((n) => n.kind === 'account' && n.meta.id === accountId)!;
    const node = (await api.tree.getChildren(account)).find((n) => n.kind === 'token' && n.token.name === 'demo')!;
    assert.ok(node, 'the demo token is listed');
    return node;
  };
  const hover = async (node: Awaited<ReturnType<typeof demoRow>>) => {
    const item = await api.tree.resolveTreeItem(api.tree.getTreeItem(node), node, new vscode.CancellationTokenSource().token);
    return readMarkdown((item.tooltip as vscode.MarkdownString).value);
  };

  it('hovering a token shows its spend today and in the last 7 days, the gateway\'s figures, then reads the cache', async () => {
    const node = await demoRow();
    const display = await api.gateways.quotaDisplay(api.accounts.get(accountId)!);
    const today = consumed(gw, 'today', 'demo');
    assert.ok(today > 0, 'the request just sent cost something');
    const before = gw.requests.length;
    const tooltip = await hover(node);
    const expected = `Spent today: ${spendText(today, display)} · last 7 days: ${spendText(consumed(gw, '7d', 'demo'), display)} (read `;
    assert.ok(tooltip.includes(expected), `${expected} in ${tooltip}`);
    assert.match(tooltip, /\(read \d\d:\d\d UTC\)$/);
    // Today and the last 7 days: two stat requests (recorded once answered).
    await until(() => spendRoutes(gw, before).length >= 2, 'the two stat requests');
    assert.deepEqual(spendRoutes(gw, before), ['/api/log/self/stat', '/api/log/self/stat']);
    const again = gw.requests.length;
    assert.ok((await hover(node)).includes(expected));
    await sleep(200);
    assert.deepEqual(spendRoutes(gw, again), [], 'a fresh reading is reused: no request');
  });

  it('the status tooltip shows the account\'s spend today next to the balance', async () => {
    const display = await api.gateways.quotaDisplay(api.accounts.get(accountId)!);
    const expected = `Spent today: **${spendText(consumed(gw, 'today'), display)}** (read `;
    await api.statusBar.refreshNow();
    await until(() => readMarkdown(api.statusBar.tooltip).includes(expected), `"${expected}" in the status tooltip`);
    assert.match(readMarkdown(api.statusBar.tooltip), /Balance: \*\*[^*]+\*\* · used [^\n]+\n\nSpent today: /);
  });

  it('while the window is unfocused a status bar given the spend sends nothing', async function () {
    if (vscode.window.state.focused) this.skip(); // only an unfocused host can show it; RefreshScheduler's unit tests cover the timer
    const before = gw.requests.length;
    const bar = new StatusBar(api.accounts, api.gateways, api.log);
    try {
      bar.setSpend(api.spend);
      bar.start();
      await sleep(500);
      assert.deepEqual(spendRoutes(gw, before), []);
      assert.equal(bar.requestsStarted, 0);
    } finally {
      bar.dispose();
    }
  });
});
