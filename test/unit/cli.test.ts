// The companion CLI (dist/cli.js) as a script would run it: a temporary HOME, the key in the environment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENT_FILES, layFiles, layFixtures, NEW_KEY, OLD_KEY, type AgentFileName } from './agentHome';

const CLI = path.resolve(__dirname, '../../cli.js');
const KEY = 'sk-test' + 'c'.repeat(40);

describe('tokaify CLI: write <agent>', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-cli-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  // Run from HOME unless told otherwise: the working directory is the project the agent would read.
  const cli = (args: string[], env: Record<string, string> = {}, cwd = home) => {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, USERPROFILE: home, TOKAIFY_API_KEY: KEY, ...env }, encoding: 'utf8', input: '', cwd,
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const base = ['--base-url', 'https://gw.example.com/v1', '--model', 'gpt-5.4'];

  it('--dry-run prints the diff with the key masked and writes nothing', () => {
    const r = cli(['write', 'codex', ...base, '--dry-run']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\+model_provider = "tokaify"/);
    assert.match(r.out, /\+base_url = "https:\/\/gw\.example\.com\/v1"/);
    assert.ok(!r.out.includes(KEY) && !r.err.includes(KEY), 'the key is never printed');
    assert.match(r.err, /pasted .*\/v1|v1/i, 'the /v1 in --base-url is explained');
    assert.equal(existsSync(path.join(home, '.codex')), false);
  });

  it('--dry-run masks every secret already in the files: ChatGPT tokens, an old key, GitHub and header tokens; {env:…} stays', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
    const refresh = 'rt_Aq8xZ3kLm9PqR2sT5vW8yB1cD4eF7gH0';
    const oldKey = 'Zk3m9QxR2bT7vW1yC4dF6gH8jK0lN5pS';
    const ghp = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const header = 'gw-team-7f3a9c2e1b8d4f60';
    mkdirSync(path.join(home, '.codex'));
    writeFileSync(path.join(home, '.codex', 'auth.json'), JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: jwt, access_token: jwt, refresh_token: refresh, account_id: 'acct-1' } }, null, 2));
    writeFileSync(path.join(home, '.codex', 'config.toml'), [
      '[mcp_servers.github.env]', `GITHUB_TOKEN = "${ghp}"`, '',
      '[model_providers.corp]', 'name = "Corp"', `http_headers = { Authorization = "Bearer ${header}" }`, '',
    ].join('\n'));
    mkdirSync(path.join(home, '.claude'));
    writeFileSync(path.join(home, '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_API_KEY: oldKey, GITHUB_TOKEN: ghp } }, null, 2));
    mkdirSync(path.join(home, '.config', 'opencode'), { recursive: true });
    writeFileSync(path.join(home, '.config', 'opencode', 'opencode.json'), JSON.stringify({ provider: { corp: { options: { apiKey: '{env:CORP_API_KEY}' } } } }, null, 2));

    const runs = [
      cli(['write', 'codex', ...base, '--codex-auth', 'auth-json', '--dry-run']),
      cli(['write', 'claude-code', ...base, '--dry-run']),
      cli(['write', 'opencode', ...base, '--dry-run']),
    ];
    const out = runs.map((r) => { assert.equal(r.code, 0, r.err); return r.out + r.err; }).join('\n');
    for (const secret of [jwt, refresh, oldKey, ghp, header, KEY]) assert.ok(!out.includes(secret), `${secret.slice(0, 8)}… printed:\n${out}`);
    // The lines are there, masked: the person still sees which entries exist.
    assert.match(out, /"id_token": "eyJh…1cmU"/);
    assert.match(out, /^ GITHUB_TOKEN = "ghp_16C7…8B4a"$/m);
    assert.match(out, /http_headers = \{ Authorization = "Bearer gw-t…4f60" \}/);
    assert.match(out, /^- {4}"ANTHROPIC_API_KEY": "Zk3m…N5pS",?$/m);
    assert.match(out, /"apiKey": "\{env:CORP_API_KEY\}"/);
  });

  it('--yes writes config.toml and auth.json (0600) and says where the backup went', () => {
    mkdirSync(path.join(home, '.codex'));
    writeFileSync(path.join(home, '.codex', 'config.toml'), '# keep me\n[projects."/srv/app"]\ntrust_level = "trusted"\n');
    const r = cli(['write', 'codex', ...base, '--yes']);
    assert.equal(r.code, 0, r.err);
    const config = readFileSync(path.join(home, '.codex', 'config.toml'), 'utf8');
    // The comment belongs to the table under it, so the new root keys go above both.
    assert.match(config, /# keep me\n\[projects\."\/srv\/app"\]\ntrust_level = "trusted"/);
    assert.ok(config.indexOf('model_provider') < config.indexOf('[projects'));
    assert.equal(JSON.parse(readFileSync(path.join(home, '.codex', 'auth.json'), 'utf8')).OPENAI_API_KEY, KEY);
    assert.equal(statSync(path.join(home, '.codex', 'auth.json')).mode & 0o777, 0o600);
    assert.match(r.out, /backup: .*\.local\/state\/tokaify\/backups\//);
    assert.equal(cli(['write', 'codex', ...base, '--yes']).out.trim(), 'Codex CLI is already configured this way; nothing to write.');
  });

  it('honours CLAUDE_CONFIG_DIR and XDG_CONFIG_HOME / XDG_DATA_HOME like the tools', () => {
    assert.equal(cli(['write', 'claude-code', ...base, '--yes'], { CLAUDE_CONFIG_DIR: path.join(home, 'cc') }).code, 0);
    const settings = JSON.parse(readFileSync(path.join(home, 'cc', 'settings.json'), 'utf8'));
    assert.equal(settings.env.ANTHROPIC_BASE_URL, 'https://gw.example.com');
    const xdg = { XDG_CONFIG_HOME: path.join(home, 'xc'), XDG_DATA_HOME: path.join(home, 'xd') };
    assert.equal(cli(['write', 'opencode', ...base, '--yes'], xdg).code, 0);
    assert.ok(existsSync(path.join(home, 'xc', 'opencode', 'opencode.json')));
    assert.equal(JSON.parse(readFileSync(path.join(home, 'xd', 'opencode', 'auth.json'), 'utf8')).tokaify.key, KEY);
  });

  it('a malformed file: non-zero exit, path:line:col, nothing changed', () => {
    mkdirSync(path.join(home, '.claude'));
    const broken = '{\n  // a comment Claude Code would reject\n  "env": {}\n}\n';
    writeFileSync(path.join(home, '.claude', 'settings.json'), broken);
    const r = cli(['write', 'claude-code', ...base, '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.err, /settings\.json:2:\d+/);
    assert.equal(readFileSync(path.join(home, '.claude', 'settings.json'), 'utf8'), broken);
  });

  it('refuses without confirmation when not interactive, and never takes the key from argv', () => {
    const r = cli(['write', 'opencode', ...base]);
    assert.equal(r.code, 1);
    assert.match(r.err, /--yes/);
    assert.equal(cli(['write', 'codex', ...base, '--key', KEY]).code, 2);
    assert.equal(cli(['write', 'codex', ...base], { TOKAIFY_API_KEY: '' }).code, 2);
    assert.equal(cli(['write', 'vim', ...base]).code, 2);
  });

  it('refuses a plain http gateway on another machine unless --allow-http; loopback http is fine', () => {
    const remote = ['--base-url', 'http://gw.example.com', '--model', 'gpt-5.4'];
    const refused = cli(['write', 'claude-code', ...remote, '--yes']);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /http:\/\/gw\.example\.com is plain http to another machine.*--allow-http/);
    assert.equal(existsSync(path.join(home, '.claude')), false, 'nothing written');

    const allowed = cli(['write', 'claude-code', ...remote, '--yes', '--allow-http']);
    assert.equal(allowed.code, 0, allowed.err);
    assert.match(allowed.err, /plain http \(--allow-http\)/);
    assert.equal(JSON.parse(readFileSync(path.join(home, '.claude', 'settings.json'), 'utf8')).env.ANTHROPIC_BASE_URL, 'http://gw.example.com');

    for (const local of ['http://localhost:3000', 'http://127.0.0.2:3000', 'http://[::1]:3000']) {
      const r = cli(['write', 'opencode', '--base-url', local, '--model', 'gpt-5.4', '--dry-run']);
      assert.equal(r.code, 0, `${local}: ${r.err}`);
      assert.ok(!/plain http/.test(r.err), local);
    }
    assert.match(cli(['write', 'codex']).err, /--allow-http/, 'the usage text names the option');
  });

  describe('what the real agents showed (issue 11): said before writing, with the option that fixes it', () => {
    const USERS_OWN = 'sk-ant-api03-' + 'u'.repeat(40);
    const settings = () => JSON.parse(readFileSync(path.join(home, '.claude', 'settings.json'), 'utf8')) as { env: Record<string, string> };

    it('ANTHROPIC_API_KEY in the shell: named before the diff with --clear-shell-key; with it, settings.json gets "ANTHROPIC_API_KEY": ""', () => {
      const warned = cli(['write', 'claude-code', ...base, '--yes'], { ANTHROPIC_API_KEY: USERS_OWN });
      assert.equal(warned.code, 0, warned.err);
      assert.match(warned.err, /^warning: ANTHROPIC_API_KEY is set in your shell environment: Claude Code would send it in the x-api-key header to gw\.example\.com next to the gateway key in ANTHROPIC_AUTH_TOKEN/m);
      assert.match(warned.err, /^ {2}fix: re-run with --clear-shell-key to write "ANTHROPIC_API_KEY": "" in settings\.json\./m);
      assert.ok(!(warned.out + warned.err).includes(USERS_OWN.slice(0, 16)), 'the shell key is never printed');
      assert.equal('ANTHROPIC_API_KEY' in settings().env, false, 'not fixed unless asked');

      const fixed = cli(['write', 'claude-code', ...base, '--clear-shell-key', '--yes'], { ANTHROPIC_API_KEY: USERS_OWN });
      assert.equal(fixed.code, 0, fixed.err);
      assert.match(fixed.out, /^\+ {4}"ANTHROPIC_API_KEY": ""$/m, 'the fix is in the diff');
      assert.doesNotMatch(fixed.err, /warning/);
      assert.equal(settings().env.ANTHROPIC_API_KEY, '');
      assert.equal(settings().env.ANTHROPIC_AUTH_TOKEN, KEY);
      // Later runs keep the blank and have nothing to say.
      const again = cli(['write', 'claude-code', ...base, '--yes'], { ANTHROPIC_API_KEY: USERS_OWN });
      assert.equal(again.out.trim(), 'Claude Code is already configured this way; nothing to write.');
      assert.doesNotMatch(again.err, /warning/);
    });

    it('the reverse, from a profile file: ANTHROPIC_AUTH_TOKEN exported in ~/.zshrc while writing ANTHROPIC_API_KEY', () => {
      writeFileSync(path.join(home, '.zshrc'), `# mine\nexport ANTHROPIC_AUTH_TOKEN="${USERS_OWN}"\n`);
      const r = cli(['write', 'claude-code', ...base, '--key-variable', 'ANTHROPIC_API_KEY', '--dry-run']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /^warning: ANTHROPIC_AUTH_TOKEN is set in ~\/\.zshrc line 2: Claude Code would send it in the Authorization header/m);
      assert.match(r.err, /--clear-shell-key to write "ANTHROPIC_AUTH_TOKEN": ""/);
      assert.ok(!r.err.includes(USERS_OWN.slice(0, 16)));
    });

    it('run in a project whose .claude/settings.json sets ANTHROPIC_MODEL: said before writing; run from ~, its own file is not a project', () => {
      const app = path.join(home, 'app');
      mkdirSync(path.join(app, '.claude'), { recursive: true });
      writeFileSync(path.join(app, '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_MODEL: 'claude-opus-4-1' } }));
      const r = cli(['write', 'claude-code', ...base, '--yes'], {}, app);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /^warning: ~\/app\/\.claude\/settings\.json sets env\.ANTHROPIC_MODEL: Claude Code started in ~\/app uses that value, not what is written here/m);
      assert.doesNotMatch(r.err, /fix:/, 'not our file to change');
      const fromHome = cli(['write', 'claude-code', '--base-url', 'https://gw.example.com', '--model', 'other', '--yes']);
      assert.equal(fromHome.code, 0, fromHome.err);
      assert.doesNotMatch(fromHome.err, /warning/);
    });

    it('a root profile in config.toml: warned; --remove-legacy-profile takes it out, shown in the diff, [profiles.work] kept', () => {
      mkdirSync(path.join(home, '.codex'));
      const config = 'profile = "work"\n\n[profiles.work]\nmodel = "o3"\n';
      writeFileSync(path.join(home, '.codex', 'config.toml'), config);
      const warned = cli(['write', 'codex', ...base, '--dry-run']);
      assert.match(warned.err, /^warning: config\.toml line 1 selects a profile at its root \(profile = "work"\): Codex 0\.171 and later refuse to start with it/m);
      assert.match(warned.err, /fix: re-run with --remove-legacy-profile to remove the root profile line\./);
      const r = cli(['write', 'codex', ...base, '--remove-legacy-profile', '--yes']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^-profile = "work"$/m);
      assert.match(r.out, /^\+# Removed by Tokaify \(Codex no longer accepts a root profile; .*\): profile = "work"$/m);
      const written = readFileSync(path.join(home, '.codex', 'config.toml'), 'utf8');
      assert.doesNotMatch(written, /^profile =/m);
      assert.match(written, /^\[profiles\.work\]\nmodel = "o3"$/m);
      assert.doesNotMatch(r.err, /warning/);
    });
  });

  describe('in the language of the shell (LANG, LC_ALL)', () => {
    const USERS_OWN = 'sk-ant-api03-' + 'u'.repeat(40);

    it('LANG=zh_CN.UTF-8: the usage, a warning with its fix and what was written are Chinese; flags and paths stay as typed', () => {
      const usage = cli(['write', 'codex'], { LANG: 'zh_CN.UTF-8' });
      assert.equal(usage.code, 2);
      assert.match(usage.err, /^tokaify: 缺少必需的 --base-url\n用法：tokaify write <codex\|claude-code\|opencode> --base-url <url> --model <id> \[选项\]\n/);
      assert.match(usage.err, /^ {2}--dry-run {20}只打印计划的差异，不写入任何内容$/m);
      assert.match(usage.err, /--allow-http/);

      const env = { LANG: 'zh_CN.UTF-8', ANTHROPIC_API_KEY: USERS_OWN };
      const first = cli(['write', 'claude-code', ...base, '--yes'], env);
      assert.equal(first.code, 0, first.err);
      assert.match(first.err, /^警告：ANTHROPIC_API_KEY 已在以下位置设置：你的 shell 环境。Claude Code 会通过 x-api-key 请求头/m);
      assert.match(first.err, /^ {2}修复：加上 --clear-shell-key 重新运行，即可在 settings\.json 中写入 "ANTHROPIC_API_KEY": ""。/m);
      assert.match(first.out, /^已写入 .*\/\.claude\/settings\.json（权限 0600）$/m);
      assert.ok(!(first.out + first.err).includes(USERS_OWN.slice(0, 16)), 'the shell key is never printed');
      assert.equal(cli(['write', 'claude-code', ...base, '--yes'], env).out.trim(), 'Claude Code 已按此配置，无需写入。');
    });

    it('LANG=en_US.UTF-8, or LC_ALL=en_US.UTF-8 over a Chinese LANG: English', () => {
      const usage = cli(['write', 'codex'], { LANG: 'en_US.UTF-8' });
      assert.match(usage.err, /^tokaify: --base-url is required\nusage: tokaify write </);
      for (const env of [{ LANG: 'en_US.UTF-8' }, { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }] as Record<string, string>[]) {
        assert.equal(cli(['write', 'opencode', ...base, '--yes'], env).code, 0);
        assert.equal(cli(['write', 'opencode', ...base, '--yes'], env).out.trim(), 'OpenCode is already configured this way; nothing to write.');
      }
    });
  });

  it('a read-only folder: exit 1 with a plain reason, the file unchanged', () => {
    // Root ignores folder permissions, so as root the CLI runs as "nobody" (setpriv, util-linux).
    const root = process.getuid?.() === 0;
    const cliCopy = path.join(home, 'cli.js'); // the bundle is self-contained; nobody may not read the repo
    copyFileSync(CLI, cliCopy);
    const codex = path.join(home, '.codex');
    mkdirSync(codex);
    writeFileSync(path.join(codex, 'config.toml'), 'model = "o3"\n');
    if (root) {
      for (const p of [home, codex, cliCopy, path.join(codex, 'config.toml')]) chownSync(p, 65534, 65534);
    }
    chmodSync(codex, 0o500);
    const command = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath] : [process.execPath];
    const result = spawnSync(command[0]!, [...command.slice(1), cliCopy, 'write', 'codex', ...base, '--yes'], {
      env: { PATH: process.env.PATH ?? '', HOME: home, TOKAIFY_API_KEY: KEY }, encoding: 'utf8', input: '',
    });
    chmodSync(codex, 0o700);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /Could not write .*\.codex.*permission denied \(is the folder read-only\?\)/);
    assert.equal(readFileSync(path.join(codex, 'config.toml'), 'utf8'), 'model = "o3"\n');
    assert.deepEqual(readdirSync(codex).sort(), ['config.toml'], 'no temp file left behind');
  });
});

describe('tokaify CLI: rotate', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-cli-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const keys = { OLD_TOKAIFY_KEY: OLD_KEY, NEW_TOKAIFY_KEY: NEW_KEY };
  const cli = (args: string[], env: Record<string, string> = keys) => {
    const result = spawnSync(process.execPath, [CLI, 'rotate', ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, ...env }, encoding: 'utf8', input: '', cwd: home });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const names = ['--from-key-env', 'OLD_TOKAIFY_KEY', '--to-key-env', 'NEW_TOKAIFY_KEY'];
  const snapshot = (paths: Record<AgentFileName, string>) => Object.fromEntries(Object.entries(paths).map(([name, file]) => [name, readFileSync(file, 'utf8')]));

  it('--dry-run prints the diff of every file holding the old key, keys masked, and writes nothing', () => {
    const paths = layFixtures(home);
    const before = snapshot(paths);
    const r = cli([...names, '--dry-run']);
    assert.equal(r.code, 0, r.err);
    for (const rel of [AGENT_FILES.codexConfig, AGENT_FILES.claudeSettings, AGENT_FILES.openCodeConfig, AGENT_FILES.openCodeAuth]) assert.ok(r.out.includes(rel), rel);
    assert.ok(!r.out.includes(AGENT_FILES.codexAuth), 'a file without the old key is not in the diff');
    assert.match(r.out, /^-\s+"ANTHROPIC_AUTH_TOKEN": "sk-test…0000",?$/m);
    assert.match(r.out, /^\+\s+"ANTHROPIC_AUTH_TOKEN": "sk-test…1111",?$/m);
    for (const key of [OLD_KEY, NEW_KEY, OLD_KEY.slice(3), NEW_KEY.slice(3)]) assert.ok(!(r.out + r.err).includes(key), 'no key printed');
    assert.match(r.err, /dry run: nothing was written/);
    assert.deepEqual(snapshot(paths), before);
  });

  it('--yes writes every file (0600), says which, and one backup holds them all', () => {
    const paths = layFixtures(home);
    const before = snapshot(paths);
    const r = cli([...names, '--yes']);
    assert.equal(r.code, 0, r.err);
    const written = [...r.out.matchAll(/^wrote (.*) \(mode 0600\)$/gm)].map((m) => path.relative(home, m[1]!));
    assert.deepEqual(written, [AGENT_FILES.codexConfig, AGENT_FILES.claudeSettings, AGENT_FILES.openCodeConfig, AGENT_FILES.openCodeAuth]);
    for (const name of Object.keys(paths) as AgentFileName[]) {
      assert.equal(readFileSync(paths[name], 'utf8'), before[name]!.split(OLD_KEY).join(NEW_KEY), name);
    }
    const backups = path.join(home, '.local', 'state', 'tokaify', 'backups');
    const [folder, ...more] = readdirSync(backups);
    assert.deepEqual(more, []);
    const manifest = JSON.parse(readFileSync(path.join(backups, folder!, 'backup.json'), 'utf8')) as { reason: string; agents: string[] };
    assert.equal(manifest.reason, 'rotate');
    assert.deepEqual(manifest.agents, ['codex', 'claude-code', 'opencode']);
    assert.match(r.out, new RegExp(`^backup: .*${folder}$`, 'm'));
  });

  it('nothing holds the old key: a clear message and exit 1', () => {
    layFiles(home, { claudeSettings: JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: NEW_KEY } }) });
    const r = cli([...names, '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.err, /no agent file holds the old key \(sk-…0000\); nothing to rotate/);
  });

  it('usage mistakes exit 2 (a key on the command line, a missing or unset variable, the same key twice); no confirmation exits 1', () => {
    layFixtures(home);
    assert.equal(cli([...names, '--old-key', OLD_KEY]).code, 2);
    assert.match(cli(['--from-key-env', 'OLD_TOKAIFY_KEY']).err, /--to-key-env is required\nusage: tokaify write[\s\S]*usage: tokaify rotate --from-key-env <VAR> --to-key-env <VAR>/);
    const unset = cli(names, { OLD_TOKAIFY_KEY: OLD_KEY });
    assert.equal(unset.code, 2);
    assert.match(unset.err, /NEW_TOKAIFY_KEY is not set/);
    assert.equal(cli(names, { OLD_TOKAIFY_KEY: OLD_KEY, NEW_TOKAIFY_KEY: OLD_KEY.slice(3) }).code, 2);
    const asked = cli(names);
    assert.equal(asked.code, 1);
    assert.match(asked.err, /re-run with --yes/);
  });

  it('a broken file holding the old key: exit 1 with path:line:col, and no file changed', () => {
    const paths = layFixtures(home);
    const broken = `{\n  "env": { "ANTHROPIC_AUTH_TOKEN": "${OLD_KEY}", }\n}\n`;
    writeFileSync(paths.claudeSettings, broken);
    const before = snapshot(paths);
    const r = cli([...names, '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.err, /settings\.json:2:\d+: trailing comma/);
    assert.deepEqual(snapshot(paths), before);
  });
});
