/**
 * One truth in every view: the status bar and the tree show the same balance in the same unit, a
 * refresh or an action keeps what was loaded, a gateway's sign-out is said once, pickers reach every
 * token, and failures say what to do next.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';
import type { TreeNode } from '../../src/vscode/tokenTree';
import { endSuite, readTree, signedInSuite, signInWithAccessToken, signOutAll } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; ;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('One balance, one wording, every loaded row kept', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  const list = () => api.gateways.tokens(api.accounts.get(accountId)!);
  const balanceRow = async () => (await readTree(api))[0]!.children[0]!;

  before(async () => {
    ({ api, gw, accountId } = await signedInSuite({ flavor: 'new-api', seedTokens: 250 }));
    await api.statusBar.refreshNow();
  });
  after(() => endSuite({ api, gw }));
  afterEach(() => {
    gw.state.displayType = 'USD';
    gw.state.users[0]!.access_token = DEMO.accessToken;
  });

  it('the gateway switches its display unit: the view\'s Refresh updates the tree and the status bar together', async () => {
    assert.equal((await balanceRow()).label, 'Balance $10.00');
    assert.match(api.statusBar.text, /Tokaify: \$10\.00$/);
    gw.state.displayType = 'CNY';
    await vscode.commands.executeCommand('tokaify.refresh');
    await until(() => /¥73\.00/.test(api.statusBar.text), 'the status bar in CNY');
    assert.equal((await balanceRow()).label, 'Balance ¥73.00');
  });

  it('a balance the status bar reads redraws the tree\'s balance row at once (same value, same read)', async () => {
    const redrawn: (TreeNode | undefined)[] = [];
    const subscription = api.tree.onDidChangeTreeData((node) => redrawn.push(node ?? undefined));
    try {
      const before = api.statusBar.text;
      gw.state.users[0]!.quota -= 500_000;
      await api.statusBar.refreshNow();
      assert.ok(redrawn.length > 0, 'the tree was told to redraw');
      assert.notEqual(api.statusBar.text, before);
      const shown = /Tokaify: (\S+)$/.exec(api.statusBar.text)![1];
      assert.equal((await balanceRow()).label, `Balance ${shown}`);
      const entry = api.gateways.balances.get(accountId)!;
      assert.equal(entry.snapshot?.remaining, gw.state.users[0]!.quota);
    } finally {
      subscription.dispose();
      gw.state.users[0]!.quota += 500_000;
    }
  });

  it('a gateway that forgot the sign-in: "Signed out by the gateway" once, not twice', async () => {
    // A password session the gateway forgets (a restart with a new SESSION_SECRET): every console call is 401.
    await signOutAll(api);
    const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: DEMO.password });
    assert.ok(outcome.ok);
    accountId = outcome.accountId;
    await list().refresh();
    gw.state.expireSessions();
    await vscode.commands.executeCommand('tokaify.refresh');
    await until(() => list().state.errorKind === 'unauthorized' && !list().state.loading, 'the list to fail');
    await until(() => api.gateways.balances.get(accountId)?.error?.kind === 'unauthorized', 'the balance to fail');
    const rows = (await readTree(api))[0]!.children.filter((c) => c.label === 'Signed out by the gateway: sign in again');
    assert.equal(rows.length, 1);
    await signOutAll(api);
    accountId = await signInWithAccessToken(gw.url);
  });

  it('Refresh and Disable keep every page that was loaded, and the selected row', async () => {
    await list().refresh();
    await list().loadMore();
    await list().loadMore();
    const all = gw.state.tokensOf(DEMO.userId).length;
    assert.equal(list().state.tokens.length, all);
    const account = (await api.tree.getChildren()).find((n) => n.kind === 'account')!;
    const target = (await api.tree.getChildren(account)).find((n) => n.kind === 'token' && n.token.name === 'token-00003')!;
    await api.treeView.reveal(target, { select: true, focus: false });
    await until(() => api.treeView.selection.length > 0, 'the row to be selected');

    await vscode.commands.executeCommand('tokaify.refresh');
    await until(() => !list().state.loading && list().state.tokens.length === all, 'the refresh');
    assert.equal(list().state.hasMore, false, 'no "Load more…" to click again');

    const victim = list().state.tokens.find((t) => t.name === 'token-00010')!;
    assert.equal(await vscode.commands.executeCommand('tokaify.disableToken', { accountId, tokenId: victim.id }), 1);
    await until(() => !list().state.loading && list().state.tokens.length === all, 'the refresh after Disable');
    assert.equal(list().find(victim.id)?.status, 'disabled');
    const selected = await until(() => api.treeView.selection[0], 'the selection after the refresh');
    assert.ok(selected.kind === 'token' && selected.token.name === 'token-00003', `selection: ${JSON.stringify(selected.kind)}`);
  });

  it('a failure says what happened and what to do next, with the gateway\'s words glossed, and no route', async () => {
    const expired = gw.state.tokens.find((t) => t.name === 'demo-expired')!;
    await vscode.commands.executeCommand('tokaify.enableToken', { accountId, tokenId: expired.id });
    const shown = await until(() => api.internal.notifications().slice(-3).find((n) => n.message.startsWith('Could not enable "demo-expired"')), 'the error');
    assert.match(shown.message, /the token has expired\. Set a later expiry \(or Never\) in Edit Token, then enable it\./);
    assert.match(shown.message, /The gateway said: "Token has expired and cannot be enabled/);
    assert.doesNotMatch(shown.message, /\/api\/|PUT /);
    assert.deepEqual(shown.actions, ['Edit Token']);
  });
});

describe('Pickers reach every token (one-api: 10 a page)', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;

  before(async () => {
    ({ api, gw, accountId } = await signedInSuite({ flavor: 'one-api', seedTokens: 40 }));
    await api.gateways.tokens(api.accounts.get(accountId)!).refresh();
  });
  after(() => endSuite({ api, gw }));

  async function openPicker(command: string, title: string) {
    const running = vscode.commands.executeCommand(command);
    const qp = await until(() => {
      const open = api.internal.quickPick();
      return open?.title === title && !open.busy && open.items.length ? open : undefined;
    }, `the "${title}" picker`);
    await sleep(300); // shown, and focused, before a test types or accepts
    return { qp, running };
  }
  const labels = (qp: vscode.QuickPick<vscode.QuickPickItem>) => qp.items.map((i) => i.label);

  it('Copy Key: typing searches the gateway and picks a token far past the first page', async () => {
    const far = gw.state.tokens.find((t) => t.name === 'token-00005')!;
    const { qp, running } = await openPicker('tokaify.copyKey', 'Copy Key');
    assert.ok(!labels(qp).includes('token-00005'), 'not on the first page');
    qp.value = 'token-00005';
    const item = await until(() => qp.items.find((i) => i.label === 'token-00005'), 'the search result');
    qp.activeItems = [item];
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await running, true);
    assert.equal(await vscode.env.clipboard.readText(), `sk-${far.key}`);
  });

  it('"Load more…" in the picker brings the next page without closing it', async () => {
    const { qp, running } = await openPicker('tokaify.copyKey', 'Copy Key');
    const before = qp.items.filter((i) => /^token-/.test(i.label)).length;
    const more = qp.items.find((i) => i.label.includes('Load more'))!;
    assert.ok(more, labels(qp).join(', '));
    qp.value = 'Load more'; // as a person narrows the list to the row, then presses Enter
    await until(() => qp.activeItems[0]?.label.includes('Load more'), 'the row to be active');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const tokens = api.gateways.tokens(api.accounts.get(accountId)!);
    await until(() => qp.items.filter((i) => /^token-/.test(i.label)).length >= before + 10, 'the next page in the picker').catch((error: Error) => {
      throw new Error(`${error.message}: ${before} before; items ${labels(qp).join(', ')}; list ${tokens.state.tokens.length} loaded, more ${tokens.state.hasMore}, selected ${qp.selectedItems.map((i) => i.label)}`);
    });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await running, false);
  });

  it('Enable offers only the tokens it can enable, under a title naming the action', async () => {
    const { qp, running } = await openPicker('tokaify.enableToken', 'Enable Tokens');
    const names = labels(qp).filter((l) => !l.includes('Load more'));
    assert.ok(names.length > 0);
    for (const name of names) assert.notEqual(gw.state.tokens.find((t) => t.name === name)?.status, 1, `${name} is already enabled`);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await running, 0);
  });
});
