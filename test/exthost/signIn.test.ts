import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import type { AddGatewayOutcome, AddGatewayArgs } from '../../src/vscode/commands/addGateway';
import type { TokaifyApi } from '../../src/vscode/extension';
import { scheduleAutoSignIn } from '../../src/vscode/autoSignIn';
import { activateExtension, readMarkdown, readTree, signOutAll } from './helpers';

const addGateway = async (args: AddGatewayArgs): Promise<AddGatewayOutcome> => (await activateExtension()).internal.addGateway(args);
const withToken = (gw: RunningGateway, extra: Partial<AddGatewayArgs> = {}): AddGatewayArgs => ({
  baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken, ...extra,
});
function assertFailed(outcome: AddGatewayOutcome, pattern: RegExp): void {
  assert.ok(!outcome.ok && 'error' in outcome, `expected a failure, got ${JSON.stringify(outcome)}`);
  assert.match(outcome.error, pattern);
}

describe('Add Gateway and sign-in (against the simulator)', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let oneApi: RunningGateway;

  before(async () => {
    api = await activateExtension();
    gw = await startGateway({ flavor: 'new-api' });
    oneApi = await startGateway({ flavor: 'one-api' });
  });
  after(async () => {
    await signOutAll(api);
    await gw.close();
    await oneApi.close();
  });
  beforeEach(async () => {
    await signOutAll(api);
    gw.resetFaults();
  });

  it('signs in with an access token: tree, balance and status bar show the account', async () => {
    const outcome = await addGateway(withToken(gw));
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const tree = await readTree(api);
    assert.equal(tree.length, 1);
    assert.equal(tree[0]!.label, 'Demo User');
    assert.match(tree[0]!.description, new RegExp(`127\\.0\\.0\\.1:${gw.port} · active`));
    assert.equal(tree[0]!.children[0]!.label, 'Balance $10.00');
    await api.statusBar.refreshNow();
    assert.match(api.statusBar.text, /Tokaify: \$10\.00$/);
    assert.match(readMarkdown(api.statusBar.tooltip), /Demo User @ 127\.0\.0\.1/);
  });

  it('fixes a pasted /v1/v1 and stores the gateway root', async () => {
    const outcome = await addGateway(withToken(gw, { baseUrl: `${gw.url}/v1/v1/` }));
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(api.accounts.active()?.baseUrl, gw.url);
  });

  it('a wrong access token is refused in plain words and nothing is saved', async () => {
    assertFailed(await addGateway(withToken(gw, { accessToken: 'wrong-access-token' })), /did not accept user ID 1 with this access token.*Personal Settings/s);
    assert.deepEqual(api.accounts.list(), []);
  });

  it('a user ID that does not match the access token is refused', async () => {
    assertFailed(await addGateway(withToken(gw, { userId: 2 })), /did not accept user ID 2/);
    assert.deepEqual(api.accounts.list(), []);
  });

  it('signs in with username and password; the password is not kept', async () => {
    const outcome = await addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: DEMO.password });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const account = api.accounts.active()!;
    assert.equal(account.authKind, 'session');
    const credential = await api.accounts.credential(account.id);
    assert.equal(credential?.kind, 'session');
    assert.ok(!JSON.stringify(credential).includes(DEMO.password));
  });

  it('asks for the two-factor code when the gateway wants one, and refuses a wrong code', async () => {
    const base = { baseUrl: gw.url, method: 'password' as const, username: DEMO.twoFactorUser, password: DEMO.password };
    assertFailed(await addGateway({ ...base, twoFactorCode: '000000' }), /wrong two-factor code/);
    assert.deepEqual(api.accounts.list(), []);
    const outcome = await addGateway({ ...base, twoFactorCode: DEMO.twoFactorCode });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(api.accounts.active()?.username, DEMO.twoFactorUser);
  });

  it('a wrong password says so', async () => {
    assertFailed(await addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: 'nope' }), /wrong user name or password/);
  });

  it('a Turnstile-protected gateway explains that an access token is needed', async () => {
    gw.faults.turnstile = true;
    assertFailed(await addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: DEMO.password }), /Turnstile.*access token/s);
  });

  it('signs in with an API key alone; the tree explains what is missing', async () => {
    const outcome = await addGateway({ baseUrl: gw.url, method: 'key', apiKey: DEMO.key });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const tree = await readTree(api);
    assert.equal(tree[0]!.label, `API key …${DEMO.key.slice(-4)}`);
    assert.equal(tree[0]!.children[0]!.label, 'Token management needs a console sign-in');
  });

  it('an invalid API key is refused with the gateway\'s reason', async () => {
    assertFailed(await addGateway({ baseUrl: gw.url, method: 'key', apiKey: 'sk-test' + 'x'.repeat(44) }), /not accepted \(401\).*invalid API key/s);
  });

  it('signs in to a one-api gateway with an access token', async () => {
    const outcome = await addGateway(withToken(oneApi));
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(api.accounts.active()?.flavor, 'one-api');
  });

  it('an unreachable host is named with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    assertFailed(await addGateway(withToken(gw, { baseUrl: `http://127.0.0.1:${port}` })), /Cannot reach 127\.0\.0\.1:\d+: the connection was refused/);
  });

  it('a web server that is not a gateway is recognised as such', async () => {
    const site: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Blog</title>'));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    try {
      assertFailed(await addGateway(withToken(gw, { baseUrl: `http://127.0.0.1:${(site.address() as AddressInfo).port}` })), /not a new-api \/ one-api gateway/);
    } finally {
      site.close();
    }
  });

  it('malformed JSON from the gateway is a clear error, not a crash', async () => {
    gw.faults.malformedJson = true;
    assertFailed(await addGateway(withToken(gw)), /malformed JSON|unexpected shape/);
    assert.deepEqual(api.accounts.list(), []);
  });

  it('switches between accounts and signs out of one, removing its secrets', async () => {
    assert.ok((await addGateway(withToken(gw))).ok);
    assert.ok((await addGateway(withToken(oneApi))).ok);
    const [first, second] = api.accounts.list();
    assert.equal(api.accounts.active()?.id, second!.id);
    await vscode.commands.executeCommand('tokaify.switchGateway', first!.id);
    assert.equal(api.accounts.active()?.id, first!.id);
    assert.equal(await api.internal.signOut(first!.id, { confirm: false }), true);
    assert.equal(await api.accounts.credential(first!.id), undefined);
    assert.deepEqual(api.accounts.list().map((a) => a.id), [second!.id]);
    assert.equal(api.accounts.active()?.id, second!.id);
  });

  it('the demo\'s auto sign-in (TOKAIFY_AUTO_SIGNIN_*) adds a gateway on this machine, and never a remote one', async () => {
    const settle = async () => {
      for (let i = 0; i < 50 && !api.accounts.list().length; i++) await new Promise((r) => setTimeout(r, 100));
    };
    const env = { TOKAIFY_AUTO_SIGNIN_USER_ID: String(DEMO.userId), TOKAIFY_AUTO_SIGNIN_ACCESS_TOKEN: DEMO.accessToken };
    try {
      Object.assign(process.env, env, { TOKAIFY_AUTO_SIGNIN_URL: 'https://gateway.example.com' });
      scheduleAutoSignIn(api.accounts, api.log, api.internal.addGateway);
      await new Promise((r) => setTimeout(r, 200));
      // Not even attempted (an attempt would also fail here, offline, so the log is what tells).
      assert.ok(!api.log.recentLines().some((line) => line.includes('Auto sign-in to https://gateway.example.com')), 'a remote URL is ignored');
      assert.deepEqual(api.accounts.list(), []);
      process.env.TOKAIFY_AUTO_SIGNIN_URL = gw.url;
      scheduleAutoSignIn(api.accounts, api.log, api.internal.addGateway);
      await settle();
      assert.equal(api.accounts.active()?.baseUrl, gw.url);
    } finally {
      for (const key of [...Object.keys(env), 'TOKAIFY_AUTO_SIGNIN_URL']) delete process.env[key];
    }
  });

  it('no secret reaches settings, globalState or the log', async () => {
    assert.ok((await addGateway(withToken(gw))).ok);
    assert.ok((await addGateway({ baseUrl: gw.url, method: 'key', apiKey: DEMO.key })).ok);
    assert.ok((await addGateway({ baseUrl: gw.url, method: 'password', username: DEMO.username, password: DEMO.password })).ok);
    const cookie = await api.accounts.credential(api.accounts.active()!.id);
    assert.equal(cookie?.kind, 'session');
    const secrets = [DEMO.key, DEMO.key.slice(3), DEMO.accessToken, DEMO.password, cookie.kind === 'session' ? cookie.cookie : ''];
    const globalState = JSON.stringify(api.globalState.keys().map((k) => [k, api.globalState.get(k)]));
    const settings = JSON.stringify([vscode.workspace.getConfiguration('tokaify'), vscode.workspace.getConfiguration('http')]);
    const log = api.log.recentLines().join('\n');
    assert.ok(log.includes('Signed in to'), 'the log is being written');
    for (const secret of secrets) {
      for (const [where, text] of [['globalState', globalState], ['settings', settings], ['log', log]] as const) {
        assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 6)}…) leaked into ${where}`);
      }
    }
  });
});
