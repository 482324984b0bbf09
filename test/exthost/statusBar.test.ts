// The status bar against the simulator: each connectivity state set up for real, and the refresh policy.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HttpClient } from '../../src/core/http';
import { accountStateKey } from '../../src/core/accountKeys';
import type { TokaifyApi } from '../../src/vscode/extension';
import { Gateways } from '../../src/vscode/gateways';
import { StatusBar } from '../../src/vscode/statusBar';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import { activateExtension, readMarkdown, signOutAll } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(probe: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !probe();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}


describe('Status bar: balance and connectivity', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  const signIn = async (extra: Record<string, unknown> = {}) => {
    const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken, ...extra });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    return outcome.accountId;
  };
  const refreshed = async () => {
    await api.statusBar.refreshNow();
    await api.statusBar.spendRead; // today's spend follows the balance: landed before a test counts requests
    return api.statusBar.text;
  };

  before(async () => {
    api = await activateExtension();
    await signOutAll(api);
    gw = await startGateway({ flavor: 'new-api' });
  });
  after(async () => {
    await signOutAll(api);
    await gw.close();
  });
  beforeEach(() => {
    gw.resetFaults();
    gw.state.users[0]!.quota = 5_000_000;
  });

  it('signed out: offers to sign in', async () => {
    await signOutAll(api);
    assert.equal(api.statusBar.text, '$(plug) Tokaify: Sign in');
  });

  it('signed in: the balance in the gateway\'s unit, with account, used and latency in the tooltip', async () => {
    await signIn();
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
    assert.match(readMarkdown(api.statusBar.tooltip), /Balance: \*\*\$10\.00\*\* · used \$1\.00/);
    assert.match(readMarkdown(api.statusBar.tooltip), /Last good check: .* UTC, \d+ ms/);
  });

  it('slow: over 1.5 s is marked slow', async () => {
    gw.faults.latencyMs = 1600;
    assert.equal(await refreshed(), '$(watch) Tokaify: $10.00 · slow');
  });

  it('a failed refresh keeps the last balance, marked stale', async () => {
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
    gw.faults.serverErrors = 10;
    assert.equal(await refreshed(), '$(warning) Tokaify: $10.00 (stale) · gateway error');
  });

  it('out of credit', async () => {
    gw.state.users[0]!.quota = 0;
    assert.equal(await refreshed(), '$(alert) Tokaify: $0.00 · no credit');
  });

  it('auth failed after the gateway forgets the session, and no more polling until the user acts', async () => {
    await signOutAll(api);
    gw.resetRateLimits();
    const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: DEMO.password });
    assert.ok(outcome.ok);
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
    gw.state.expireSessions();
    assert.match(await refreshed(), /^\$\(error\) Tokaify: \$10\.00 \(stale\) · sign-in failed$/);
    assert.match(readMarkdown(api.statusBar.tooltip), /Not checking again until you sign in again/);
  });

  it('offline: a gateway that went away', async () => {
    const gone = await startGateway({ flavor: 'new-api' });
    await signOutAll(api);
    const outcome = await api.internal.addGateway({ baseUrl: gone.url, method: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    assert.ok(outcome.ok);
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
    await gone.close();
    assert.match(await refreshed(), /^\$\(debug-disconnect\) Tokaify: \$10\.00 \(stale\) · offline$/);
    await signOutAll(api);
  });

  it('a returning user: the last balance shows before any request, then one request (/api/user/self) confirms it', async () => {
    await signOutAll(api);
    await signIn();
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00'); // stored in globalState by the real stores
    gw.state.users[0]!.quota = 4_000_000;
    const before = gw.requests.length;
    // The next session starts once this one's writes have settled: globalState itself (not our write-through
    // copy) can briefly hold the echo of an earlier sign-out's delete.
    const stored = accountStateKey(api.accounts.active()!.id, 'lastBalance');
    await until(() => api.globalState.get(stored) !== undefined, 'the balance stored in globalState');
    // The next session, as activate() builds it: new Gateways and StatusBar over the same globalState.
    const gateways = new Gateways(api.accounts, { client: new HttpClient() }, api.globalState);
    const bar = new StatusBar(api.accounts, gateways, api.log);
    try {
      assert.equal(bar.text, '$(pass) Tokaify: $10.00', 'the stored balance, from the first frame');
      assert.match(readMarkdown(bar.tooltip), /Last good check: \d\d:\d\d:\d\d UTC \((just now|\d+ min ago)\)/);
      assert.doesNotMatch(bar.text, /stale|error|sign-in failed/);
      assert.equal(gw.requests.length, before, 'no request has reached the gateway yet');
      bar.start();
      // An unfocused test window holds the scheduler's timer until focus: then the Refresh link's path stands in.
      if (!vscode.window.state.focused) void bar.refreshNow();
      await until(() => bar.text === '$(pass) Tokaify: $8.00' && gw.requests.length > before, 'the fresh balance');
      assert.deepEqual(gw.requests.slice(before).map((r) => `${r.method} ${r.path}`), ['GET /api/user/self']);
      assert.doesNotMatch(readMarkdown(bar.tooltip), /ago/, 'confirmed: no longer marked with its age');
    } finally {
      bar.dispose();
    }
  });

  it('a key-only account shows the key\'s own quota', async () => {
    await signOutAll(api);
    const limited = gw.state.tokens.find((t) => t.name === 'demo-limited')!;
    await signIn({ method: 'key', apiKey: `sk-${limited.key}` });
    assert.equal(await refreshed(), '$(pass) Tokaify: $0.50');
    assert.match(readMarkdown(api.statusBar.tooltip), /Key quota: \*\*\$0\.50\*\*/);
  });
});
