/**
 * Where each agent reads its files, resolved exactly as the tools do (client-configs.md §1.1, §2.1,
 * §3.1): environment overrides first, then the home-directory defaults. Pure: the caller passes the
 * environment, home directory and platform, so every case is testable on any machine.
 */
import path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { AgentId } from './types';

export interface HostEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform: NodeJS.Platform;
}

export interface AgentFile {
  /** What the file is, for people: "Codex config.toml". */
  label: string;
  path: string;
  /** Holds an API key: written with mode 0600. */
  secret: boolean;
}

export interface AgentLocations {
  agent: AgentId;
  /** The files a configuration touches, in the order they are written. */
  files: Record<string, AgentFile>;
  /** Directories the tool requires to exist already (Codex refuses a CODEX_HOME that does not). */
  mustExist: string[];
  /** Things the user should know about the choice of path (e.g. both opencode.json and .jsonc exist). */
  notes: string[];
}

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

export function pathApi(host: HostEnvironment): path.PlatformPath {
  return host.platform === 'win32' ? path.win32 : path.posix;
}

/** `~/x` and `~` the way a shell would expand them in an environment variable. */
function expandHome(value: string, host: HostEnvironment): string {
  const p = pathApi(host);
  if (value === '~') return host.home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return p.join(host.home, value.slice(2));
  return p.resolve(host.home, value);
}

/** Codex's home: CODEX_HOME when set, else ~/.codex (where config.toml and profile files live). */
export function codexHome(host: HostEnvironment): string {
  return set(host.env.CODEX_HOME) ? expandHome(host.env.CODEX_HOME!, host) : pathApi(host).join(host.home, '.codex');
}

export function codexLocations(host: HostEnvironment, credential: 'auth-json' | 'config-token'): AgentLocations {
  const p = pathApi(host);
  const fromEnv = set(host.env.CODEX_HOME);
  const dir = codexHome(host);
  const files: Record<string, AgentFile> = {
    config: { label: 'Codex config.toml', path: p.join(dir, 'config.toml'), secret: credential === 'config-token' },
  };
  if (credential === 'auth-json') files.auth = { label: 'Codex auth.json', path: p.join(dir, 'auth.json'), secret: true };
  return {
    agent: 'codex', files, mustExist: fromEnv ? [dir] : [],
    notes: fromEnv ? [l10n.t('CODEX_HOME is set: Codex reads {0}.', dir)] : [],
  };
}

export function claudeCodeLocations(host: HostEnvironment): AgentLocations {
  const p = pathApi(host);
  const fromEnv = set(host.env.CLAUDE_CONFIG_DIR);
  const dir = fromEnv ? expandHome(host.env.CLAUDE_CONFIG_DIR!, host) : p.join(host.home, '.claude');
  return {
    agent: 'claude-code',
    files: { settings: { label: 'Claude Code settings.json', path: p.join(dir, 'settings.json'), secret: true } },
    mustExist: [],
    notes: fromEnv ? [l10n.t('CLAUDE_CONFIG_DIR is set: Claude Code reads {0}.', dir)] : [],
  };
}

/**
 * OpenCode uses xdg-basedir on every platform (no %APPDATA%). The config file is the one the user
 * already has: OPENCODE_CONFIG when set (it is loaded after the global files, so it wins), else
 * opencode.jsonc, else opencode.json.
 */
export function openCodeLocations(host: HostEnvironment, exists: (file: string) => boolean): AgentLocations {
  const p = pathApi(host);
  const { configDir, dataHome } = openCodeDirs(host);
  const json = p.join(configDir, 'opencode.json');
  const jsonc = p.join(configDir, 'opencode.jsonc');
  const notes: string[] = [];
  let config: string;
  if (set(host.env.OPENCODE_CONFIG)) {
    config = expandHome(host.env.OPENCODE_CONFIG!, host);
    notes.push(l10n.t('OPENCODE_CONFIG is set: writing {0}, which OpenCode loads after its global config.', config));
  } else if (exists(jsonc)) {
    config = jsonc;
    if (exists(json)) notes.push(l10n.t('Both opencode.json and opencode.jsonc exist in {0}; OpenCode merges them and opencode.jsonc wins, so it is the one updated.', configDir));
  } else {
    config = json;
  }
  return {
    agent: 'opencode',
    files: {
      config: { label: `OpenCode ${p.basename(config)}`, path: config, secret: false },
      auth: { label: 'OpenCode auth.json', path: p.join(dataHome, 'opencode', 'auth.json'), secret: true },
    },
    mustExist: [],
    notes,
  };
}

function openCodeDirs(host: HostEnvironment): { configDir: string; dataHome: string } {
  const p = pathApi(host);
  const configHome = set(host.env.XDG_CONFIG_HOME) ? expandHome(host.env.XDG_CONFIG_HOME!, host) : p.join(host.home, '.config');
  const dataHome = set(host.env.XDG_DATA_HOME) ? expandHome(host.env.XDG_DATA_HOME!, host) : p.join(host.home, '.local', 'share');
  return { configDir: p.join(configHome, 'opencode'), dataHome };
}

/**
 * Every global config file OpenCode loads and deep-merges, in load order (a later one wins): the legacy
 * config.json, opencode.json, opencode.jsonc, then OPENCODE_CONFIG. A key in any of them is sent, so
 * reading or rotating keys looks at all of them, not only the one Configure writes.
 */
export function openCodeConfigFiles(host: HostEnvironment): string[] {
  const p = pathApi(host);
  const { configDir } = openCodeDirs(host);
  const files = ['config.json', 'opencode.json', 'opencode.jsonc'].map((name) => p.join(configDir, name));
  if (set(host.env.OPENCODE_CONFIG)) files.push(expandHome(host.env.OPENCODE_CONFIG!, host));
  return [...new Set(files)];
}

/**
 * Where backups of agent files go, shared by the extension and the CLI so either can restore what the
 * other changed: the XDG state directory (LOCALAPPDATA on Windows), never next to the user's files.
 */
export function defaultBackupDir(host: HostEnvironment): string {
  const p = pathApi(host);
  if (host.platform === 'win32') {
    const local = set(host.env.LOCALAPPDATA) ? host.env.LOCALAPPDATA! : p.join(host.home, 'AppData', 'Local');
    return p.join(local, 'Tokaify', 'backups');
  }
  const state = set(host.env.XDG_STATE_HOME) ? expandHome(host.env.XDG_STATE_HOME!, host) : p.join(host.home, '.local', 'state');
  return p.join(state, 'tokaify', 'backups');
}
