// The glue's own strings in Chinese: the Token Management tree (its empty states included), the
// status bar's account name and a notification with its button, through the zh-CN bundle. English is
// checked alongside, so a missing translation (l10n.t falls back to the English key) fails here.
import { executedCommands, shownMessages } from './fakeVscode'; // first: it stands in for `vscode`
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AccountMeta } from '../../src/core/accounts';
import type { AccountBalance } from '../../src/core/balanceStore';
import { useLanguage } from '../../src/core/locale';
import { quotaDisplayOf } from '../../src/core/quota';
import { statusAccount } from '../../src/vscode/statusItem';
import { TokenTreeProvider, type TreeNode } from '../../src/vscode/tokenTree';
import { Verifier, type VerifyDeps } from '../../src/vscode/verify';

const ROOT = path.resolve(__dirname, '../../..');
const noEvent = () => ({ dispose() {} });

const keyOnly: AccountMeta = { id: 'k1', baseUrl: 'https://gw.example', authKind: 'key', flavor: 'new-api', keyTail: 'abcd', addedAt: 1 };
const consoleAccount: AccountMeta = { id: 'c1', baseUrl: 'https://gw.example', authKind: 'accessToken', flavor: 'new-api', userId: 7, addedAt: 1 };

/** A tree over stub stores: `meta` is the only, active account; its token list is empty. */
function treeFor(meta: AccountMeta): TokenTreeProvider {
  const balance: AccountBalance = {
    snapshot: { remaining: 5_000_000, used: 500_000, unlimited: false, source: 'account', latencyMs: 42, at: Date.UTC(2026, 0, 2, 10, 32, 5), group: 'vip' },
    display: quotaDisplayOf(undefined), checking: false,
  };
  const accounts = { onDidChange: noEvent, list: () => [meta], active: () => meta };
  const gateways = {
    onDidChangeTokens: noEvent,
    balances: { onDidChange: noEvent, ensure: async () => balance },
    quotaDisplay: async () => quotaDisplayOf(undefined),
    tokens: () => ({ ensureLoaded: async () => undefined, state: { loaded: true, tokens: [], hasMore: false } }),
  };
  return new TokenTreeProvider(accounts as never, gateways as never, { warn() {} } as never);
}

async function rows(meta: AccountMeta) {
  const tree = treeFor(meta);
  const [account] = await tree.getChildren();
  const children = await tree.getChildren(account);
  const text = (node: TreeNode) => {
    const item = tree.getTreeItem(node);
    return { label: String(item.label), description: item.description };
  };
  return { account: text(account!), children: children.map(text), tree };
}

async function verifyWithoutAccount(): Promise<void> {
  const deps = { accounts: { get: () => undefined, active: () => undefined } } as unknown as VerifyDeps;
  await new Verifier(deps).verify();
}

describe('the glue in zh-CN', () => {
  before(() => useLanguage('zh-cn', JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'))));
  after(() => useLanguage('en'));

  it('the tree names a key-only account and says what to do to manage its tokens', async () => {
    const { account, children } = await rows(keyOnly);
    assert.equal(account.label, 'API 密钥 …abcd');
    assert.equal(account.description, 'gw.example · 当前');
    assert.deepEqual(children, [{ label: '管理令牌需要登录控制台', description: '点击登录' }]);
  });

  it('the balance row and the empty token list, with the step to take', async () => {
    const { account, children } = await rows(consoleAccount);
    assert.equal(account.label, '用户 7');
    assert.match(children[0]!.label, /^余额 \S+$/);
    assert.match(String(children[0]!.description), /^已用 \S+ · 分组 vip$/);
    assert.deepEqual(children[1], { label: '还没有令牌：创建一个', description: '点击创建令牌' });
  });

  it('"Load more…" counts in the user\'s locale', async () => {
    const { tree } = await rows(consoleAccount);
    const item = tree.getTreeItem({ kind: 'loadMore', meta: consoleAccount, loaded: 1200, total: 4500 });
    assert.equal(item.label, '加载更多...');
    assert.equal(item.description, '1,200 / 4,500');
  });

  it('the status bar names a key-only account in Chinese', () => {
    assert.equal(statusAccount(keyOnly).label, '密钥 …abcd');
  });

  it('Verify without a gateway says so in Chinese, with a button that adds one', async () => {
    shownMessages.length = 0;
    executedCommands.length = 0;
    await verifyWithoutAccount();
    assert.deepEqual(shownMessages, [{ kind: 'warning', message: 'Tokaify：尚未连接网关。请先添加网关，再验证配置。', actions: ['添加网关'] }]);
  });
});

describe('the glue in English (unchanged)', () => {
  it('the same rows and notification read as before', async () => {
    const keyRows = await rows(keyOnly);
    assert.equal(keyRows.account.label, 'API key …abcd');
    assert.deepEqual(keyRows.children, [{ label: 'Token management needs a console sign-in', description: 'click to sign in' }]);
    const consoleRows = await rows(consoleAccount);
    assert.equal(consoleRows.children[1]!.label, 'No tokens yet: create one');
    shownMessages.length = 0;
    await verifyWithoutAccount();
    assert.deepEqual(shownMessages[0]?.actions, ['Add Gateway']);
  });
});
