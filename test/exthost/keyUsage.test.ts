// Which agent uses which token, read from the agents' files in a temporary home: the tree's "used by",
// the flag on a used token about to expire (in the tree and the status bar's tooltip), and the row for
// an agent sending the gateway a key it does not know.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, type RunningGateway } from '../../src/simulator';
import { endSuite, readMarkdown, signedInSuite, TempAgentHome } from './helpers';

describe('Key usage: the agents that use each token, from their files', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  const token = (name: string) => gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === name)!;
  const rowsOfAccount = async () => {
    await api.gateways.tokens(api.accounts.get(accountId)!).refresh();
    await api.keyUsage.refresh();
    const account = (await api.tree.getChildren()).find((n) => n.kind === 'account' && n.meta.id === accountId)!;
    return (await api.tree.getChildren(account)).map((node) => ({ node, item: api.tree.getTreeItem(node) }));
  };
  const rowNamed = async (label: string) => (await rowsOfAccount()).find((r) => r.item.label === label);

  before(async () => ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'keyusage')));
  after(() => endSuite({ api, gw, home }));

  it('a token whose key an agent sends and that expires in 3 days is flagged in the tree and in the status tooltip', async () => {
    const demo = token('demo');
    const outcome = await api.internal.configure(['codex'], { accountId, tokenId: demo.id, model: 'gpt-5.4' }, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const before = await rowNamed('demo');
    assert.match(String(before?.item.description), /used by Codex CLI/);
    assert.doesNotMatch(String(before?.item.description), /⚠/, 'not flagged while it never expires');
    const inThreeDays = Math.floor(Date.now() / 1000) + 3 * 86_400 - 600;
    assert.ok(await api.internal.editToken({ accountId, tokenId: demo.id }, { expiredTime: inThreeDays }));
    const after = await rowNamed('demo');
    assert.match(String(after?.item.description), /^⚠ expires in 3 days \(\d{4}-\d\d-\d\d\) · /);
    assert.equal(after?.item.contextValue, 'token.enabled.alert', 'Rotate Key… is offered inline');
    assert.match(readMarkdown(api.statusBar.tooltip), /"demo" \(used by Codex CLI\): expires in 3 days/);
    assert.match(api.statusBar.tooltip, /command:tokaify\.rotateKey\?/);
    // An unused token with the same expiry is not flagged: the flag is about agents that would break.
    const other = (await rowsOfAccount()).find((r) => r.node.kind === 'token' && r.node.token.id !== demo.id);
    assert.doesNotMatch(String(other?.item.description), /⚠/);
  });

  it('an agent sending this gateway a key no token has gets a row with Configure as the fix', async () => {
    mkdirSync(home.file('claude'), { recursive: true });
    writeFileSync(home.file('claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_AUTH_TOKEN: 'sk-test-unknown0000000000000000000000000000000000001' } }));
    const row = await rowNamed('Claude Code uses a key this gateway does not know');
    assert.ok(row, 'the row is shown');
    assert.match(String(row.item.description), /sk-…0001 · click to configure/);
    assert.equal(row.item.command?.command, 'tokaify.configureClaudeCode');
    assert.deepEqual(row.item.command?.arguments, [{ accountId }]);
  });
});
