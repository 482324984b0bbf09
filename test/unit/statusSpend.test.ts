// The status bar's spend reading follows its balance check: nothing while the window is unfocused, read on focus.
import { windowFocus, windowState } from './fakeVscode'; // first: it stands in for `vscode`
import assert from 'node:assert/strict';
import type { AccountMeta } from '../../src/core/accounts';
import { StatusBar, type StatusSpend } from '../../src/vscode/statusBar';

const disposable = { dispose() {} };
const meta = { id: 'a1', baseUrl: 'https://api.example.com', authKind: 'accessToken', flavor: 'new-api', username: 'demo' } as unknown as AccountMeta;
const entry = { snapshot: { remaining: 5_000_000, used: 500_000, unlimited: false, source: 'account', latencyMs: 50, at: Date.now() }, checking: false };
const accounts = { onDidChange: () => disposable, active: () => meta, get: () => meta };
const gateways = { balances: { onDidChange: () => disposable, get: () => entry, refresh: async () => entry } };
const log = { warn() {}, info() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function statusBar(reads: string[]) {
  let tooltip = '';
  const item = { show: (view: { tooltip: string }) => { tooltip = view.tooltip; }, dispose() {}, get text() { return ''; }, get tooltip() { return tooltip; } };
  let read = false;
  const spend: StatusSpend = {
    readToday: async (m) => {
      reads.push(m.id);
      read = true;
    },
    peekToday: () => (read ? { today: { text: '$0.25' }, readAt: Date.UTC(2026, 10, 25, 9, 31) } : undefined),
  };
  const bar = new StatusBar(accounts as never, gateways as never, log as never, item as never);
  return { bar, spend, tooltip: () => tooltip };
}

describe('status bar: today\'s spend is read with the balance, only while focused', () => {
  afterEach(() => {
    windowState.focused = true;
  });

  it('unfocused: handing over the spend and starting sends nothing; focus brings the balance and the spend', async () => {
    windowState.focused = false;
    const reads: string[] = [];
    const { bar, spend, tooltip } = statusBar(reads);
    try {
      bar.setSpend(spend);
      bar.start();
      await sleep(50);
      assert.deepEqual(reads, []);
      assert.equal(bar.requestsStarted, 0);
      windowState.focused = true;
      windowFocus.fire({ focused: true });
      await sleep(50);
      assert.deepEqual(reads, ['a1']);
      assert.match(tooltip().replace(/\\([!-/:-@[-`{-~])/g, '$1'), /Spent today: \*\*\$0\.25\*\* \(read 09:31 UTC\)/);
    } finally {
      bar.dispose();
    }
  });

  it('focused: the spend is read as soon as it is handed over (the balance is already there), and with each check', async () => {
    const reads: string[] = [];
    const { bar, spend } = statusBar(reads);
    try {
      bar.setSpend(spend);
      await sleep(10);
      assert.deepEqual(reads, ['a1']);
      await bar.refreshNow();
      await sleep(10);
      assert.deepEqual(reads, ['a1', 'a1']);
    } finally {
      bar.dispose();
    }
  });
});
