import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO, type Flavor, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';
import type { TreeNode } from '../../src/vscode/tokenTree';
import { endSuite, signedInSuite, signOutAll } from './helpers';

type ServerToken = RunningGateway['state']['tokens'][number];
const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

for (const flavor of ['new-api', 'new-api-legacy', 'one-api'] as Flavor[]) {
  describe(`Token Management on ${flavor}`, () => {
    let api: TokaifyApi;
    let gw: RunningGateway;
    let accountId: string;

    const serverToken = (name: string): ServerToken | undefined => gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === name);
    const rows = async () => {
      const account = (await api.tree.getChildren()).find((n) => n.kind === 'account')!;
      return (await api.tree.getChildren(account)).map((node) => ({ node, item: api.tree.getTreeItem(node) }));
    };
    const row = async (name: string) => (await rows()).find((r) => r.node.kind === 'token' && label(r.item) === name);
    const ref = (t: { id: number }) => ({ accountId, tokenId: t.id });
    const loaded = () => api.gateways.tokens(api.accounts.get(accountId)!).refresh();

    before(async () => ({ api, gw, accountId } = await signedInSuite({ flavor })));
    after(() => endSuite({ api, gw }));
    beforeEach(() => gw.resetFaults());

    it('lists the account\'s tokens with status icons and descriptions', async () => {
      await loaded();
      const all = await rows();
      const demo = all.find((r) => label(r.item) === 'demo');
      assert.ok(demo, `rows: ${all.map((r) => label(r.item)).join(', ')}`);
      assert.equal(demo.item.description, 'unlimited · never expires');
      assert.equal(demo.item.contextValue, 'token.enabled');
      const states = new Set(all.map((r) => r.item.contextValue));
      assert.ok(states.has('token.disabled') && states.has('token.expired'), [...states].join(','));
    });

    it('creates a token with every field, converting the cap from dollars', async () => {
      const expires = Math.floor(Date.UTC(2027, 0, 1, 12) / 1000);
      const created = await api.internal.createToken(accountId, {
        name: 'ext-created', unlimited: false, remainQuota: 6_150_000, expiredTime: expires, modelLimits: ['gpt-4o'], allowIps: ['10.0.0.0/8'],
      });
      assert.ok(created && created.id > 0);
      const server = serverToken('ext-created');
      assert.ok(server, 'the token exists on the gateway');
      assert.equal(server.remain_quota, 6_150_000);
      assert.equal(server.expired_time, expires);
      const shown = await row('ext-created');
      assert.equal(shown?.item.description, '$12.30 left · expires 2027-01-01');
    });

    it('shows the gateway\'s own validation message and creates nothing', async () => {
      const before = gw.state.tokens.length;
      const created = await api.internal.createToken(accountId, { name: 'x'.repeat(60) });
      assert.equal(created, undefined);
      assert.equal(gw.state.tokens.length, before);
      assert.match(api.log.recentLines().at(-1) ?? '', /Could not create the token .*(too long|过长)/);
    });

    it('edits one field and keeps every other field (a full update zeroes what it omits)', async () => {
      const target = serverToken('ext-created')!;
      const edited = await api.internal.editToken(ref(target), { remainQuota: 1_000_000 });
      assert.equal(edited?.remainQuota, 1_000_000);
      const after = serverToken('ext-created')!;
      assert.equal(after.remain_quota, 1_000_000);
      assert.equal(after.expired_time, target.expired_time);
      assert.equal(after.name, 'ext-created');
      assert.equal((await row('ext-created'))?.item.description, '$2.00 left · expires 2027-01-01');
    });

    it('Edit Token offers the gateway\'s models to limit the token to (one-api reads /api/user/available_models)', async () => {
      const title = 'Edit Token "demo"';
      const before = api.internal.picks().length;
      const modelsStep = () => api.internal.picks().slice(before).find((p) => p.title === title && p.placeholder?.startsWith('Models'));
      const running = run('tokaify.editToken', ref(serverToken('demo')!));
      // Walk the form as a person pressing Enter would: the name (already filled), the group (new-api), the quota.
      let shown = modelsStep();
      for (let i = 0; !shown && i < 100; i++) {
        await run('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise((r) => setTimeout(r, 100));
        shown = modelsStep();
      }
      await new Promise((r) => setTimeout(r, 200));
      await run('workbench.action.closeQuickOpen');
      assert.equal(await running, undefined, 'closing the form saves nothing');
      assert.ok(shown, 'the Models step was shown');
      assert.deepEqual(shown.items.map((i) => i.label), [...gw.state.models].sort());
      const asked = gw.requests.filter((r) => /^\/api\/user\/(available_)?models$/.test(r.path)).map((r) => `${r.path} ${r.status}`);
      assert.deepEqual(asked, [`${flavor === 'one-api' ? '/api/user/available_models' : '/api/user/models'} 200`], 'the flavour\'s own route, once');
    });

    it('disables and enables a token; the row\'s icon state follows', async () => {
      const target = serverToken('ext-created')!;
      assert.equal(await run('tokaify.disableToken', ref(target)), 1);
      assert.equal(serverToken('ext-created')!.status, 2);
      await loaded();
      assert.equal((await row('ext-created'))?.item.contextValue, 'token.disabled');
      assert.equal(await run('tokaify.enableToken', ref(target)), 1);
      assert.equal(serverToken('ext-created')!.status, 1);
    });

    it('refuses to enable an expired token with the gateway\'s reason', async () => {
      const expired = gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.status === 3)!;
      assert.equal(await run('tokaify.enableToken', ref(expired)), 0);
      assert.equal(serverToken(expired.name)!.status, 3);
      assert.match(api.log.recentLines().at(-1) ?? '', /Could not enable/);
    });

    it('copies the full key to the clipboard, revealing it only once', async () => {
      const target = serverToken('ext-created')!;
      await vscode.env.clipboard.writeText('');
      assert.equal(await run('tokaify.copyKey', ref(target)), true);
      assert.equal(await vscode.env.clipboard.readText(), `sk-${target.key}`);
      const reveals = () => gw.requests.filter((r) => r.path.endsWith('/key')).length;
      const before = reveals();
      assert.equal(await run('tokaify.copyKey', ref(target)), true);
      assert.equal(reveals(), before, 'the second copy came from SecretStorage');
      assert.ok(!api.log.recentLines().join('\n').includes(target.key), 'the key is not logged');
    });

    it('copies the console\'s connection string', async () => {
      const target = serverToken('demo')!;
      assert.equal(await run('tokaify.copyConnectionString', ref(target)), true);
      assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()), { _type: 'newapi_channel_conn', key: `sk-${target.key}`, url: gw.url });
    });

    it('deletes several tokens at once from a multi-selection', async () => {
      for (const name of ['del-a', 'del-b']) await api.internal.createToken(accountId, { name });
      await loaded();
      const nodes = (await rows()).filter((r) => ['del-a', 'del-b'].includes(label(r.item))).map((r) => r.node);
      assert.equal(nodes.length, 2);
      assert.equal(await api.internal.deleteTokens(nodes, { confirm: false }), 2);
      assert.equal(serverToken('del-a'), undefined);
      assert.equal(serverToken('del-b'), undefined);
      assert.equal(await row('del-a'), undefined);
    });

    it('keeps the last list, marked stale, when a refresh fails', async () => {
      await loaded();
      gw.faults.serverErrors = 10;
      await loaded();
      const all = await rows();
      gw.resetFaults();
      assert.ok(all.some((r) => label(r.item) === 'Could not refresh: showing the last list'), all.map((r) => label(r.item)).join(', '));
      assert.ok(all.some((r) => label(r.item) === 'demo'), 'the tokens are still shown');
    });
  });
}

describe('Token Management at scale and under limits (new-api)', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  before(async () => ({ api, gw, accountId } = await signedInSuite({ flavor: 'new-api', seedTokens: 250, criticalRateLimit: 3 })));
  after(() => endSuite({ api, gw }));
  const children = async () => {
    const account = (await api.tree.getChildren())[0]!;
    return api.tree.getChildren(account);
  };
  const count = (nodes: TreeNode[]) => nodes.filter((n) => n.kind === 'token').length;

  it('loads pages on demand: Load more, then everything', async () => {
    const first = await children();
    assert.equal(count(first), 100);
    const more = first.find((n) => n.kind === 'loadMore');
    assert.ok(more && more.kind === 'loadMore' && more.total !== undefined && more.total > 250);
    await run('tokaify.loadMoreTokens', accountId);
    assert.equal(count(await children()), 200);
    await run('tokaify.loadAllTokens', accountId);
    const all = await children();
    assert.equal(count(all), more.total);
    assert.equal(all.some((n) => n.kind === 'loadMore'), false);
  });

  it('filters through the gateway\'s search', async () => {
    await run('tokaify.filterTokens', { accountId, keyword: 'token-0012' });
    const nodes = await children();
    const names = nodes.filter((n): n is TreeNode & { kind: 'token' } => n.kind === 'token').map((n) => n.token.name);
    assert.ok(names.length >= 1 && names.every((n) => n.includes('token-0012')), names.join(','));
    await run('tokaify.clearTokenFilter', accountId);
    assert.equal(count(await children()), 100);
  });

  it('a reveal over the gateway\'s limit says when to retry and copies nothing', async () => {
    const tokens = gw.state.tokens.filter((t) => t.user_id === DEMO.userId).slice(0, 5);
    let refused = false;
    for (const t of tokens) {
      await vscode.env.clipboard.writeText('unchanged');
      if (!(await run<boolean>('tokaify.copyKey', { accountId, tokenId: t.id }))) {
        assert.equal(await vscode.env.clipboard.readText(), 'unchanged');
        refused = true;
        break;
      }
    }
    assert.ok(refused, 'the rate limit was reached');
    assert.match(api.log.recentLines().at(-1) ?? '', /20 key reveals .* per 20 minutes.*Try again/);
  });

  it('a session the gateway forgot keeps the list, says "sign in again", and the row leads there', async () => {
    await signOutAll(api);
    gw.resetRateLimits(); // the reveal test above used up this gateway's login budget
    const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: DEMO.password });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const meta = api.accounts.get(outcome.accountId)!;
    await api.gateways.tokens(meta).refresh();
    gw.state.expireSessions(); // as after a gateway restart with a random SESSION_SECRET
    await api.gateways.tokens(meta).refresh();
    const nodes = await children();
    const warning = nodes.map((n) => api.tree.getTreeItem(n)).find((item) => item.label === 'Signed out by the gateway: sign in again');
    assert.ok(warning, nodes.map((n) => api.tree.getTreeItem(n).label).join(', '));
    assert.equal(warning.command?.command, 'tokaify.addGateway');
    assert.deepEqual(warning.command?.arguments, [{ baseUrl: gw.url }]);
    assert.equal(count(nodes), 100, 'the last list is still shown');
  });
});
