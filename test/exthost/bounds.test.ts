/**
 * Bounded work and untrusted input, in the real extension host: a gateway that never stops paging or
 * sends absurd replies, settings a repository or a typo could set, and agent files a user wrote by hand.
 */
import assert from 'node:assert/strict';
import { promises as fs, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';
import { activateExtension, endSuite, signedInSuite, signInWithAccessToken, signOutAll, TempAgentHome } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Bounded work against a misbehaving gateway', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  const count = (p: string) => gw.requests.filter((r) => r.path === p).length;

  before(async () => ({ api, gw, accountId } = await signedInSuite({ flavor: 'new-api', seedTokens: 150 })));
  after(() => endSuite({ api, gw }));
  afterEach(() => gw.resetFaults());

  it('Load All Tokens against a gateway that always claims another page stops after a few requests', async () => {
    await api.gateways.tokens(api.accounts.get(accountId)!).refresh();
    gw.faults.endlessPages = true;
    const before = count('/api/token/');
    const done = vscode.commands.executeCommand('tokaify.loadAllTokens', accountId);
    assert.notEqual(await Promise.race([done, sleep(5000).then(() => 'hung')]), 'hung', 'Load All never stopped');
    const made = count('/api/token/') - before;
    assert.ok(made <= 4, `${made} requests for 2 pages`);
    assert.equal(api.gateways.tokens(api.accounts.get(accountId)!).state.tokens.length, gw.state.tokensOf(DEMO.userId).length);
  });

  it('a 200 MB reply is cut off at 8 MB: the tree says so, and the extension host does not hold it', async () => {
    const list = api.gateways.tokens(api.accounts.get(accountId)!);
    await list.refresh();
    const heapBefore = process.memoryUsage().heapUsed;
    gw.faults.hugeBodyBytes = 200 * 1024 * 1024;
    await list.refresh();
    const grew = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    assert.match(list.state.error ?? '', /more than 8 MB/);
    assert.ok(grew < 60, `the heap grew by ${grew.toFixed(0)} MB`);
    assert.ok(list.state.tokens.length > 0, 'the last good list is kept');
  });

  it('a page of 100,000 tokens is refused with the limit named', async () => {
    const list = api.gateways.tokens(api.accounts.get(accountId)!);
    gw.faults.hugePageItems = 100_000;
    await list.refresh();
    assert.match(list.state.error ?? '', /1,?000/);
    assert.ok(list.state.tokens.length < 1000);
  });
});

describe('Settings that shape requests', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  const config = () => vscode.workspace.getConfiguration('tokaify');
  const self = () => gw.requests.filter((r) => r.path === '/api/user/self').length;

  before(async () => {
    api = await activateExtension();
    await signOutAll(api);
    gw = await startGateway({ flavor: 'new-api' });
    await signInWithAccessToken(gw.url);
  });
  after(async () => {
    for (const key of ['requestTimeoutSeconds', 'statusRefreshMinutes']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await signOutAll(api);
    await gw.close();
  });

  it('a repository cannot set them: VS Code refuses the workspace target, and a hand-written .vscode/settings.json is ignored', async () => {
    await assert.rejects(Promise.resolve(config().update('statusRefreshMinutes', 0.001, vscode.ConfigurationTarget.Workspace)));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test workspace has a folder');
    const file = path.join(folder, '.vscode', 'settings.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ 'tokaify.statusRefreshMinutes': 'x', 'tokaify.requestTimeoutSeconds': 0 }));
    try {
      await sleep(1500); // the configuration service picks the file up
      assert.equal(config().get('statusRefreshMinutes'), 5);
      assert.equal(config().get('requestTimeoutSeconds'), 15);
      const before = self();
      await api.statusBar.refreshNow();
      await sleep(3000);
      assert.ok(self() - before <= 2, `${self() - before} balance requests in 3 s`);
      assert.match(api.statusBar.text, /Tokaify: \$10\.00/);
    } finally {
      await fs.rm(path.dirname(file), { recursive: true, force: true });
    }
  });

  for (const value of [-1, 0, 1e9]) {
    it(`a timeout of ${value} in the user's settings is clamped: requests work, no RangeError`, async () => {
      await config().update('requestTimeoutSeconds', value, vscode.ConfigurationTarget.Global);
      await sleep(200);
      await api.statusBar.refreshNow();
      assert.match(api.statusBar.text, /Tokaify: \$10\.00/, api.statusBar.tooltip);
      assert.ok(!api.internal.notifications().some((n) => /RangeError/.test(n.message)));
      assert.ok(!api.log.recentLines().some((l) => /RangeError/.test(l)));
    });
  }

  it('a refresh interval of 0.001 minutes in the user\'s settings does not start a request storm', async () => {
    await config().update('statusRefreshMinutes', 0.001, vscode.ConfigurationTarget.Global);
    const before = self();
    await sleep(3000);
    assert.ok(self() - before <= 1, `${self() - before} balance requests in 3 s`);
  });
});

describe('Agent files a user wrote by hand', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  const demoId = () => gw.state.tokens.find((t) => t.name === 'demo')!.id;

  before(async () => {
    ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'bounds'));
  });
  after(() => endSuite({ api, gw, home }));

  it('Claude Code settings.json with "env" twice is refused at path:line:col of the second, untouched, with Open File', async () => {
    const file = home.file('claude', 'settings.json');
    const text = '{\n  "env": { "FOO": "1" },\n  "model": "x",\n  "env": { "ANTHROPIC_BASE_URL": "https://old" }\n}\n';
    await fs.mkdir(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    const outcome = await api.internal.configure(['claude-code'], { accountId, tokenId: demoId(), model: 'claude-sonnet-4-5' }, { confirm: false });
    assert.ok(!outcome.ok && outcome.error, JSON.stringify(outcome));
    assert.ok(outcome.error.includes(`${file}:4:3`), outcome.error);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.ok(api.internal.notifications().some((n) => n.kind === 'error' && n.message.includes(':4:3') && n.actions.includes('Open File')));
  });

  it('Codex config.toml with the provider as an inline table is edited in place, its neighbours kept', async () => {
    const file = home.file('codex', 'config.toml');
    const text = [
      'model_provider = "tokaify"',
      '',
      '[model_providers]',
      '# the gateway',
      'tokaify = { name = "Tokaify", base_url = "https://api.tokaify.com", wire_api = "chat", env_key = "TOKAIFY_KEY" }',
      'other = { name = "X", base_url = "https://x.example" }  # keep me',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const outcome = await api.internal.configure(['codex'], { accountId, tokenId: demoId(), model: 'gpt-5.4', codex: {} }, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const after = readFileSync(file, 'utf8');
    assert.ok(after.includes(`${gw.url}/v1`), after);
    assert.ok(after.includes('other = { name = "X", base_url = "https://x.example" }  # keep me'), after);
    assert.ok(after.includes('# the gateway'), after);
    assert.ok(!after.includes('wire_api = "chat"'), after);
  });
});
