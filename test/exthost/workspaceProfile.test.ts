// Use for This Workspace / Clear Workspace Profile in a real extension host (code-server: a remote setup,
// browser UI, server-side extension host). A new terminal's environment is read by running `env` in it:
// after Use it has the profile's variables (the key among them), after Clear it has none of them. No key
// lands in workspace state, settings or the workspace folder; the global agent files stay as they were;
// the generated files land in the server's home (code-server's HOME, not the login user's).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, promises as fs, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { isSharedProfileFile, WORKSPACE_KEY_VARIABLE, WORKSPACE_PROFILE_VARIABLE } from '../../src/core/agents/workspaceProfile';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, type RunningGateway } from '../../src/simulator';
import { endSuite, readMarkdown, signedInSuite } from './helpers';

/** Runs `env` in a new terminal VS Code opens and returns what it printed, as name → value. */
async function newTerminalEnv(): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-term-'));
  const out = path.join(dir, 'env.txt');
  const terminal = vscode.window.createTerminal({ name: 'tokaify-env', shellPath: '/bin/sh', shellArgs: ['-c', `env > '${out}.tmp' && mv '${out}.tmp' '${out}'`] });
  try {
    for (let waited = 0; !existsSync(out); waited += 100) {
      if (waited > 20_000) throw new Error('the terminal never wrote its environment');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const env: Record<string, string> = {};
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
    }
    return env;
  } finally {
    terminal.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Every file under `dir` (recursively), path → content; absent folders give nothing. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) out.set(file, readFileSync(file, 'utf8'));
  }
  return out;
}

describe('Use for This Workspace: new terminals get the profile, Clear takes it away', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  const home = os.homedir();
  const codexConfig = path.join(home, '.codex', 'config.toml');
  const claudeSettings = path.join(home, '.claude', 'settings.json');
  const globalCodex = '# the user\'s own\nmodel = "o3"\n\n[mcp_servers.docs]\ncommand = "npx"\n';
  const globalClaude = `${JSON.stringify({ env: { ANTHROPIC_MODEL: 'opus' }, permissions: { allow: ['Bash(ls:*)'] } }, null, 2)}\n`;
  const saved = new Map<string, string | undefined>();

  before(async () => {
    ({ api, gw, accountId } = await signedInSuite({ flavor: 'new-api' }));
    // Other suites point the agents at a temporary home through these; this one uses the server's real home.
    for (const name of ['CODEX_HOME', 'CLAUDE_CONFIG_DIR', 'OPENCODE_CONFIG']) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    mkdirSync(path.dirname(codexConfig), { recursive: true });
    mkdirSync(path.dirname(claudeSettings), { recursive: true });
    writeFileSync(codexConfig, globalCodex);
    writeFileSync(claudeSettings, globalClaude);
  });
  after(async () => {
    await api?.profiles.clear();
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
    await fs.rm(codexConfig, { force: true });
    await fs.rm(claudeSettings, { force: true });
    await endSuite({ api, gw });
  });

  it('a new terminal has the variables after Use and none of them after Clear; no key outside SecretStorage and the terminal', async () => {
    const token = gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === 'demo')!;
    const key = `sk-${token.key}`;
    const before = await newTerminalEnv();
    assert.equal(before[WORKSPACE_PROFILE_VARIABLE], undefined);

    const used = await vscode.commands.executeCommand<boolean>('tokaify.useForWorkspace', {
      accountId, tokenId: token.id, models: { codex: 'gpt-5.4', 'claude-code': 'claude-sonnet-4-5', opencode: 'gpt-5.4' },
    });
    assert.equal(used, true);
    const profile = api.profiles.environment()!;
    const env = await newTerminalEnv();
    assert.equal(env[WORKSPACE_PROFILE_VARIABLE], profile.name);
    assert.equal(env[WORKSPACE_KEY_VARIABLE], key);
    assert.equal(env.ANTHROPIC_AUTH_TOKEN, key);
    assert.equal(env.ANTHROPIC_BASE_URL, gw.url);
    assert.equal(env.CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST, '1');
    assert.equal(env.ANTHROPIC_MODEL, 'claude-sonnet-4-5');
    assert.equal(env.ANTHROPIC_API_KEY ?? '', '', 'a key of the user\'s shell would ride along as x-api-key');
    assert.equal(JSON.parse(env.OPENCODE_CONFIG_CONTENT!).model, 'tokaify-workspace/gpt-5.4');
    const shim = profile.files.find(isSharedProfileFile)!;
    assert.ok(env.PATH!.startsWith(`${path.dirname(shim.path)}:`), `the shim comes first on PATH: ${env.PATH}`);
    assert.ok(env.PATH!.endsWith(before.PATH!), 'the rest of PATH is the terminal\'s own');

    // The status tooltip names the profile.
    assert.match(readMarkdown(api.statusBar.tooltip), /This workspace: \*\*demo\*\* @ 127\.0\.0\.1:\d+ \(Codex CLI gpt-5\.4, Claude Code claude-sonnet-4-5, OpenCode gpt-5\.4\)/);

    // The files are in the server's home (code-server runs with a HOME of its own, not the login user's), private, keyless.
    assert.notEqual(home, os.userInfo().homedir, 'code-server\'s HOME differs from the login user\'s');
    const codexProfile = profile.files.find((f) => !isSharedProfileFile(f))!;
    assert.equal(codexProfile.path, path.join(home, '.codex', `${profile.name}.config.toml`));
    for (const file of profile.files) {
      assert.equal(statSync(file.path).mode & 0o077, 0, `${file.path} is private`);
      assert.ok(!readFileSync(file.path, 'utf8').includes(token.key), `${file.path} holds no key`);
    }

    // No key in workspace state, settings or the workspace folder; the global agent files untouched.
    assert.ok(!JSON.stringify(api.profiles.stored()).includes(token.key), 'workspaceState holds names only');
    for (const k of api.globalState.keys()) assert.ok(!JSON.stringify(api.globalState.get(k) ?? null).includes(token.key), `globalState ${k}`);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    for (const [file, text] of filesUnder(folder)) assert.ok(!text.includes(token.key), `${file} holds the key`);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration().get('terminal.integrated.env')).includes(token.key));
    assert.equal(readFileSync(codexConfig, 'utf8'), globalCodex);
    assert.equal(readFileSync(claudeSettings, 'utf8'), globalClaude);

    // Verify says it is an intended override.
    const findings = await api.verifier.verify({ accountId, tokenId: token.id, probe: false, show: false });
    assert.equal(findings?.find((f) => f.id === 'workspace.profile')?.severity, 'info');

    assert.equal(await vscode.commands.executeCommand<boolean>('tokaify.clearWorkspaceProfile'), true);
    const after = await newTerminalEnv();
    for (const name of [WORKSPACE_PROFILE_VARIABLE, WORKSPACE_KEY_VARIABLE, 'CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST', 'OPENCODE_CONFIG_CONTENT', 'TOKAIFY_CODEX_PROFILE']) {
      assert.equal(after[name], undefined, `${name} is gone`);
    }
    assert.equal(after.ANTHROPIC_AUTH_TOKEN, before.ANTHROPIC_AUTH_TOKEN);
    assert.equal(after.PATH, before.PATH);
    assert.ok(!existsSync(codexProfile.path), 'the Codex profile file is removed');
    assert.equal(api.profiles.stored(), undefined);
    assert.doesNotMatch(readMarkdown(api.statusBar.tooltip), /This workspace:/);
    assert.equal(readFileSync(codexConfig, 'utf8'), globalCodex);
  });

  it("Use again with fewer agents: the dropped agent's variables and Codex profile file go, the shared shim stays", async () => {
    const token = gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === 'demo')!;
    await vscode.commands.executeCommand('tokaify.useForWorkspace', { accountId, tokenId: token.id, models: { codex: 'gpt-5.4', 'claude-code': 'claude-sonnet-4-5' } });
    const [codexProfile, shim] = [api.profiles.environment()!.files.find((f) => !isSharedProfileFile(f))!, api.profiles.environment()!.files.find(isSharedProfileFile)!];
    assert.ok(existsSync(codexProfile.path));
    await vscode.commands.executeCommand('tokaify.useForWorkspace', { accountId, tokenId: token.id, models: { 'claude-code': 'claude-opus-4-1' } });
    assert.ok(!existsSync(codexProfile.path), 'the Codex profile file is removed');
    assert.ok(existsSync(shim.path), 'the shim other workspaces may use stays');
    const env = await newTerminalEnv();
    assert.equal(env.TOKAIFY_CODEX_PROFILE, undefined);
    assert.equal(env.ANTHROPIC_MODEL, 'claude-opus-4-1');
    await api.profiles.clear();
  });

  it('after a reload (the variables live in memory only), the stored choice is applied again with the key from SecretStorage', async () => {
    const token = gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === 'demo')!;
    await vscode.commands.executeCommand('tokaify.useForWorkspace', { accountId, tokenId: token.id, models: { 'claude-code': 'claude-sonnet-4-5' } });
    // What activation does on a new session: the collection starts empty, the stored choice remains.
    const context = api.profiles;
    const requests = gw.requests.length;
    assert.equal(await context.reapply(), true);
    assert.equal(gw.requests.length, requests, 'applying again sends no request (the key comes from SecretStorage)');
    const env = await newTerminalEnv();
    assert.equal(env.ANTHROPIC_AUTH_TOKEN, `sk-${token.key}`);
    await api.profiles.clear();
  });
});
