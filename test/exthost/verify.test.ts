// Verify Setup against real faults: each one set up in the simulator, the agents' files or the
// environment, then Verify must name it (by finding id) with its fix.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../src/core/diagnosis/types';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import { activateExtension, endSuite, signedInSuite, signInWithAccessToken, signOutAll, TempAgentHome } from './helpers';

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

describe('Verify Setup names each failure with its fix', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  let tokenId: number;
  const file = (...parts: string[]) => home.file(...parts);
  const token = () => gw.state.tokens.find((t) => t.id === tokenId)!;
  const verify = async () => (await run<Finding[]>('tokaify.verify', { accountId, tokenId, show: false })) ?? [];
  const ids = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.id}`);
  const find = async (id: string) => {
    const findings = await verify();
    const hit = findings.find((f) => f.id === id);
    assert.ok(hit, `expected ${id}, got ${ids(findings).join(', ')}`);
    return hit;
  };

  before(async () => {
    api = await activateExtension();
    await signOutAll(api);
    gw = await startGateway({ flavor: 'new-api' });
    accountId = await signInWithAccessToken(gw.url);
    home = await TempAgentHome.create('verify');
    // A token of its own, configured for all three agents, as a user would have it.
    const created = await api.internal.createToken(accountId, { name: 'verify-me' });
    tokenId = created!.id;
    const configured = await api.internal.configure(undefined, {
      agents: ['codex', 'claude-code', 'opencode'], accountId, tokenId, model: 'claude-sonnet-4-5',
    }, { confirm: false });
    assert.ok(configured.ok, JSON.stringify(configured));
  });
  after(async () => {
    await signOutAll(api);
    await gw.close();
    await home.dispose();
  });
  beforeEach(() => {
    gw.resetFaults();
    gw.state.users[0]!.quota = 5_000_000;
    Object.assign(token(), { status: 1, allow_ips: '', expired_time: -1, remain_quota: 0, unlimited_quota: true, model_limits_enabled: false, model_limits: '', group: '' });
  });
  /** Edits an agent file for one test and puts it back afterwards. */
  const withFile = async (file: string, edit: (text: string) => string, body: () => Promise<void>) => {
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, edit(original));
    try {
      await body();
    } finally {
      writeFileSync(file, original);
    }
  };

  it('a healthy setup: one OK finding, and the report says so', async () => {
    const findings = await verify();
    assert.deepEqual(ids(findings), ['ok:ok'], JSON.stringify(findings, null, 1));
    assert.match(findings[0]!.title, /Codex CLI, Claude Code and OpenCode OK/);
    assert.match(api.verifier.lastHtml, /everything checked is fine/);
  });

  it('seed 002: Claude Code\'s context_management 400 → the one-click fix turns the betas off', async () => {
    gw.faults.contextManagementRejected = true;
    const finding = await find('claude.context-management');
    assert.equal(finding.severity, 'error');
    assert.equal(finding.fix?.command, 'tokaify.configureClaudeCode');
    assert.deepEqual(finding.fix?.args, [{ accountId, tokenId, claude: { disableExperimentalBetas: true } }]);
    assert.match(api.verifier.lastHtml, /href="command:tokaify\.configureClaudeCode\?/);
  });

  it('seed 003: a disabled token → Enable Token', async () => {
    token().status = 2;
    const finding = await find('relay.token-disabled');
    assert.deepEqual([finding.fix?.command, finding.fix?.args], ['tokaify.enableToken', [{ accountId, tokenId }]]);
  });

  it('seed 004: no credit left (403 on the agents\' requests) → Open Console', async () => {
    gw.state.users[0]!.quota = 0;
    const finding = await find('relay.no-credit');
    assert.equal(finding.fix?.command, 'tokaify.openConsole');
  });

  it('seed 003: an expired token → Edit Token (new expiry)', async () => {
    Object.assign(token(), { status: 3, expired_time: Math.floor(Date.now() / 1000) - 3600 });
    assert.equal((await find('relay.token-expired')).fix?.command, 'tokaify.editToken');
  });

  it('seed 003: a token whose own quota is used up → Edit Token (raise the cap)', async () => {
    Object.assign(token(), { unlimited_quota: false, remain_quota: 0 });
    assert.equal((await find('relay.token-exhausted')).fix?.command, 'tokaify.editToken');
  });

  it('seeds 000-003: the configured model is not allowed for the token', async () => {
    Object.assign(token(), { model_limits_enabled: true, model_limits: 'gpt-4o-mini' });
    const findings = await verify();
    assert.ok(findings.some((f) => f.id === 'model.not-allowed' && f.severity === 'error'), ids(findings).join(', '));
  });

  it('a token group the gateway removed', async () => {
    token().group = 'retired';
    await find('relay.group');
  });

  it('seed 000: OpenCode baseURL without /v1, and with /v1/v1', async () => {
    const configPath = file('config', 'opencode', 'opencode.json');
    await withFile(configPath, (t) => t.replace(`"baseURL": "${gw.url}/v1"`, `"baseURL": "${gw.url}"`), () => find('opencode.base-url').then(() => undefined));
    await withFile(configPath, (t) => t.replace(`"baseURL": "${gw.url}/v1"`, `"baseURL": "${gw.url}/v1/v1"`), () => find('opencode.base-url').then(() => undefined));
  });

  it('seed 000: OpenCode\'s model names one the provider does not define', async () => {
    await withFile(file('config', 'opencode', 'opencode.json'), (t) => t.replace('"model": "tokaify/claude-sonnet-4-5"', '"model": "tokaify/claude-sonet-4-5"'),
      () => find('opencode.model').then(() => undefined));
  });

  it('seed 002: Claude Code holding an old key (not the full or current sk- secret)', async () => {
    await withFile(file('claude', 'settings.json'), (t) => t.replace(/"ANTHROPIC_AUTH_TOKEN": "sk-[^"]+"/, '"ANTHROPIC_AUTH_TOKEN": "sk-demo-old-key"'),
      () => find('claude.key-mismatch').then(() => undefined));
  });

  it('the IP allowlist excludes this machine', async () => {
    token().allow_ips = '203.0.113.7';
    assert.equal((await find('relay.ip-denied')).fix?.command, 'tokaify.editToken');
  });

  /** Points the account at another address for one test. */
  const withBaseUrl = async (baseUrl: string, body: () => Promise<void>) => {
    const meta = api.accounts.get(accountId)!;
    const credential = (await api.accounts.credential(accountId))!;
    await api.accounts.save({ ...meta, baseUrl }, credential);
    try {
      await body();
    } finally {
      await api.accounts.save(meta, credential);
    }
  };
  const expectGatewayFinding = async (id: string) => {
    const findings = await run<Finding[]>('tokaify.verify', { accountId, tokenId, show: false });
    assert.ok(findings?.some((f) => f.id === id), `${id} in ${ids(findings ?? []).join(', ')}`);
  };

  it('the gateway cannot be reached, and the causes are told apart: refused, DNS, TLS, timeout', async () => {
    const gone = await startGateway({ flavor: 'new-api' });
    await gone.close();
    await withBaseUrl(gone.url, () => expectGatewayFinding('gateway.refused'));
    await withBaseUrl('http://tokaify-verify.invalid', () => expectGatewayFinding('gateway.dns'));
    await withBaseUrl(gw.url.replace('http:', 'https:'), () => expectGatewayFinding('gateway.tls')); // TLS spoken to a plain-HTTP port
    const config = vscode.workspace.getConfiguration('tokaify');
    await config.update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    gw.faults.latencyMs = 1500;
    try {
      await expectGatewayFinding('gateway.timeout');
    } finally {
      gw.faults.latencyMs = 0;
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('seed 001: Codex base_url without /v1', async () => {
    const configPath = file('codex', 'config.toml');
    const original = readFileSync(configPath, 'utf8');
    writeFileSync(configPath, original.replace(`base_url = "${gw.url}/v1"`, `base_url = "${gw.url}"`));
    try {
      const finding = await find('codex.base-url');
      assert.equal(finding.fix?.command, 'tokaify.configureCodex');
    } finally {
      writeFileSync(configPath, original);
    }
  });

  it('Claude Code base URL ending in /v1, and both key variables set', async () => {
    const settingsPath = file('claude', 'settings.json');
    const original = readFileSync(settingsPath, 'utf8');
    const settings = JSON.parse(original) as { env: Record<string, string> };
    settings.env.ANTHROPIC_BASE_URL = `${gw.url}/v1`;
    settings.env.ANTHROPIC_API_KEY = settings.env.ANTHROPIC_AUTH_TOKEN!;
    writeFileSync(settingsPath, JSON.stringify(settings, null, 2));
    try {
      const findings = await verify();
      for (const id of ['claude.base-url', 'claude.both-keys']) assert.ok(findings.some((f) => f.id === id), `${id} in ${ids(findings).join(', ')}`);
    } finally {
      writeFileSync(settingsPath, original);
    }
  });

  it('seed 000: an OpenCode provider id with capitals', async () => {
    const configPath = file('config', 'opencode', 'opencode.json');
    const original = readFileSync(configPath, 'utf8');
    writeFileSync(configPath, original.replace('"tokaify": {', '"Tokaify": {').replace('"tokaify/', '"Tokaify/'));
    try {
      await find('opencode.provider-id');
    } finally {
      writeFileSync(configPath, original);
    }
  });

  it('a malformed settings.json is named with line:column and an Open File fix', async () => {
    const settingsPath = file('claude', 'settings.json');
    const original = readFileSync(settingsPath, 'utf8');
    writeFileSync(settingsPath, original.replace('{', '{\n  // my note'));
    try {
      const finding = await find('claude.parse');
      assert.equal(finding.fix?.command, 'tokaify.openFileAt');
      assert.deepEqual(finding.fix?.args, [settingsPath, 2, 3]);
    } finally {
      writeFileSync(settingsPath, original);
    }
  });

  it('an OPENAI_BASE_URL in the environment that would override what was written', async () => {
    process.env.OPENAI_BASE_URL = 'https://api.openai.com/v1';
    try {
      await find('env.openai-base-url');
    } finally {
      delete process.env.OPENAI_BASE_URL;
    }
  });

  it('a project .claude/settings.json in the workspace that overrides the user settings', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test workspace has a folder');
    await fs.mkdir(path.join(folder, '.claude'), { recursive: true });
    writeFileSync(path.join(folder, '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com' } }));
    try {
      const finding = await find('project.override');
      assert.equal(finding.fix?.command, 'tokaify.openFileAt');
    } finally {
      await fs.rm(path.join(folder, '.claude'), { recursive: true, force: true });
    }
  });

  it('issue 11: an ANTHROPIC_API_KEY exported in ~/.bashrc rides along; named with file and line, and its one-click fix writes the blank', async () => {
    const bashrc = path.join(os.homedir(), '.bashrc');
    const before = existsSync(bashrc) ? readFileSync(bashrc, 'utf8') : undefined;
    const settings = readFileSync(file('claude', 'settings.json'), 'utf8');
    writeFileSync(bashrc, `${before ?? ''}\nexport ANTHROPIC_API_KEY=sk-ant-api03-${'u'.repeat(40)}\n`);
    try {
      const line = `${before ?? ''}\nexport`.split('\n').length;
      const finding = await find('env.anthropic-api-key');
      assert.equal(finding.severity, 'warning');
      assert.match(finding.title, /^Claude Code sends the ANTHROPIC_API_KEY from your \.bashrc \(line \d+\) to this gateway too$/);
      assert.deepEqual(finding.evidence, [`${bashrc}:${line}: exports ANTHROPIC_API_KEY`]);
      assert.equal(finding.fix?.command, 'tokaify.configureClaudeCode');
      const [args] = finding.fix!.args as [Record<string, unknown>];
      assert.deepEqual(args.claude, { keyVariable: 'ANTHROPIC_AUTH_TOKEN', clearShellKey: true });
      // The fix as the report's link runs it, with the model a person would pick.
      assert.ok((await api.internal.configure(['claude-code'], { ...args, model: 'claude-sonnet-4-5' }, { confirm: false })).ok);
      assert.equal((JSON.parse(readFileSync(file('claude', 'settings.json'), 'utf8')) as { env: Record<string, string> }).env.ANTHROPIC_API_KEY, '');
      assert.ok(!(await verify()).some((f) => f.id === 'env.anthropic-api-key'), 'fixed');
    } finally {
      if (before === undefined) await fs.rm(bashrc, { force: true });
      else writeFileSync(bashrc, before);
      writeFileSync(file('claude', 'settings.json'), settings);
    }
  });

  it('issue 11: a root profile in config.toml, with which Codex 0.171 does not start; its fix removes the line', async () => {
    await withFile(file('codex', 'config.toml'), (text) => `profile = "work"\n${text}`, async () => {
      const finding = await find('codex.legacy-profile');
      assert.equal(finding.severity, 'error');
      assert.deepEqual(finding.evidence, [`${file('codex', 'config.toml')}:1: profile = "work"`]);
      const [args] = finding.fix!.args as [Record<string, unknown>];
      assert.ok((await api.internal.configure(['codex'], { ...args, model: 'claude-sonnet-4-5' }, { confirm: false })).ok);
      assert.match(readFileSync(file('codex', 'config.toml'), 'utf8'), /^# Removed by Tokaify \(Codex no longer accepts a root profile; .*\): profile = "work"$/m);
      assert.ok(!(await verify()).some((f) => f.id === 'codex.legacy-profile'), 'fixed');
    });
  });

  it('a revoked key: 401 named, no key in the report or the log', async () => {
    const key = token().key;
    token().key = 'revoked' + 'r'.repeat(41); // the gateway no longer knows the key the agents hold
    try {
      const findings = await verify();
      assert.ok(findings.some((f) => f.id === 'relay.key-invalid' || f.id.startsWith('relay.token')), ids(findings).join(', '));
      assert.ok(!api.verifier.lastHtml.includes(key) && !api.log.recentLines().join('\n').includes(key));
    } finally {
      token().key = key;
    }
  });

  /** The report's section for one finding, as rendered. */
  const section = (id: string) => new RegExp(`<section class="finding [a-z]+" data-id="${id.replace('.', '\\.')}">[\\s\\S]*?</section>`).exec(api.verifier.lastHtml)?.[0] ?? '';

  it('token and balance facts say they are fresh from the gateway, in the gateway\'s currency', async () => {
    Object.assign(token(), { unlimited_quota: false, remain_quota: 500_000 });
    const findings = await verify();
    assert.deepEqual(ids(findings), ['ok:ok'], JSON.stringify(findings, null, 1));
    const evidence = findings[0]!.evidence.join('\n');
    assert.match(evidence, /token "verify-me" \(#\d+\) is enabled, \$1\.00 left, .*\(token facts: from the gateway, just now\)/);
    assert.match(evidence, /Account balance: \$10\.00 \(from the gateway, just now\)/);
    assert.doesNotMatch(api.verifier.lastHtml, /remaining quota|500000/);
  });

  it('the console no longer accepts the access token: a finding with Sign In Again, never "All good" from the cached list', async () => {
    const user = gw.state.users[0]!;
    const accessToken = user.access_token;
    user.access_token = 'reset-in-the-web-console-0000000'; // what "generate a new access token" in the web console does
    try {
      const findings = await verify();
      assert.ok(!findings.some((f) => f.severity === 'ok'), ids(findings).join(', '));
      const finding = findings.find((f) => f.id === 'console.sign-in');
      assert.ok(finding, ids(findings).join(', '));
      assert.equal(finding.severity, 'error');
      assert.equal(finding.title, 'The console did not accept your sign-in: sign in again');
      assert.deepEqual([finding.fix?.command, finding.fix?.args], ['tokaify.addGateway', [{ baseUrl: api.accounts.get(accountId)!.baseUrl }]]);
      const html = section('console.sign-in');
      assert.match(html, /The console did not accept your sign-in/);
      assert.match(html, /href="command:tokaify\.addGateway\?/);
      assert.match(html, /token facts: from the token list loaded at \d\d:\d\d:\d\d UTC; the gateway refused a fresh read/);
      assert.doesNotMatch(api.verifier.lastHtml, /All good|from the gateway, just now/);
      // What the button leads to: signed in again (same account), the console reads are fresh again.
      const again = await api.internal.addGateway({ baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken: user.access_token });
      assert.deepEqual(again.ok && again.accountId, accountId);
      assert.deepEqual(ids(await verify()), ['ok:ok']);
      assert.match(api.verifier.lastHtml, /token facts: from the gateway, just now/);
    } finally {
      user.access_token = accessToken;
      await api.internal.addGateway({ baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken });
    }
  });

  it('the console refuses and the token is not in the loaded list: still a report, with Sign In Again', async () => {
    const user = gw.state.users[0]!;
    const accessToken = user.access_token;
    const list = api.gateways.tokens(api.accounts.get(accountId)!);
    list.remove([tokenId]); // e.g. the tree was never opened, or the token is on a page not loaded
    user.access_token = 'reset-in-the-web-console-1111111';
    try {
      const findings = await verify();
      assert.ok(findings.some((f) => f.id === 'console.sign-in'), ids(findings).join(', '));
      assert.ok(!findings.some((f) => f.severity === 'ok'), ids(findings).join(', '));
    } finally {
      user.access_token = accessToken;
      await api.internal.addGateway({ baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken });
      await list.refresh();
    }
  });

  it('a truncated JSON body is named as such, and no button offers to change the (correct) address', async () => {
    gw.faults.malformedJson = true;
    const findings = await verify();
    const finding = findings.find((f) => f.id === 'gateway.bad-response');
    assert.ok(finding, ids(findings).join(', '));
    assert.equal(finding.title, 'The gateway answered with a broken (truncated) body');
    assert.match(finding.evidence.join('\n'), /malformed JSON/);
    assert.ok(!findings.some((f) => f.id === 'gateway.not-gateway' || f.fix?.command === 'tokaify.addGateway'), ids(findings).join(', '));
    assert.doesNotMatch(api.verifier.lastHtml, /not like a new-api|Correct the gateway address/);
    assert.match(section('gateway.bad-response'), /a fault in the gateway or a proxy in between/);
  });

  it('a slow gateway: a warning with the measured time, as the status bar says "slow"', async () => {
    gw.faults.latencyMs = 2000;
    try {
      const findings = await verify();
      const finding = findings.find((f) => f.id === 'gateway.slow');
      assert.ok(finding, ids(findings).join(', '));
      assert.equal(finding.severity, 'warning');
      assert.match(finding.title, /^The gateway is slow: 2\.\d s to answer \/(api\/status|v1\/models)$/);
      assert.ok(!findings.some((f) => f.severity === 'ok'), ids(findings).join(', '));
      assert.match(section('gateway.slow'), /The gateway is slow: 2\.\d s/);
      await api.statusBar.refreshNow();
      assert.match(api.statusBar.text, /slow/);
    } finally {
      gw.faults.latencyMs = 0;
    }
  });

  it('clicking the status bar runs Verify and opens the report', async () => {
    const item = api.statusBar;
    assert.ok(item.text.startsWith('$('), item.text);
    const findings = await run<Finding[] | undefined>('tokaify.verify');
    assert.ok(findings?.length, 'Verify ran for the active account and the token its agents use');
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Tokaify: Verify Setup');
    for (let i = 0; i < 50 && !tabs().length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(tabs().length, 1, 'the report is open');
    await vscode.window.tabGroups.close(tabs());
  });
});

describe('Verify Setup on a TokModel-style gateway (seed 004 error shapes)', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  let tokenId: number;
  const ids = (findings: Finding[]) => findings.map((f) => f.id);
  before(async () => {
    api = await activateExtension();
    await signOutAll(api);
    gw = await startGateway({ flavor: 'new-api', relayErrorStyle: 'tokmodel' });
    accountId = await signInWithAccessToken(gw.url);
    home = await TempAgentHome.create('verify-tokmodel');
    tokenId = gw.state.tokens.find((t) => t.name === 'demo')!.id;
    assert.ok((await api.internal.configure(['codex'], { accountId, tokenId, model: 'gpt-5.4' }, { confirm: false })).ok);
  });
  after(async () => {
    await signOutAll(api);
    await gw.close();
    await home.dispose();
  });
  const verify = async () => (await run<Finding[]>('tokaify.verify', { accountId, tokenId, show: false })) ?? [];

  it('403 authorization_error "Insufficient credits" → no credit, Open Console', async () => {
    gw.state.users[0]!.quota = 0;
    try {
      const findings = await verify();
      const finding = findings.find((f) => f.id === 'relay.no-credit');
      assert.ok(finding, ids(findings).join(', '));
      assert.equal(finding.fix?.command, 'tokaify.openConsole');
    } finally {
      gw.state.users[0]!.quota = 5_000_000;
    }
  });

  it('401 authentication_error "Invalid or missing API key." → the key is not accepted', async () => {
    const t = gw.state.tokens.find((x) => x.id === tokenId)!;
    const key = t.key;
    t.key = 'revoked' + 'r'.repeat(41);
    try {
      const findings = await verify();
      assert.ok(findings.some((f) => f.id === 'relay.key-invalid'), ids(findings).join(', '));
    } finally {
      t.key = key;
    }
  });
});

describe('Verify Setup on one-api: each agent\'s finding names its own route', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  let tokenId: number;
  before(async () => {
    ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'one-api' }, 'verify-one-api'));
    tokenId = gw.state.tokens.find((t) => t.name === 'demo')!.id;
    const configured = await api.internal.configure(['codex', 'claude-code'], { accountId, tokenId, model: 'gpt-4o' }, { confirm: false });
    assert.ok(configured.ok, JSON.stringify(configured));
  });
  after(() => endSuite({ api, gw, home }));

  it('one-api has neither /v1/responses nor /v1/messages: Codex\'s finding is about /v1/responses, Claude Code\'s about /v1/messages', async () => {
    const findings = (await run<Finding[]>('tokaify.verify', { accountId, tokenId, show: false })) ?? [];
    const text = (id: string) => {
      const finding = findings.find((f) => f.id === id);
      assert.ok(finding, `${id} in ${findings.map((f) => f.id).join(', ')}`);
      return [finding.title, finding.detail, ...finding.evidence].join('\n');
    };
    const codex = text('codex.probe-failed');
    assert.match(codex, /\/v1\/responses/);
    assert.doesNotMatch(codex, /\/v1\/messages|\/v1\/chat\/completions/);
    const claude = text('claude.probe-failed');
    assert.match(claude, /\/v1\/messages/);
    assert.doesNotMatch(claude, /\/v1\/responses|\/v1\/chat\/completions/);
    const html = /<section class="finding [a-z]+" data-id="codex\.probe-failed">[\s\S]*?<\/section>/.exec(api.verifier.lastHtml)?.[0] ?? '';
    assert.match(html, /\/v1\/responses/);
    assert.doesNotMatch(html, /\/v1\/messages/);
  });
});
