// The status bar against the simulator: each connectivity state set up for real, and the refresh policy.
import assert from 'node:assert/strict';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import { activateExtension, readMarkdown, signOutAll } from './helpers';


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

  it('a key-only account shows the key\'s own quota', async () => {
    await signOutAll(api);
    const limited = gw.state.tokens.find((t) => t.name === 'demo-limited')!;
    await signIn({ method: 'key', apiKey: `sk-${limited.key}` });
    assert.equal(await refreshed(), '$(pass) Tokaify: $0.50');
    assert.match(readMarkdown(api.statusBar.tooltip), /Key quota: \*\*\$0\.50\*\*/);
  });
});
