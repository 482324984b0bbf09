// The Configure commands inside a real extension host, writing into a temporary home: the agents'
// env overrides (CODEX_HOME, CLAUDE_CONFIG_DIR, XDG_*) point every file there, exactly as the tools
// would resolve them. The key comes from the gateway simulator through the token tree's reveal.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseTOML, getStaticTOMLValue } from 'toml-eslint-parser';
import type { ConfigureArgs } from '../../src/vscode/agents/agentCommands';
import type { AgentId } from '../../src/core/agents/types';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, type RunningGateway } from '../../src/simulator';
import { endSuite, signedInSuite, TempAgentHome } from './helpers';



/** A signed-in suite's agent files, the demo token and scripted Configure (no preview), read when called. */
function configureHelpers(suite: () => { api: TokaifyApi; gw: RunningGateway; accountId: string; home: TempAgentHome }) {
  const demoToken = () => suite().gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === 'demo')!;
  return {
    file: (...parts: string[]) => suite().home.file(...parts),
    demoToken,
    configure: (agents: AgentId[], extra: Partial<ConfigureArgs>) =>
      suite().api.internal.configure(agents, { accountId: suite().accountId, tokenId: demoToken().id, ...extra }, { confirm: false }),
  };
}
describe('Configure agents (Codex, Claude Code, OpenCode) into a temporary home', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  const { file, demoToken } = configureHelpers(() => ({ api, gw, accountId, home }));
  const mode = (p: string) => statSync(p).mode & 0o777;

  before(async () => ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'agents')));
  after(() => endSuite({ api, gw, home }));

  const AGENTS_OF: Record<string, AgentId[] | undefined> = {
    'tokaify.configureCodex': ['codex'], 'tokaify.configureClaudeCode': ['claude-code'], 'tokaify.configureOpenCode': ['opencode'], 'tokaify.configureAgents': undefined,
  };
  /** The command's own code with every choice given and no preview (internal API). */
  const configure = (command: string, extra: Partial<ConfigureArgs> = {}) =>
    api.internal.configure(AGENTS_OF[command], { accountId, tokenId: demoToken().id, ...extra }, { confirm: false });

  it('Codex: merges into an existing config.toml, keeps every comment and table, writes auth.json 0600', async () => {
    const original = [
      '# my Codex settings',
      'model = "o3" # was the default',
      '',
      '[mcp_servers.docs]',
      'command = "npx"',
      'args = ["-y", "docs-mcp"]',
      '',
      '[mcp_servers.docs.env]',
      'TOKEN_FILE = "~/.docs-token"',
      '',
    ].join('\n');
    writeFileSync(file('codex', 'config.toml'), original);
    const outcome = await configure('tokaify.configureCodex', { model: 'gpt-5.4', codex: { reasoningEffort: 'high' } });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const text = readFileSync(file('codex', 'config.toml'), 'utf8');
    const parsed = getStaticTOMLValue(parseTOML(text)) as { model_provider?: string; model?: string; model_reasoning_effort?: string; model_providers: Record<string, unknown>; mcp_servers: unknown };
    assert.equal(parsed.model_provider, 'tokaify');
    assert.equal(parsed.model, 'gpt-5.4');
    assert.equal(parsed.model_reasoning_effort, 'high');
    assert.deepEqual(parsed.model_providers.tokaify, { name: 'Tokaify', base_url: `${gw.url}/v1`, wire_api: 'responses', requires_openai_auth: true });
    assert.deepEqual(parsed.mcp_servers, { docs: { command: 'npx', args: ['-y', 'docs-mcp'], env: { TOKEN_FILE: '~/.docs-token' } } });
    for (const line of ['# my Codex settings', '[mcp_servers.docs.env]']) assert.ok(text.includes(line), `lost: ${line}`);
    assert.ok(text.indexOf('model_provider') < text.indexOf('[mcp_servers.docs]'), 'root keys stay above the first table');
    const auth = JSON.parse(readFileSync(file('codex', 'auth.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(auth.OPENAI_API_KEY, `sk-${demoToken().key}`);
    assert.equal(mode(file('codex', 'auth.json')), 0o600);
  });

  it('the tree says which agent uses the token', async () => {
    await api.gateways.tokens(api.accounts.get(accountId)!).refresh();
    await api.keyUsage.refresh(); // read from the agents' files, as the tree does after every change
    const account = (await api.tree.getChildren())[0]!;
    const rows = (await api.tree.getChildren(account)).map((n) => api.tree.getTreeItem(n));
    const demo = rows.find((r) => r.label === 'demo');
    assert.match(String(demo?.description), /used by Codex CLI/);
  });

  it('a second run with the same choices changes nothing', async () => {
    const before = readFileSync(file('codex', 'config.toml'), 'utf8');
    const outcome = await configure('tokaify.configureCodex', { model: 'gpt-5.4', codex: { reasoningEffort: 'high' } });
    assert.deepEqual(outcome, { ok: true, written: [], backupIds: [], warnings: [] });
    assert.equal(readFileSync(file('codex', 'config.toml'), 'utf8'), before);
  });

  it('new-api serves every agent\'s route: no warning', async () => {
    await fs.rm(file('codex', 'config.toml'), { force: true });
    const outcome = await api.internal.configure(['codex', 'claude-code', 'opencode'], { accountId, tokenId: demoToken().id, model: 'gpt-4o' }, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.warnings, []);
  });

  it('Claude Code: only env keys change in settings.json; hooks and other env vars stay; mode 0600', async () => {
    const original = `${JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] }, env: { HTTPS_PROXY: 'http://proxy:3128' }, statusLine: { type: 'command', command: 'ccline' } }, null, 4)}\n`;
    await fs.mkdir(file('claude'), { recursive: true });
    writeFileSync(file('claude', 'settings.json'), original);
    const outcome = await configure('tokaify.configureClaudeCode', { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN', disableExperimentalBetas: true } });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const text = readFileSync(file('claude', 'settings.json'), 'utf8');
    const settings = JSON.parse(text) as { env: Record<string, string>; hooks: unknown; statusLine: unknown };
    assert.equal(settings.env.ANTHROPIC_BASE_URL, gw.url, 'the root, without /v1');
    assert.equal(settings.env.ANTHROPIC_AUTH_TOKEN, `sk-${demoToken().key}`);
    assert.equal(settings.env.ANTHROPIC_MODEL, 'claude-sonnet-4-5');
    assert.equal(settings.env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS, '1');
    assert.equal(settings.env.HTTPS_PROXY, 'http://proxy:3128');
    assert.deepEqual(settings.hooks, JSON.parse(original).hooks);
    assert.ok(text.startsWith('{\n    "hooks"'), 'the 4-space indentation and key order are kept');
    assert.equal(mode(file('claude', 'settings.json')), 0o600);
  });

  it('OpenCode: provider "tokaify" with the /v1 base, the default model, the key in auth.json only', async () => {
    const outcome = await configure('tokaify.configureOpenCode', { model: 'gpt-4o' });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const config = JSON.parse(readFileSync(file('config', 'opencode', 'opencode.json'), 'utf8')) as { $schema: string; model: string; provider: Record<string, { options: Record<string, unknown> }> };
    assert.equal(config.$schema, 'https://opencode.ai/config.json');
    assert.equal(config.model, 'tokaify/gpt-4o');
    assert.equal(config.provider.tokaify?.options.baseURL, `${gw.url}/v1`);
    assert.equal(config.provider.tokaify?.options.apiKey, undefined);
    const auth = JSON.parse(readFileSync(file('data', 'opencode', 'auth.json'), 'utf8')) as Record<string, { type: string; key: string }>;
    assert.deepEqual(auth.tokaify, { type: 'api', key: `sk-${demoToken().key}` });
    assert.equal(mode(file('data', 'opencode', 'auth.json')), 0o600);
  });

  it('a malformed config.toml is refused with path:line:column and left as it was', async () => {
    const broken = 'model = "a"\nmodel = "b"\n';
    writeFileSync(file('codex', 'config.toml'), broken);
    const outcome = await configure('tokaify.configureCodex', { model: 'gpt-5.4', codex: {} });
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.error ?? '' : '', new RegExp(`${file('codex', 'config.toml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+`));
    assert.equal(readFileSync(file('codex', 'config.toml'), 'utf8'), broken);
  });

  it('Restore Agent Config puts back the bytes from before a change', async () => {
    const original = '# hand-written\r\nmodel = "o3"\r\n';
    writeFileSync(file('codex', 'config.toml'), original);
    const outcome = await configure('tokaify.configureCodex', { model: 'gpt-4o', codex: {} });
    assert.ok(outcome.ok && outcome.backupIds.length === 1, JSON.stringify(outcome));
    assert.notEqual(readFileSync(file('codex', 'config.toml'), 'utf8'), original);
    const restored = await api.internal.restore(outcome.backupIds[0]!, { confirm: false });
    assert.ok(restored.ok, JSON.stringify(restored));
    assert.equal(readFileSync(file('codex', 'config.toml'), 'utf8'), original);
  });

  it('Configure Agents… writes all three at once, one backup per agent', async () => {
    await fs.rm(file('codex', 'config.toml'), { force: true });
    const outcome = await configure('tokaify.configureAgents', { agents: ['codex', 'claude-code', 'opencode'], model: 'gpt-4o-mini' });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.backupIds.length, 3);
    assert.match(readFileSync(file('codex', 'config.toml'), 'utf8'), /model = "gpt-4o-mini"/);
    assert.equal((JSON.parse(readFileSync(file('claude', 'settings.json'), 'utf8')) as { env: Record<string, string> }).env.ANTHROPIC_MODEL, 'gpt-4o-mini');
    assert.match(readFileSync(file('config', 'opencode', 'opencode.json'), 'utf8'), /"model": "tokaify\/gpt-4o-mini"/);
    assert.deepEqual(api.usage.all().map((u) => u.agent).sort(), ['claude-code', 'codex', 'opencode']);
  });

  it('no key reaches the log, settings or globalState', async () => {
    const key = demoToken().key;
    assert.ok(!api.log.recentLines().join('\n').includes(key));
    const state = JSON.stringify(api.globalState.keys().map((k) => api.globalState.get(k)));
    assert.ok(!state.includes(key));
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('tokaify')).includes(key));
  });
});

describe('Configure agents on one-api: what cannot work is said before anything is written', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  const { file, demoToken, configure } = configureHelpers(() => ({ api, gw, accountId, home }));
  const checks = (route: string) => gw.requests.filter((r) => r.method === 'POST' && r.path === route);

  before(async () => ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'one-api' }, 'agents-one-api')));
  after(() => endSuite({ api, gw, home }));

  it('Codex: "no /v1/responses" with what to do instead; the config is still written (the user may apply)', async () => {
    const outcome = await configure(['codex'], { model: 'gpt-4o', codex: {} });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.warnings?.length, 1, JSON.stringify(outcome.warnings));
    assert.match(outcome.warnings[0]!, /^This gateway \(one-api\) has no \/v1\/responses: Codex .*Use a new-api gateway for Codex/);
    assert.ok(outcome.written.includes(file('codex', 'config.toml')));
    assert.deepEqual(checks('/v1/responses').map((r) => r.status), [404]);
    assert.ok(api.log.recentLines().some((l) => l.includes('has no /v1/responses')));
  });

  it('Claude Code: "no /v1/messages", with an alternative', async () => {
    const outcome = await configure(['claude-code'], { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.warnings, [
      'This gateway (one-api) has no /v1/messages: Claude Code cannot use it. Use a new-api gateway for Claude Code, or an Anthropic-compatible proxy in front of this one.',
    ]);
  });

  it('OpenCode talks /v1/chat/completions, which one-api serves: no warning, and nothing was spent', async () => {
    const used = demoToken().used_quota;
    const outcome = await configure(['opencode'], { model: 'gpt-4o' });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.warnings, []);
    assert.deepEqual(checks('/v1/chat/completions').map((r) => r.status), [503], 'answered by the route: no channel for an empty model');
    assert.equal(demoToken().used_quota, used);
  });

  it('Configure Agents… warns for both; each route was checked once for this account in the session', async () => {
    const outcome = await configure(['codex', 'claude-code', 'opencode'], { model: 'gpt-4o-mini' });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.warnings?.length, 2);
    assert.match(outcome.warnings.join('\n'), /\/v1\/responses[\s\S]*\/v1\/messages/);
    for (const route of ['/v1/responses', '/v1/messages', '/v1/chat/completions']) assert.equal(checks(route).length, 1, route);
  });

  it('scripted runs (confirm: false) show no modal', () => {
    assert.ok(!api.internal.notifications().some((n) => n.modal && /has no \/v1\//.test(n.message)));
  });
});

describe('Configure: what outside the files gets in the way is said before Apply, with the fix (issue 11)', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  const { file, demoToken, configure } = configureHelpers(() => ({ api, gw, accountId, home }));
  const claudeEnv = () => (JSON.parse(readFileSync(file('claude', 'settings.json'), 'utf8')) as { env: Record<string, string> }).env;
  /** The user's own Anthropic key, exported in their shell. */
  const USERS_OWN = 'sk-ant-api03-' + 'u'.repeat(40);
  const workspace = () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the extension-host tests open a workspace folder');
    return folder;
  };
  const saved = process.env.ANTHROPIC_API_KEY;
  const bashrc = path.join(os.homedir(), '.bashrc');
  let bashrcBefore: string | undefined;

  before(async () => {
    ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'traps'));
    bashrcBefore = existsSync(bashrc) ? readFileSync(bashrc, 'utf8') : undefined;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = saved;
    if (bashrcBefore === undefined) await fs.rm(bashrc, { force: true });
    else writeFileSync(bashrc, bashrcBefore);
    await fs.rm(path.join(workspace(), '.claude'), { recursive: true, force: true });
    await fs.rm(file('claude'), { recursive: true, force: true });
  });
  after(() => endSuite({ api, gw, home }));

  it('ANTHROPIC_API_KEY in VS Code\'s environment: warned; with the fix, settings.json gets "ANTHROPIC_API_KEY": "" and the warning is gone', async () => {
    process.env.ANTHROPIC_API_KEY = USERS_OWN;
    const warned = await configure(['claude-code'], { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
    assert.ok(warned.ok, JSON.stringify(warned));
    assert.deepEqual(warned.warnings, [
      `ANTHROPIC_API_KEY is set in VS Code\u2019s environment: Claude Code would send it in the x-api-key header to ${new URL(gw.url).host} next to the gateway key in ANTHROPIC_AUTH_TOKEN, so that key, often your own Anthropic one, reaches the gateway.`,
    ]);
    assert.equal('ANTHROPIC_API_KEY' in claudeEnv(), false, 'not fixed unless chosen');

    const fixed = await configure(['claude-code'], { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN', clearShellKey: true } });
    assert.ok(fixed.ok, JSON.stringify(fixed));
    assert.deepEqual(fixed.warnings, []);
    assert.equal(claudeEnv().ANTHROPIC_API_KEY, '');
    assert.equal(claudeEnv().ANTHROPIC_AUTH_TOKEN, `sk-${demoToken().key}`);
    assert.ok(!api.log.recentLines().join('\n').includes(USERS_OWN.slice(0, 20)), 'the shell key never reaches the log');
  });

  it('a key exported in ~/.bashrc (terminals will have it) is named with its line', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    writeFileSync(bashrc, `${bashrcBefore ?? ''}\nexport ANTHROPIC_API_KEY="${USERS_OWN}"\n`);
    const line = `${bashrcBefore ?? ''}\nexport`.split('\n').length;
    const outcome = await configure(['claude-code'], { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.match(outcome.warnings?.[0] ?? '', new RegExp(`^ANTHROPIC_API_KEY is set in ~/\\.bashrc line ${line}: Claude Code would send it`));
  });

  it('a project .claude/settings.json in the workspace that sets ANTHROPIC_MODEL is said before writing', async () => {
    await fs.mkdir(path.join(workspace(), '.claude'), { recursive: true });
    writeFileSync(path.join(workspace(), '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_MODEL: 'claude-opus-4-1' } }));
    const outcome = await configure(['claude-code'], { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.warnings?.length, 1, JSON.stringify(outcome.warnings));
    assert.match(outcome.warnings[0]!, /\.claude\/settings\.json sets env\.ANTHROPIC_MODEL: Claude Code started in .* uses that value, not what is written here/);
    const codex = await configure(['codex'], { model: 'gpt-5.4', codex: {} });
    assert.ok(codex.ok, JSON.stringify(codex));
    assert.deepEqual(codex.warnings, [], 'Codex is not warned about Claude Code\'s file');
  });

  it('Codex: a root profile in config.toml is warned about; with the fix the line becomes a comment, [profiles.work] stays', async () => {
    writeFileSync(file('codex', 'config.toml'), 'profile = "work"\n\n[profiles.work]\nmodel = "o3"\n');
    const warned = await configure(['codex'], { model: 'gpt-5.4', codex: {} });
    assert.ok(warned.ok, JSON.stringify(warned));
    assert.match(warned.warnings?.[0] ?? '', /^config\.toml line 1 selects a profile at its root \(profile = "work"\): Codex 0\.171 and later refuse to start with it/);
    assert.match(readFileSync(file('codex', 'config.toml'), 'utf8'), /^profile = "work"$/m, 'not removed unless chosen');

    const fixed = await configure(['codex'], { model: 'gpt-5.4', codex: { removeLegacyProfile: true } });
    assert.ok(fixed.ok, JSON.stringify(fixed));
    assert.deepEqual(fixed.warnings, []);
    const text = readFileSync(file('codex', 'config.toml'), 'utf8');
    assert.match(text, /^# Removed by Tokaify \(Codex no longer accepts a root profile; .*\): profile = "work"$/m);
    assert.doesNotMatch(text, /^profile =/m);
    const parsed = getStaticTOMLValue(parseTOML(text)) as { profile?: unknown; profiles: unknown; model_provider: string };
    assert.deepEqual([parsed.profile, parsed.profiles, parsed.model_provider], [undefined, { work: { model: 'o3' } }, 'tokaify']);
  });

  it('from the command: the fix is offered first, shows in the diff preview, and what remains is in the Apply question', async () => {
    process.env.ANTHROPIC_API_KEY = USERS_OWN;
    await fs.mkdir(path.join(workspace(), '.claude'), { recursive: true });
    writeFileSync(path.join(workspace(), '.claude', 'settings.local.json'), JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com' } }));
    const picksBefore = api.internal.picks().length;
    const shownBefore = api.internal.notifications().length;
    // The proposed side of the diff, as it opens (the previews close again when the question is answered).
    let proposed: string | undefined;
    const opened = vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.scheme === 'tokaify-preview' && d.uri.path === '/proposed/settings.json') proposed = d.getText();
    });
    try {
      const running = vscode.commands.executeCommand('tokaify.configureClaudeCode', { accountId, tokenId: demoToken().id, model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
      const offered = await waitFor(() => api.internal.picks().slice(picksBefore).find((p) => /ANTHROPIC_API_KEY/.test(p.title ?? '')), 'the fix question');
      assert.equal(offered.title, `Claude Code: The ANTHROPIC_API_KEY from VS Code\u2019s environment would reach ${new URL(gw.url).host}`);
      assert.deepEqual(offered.items.map((i) => [i.label, i.description]), [['$(check) Write "ANTHROPIC_API_KEY": "" in settings.json', 'recommended'], ['Leave it as it is', undefined]]);
      assert.equal(offered.items[1]!.detail, `Claude Code sends both keys to ${new URL(gw.url).host}.`);
      await new Promise((r) => setTimeout(r, 300)); // shown and focused before Enter
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

      const question = await waitFor(() => api.internal.notifications().slice(shownBefore).find((n) => n.modal && n.message.startsWith('Write the Claude Code config')), 'the Apply question');
      assert.equal(question.kind, 'warning');
      const detail = question.detail ?? '';
      assert.match(detail, /Before you apply:\n\u26A0 .*\.claude\/settings\.local\.json sets env\.ANTHROPIC_BASE_URL: Claude Code started in .* uses that value/);
      assert.doesNotMatch(detail, /ANTHROPIC_API_KEY is set/, 'the fixed conflict is not warned about any more');
      assert.ok(proposed, 'the diff preview opened');
      assert.match(proposed, /"ANTHROPIC_API_KEY": ""/);
      assert.ok(!proposed.includes(demoToken().key), 'keys masked');
      // The extension-host test workbench refuses modal dialogs, so the question ends unanswered: nothing is written.
      const outcome = await running;
      assert.equal((outcome as { ok?: boolean } | undefined)?.ok, false);
      assert.equal(existsSync(file('claude', 'settings.json')), false, 'nothing written before Apply');
      const previews = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'tokaify-preview');
      assert.deepEqual(previews.map((t) => t.label), [], 'no preview stays open');
    } finally {
      opened.dispose();
    }
  });

  async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
});
