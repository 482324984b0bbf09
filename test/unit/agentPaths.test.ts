import assert from 'node:assert/strict';
import { claudeCodeLocations, codexLocations, defaultBackupDir, openCodeLocations, type HostEnvironment } from '../../src/core/agents/paths';

const linux = (env: Record<string, string> = {}): HostEnvironment => ({ env, home: '/home/u', platform: 'linux' });
const windows = (env: Record<string, string> = {}): HostEnvironment => ({ env, home: 'C:\\Users\\u', platform: 'win32' });
const pathsOf = (l: { files: Record<string, { path: string }> }) => Object.fromEntries(Object.entries(l.files).map(([k, f]) => [k, f.path]));

describe('agent file locations', () => {
  it('Codex: ~/.codex by default, CODEX_HOME when set (and then it must exist)', () => {
    assert.deepEqual(pathsOf(codexLocations(linux(), 'auth-json')), { config: '/home/u/.codex/config.toml', auth: '/home/u/.codex/auth.json' });
    const custom = codexLocations(linux({ CODEX_HOME: '/srv/codex' }), 'auth-json');
    assert.equal(custom.files.config!.path, '/srv/codex/config.toml');
    assert.deepEqual(custom.mustExist, ['/srv/codex']);
    assert.deepEqual(codexLocations(linux({ CODEX_HOME: '  ' }), 'auth-json').mustExist, [], 'an empty CODEX_HOME is unset');
  });

  it('Codex with the key in config.toml touches no auth.json, and config.toml is secret', () => {
    const l = codexLocations(linux(), 'config-token');
    assert.deepEqual(Object.keys(l.files), ['config']);
    assert.equal(l.files.config!.secret, true);
  });

  it('Windows: %USERPROFILE%\\.codex and \\.claude', () => {
    assert.equal(codexLocations(windows(), 'auth-json').files.config!.path, 'C:\\Users\\u\\.codex\\config.toml');
    assert.equal(claudeCodeLocations(windows()).files.settings!.path, 'C:\\Users\\u\\.claude\\settings.json');
  });

  it('Claude Code: ~/.claude/settings.json, or CLAUDE_CONFIG_DIR (with ~ expanded)', () => {
    assert.equal(claudeCodeLocations(linux()).files.settings!.path, '/home/u/.claude/settings.json');
    assert.equal(claudeCodeLocations(linux({ CLAUDE_CONFIG_DIR: '~/work-claude' })).files.settings!.path, '/home/u/work-claude/settings.json');
  });

  it('OpenCode: XDG dirs on every platform; the .jsonc the user has wins over a new .json; OPENCODE_CONFIG wins over both', () => {
    const none = () => false;
    assert.deepEqual(pathsOf(openCodeLocations(linux(), none)), { config: '/home/u/.config/opencode/opencode.json', auth: '/home/u/.local/share/opencode/auth.json' });
    assert.equal(openCodeLocations(windows(), none).files.config!.path, 'C:\\Users\\u\\.config\\opencode\\opencode.json');
    const xdg = openCodeLocations(linux({ XDG_CONFIG_HOME: '/x/config', XDG_DATA_HOME: '/x/data' }), none);
    assert.deepEqual(pathsOf(xdg), { config: '/x/config/opencode/opencode.json', auth: '/x/data/opencode/auth.json' });
    const both = openCodeLocations(linux(), () => true);
    assert.equal(both.files.config!.path, '/home/u/.config/opencode/opencode.jsonc');
    assert.match(both.notes.join(' '), /Both opencode.json and opencode.jsonc/);
    assert.equal(openCodeLocations(linux({ OPENCODE_CONFIG: '/p/oc.json' }), () => true).files.config!.path, '/p/oc.json');
  });

  it('backups live in the XDG state dir (LOCALAPPDATA on Windows), shared by the extension and the CLI', () => {
    assert.equal(defaultBackupDir(linux()), '/home/u/.local/state/tokaify/backups');
    assert.equal(defaultBackupDir(linux({ XDG_STATE_HOME: '/s' })), '/s/tokaify/backups');
    assert.equal(defaultBackupDir(windows({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' })), 'C:\\Users\\u\\AppData\\Local\\Tokaify\\backups');
  });
});
