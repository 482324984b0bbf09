/**
 * One configuration request → the file changes for one agent: resolves the paths, reads the current
 * files and runs the pure planners. Nothing is written here (fileWriter.applyChanges does that after
 * the user has seen the diff).
 */
import { existsSync, statSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { openAiBase } from '../baseUrl';
import { planClaudeSettings, type ClaudeKeyVariable } from './claudeCode';
import { planCodexConfig, type ReasoningEffort } from './codex';
import { codexAuthMode, planCodexAuth } from './codexAuth';
import { readText, type FileChange } from './fileWriter';
import { planOpencodeAuth, planOpencodeConfig } from './opencode';
import { claudeCodeLocations, codexLocations, openCodeLocations, type HostEnvironment } from './paths';
import type { AgentId } from './types';

export type CodexCredential = 'auth-json' | 'config-token';

export interface ConfigureRequest {
  /** The gateway root, normalised (no trailing slash, no /v1). */
  gatewayRoot: string;
  key: string;
  model: string;
  codex?: { credential?: CodexCredential | 'auto'; reasoningEffort?: ReasoningEffort; reviewModel?: string; providerId?: string; removeLegacyProfile?: boolean };
  claude?: { keyVariable?: ClaudeKeyVariable; customModelOption?: boolean; disableExperimentalBetas?: boolean; clearShellKey?: boolean };
  opencode?: { providerId?: string; setDefaultModel?: boolean };
}

export interface AgentPlan {
  agent: AgentId;
  changes: FileChange[];
  notes: string[];
}

export const DEFAULT_PROVIDER_ID = 'tokaify';

/**
 * Codex's credential: auth.json (what the gateway's guide does) unless auth.json holds a ChatGPT login,
 * which switching to API-key mode would put aside; then the key goes into our provider table instead.
 */
export async function chooseCodexCredential(host: HostEnvironment, wanted: CodexCredential | 'auto' = 'auto'): Promise<{ credential: CodexCredential; chatgptLogin: boolean }> {
  const auth = codexLocations(host, 'auth-json').files.auth!;
  const chatgptLogin = codexAuthMode(await readText(auth.path)) === 'chatgpt';
  if (wanted !== 'auto') return { credential: wanted, chatgptLogin };
  return { credential: chatgptLogin ? 'config-token' : 'auth-json', chatgptLogin };
}

export async function planAgent(agent: AgentId, request: ConfigureRequest, host: HostEnvironment): Promise<AgentPlan> {
  switch (agent) {
    case 'codex': return planCodex(request, host);
    case 'claude-code': return planClaudeCode(request, host);
    case 'opencode': return planOpenCode(request, host);
  }
}

async function change(agent: AgentId, file: { label: string; path: string; secret: boolean }, plan: (current: string | undefined) => string): Promise<FileChange> {
  const before = await readText(file.path);
  return { agent, label: file.label, path: file.path, secret: file.secret, before, after: plan(before) };
}

async function planCodex(request: ConfigureRequest, host: HostEnvironment): Promise<AgentPlan> {
  const options = request.codex ?? {};
  const { credential, chatgptLogin } = await chooseCodexCredential(host, options.credential);
  const locations = codexLocations(host, credential);
  for (const dir of locations.mustExist) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new Error(l10n.t('CODEX_HOME points to {0}, which is not an existing folder; Codex would refuse it too. Create the folder or unset CODEX_HOME.', dir));
    }
  }
  const { config, auth } = locations.files;
  const changes = [await change('codex', config!, (current) => planCodexConfig(current, {
    providerId: options.providerId ?? DEFAULT_PROVIDER_ID, baseUrl: openAiBase(request.gatewayRoot), model: request.model,
    reviewModel: options.reviewModel, reasoningEffort: options.reasoningEffort, removeLegacyProfile: options.removeLegacyProfile,
    credential: credential === 'config-token' ? { kind: 'config-token', key: request.key } : { kind: 'auth-json' },
  }, config!.path))];
  if (auth) changes.push(await change('codex', auth, (current) => planCodexAuth(current, request.key, auth.path)));
  const notes = [...locations.notes];
  if (credential === 'config-token') {
    notes.push(chatgptLogin
      ? l10n.t('auth.json holds your ChatGPT login, so it is left alone: the key goes into the tokaify provider in config.toml (mode 0600).')
      : l10n.t('The key goes into the tokaify provider in config.toml (mode 0600); auth.json is left alone.'));
  } else if (chatgptLogin) {
    notes.push(l10n.t('auth.json switches from your ChatGPT login to API-key mode; the login tokens stay in the file.'));
  }
  return { agent: 'codex', changes, notes };
}

async function planClaudeCode(request: ConfigureRequest, host: HostEnvironment): Promise<AgentPlan> {
  const options = request.claude ?? {};
  const locations = claudeCodeLocations(host);
  const settings = locations.files.settings!;
  const changes = [await change('claude-code', settings, (current) => planClaudeSettings(current, {
    baseUrl: request.gatewayRoot, key: request.key, keyVariable: options.keyVariable ?? 'ANTHROPIC_AUTH_TOKEN', model: request.model,
    customModelOption: options.customModelOption, disableExperimentalBetas: options.disableExperimentalBetas, clearShellKey: options.clearShellKey,
  }, settings.path))];
  return { agent: 'claude-code', changes, notes: locations.notes };
}

async function planOpenCode(request: ConfigureRequest, host: HostEnvironment): Promise<AgentPlan> {
  const options = request.opencode ?? {};
  const providerId = options.providerId ?? DEFAULT_PROVIDER_ID;
  const locations = openCodeLocations(host, existsSync);
  const { config, auth } = locations.files;
  const changes = [
    await change('opencode', config!, (current) => planOpencodeConfig(current, {
      providerId, baseUrl: openAiBase(request.gatewayRoot), model: request.model, setDefaultModel: options.setDefaultModel ?? true,
    }, config!.path)),
    await change('opencode', auth!, (current) => planOpencodeAuth(current, providerId, request.key, auth!.path)),
  ];
  return { agent: 'opencode', changes, notes: locations.notes };
}
