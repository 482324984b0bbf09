/**
 * A hostile gateway (the simulator's `hostile` fault) puts link syntax, `$(icon)` syntax, HTML, bidi
 * overrides, 10,000-character strings and echoes of the caller's credentials into every field the
 * extension shows. These tests walk each surface a person sees (notifications, the tree, the status
 * bar, pickers, the Verify report) and fail if any of it arrives as anything but plain text.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { REPORT_COMMANDS } from '../../src/core/diagnosis/report';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';
import type { TreeNode } from '../../src/vscode/tokenTree';
import { activateExtension, readMarkdown, signOutAll } from './helpers';

/** What VS Code's notification, quick-input and status-bar renderers turn into a link or an icon. */
const LINK = /\[[^\]]*\]\((?:https?:|command:|file:)/i;
const ICON = /\$\([a-z0-9-]+(?:~[a-z]+)?\)/i;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
const LONG = 'W'.repeat(700);
/** Markdown with every escaped character removed: what is left is what could still be syntax. */
const unescaped = (markdown: string) => markdown.replace(/\\[!-/:-@[-`{-~]/g, '');
const text = (value: string | vscode.TreeItemLabel | vscode.MarkdownString | boolean | undefined): string =>
  typeof value === 'string' ? value : value && typeof value === 'object' ? ('label' in value ? value.label : value.value) : '';

describe('A hostile gateway: every surface shows server text as plain text', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  const secrets = () => [DEMO.accessToken, ...gw.state.tokens.map((t) => t.key)];

  function assertPlain(surface: string, value: string | undefined): void {
    if (!value) return;
    assert.doesNotMatch(value, LINK, `${surface} has a link: ${value.slice(0, 300)}`);
    assert.doesNotMatch(value, ICON, `${surface} has icon syntax: ${value.slice(0, 300)}`);
    assert.doesNotMatch(value, BIDI, `${surface} has a bidi control: ${value.slice(0, 300)}`);
    assert.doesNotMatch(value, CONTROL, `${surface} has a control character`);
    assert.ok(!value.includes(LONG), `${surface} is not capped`);
    for (const secret of secrets()) assert.ok(!value.includes(secret), `${surface} shows a secret`);
  }

  /** Our own Markdown templates use no brackets, angle brackets or `$(`; anything left unescaped came from the server. */
  function assertMarkdown(surface: string, value: vscode.MarkdownString | string | undefined, allowedLinks: string[] = []): void {
    if (value === undefined) return;
    const md = typeof value === 'string' ? value : value.value;
    if (typeof value !== 'string') {
      assert.notEqual(value.supportHtml, true, `${surface} renders HTML`);
      const trusted = value.isTrusted;
      if (trusted === true) assert.fail(`${surface} trusts every command`);
      if (typeof trusted === 'object') for (const c of trusted.enabledCommands) assert.ok(allowedLinks.includes(`command:${c}`), `${surface} trusts ${c}`);
    }
    // Our own links, [label](command:…), are the only Markdown links allowed.
    let rest = md;
    for (const link of allowedLinks) rest = rest.replace(new RegExp(`\\[[\\w ]+\\]\\(${link.replace(/[.]/g, '\\.')}\\)`, 'g'), '');
    rest = unescaped(rest).replace(/^\$\(warning\) /gm, ''); // the status tooltip's own icon
    assert.doesNotMatch(rest, /[[\]<>]|\]\(|\$\(/, `${surface} has unescaped Markdown: ${rest.slice(0, 300)}`);
    assert.doesNotMatch(md, BIDI, `${surface} has a bidi control`);
    assert.ok(!md.includes(LONG), `${surface} is not capped`);
    for (const secret of secrets()) assert.ok(!md.includes(secret), `${surface} shows a secret`);
  }

  const lastNotification = () => api.internal.notifications().at(-1);
  async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const value = probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  /** Runs a command the way the palette does, reads the picker it offers, and closes it. */
  async function pickerOf(title: string, command: string, ...args: unknown[]) {
    const before = api.internal.picks().length;
    const running = vscode.commands.executeCommand(command, ...args);
    const shown = await waitFor(() => api.internal.picks().slice(before).find((p) => p.title === title), `the "${title}" picker`);
    await new Promise((r) => setTimeout(r, 200)); // let it open before closing it
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await running;
    return shown;
  }

  before(async () => {
    api = await activateExtension();
    await signOutAll(api);
    gw = await startGateway({ flavor: 'new-api' });
    gw.faults.hostile = true;
  });
  after(async () => {
    await signOutAll(api);
    await gw.close();
  });
  beforeEach(() => {
    gw.faults.hostile = true;
    delete gw.faults.serverErrors;
  });

  it('signing in: "Signed in … as Eve [Sign in again](command:…)" shows the name as text, with no link', async () => {
    const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    accountId = outcome.accountId;
    const shown = lastNotification()!;
    assert.match(shown.message, /^Signed in to .* as Eve \[Sign in again\]/);
    assertPlain('the sign-in notification', shown.message);
  });

  it('the tree: every label, description and tooltip', async () => {
    await api.gateways.tokens(api.accounts.get(accountId)!).refresh();
    const items: [string, vscode.TreeItem][] = [];
    const walk = async (node?: TreeNode) => {
      for (const child of await api.tree.getChildren(node)) {
        const item = api.tree.getTreeItem(child);
        items.push([text(item.label), item]);
        await walk(child);
      }
    };
    await walk();
    // Not vacuous: the hostile names are there, as text.
    assert.ok(items.some(([label]) => label.startsWith('Eve [Sign in again]')), 'the account row shows the hostile name');
    assert.ok(items.some(([label]) => label.replace(/\u200B/g, '') === '$(add) Create a new token…'), 'the icon-named token is listed');
    assert.ok(items.length >= 8, `only ${items.length} rows`);
    for (const [label, item] of items) {
      assertPlain(`tree label "${label}"`, label);
      assertPlain(`description of "${label}"`, text(item.description));
      if (item.tooltip instanceof vscode.MarkdownString) assertMarkdown(`tooltip of "${label}"`, item.tooltip);
      else assertPlain(`tooltip of "${label}"`, text(item.tooltip));
    }
  });

  it('the status bar: text and tooltip, with the hostile currency symbol and a hostile error', async () => {
    const allowed = ['command:tokaify.verify', 'command:tokaify.switchGateway', 'command:tokaify.openConsole', 'command:tokaify.refreshStatus', 'command:tokaify.showUsage'];
    api.gateways.refreshAll(); // re-read /api/status: the hostile currency symbol
    await api.statusBar.refreshNow();
    assert.match(api.statusBar.text, /Tokaify: /);
    assertPlain('status-bar text', api.statusBar.text.replace(/^\$\([a-z-~]+\) /, ''));
    assertMarkdown('status-bar tooltip', api.statusBar.tooltip, allowed);
    // The gateway forgets the access token: its 401 message carries the attack and echoes the token.
    const user = gw.state.users[0]!;
    user.access_token = 'rotated-elsewhere';
    try {
      await api.statusBar.refreshNow();
    } finally {
      user.access_token = DEMO.accessToken;
    }
    assert.match(readMarkdown(api.statusBar.tooltip), /refused \[Sign in again\]/);
    assert.match(readMarkdown(api.statusBar.tooltip), /credential «redacted»/);
    assertMarkdown('status-bar tooltip after an error', api.statusBar.tooltip, allowed);
  });

  it('pickers: the token picker, the Configure token and model pickers', async () => {
    const tokens = await pickerOf('Copy Key', 'tokaify.copyKey');
    const configureTokens = await pickerOf('Configure: token', 'tokaify.configureCodex');
    const demo = gw.state.tokens.find((t) => t.name === 'demo')!;
    const models = await pickerOf('Configure: model', 'tokaify.configureCodex', { accountId, tokenId: demo.id });
    for (const [name, pick] of [['Copy Key', tokens], ['Configure: token', configureTokens], ['Configure: model', models]] as const) {
      assert.ok(pick.items.length >= 5, `${name} offered ${pick.items.length} items`);
      for (const item of pick.items) {
        if (item.label === '$(add) Create a new token…') continue; // our own item, the only one with an icon
        assertPlain(`${name} label`, item.label);
        assertPlain(`${name} description`, item.description);
        assertPlain(`${name} detail`, item.detail);
      }
    }
    // The token named like our menu item cannot pass for it.
    assert.equal(configureTokens.items.filter((i) => i.label === '$(add) Create a new token…').length, 1);
    assert.ok(models.items.some((i) => i.label.startsWith('gpt-4o [Sign in again]')), 'the hostile model ids are listed, as text');
  });

  it('error notifications: the server\'s message, glossed and plain, never its echo of the credential', async () => {
    const expired = gw.state.tokens.find((t) => t.name === 'demo-expired')!;
    await vscode.commands.executeCommand('tokaify.enableToken', { accountId, tokenId: expired.id });
    const shown = await waitFor(() => api.internal.notifications().slice(-3).find((n) => n.kind === 'error' && n.message.startsWith('Could not enable')), 'the error');
    assert.match(shown.message, /refused/);
    assertPlain('the error notification', shown.message);
    for (const line of api.log.recentLines()) for (const secret of secrets()) assert.ok(!line.includes(secret), 'the log shows a secret');
  });

  it('the Verify report', async () => {
    const demo = gw.state.tokens.find((t) => t.name === 'demo')!;
    await vscode.commands.executeCommand('tokaify.verify', { accountId, tokenId: demo.id, show: false });
    const html = api.verifier.lastHtml;
    assert.ok(html.length > 500);
    assert.doesNotMatch(html, /<img|onerror|<b>|<script/i);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.ok(REPORT_COMMANDS.includes(/^command:([\w.]+)/.exec(href!)?.[1] ?? ''), href);
    assert.doesNotMatch(html, BIDI);
    assert.ok(!html.includes(LONG));
    for (const secret of secrets()) assert.ok(!html.includes(secret), 'the report shows a secret');
  });

  it('a command link cannot sign in with credentials or skip the plain-http warning', async () => {
    const before = api.accounts.list().length;
    const picked = await pickerOf('Add Gateway', 'tokaify.addGateway', {
      baseUrl: 'http://198.51.100.7:3000', method: 'accessToken', userId: 1, accessToken: 'attacker', allowInsecure: true,
    });
    // It starts from the first question, exactly as from the palette.
    assert.ok(picked.items.some((i) => i.label === 'Tokaify'));
    assert.equal(api.accounts.list().length, before);
    assert.ok(!api.accounts.list().some((a) => a.baseUrl.includes('198.51.100.7')));
  });

  it('a command link cannot delete, sign out or write agent files without the confirmation', async () => {
    const demo = gw.state.tokens.find((t) => t.name === 'demo')!;
    const shownBefore = api.internal.notifications().length;
    // Not awaited: each waits for an answer no one gives (the modal stays until the workbench closes).
    void vscode.commands.executeCommand('tokaify.deleteToken', { accountId, tokenId: demo.id }, undefined, { confirm: false });
    void vscode.commands.executeCommand('tokaify.signOut', accountId, { confirm: false });
    const modals = await waitFor(() => {
      const shown = api.internal.notifications().slice(shownBefore).filter((n) => n.modal);
      return shown.length >= 2 ? shown : undefined;
    }, 'two confirmations');
    assert.ok(modals.some((m) => m.message === 'Delete the token "demo"?'), 'Delete asked first');
    assert.ok(modals.some((m) => m.message.startsWith('Sign out of Eve')), 'Sign Out asked first');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(gw.state.tokens.some((t) => t.id === demo.id), 'the token still exists');
    assert.ok(api.accounts.get(accountId), 'still signed in');
  });
});
