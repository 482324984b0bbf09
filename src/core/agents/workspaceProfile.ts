/**
 * A workspace profile: what a terminal's environment needs so that Codex, Claude Code and OpenCode started
 * in it use this workspace's gateway, key and model, while the user's global files (MCP servers, hooks,
 * permissions, other providers) still apply and are never written. Pure: the glue applies the variables
 * through VS Code's EnvironmentVariableCollection (in memory) and writes the files (outside the workspace).
 *
 * What wins over the user's global file, per agent (README "Workspace profiles" has the table):
 * - Codex: no variable selects a profile, so a shim first on PATH adds `--profile <name>`; the profile file
 *   `$CODEX_HOME/<name>.config.toml` sits above config.toml, and its provider reads the key from an
 *   environment variable (`env_key`), so the file holds none (see codexShim.ts).
 * - Claude Code: a settings file's `env` beats the process environment (code.claude.com/docs env-vars),
 *   so plain ANTHROPIC_* variables lose to ~/.claude/settings.json. With
 *   CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST set, "settings-sourced provider/auth configuration does not apply"
 *   (Claude Code 2.1.332's own message; documented for apps that run Claude Code) and the process's
 *   ANTHROPIC_BASE_URL / ANTHROPIC_AUTH_TOKEN / ANTHROPIC_MODEL win; the rest of the settings stay.
 * - OpenCode: OPENCODE_CONFIG_CONTENT is merged last, over the global and project files (client-configs.md
 *   §3.1, config.ts), and `{env:VAR}` in it is substituted (PR #14047), so the key stays in the environment.
 */
import { createHash } from 'node:crypto';
import { openAiBase } from '../baseUrl';
import { CODEX_PROFILE_VARIABLE, codexShim } from './codexShim';
import { tomlString } from './codex';
import { OPENCODE_PROVIDER_NPM, OPENCODE_SCHEMA } from './opencode';
import { codexHome, pathApi, type HostEnvironment } from './paths';
import type { AgentId } from './types';

/** Holds the key for Codex (`env_key`) and OpenCode (`{env:…}`). */
export const WORKSPACE_KEY_VARIABLE = 'TOKAIFY_WORKSPACE_KEY';
/** Names the profile a terminal runs with (no secret): for people, Verify and the tests. */
export const WORKSPACE_PROFILE_VARIABLE = 'TOKAIFY_WORKSPACE_PROFILE';
/** The provider id in the Codex profile and OpenCode's inline config: not `tokaify`, so the global one is left alone. */
export const WORKSPACE_PROVIDER_ID = 'tokaify-workspace';
export const CLAUDE_HOST_MANAGED_VARIABLE = 'CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST';
const CODEX_SHIM_LABEL = 'Codex shim';

export interface WorkspaceProfile {
  /** The gateway root, normalised (no /v1), as accounts store it. */
  baseUrl: string;
  /** The token's key, with `sk-`. */
  key: string;
  /** The model per agent; an agent without one is not part of the profile. */
  models: Partial<Record<AgentId, string>>;
  /** Something that names the workspace for good (its folder or .code-workspace URI): hashed into the profile's name. */
  workspace: string;
}

export interface ProfileHost extends HostEnvironment {
  /** A folder of the extension's own, outside every workspace (globalStorage), for the Codex shim. */
  shimDir: string;
}

export interface ProfileVariable {
  name: string;
  value: string;
  /** Holds the key: kept in memory only, never logged or shown. */
  secret: boolean;
  /** Put in front of the terminal's own value (PATH), with the platform's separator. */
  prepend?: boolean;
  /** The agent it is for; undefined: shared. */
  agent?: AgentId;
}

export interface ProfileFile {
  agent: AgentId;
  /** For people: "Codex profile tokaify-ws-…". */
  label: string;
  path: string;
  text: string;
  /** Unix mode to create it with. */
  mode: number;
}

export interface ProfileEnvironment {
  /** `tokaify-ws-<8 hex>`, stable for a workspace. */
  name: string;
  variables: ProfileVariable[];
  files: ProfileFile[];
}

/** The Codex shim serves every workspace's profile: it is never removed with one. */
export function isSharedProfileFile(file: ProfileFile): boolean {
  return file.label === CODEX_SHIM_LABEL;
}

/** The profile's name: stable for a workspace, different between workspaces, nothing of the path shown. */
export function profileName(workspace: string): string {
  return `tokaify-ws-${createHash('sha256').update(workspace).digest('hex').slice(0, 8)}`;
}

export function workspaceProfileEnvironment(profile: WorkspaceProfile, host: ProfileHost): ProfileEnvironment {
  const name = profileName(profile.workspace);
  const variables: ProfileVariable[] = [{ name: WORKSPACE_PROFILE_VARIABLE, value: name, secret: false }];
  const files: ProfileFile[] = [];
  const { codex, opencode } = profile.models;
  const claude = profile.models['claude-code'];
  if (codex !== undefined || opencode !== undefined) variables.push({ name: WORKSPACE_KEY_VARIABLE, value: profile.key, secret: true });
  if (codex !== undefined) {
    const p = pathApi(host);
    const shim = codexShim(host.platform);
    files.push(
      { agent: 'codex', label: `Codex profile ${name}`, path: p.join(codexHome(host), `${name}.config.toml`), text: codexProfileText(profile.baseUrl, codex), mode: 0o600 },
      { agent: 'codex', label: CODEX_SHIM_LABEL, path: p.join(host.shimDir, shim.name), text: shim.text, mode: shim.mode },
    );
    variables.push(
      { name: 'PATH', value: host.shimDir + p.delimiter, secret: false, prepend: true, agent: 'codex' },
      { name: CODEX_PROFILE_VARIABLE, value: name, secret: false, agent: 'codex' },
    );
  }
  if (claude !== undefined) {
    const agent: AgentId = 'claude-code';
    variables.push(
      { name: CLAUDE_HOST_MANAGED_VARIABLE, value: '1', secret: false, agent },
      { name: 'ANTHROPIC_BASE_URL', value: profile.baseUrl, secret: false, agent },
      { name: 'ANTHROPIC_AUTH_TOKEN', value: profile.key, secret: true, agent },
      // A shell's own key would ride along as x-api-key, and new-api checks that one (README, Configure).
      { name: 'ANTHROPIC_API_KEY', value: '', secret: false, agent },
      { name: 'ANTHROPIC_MODEL', value: claude, secret: false, agent },
      { name: 'CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP', value: '1', secret: false, agent },
    );
  }
  if (opencode !== undefined) {
    variables.push({ name: 'OPENCODE_CONFIG_CONTENT', value: openCodeContent(profile.baseUrl, opencode), secret: false, agent: 'opencode' });
  }
  return { name, variables, files };
}

function codexProfileText(baseUrl: string, model: string): string {
  return [
    '# Written by the Tokaify VS Code extension for one workspace. Codex reads it only as',
    '# `codex --profile <this file\'s name>`, which that workspace\'s terminals run through Tokaify\'s shim,',
    `# over your own config.toml. The key is not here: Codex reads it from ${WORKSPACE_KEY_VARIABLE}.`,
    `model_provider = ${tomlString(WORKSPACE_PROVIDER_ID)}`,
    `model = ${tomlString(model)}`,
    '',
    `[model_providers.${WORKSPACE_PROVIDER_ID}]`,
    `name = ${tomlString('Tokaify (workspace)')}`,
    `base_url = ${tomlString(openAiBase(baseUrl))}`,
    'wire_api = "responses"',
    `env_key = ${tomlString(WORKSPACE_KEY_VARIABLE)}`,
    '',
  ].join('\n');
}

function openCodeContent(baseUrl: string, model: string): string {
  return JSON.stringify({
    $schema: OPENCODE_SCHEMA,
    provider: {
      [WORKSPACE_PROVIDER_ID]: {
        npm: OPENCODE_PROVIDER_NPM,
        name: 'Tokaify (workspace)',
        options: { baseURL: openAiBase(baseUrl), apiKey: `{env:${WORKSPACE_KEY_VARIABLE}}` },
        models: { [model]: { name: model } },
      },
    },
    model: `${WORKSPACE_PROVIDER_ID}/${model}`,
  });
}

/** A terminal's environment with the profile applied, as an EnvironmentVariableCollection applies it. */
export function applyProfileVariables(base: Readonly<Record<string, string | undefined>>, variables: readonly ProfileVariable[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
  for (const v of variables) env[v.name] = v.prepend ? v.value + (env[v.name] ?? '') : v.value;
  return env;
}
