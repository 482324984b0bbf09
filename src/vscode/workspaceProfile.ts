/**
 * "Use for This Workspace…" and "Clear Workspace Profile": the choice (account id, token id, models, no key)
 * lives in workspaceState; the key is read from SecretStorage when the profile is applied and reaches
 * terminals only through the environment collection, in memory (persistent = false, applied again on
 * activation). The generated files (src/core/agents/workspaceProfile.ts) go to the agent's home and the
 * extension's globalStorage: on the machine where the extension host, the terminals and the agents run.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { hostLabel } from '../core/baseUrl';
import { isSharedProfileFile, workspaceProfileEnvironment, type ProfileEnvironment, type ProfileHost } from '../core/agents/workspaceProfile';
import { removeProfileFiles, writeProfileFiles } from '../core/agents/workspaceProfileFiles';
import { AGENT_IDS, AGENT_LABELS, type AgentId } from '../core/agents/types';
import { terminalsRunInWsl, type TerminalSetup } from '../core/agents/wslTerminals';
import type { AccountStore } from '../core/accounts';
import type { WorkspaceProfileFacts } from '../core/diagnosis/types';
import { errorMessage } from '../core/errors';
import { labelText } from '../core/untrustedText';
import type { AgentCommands, ConfigureArgs } from './agents/agentCommands';
import { WORKSPACE_PROFILE_STATE } from './commandIds';
import type { TokenCommands } from './commands/tokenCommands';
import { hostEnvironment } from './hostEnvironment';
import type { Log } from './log';
import { notify, pickSome } from './ui';

const STATE_KEY = WORKSPACE_PROFILE_STATE;
const AGENTS = AGENT_IDS;

/** What workspaceState holds: names only, never a key. */
export interface StoredProfile {
  accountId: string;
  /** Undefined for an account signed in with a key only (the key is the account's). */
  tokenId?: number;
  /** As shown when chosen (for the status tooltip). */
  tokenName: string;
  models: Partial<Record<AgentId, string>>;
}

/** Scripted use (tests): every choice given. A key can never be passed. */
export interface UseArgs extends Pick<ConfigureArgs, 'accountId' | 'tokenId'> {
  models?: Partial<Record<AgentId, string>>;
}

/** What the status tooltip says about this window's profile. */
export interface ProfileSummary {
  token: string;
  host: string;
  models: string;
}

export interface WorkspaceProfileDeps {
  context: vscode.ExtensionContext;
  accounts: AccountStore;
  tokens: TokenCommands;
  agents: AgentCommands;
  log: Log;
  /** Told when the profile is applied or cleared (the status bar). */
  onDidChange: (summary: ProfileSummary | undefined) => void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export class WorkspaceProfiles {
  private applied: ProfileEnvironment | undefined;

  constructor(private readonly deps: WorkspaceProfileDeps) {}

  stored(): StoredProfile | undefined {
    return this.deps.context.workspaceState.get<StoredProfile>(STATE_KEY);
  }

  /** The variables in force in this window (names and which hold a secret), for Verify and the tests. */
  environment(): ProfileEnvironment | undefined {
    return this.applied;
  }

  summary(): ProfileSummary | undefined {
    const stored = this.stored();
    const meta = stored && this.deps.accounts.get(stored.accountId);
    if (!stored || !meta || !this.applied) return undefined;
    const models = AGENTS.filter((a) => stored.models[a]).map((a) => `${AGENT_LABELS[a]} ${stored.models[a]}`).join(', ');
    return { token: stored.tokenName, host: hostLabel(meta.baseUrl), models };
  }

  /** For Verify: what the profile sets and whether its files are still there (names and paths only). */
  async facts(): Promise<WorkspaceProfileFacts | undefined> {
    const stored = this.stored();
    const env = this.applied;
    if (!stored || !env) return undefined;
    const files = await Promise.all(env.files.map(async (f) => ({ path: f.path, exists: await fs.stat(f.path).then(() => true, () => false) })));
    return { name: env.name, token: stored.tokenName, models: stored.models, variables: env.variables.map((v) => v.name), files };
  }

  async use(arg?: unknown): Promise<boolean> {
    const scripted: UseArgs = isObject(arg) ? (arg as UseArgs) : {};
    const workspace = workspaceId();
    if (!workspace) {
      void notify.warning(vscode.l10n.t('Open a folder or workspace first: the profile belongs to it.'));
      return false;
    }
    if (!vscode.workspace.isTrusted) {
      void notify.warning(vscode.l10n.t('This workspace is not trusted (Restricted Mode): trust it first, then use a profile for it.'));
      return false;
    }
    try {
      const source = await this.deps.agents.source(arg, scripted);
      if (!source) return false;
      const models = scripted.models ?? (await this.pickModels(source));
      if (!models) return false;
      const stored: StoredProfile = { accountId: source.meta.id, tokenId: source.token?.id, tokenName: source.name, models };
      await this.deps.context.workspaceState.update(STATE_KEY, stored);
      await this.applyWith(stored, source.key, workspace);
      void notify.info(vscode.l10n.t('New terminals in this window use "{0}" ({1}). Terminals already open keep their environment.', labelText(source.name), this.summary()?.models ?? ''));
      offerWslNote();
      return true;
    } catch (error) {
      this.deps.log.error(`Use for This Workspace: ${errorMessage(error)}`);
      void notify.error(vscode.l10n.t('Could not set up the workspace profile: {0}', errorMessage(error)));
      return false;
    }
  }

  async clear(): Promise<boolean> {
    const stored = this.stored();
    this.deps.context.environmentVariableCollection.clear();
    await this.deps.context.workspaceState.update(STATE_KEY, undefined);
    // The shim is shared with the other workspaces' profiles; this workspace's Codex profile file is not.
    if (this.applied) await removeProfileFiles(this.applied.files, isSharedProfileFile).catch((e: unknown) => this.deps.log.warn(`Clear profile files: ${errorMessage(e)}`));
    this.applied = undefined;
    this.deps.onDidChange(undefined);
    if (stored) void notify.info(vscode.l10n.t('The workspace profile is cleared: new terminals get the global agent settings again.'));
    return stored !== undefined;
  }

  /** On activation (after it) and when trust is granted: the stored profile again, the key from SecretStorage only. */
  async reapply(): Promise<boolean> {
    const stored = this.stored();
    const workspace = workspaceId();
    if (!stored || !workspace || !vscode.workspace.isTrusted) return false;
    const key = stored.tokenId !== undefined
      ? await this.deps.tokens.storedKey(stored.accountId, stored.tokenId)
      : this.deps.accounts.get(stored.accountId) && (await this.deps.accounts.apiKey(stored.accountId));
    if (!key) {
      this.deps.log.warn('Workspace profile not applied: its key is no longer in SecretStorage (signed out?). Run Use for This Workspace again.');
      return false;
    }
    await this.applyWith(stored, key, workspace);
    return true;
  }

  private async applyWith(stored: StoredProfile, key: string, workspace: string): Promise<void> {
    const meta = this.deps.accounts.get(stored.accountId);
    if (!meta) throw new Error(vscode.l10n.t('The account of this workspace profile is no longer signed in.'));
    const env = workspaceProfileEnvironment({ baseUrl: meta.baseUrl, key, models: stored.models, workspace }, this.host());
    await writeProfileFiles(env.files);
    // An agent dropped from the profile: its file goes (the shared shim stays).
    const kept = new Set(env.files.map((f) => f.path));
    if (this.applied) await removeProfileFiles(this.applied.files, (f) => kept.has(f.path) || isSharedProfileFile(f));
    const collection = this.deps.context.environmentVariableCollection;
    // In memory only: the key must not be written to VS Code's workspace storage.
    collection.persistent = false;
    collection.clear();
    for (const v of env.variables) {
      if (v.prepend) collection.prepend(v.name, v.value);
      else collection.replace(v.name, v.value);
    }
    collection.description = vscode.l10n.t('Tokaify workspace profile: "{0}" at {1}', labelText(stored.tokenName), hostLabel(meta.baseUrl));
    this.applied = env;
    this.deps.log.info(`Workspace profile ${env.name} applied (${env.variables.map((v) => v.name).join(', ')}); files: ${env.files.map((f) => f.path).join(', ') || 'none'}`);
    this.deps.onDidChange(this.summary());
  }

  private host(): ProfileHost {
    return { ...hostEnvironment(), shimDir: path.join(this.deps.context.globalStorageUri.fsPath, 'bin') };
  }

  /** Which agents, then a model for each (the Configure model picker, titled per agent). */
  private async pickModels(source: Awaited<ReturnType<AgentCommands['source']>> & object): Promise<StoredProfile['models'] | undefined> {
    const picked = await pickSome(AGENTS.map((agent) => ({ label: AGENT_LABELS[agent], value: agent, picked: true })), {
      title: vscode.l10n.t('Use for This Workspace'), placeHolder: vscode.l10n.t('Which agents should use this token in this workspace?'),
    });
    if (!picked?.length) return undefined;
    const models: StoredProfile['models'] = {};
    for (const { value: agent } of picked) {
      const model = await this.deps.agents.pickModel(source, [agent], vscode.l10n.t('{0}: model for this workspace', AGENT_LABELS[agent]));
      if (!model) return undefined;
      models[agent] = model;
    }
    return models;
  }
}

/** The workspace's lasting name: its .code-workspace file, else its first folder. */
function workspaceId(): string | undefined {
  const file = vscode.workspace.workspaceFile;
  if (file && file.scheme !== 'untitled') return file.toString();
  return vscode.workspace.workspaceFolders?.[0]?.uri.toString();
}

/**
 * A local Windows window whose terminals open WSL shells: the agents there read their Linux home, which
 * this window's extension host cannot see. Said once per use, with the way to do it.
 */
function offerWslNote(): void {
  const terminal = vscode.workspace.getConfiguration('terminal.integrated');
  if (!terminalsRunInWsl({
    platform: process.platform, remoteName: vscode.env.remoteName,
    defaultProfile: terminal.get<string>('defaultProfile.windows'), profiles: terminal.get<TerminalSetup['profiles']>('profiles.windows') ?? {},
  })) return;
  void notify.info(vscode.l10n.t('Your terminals open WSL, where the agents read their Linux home. This window configures Windows only: open the folder in a WSL window (WSL: Reopen Folder in WSL) and use Tokaify there.'));
}
