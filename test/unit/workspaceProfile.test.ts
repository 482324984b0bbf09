import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODEX_PROFILE_VARIABLE, codexShim } from '../../src/core/agents/codexShim';
import {
  applyProfileVariables, isSharedProfileFile, profileName, WORKSPACE_KEY_VARIABLE, WORKSPACE_PROFILE_VARIABLE, workspaceProfileEnvironment,
  type ProfileHost, type WorkspaceProfile,
} from '../../src/core/agents/workspaceProfile';
import { removeProfileFiles, writeProfileFiles } from '../../src/core/agents/workspaceProfileFiles';

const KEY = `sk-test-${'w'.repeat(40)}`;
const ALL: WorkspaceProfile = {
  baseUrl: 'https://gw.example', key: KEY, workspace: 'file:///home/u/repo',
  models: { codex: 'gpt-5.4', 'claude-code': 'claude-sonnet-4-5', opencode: 'gpt-5.4-mini' },
};
const linux = (env: Record<string, string> = {}): ProfileHost => ({ env, home: '/home/u', platform: 'linux', shimDir: '/home/u/.vscode-server/data/User/globalStorage/tokaify.tokaify-vscode/bin' });
const windows = (env: Record<string, string> = {}): ProfileHost => ({ env, home: 'C:\\Users\\u', platform: 'win32', shimDir: 'C:\\Users\\u\\AppData\\Roaming\\Code\\User\\globalStorage\\tokaify.tokaify-vscode\\bin' });
const valueOf = (env: ReturnType<typeof workspaceProfileEnvironment>, name: string) => env.variables.find((v) => v.name === name)?.value;

describe('workspace profile environment', () => {
  it('names the profile per workspace: stable, different for another folder, nothing of the path in it', () => {
    assert.equal(profileName('file:///home/u/repo'), profileName('file:///home/u/repo'));
    assert.notEqual(profileName('file:///home/u/repo'), profileName('file:///home/u/other'));
    assert.match(profileName('file:///home/u/repo'), /^tokaify-ws-[0-9a-f]{8}$/);
  });

  it('the key travels only in variables marked secret; no generated file holds it', () => {
    const env = workspaceProfileEnvironment(ALL, linux());
    const holding = env.variables.filter((v) => v.value.includes(KEY)).map((v) => [v.name, v.secret]);
    assert.deepEqual(holding, [[WORKSPACE_KEY_VARIABLE, true], ['ANTHROPIC_AUTH_TOKEN', true]]);
    for (const file of env.files) assert.ok(!file.text.includes(KEY), file.label);
    assert.equal(valueOf(env, WORKSPACE_PROFILE_VARIABLE), env.name);
  });

  it('Codex: a profile file in ~/.codex (or CODEX_HOME) that reads the key from the environment, the shim first on PATH', () => {
    const env = workspaceProfileEnvironment(ALL, linux());
    const [profile, shim] = env.files;
    assert.equal(profile!.path, `/home/u/.codex/${env.name}.config.toml`);
    assert.equal(profile!.mode, 0o600);
    assert.match(profile!.text, /^model_provider = "tokaify-workspace"$/m);
    assert.match(profile!.text, /^model = "gpt-5\.4"$/m);
    assert.match(profile!.text, /^base_url = "https:\/\/gw\.example\/v1"$/m);
    assert.match(profile!.text, new RegExp(`^env_key = "${WORKSPACE_KEY_VARIABLE}"$`, 'm'));
    assert.equal(shim!.path, `${linux().shimDir}/codex`);
    assert.equal(valueOf(env, 'PATH'), `${linux().shimDir}:`);
    assert.equal(env.variables.find((v) => v.name === 'PATH')!.prepend, true);
    assert.equal(valueOf(env, CODEX_PROFILE_VARIABLE), env.name);
    assert.equal(workspaceProfileEnvironment(ALL, linux({ CODEX_HOME: '/srv/codex' })).files[0]!.path, `/srv/codex/${env.name}.config.toml`);
  });

  it('Windows: %USERPROFILE%\\.codex, a codex.cmd shim with CRLF, PATH joined with ;', () => {
    const env = workspaceProfileEnvironment(ALL, windows());
    assert.equal(env.files[0]!.path, `C:\\Users\\u\\.codex\\${env.name}.config.toml`);
    assert.equal(env.files[1]!.path, `${windows().shimDir}\\codex.cmd`);
    assert.match(env.files[1]!.text, /^@echo off\r\n/);
    assert.ok(!/[^\r]\n/.test(env.files[1]!.text), 'every line ends in CRLF');
    assert.equal(valueOf(env, 'PATH'), `${windows().shimDir};`);
  });

  it('WSL (a remote window on Linux): the Linux home of the distro user, not the Windows one', () => {
    const env = workspaceProfileEnvironment(ALL, { env: { WSL_DISTRO_NAME: 'Ubuntu' }, home: '/home/me', platform: 'linux', shimDir: '/home/me/.vscode-server/data/User/globalStorage/x/bin' });
    assert.equal(env.files[0]!.path, `/home/me/.codex/${env.name}.config.toml`);
    assert.equal(env.files[1]!.path, '/home/me/.vscode-server/data/User/globalStorage/x/bin/codex');
  });

  it('Claude Code: the host-managed switch, so the terminal beats settings.json; root URL without /v1; a shell key emptied', () => {
    const env = workspaceProfileEnvironment(ALL, linux());
    assert.equal(valueOf(env, 'CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST'), '1');
    assert.equal(valueOf(env, 'ANTHROPIC_BASE_URL'), 'https://gw.example');
    assert.equal(valueOf(env, 'ANTHROPIC_AUTH_TOKEN'), KEY);
    assert.equal(valueOf(env, 'ANTHROPIC_API_KEY'), '');
    assert.equal(valueOf(env, 'ANTHROPIC_MODEL'), 'claude-sonnet-4-5');
  });

  it('OpenCode: inline config with its own provider id, /v1, the key as {env:…}', () => {
    const content = JSON.parse(valueOf(workspaceProfileEnvironment(ALL, linux()), 'OPENCODE_CONFIG_CONTENT')!) as {
      model: string; provider: Record<string, { options: { baseURL: string; apiKey: string } }>;
    };
    assert.equal(content.model, 'tokaify-workspace/gpt-5.4-mini');
    assert.deepEqual(content.provider['tokaify-workspace']!.options, { baseURL: 'https://gw.example/v1', apiKey: `{env:${WORKSPACE_KEY_VARIABLE}}` });
  });

  it('only the agents given a model take part', () => {
    const env = workspaceProfileEnvironment({ ...ALL, models: { 'claude-code': 'claude-sonnet-4-5' } }, linux());
    assert.deepEqual(env.files, []);
    const names = env.variables.map((v) => v.name);
    for (const absent of ['PATH', WORKSPACE_KEY_VARIABLE, 'OPENCODE_CONFIG_CONTENT', CODEX_PROFILE_VARIABLE]) assert.ok(!names.includes(absent), absent);
  });

  it('applies like a terminal: PATH prepended, the rest replaced', () => {
    const env = workspaceProfileEnvironment(ALL, linux());
    const applied = applyProfileVariables({ PATH: '/usr/bin', ANTHROPIC_API_KEY: 'sk-test-shell', HOME: '/home/u' }, env.variables);
    assert.equal(applied.PATH, `${linux().shimDir}:/usr/bin`);
    assert.equal(applied.ANTHROPIC_API_KEY, '');
    assert.equal(applied.HOME, '/home/u');
  });
});

describe('the Codex shim (POSIX sh, run for real)', function () {
  if (process.platform === 'win32') return;
  let dir: string;
  let shim: string;
  let real: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-shim-'));
    shim = path.join(dir, 'shim');
    real = path.join(dir, 'real');
    mkdirSync(shim);
    mkdirSync(real);
    const file = codexShim('linux');
    writeFileSync(path.join(shim, file.name), file.text, { mode: file.mode });
    writeFileSync(path.join(real, 'codex'), '#!/bin/sh\necho "real codex: $*"\n', { mode: 0o755 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(path.join(shim, 'codex'), args, { env: { PATH: `${shim}:${real}:/usr/bin:/bin`, ...env }, encoding: 'utf8' });

  it('adds --profile <name> from TOKAIFY_CODEX_PROFILE, before the subcommand', () => {
    assert.equal(run(['exec', 'hello world'], { [CODEX_PROFILE_VARIABLE]: 'tokaify-ws-1' }).stdout, 'real codex: --profile tokaify-ws-1 exec hello world\n');
  });

  it('passes the command line on untouched without the variable, or when the user names a profile', () => {
    assert.equal(run(['exec', 'x']).stdout, 'real codex: exec x\n');
    assert.equal(run(['--profile', 'mine', 'exec'], { [CODEX_PROFILE_VARIABLE]: 'tokaify-ws-1' }).stdout, 'real codex: --profile mine exec\n');
  });

  it('says so when there is no real codex after it', () => {
    const result = spawnSync(path.join(shim, 'codex'), [], { env: { PATH: `${shim}:/usr/bin:/bin` }, encoding: 'utf8' });
    assert.equal(result.status, 127);
    assert.match(result.stderr, /codex: command not found/);
  });
});

describe('workspace profile files', () => {
  it('are written private and atomically, again only when changed, and removed but for the shared shim', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-profile-'));
    try {
      const env = workspaceProfileEnvironment(ALL, { env: {}, home, platform: process.platform, shimDir: path.join(home, 'storage', 'bin') });
      assert.deepEqual(await writeProfileFiles(env.files), env.files.map((f) => f.path));
      for (const file of env.files) {
        assert.equal(readFileSync(file.path, 'utf8'), file.text);
        if (process.platform !== 'win32') assert.equal(statSync(file.path).mode & 0o777, file.mode);
      }
      assert.deepEqual(await writeProfileFiles(env.files), []);
      await removeProfileFiles(env.files, isSharedProfileFile);
      assert.throws(() => statSync(env.files[0]!.path));
      assert.ok(statSync(env.files[1]!.path).isFile());
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
