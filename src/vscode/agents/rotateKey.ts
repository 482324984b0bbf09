/**
 * "Rotate Key…": a replacement token with the same settings, every agent file that holds the old key
 * moved to the new one (one preview, all or nothing, one backup), each agent's Test It request sent
 * with the new key, and only then the old token disabled or deleted. Any failed step undoes what came
 * before it (the new token deleted, the files put back), so the old key keeps working.
 * `switchAgents` is the same file move onto an existing token (the safeguards' "switch first").
 */
import * as vscode from 'vscode';
import type { AccountMeta, AccountStore } from '../../core/accounts';
import { keySecretName } from '../../core/accountKeys';
import { restoreChanges, applyChanges, type BackupRecord, type FileChange, type WriteHooks } from '../../core/agents/fileWriter';
import { readClaudeSettings } from '../../core/agents/claudeCode';
import type { ConfigureRequest } from '../../core/agents/plan';
import { applyRotation, planRotation } from '../../core/agents/rotate';
import type { AgentId } from '../../core/agents/types';
import { errorMessage } from '../../core/errors';
import { inputOf, type Token } from '../../core/tokenModel';
import { suffixedTokenName } from '../../core/tokenValidation';
import type { TokenCommands, TokenTarget } from '../commands/tokenCommands';
import type { Gateways } from '../gateways';
import { hostEnvironment } from '../hostEnvironment';
import type { Log } from '../log';
import { pickTokens } from '../tokenPicker';
import { notify, pickOne } from '../ui';
import { agentNames, type AgentCommands } from './agentCommands';
import type { AgentUsageStore } from './agentUsage';
import type { AgentKeyUse, KeyUsageIndex } from './keyUsage';

export interface RotateOptions {
  /** false (own code and tests only): no preview, no questions; the defaults below answer them. */
  confirm?: boolean;
  hooks?: WriteHooks;
  /** Without confirmation: the new token's name ('same' by default). */
  name?: 'same' | 'suffix';
  /** Without confirmation: what happens to the old token ('disable' by default). */
  afterwards?: 'disable' | 'delete';
  /** switchAgents without confirmation: the token to move to. */
  toTokenId?: number;
}

export type RotateStep = 'read' | 'create' | 'plan' | 'write' | 'test' | 'retire';

export type RotateOutcome =
  | { ok: true; agents: AgentId[]; token?: Token; backupId?: string; untested: AgentId[] }
  | { ok: false; cancelled?: boolean; step?: RotateStep; error?: string };

export interface RotateKeyDeps {
  accounts: AccountStore;
  gateways: Gateways;
  tokens: TokenCommands;
  agents: AgentCommands;
  keyUsage: KeyUsageIndex;
  usage: AgentUsageStore;
  log: Log;
}

/** The move of the agents' files from one key to another, shared by rotate() and switchAgents(). */
interface Move {
  meta: AccountMeta;
  from: Token;
  fromKey: string;
  to: Token;
  toKey: string;
  uses: AgentKeyUse[];
}

type MoveResult = { ok: true; backup?: BackupRecord; untested: AgentId[] } | { ok: false; cancelled?: boolean; step: RotateStep; error?: string };


export class RotateKeyFlow {
  constructor(private readonly deps: RotateKeyDeps) {}

  async rotate(arg?: unknown, options: RotateOptions = {}): Promise<RotateOutcome> {
    const confirm = options.confirm !== false;
    const target = await this.deps.tokens.target(arg, vscode.l10n.t('Rotate Key'));
    if (!target) return { ok: false, cancelled: true };
    const { meta } = target;
    let current: Token;
    let oldKey: string | undefined;
    try {
      // (a) The gateway's own copy: the list may be older than the settings we copy.
      current = await (await this.deps.gateways.tokenApi(meta)).get(target.token.id);
      oldKey = await this.deps.tokens.keyFor({ meta, token: current });
    } catch (error) {
      return this.fail('read', vscode.l10n.t('Could not read the token "{0}"', target.token.name), error);
    }
    if (!oldKey) return { ok: false, step: 'read' };
    // (b)
    const uses = await this.deps.keyUsage.agentsHolding(oldKey);
    if (!uses.length && confirm) {
      const anyway = vscode.l10n.t('Rotate Anyway');
      const choice = await notify.modal('info', vscode.l10n.t('No agent file holds the key of "{0}".', current.name),
        vscode.l10n.t('Rotate Anyway creates the replacement token and disables or deletes this one; no file is changed.'), anyway);
      if (choice !== anyway) return { ok: false, cancelled: true };
    }
    // (c)
    const choices = confirm ? await this.askChoices(meta, current) : { name: newName(current.name, options.name ?? 'same', meta.flavor), afterwards: options.afterwards ?? 'disable' };
    if (!choices) return { ok: false, cancelled: true };
    // (d)
    let created: Token;
    let newKey: string | undefined;
    try {
      created = await this.progress(vscode.l10n.t('Creating "{0}"…', choices.name), async () =>
        (await this.deps.gateways.tokenApi(meta)).create({ ...inputOf(current), name: choices.name }));
    } catch (error) {
      return this.fail('create', vscode.l10n.t('Could not create the replacement token'), error);
    }
    this.deps.gateways.tokens(meta).upsert(created);
    try {
      newKey = await this.deps.tokens.keyFor({ meta, token: created });
    } catch (error) {
      this.deps.log.warn(`Revealing the new key: ${errorMessage(error)}`);
    }
    if (!newKey) {
      await this.discard(meta, created);
      return this.fail('create', vscode.l10n.t('Could not read the new token’s key'), vscode.l10n.t('the new token was deleted; "{0}" still works', current.name));
    }
    // (e)–(g)
    const moved = await this.move({ meta, from: current, fromKey: oldKey, to: created, toKey: newKey, uses }, confirm, options.hooks);
    if (!moved.ok) {
      await this.discard(meta, created);
      if (moved.cancelled) void notify.info(vscode.l10n.t('Rotation cancelled: the new token was deleted, no file was changed, and "{0}" still works.', current.name));
      else this.tell(moved.step, vscode.l10n.t('The new token was deleted and "{0}" still works.', current.name), moved.error);
      return moved.cancelled ? { ok: false, cancelled: true } : { ok: false, step: moved.step, error: moved.error };
    }
    // (h) Only now that the agents work with the new key (recorded first: they use it even if the next step fails).
    await this.afterMove(meta, created, uses, moved.backup);
    try {
      const api = await this.deps.gateways.tokenApi(meta);
      if (choices.afterwards === 'delete') {
        await api.delete(current.id);
        await this.deps.accounts.deleteAccountSecret(meta.id, keySecretName(current.id));
        this.deps.gateways.tokens(meta).remove([current.id]);
      } else {
        await api.setEnabled(current.id, false);
        this.deps.gateways.tokens(meta).upsert({ ...current, status: 'disabled' });
      }
    } catch (error) {
      // The agents already use the new key: nothing to undo, but the old key still works.
      return this.fail('retire', choices.afterwards === 'delete' ? vscode.l10n.t('The agents use the new token, but deleting "{0}" failed', current.name)
        : vscode.l10n.t('The agents use the new token, but disabling "{0}" failed', current.name), error);
    } finally {
      // After the old token's change, so the list never shows it as it was before.
      void this.deps.gateways.tokens(meta).refresh();
    }
    const agents = uses.map((u) => u.agent);
    const done = choices.afterwards === 'delete'
      ? vscode.l10n.t('Rotated the key: {0} now use "{1}"; "{2}" was deleted.', agentNames(agents) || vscode.l10n.t('no agent'), created.name, current.name)
      : vscode.l10n.t('Rotated the key: {0} now use "{1}"; "{2}" was disabled.', agentNames(agents) || vscode.l10n.t('no agent'), created.name, current.name);
    void notify.info(moved.backup ? `${done} ${vscode.l10n.t('"Restore Agent Config…" puts the files back in one step.')}` : done);
    return { ok: true, agents, token: created, backupId: moved.backup?.id, untested: moved.untested };
  }

  /** Moves the agents that hold `from`'s key to another token of the account; true when they were moved (the caller then disables or deletes). */
  async switchAgents(from: TokenTarget, options: RotateOptions = {}): Promise<boolean> {
    const confirm = options.confirm !== false;
    const { meta } = from;
    try {
      const fromKey = await this.deps.tokens.keyFor(from);
      if (!fromKey) return false;
      const uses = await this.deps.keyUsage.agentsHolding(fromKey);
      if (!uses.length) return true; // nothing holds it: nothing to move
      const to = confirm ? await this.pickOther(from) : this.deps.gateways.tokens(meta).find(options.toTokenId ?? -1);
      if (!to) return false;
      const toKey = await this.deps.tokens.keyFor({ meta, token: to });
      if (!toKey) return false;
      const moved = await this.move({ meta, from: from.token, fromKey, to, toKey, uses }, confirm, options.hooks);
      if (!moved.ok) {
        if (!moved.cancelled) this.tell(moved.step, vscode.l10n.t('The agents still use "{0}".', from.token.name), moved.error);
        return false;
      }
      await this.afterMove(meta, to, uses, moved.backup);
      void notify.info(vscode.l10n.t('{0} now use "{1}". "Restore Agent Config…" puts the files back in one step.', agentNames(uses.map((u) => u.agent)), to.name));
      return true;
    } catch (error) {
      this.fail('plan', vscode.l10n.t('Could not switch the agents'), error);
      return false;
    }
  }

  // ---- the shared steps

  /** (e) plan and preview, (f) write all or nothing, (g) test with the new key, putting the files back if a test fails. */
  private async move(m: Move, confirm: boolean, hooks: WriteHooks = {}): Promise<MoveResult> {
    let changes: FileChange[];
    try {
      changes = await planRotation(m.fromKey, m.toKey, hostEnvironment());
    } catch (error) {
      return { ok: false, step: 'plan', error: errorMessage(error) };
    }
    if (!changes.length) return { ok: true, untested: [] };
    if (confirm) {
      const question = vscode.l10n.t('Move {0} from "{1}" to "{2}"?', agentNames([...new Set(changes.map((c) => c.agent))]), m.from.name, m.to.name);
      const approved = await this.deps.agents.confirm(changes, question,
        [vscode.l10n.t('Only the key changes. Each agent is tested with the new key before "{0}" is touched.', m.from.name)], vscode.l10n.t('Apply'));
      if (!approved) return { ok: false, cancelled: true, step: 'plan' };
    }
    const store = this.deps.agents.backupStore();
    let backup: BackupRecord | undefined;
    try {
      backup = await applyRotation(changes, store, hooks);
    } catch (error) {
      return { ok: false, step: 'write', error: errorMessage(error) };
    }
    const failed = await this.test(m, changes);
    if (failed.failures.length && backup) {
      try {
        await applyChanges(await restoreChanges(store, backup, new Set(changes.map((c) => c.path))), store);
      } catch (error) {
        return { ok: false, step: 'test', error: `${failed.failures.join('; ')}; ${vscode.l10n.t('putting the files back failed too: {0}', errorMessage(error))}` };
      }
    }
    if (failed.failures.length) return { ok: false, step: 'test', error: failed.failures.join('; ') };
    return { ok: true, backup, untested: failed.untested };
  }

  /**
   * Test It per agent with the new key, with the model its files or its last Configure name (untested when
   * none is known), and for Claude Code in the shape its settings.json now asks for (key header, betas).
   */
  private async test(m: Move, changes: readonly FileChange[]): Promise<{ failures: string[]; untested: AgentId[] }> {
    const recorded = this.deps.usage.all();
    const untested: AgentId[] = [];
    const failures: string[] = [];
    const source = { meta: m.meta, token: m.to, key: m.toKey, name: m.to.name };
    for (const use of m.uses) {
      const model = use.model ?? recorded.find((r) => r.agent === use.agent)?.model;
      if (!model) {
        untested.push(use.agent);
        continue;
      }
      const claude = use.agent === 'claude-code' ? claudeShape(changes) : undefined;
      const results = await this.deps.agents.test([use.agent], source, { gatewayRoot: m.meta.baseUrl, key: m.toKey, model, claude }, false);
      for (const r of results) if (!r.ok) failures.push(`${agentNames([r.agent])}: ${r.message}`);
    }
    if (untested.length) void notify.warning(vscode.l10n.t('No model is known for {0}: not tested. Send it a request yourself before relying on it.', agentNames(untested)));
    return { failures, untested };
  }

  private async afterMove(meta: AccountMeta, to: Token, uses: readonly AgentKeyUse[], backup: BackupRecord | undefined): Promise<void> {
    const recorded = this.deps.usage.all();
    for (const use of uses) {
      const before = recorded.find((r) => r.agent === use.agent);
      const model = use.model ?? before?.model;
      if (!model) continue;
      await this.deps.usage.record({ agent: use.agent, accountId: meta.id, tokenId: to.id, tokenName: to.name, model, files: before?.files ?? use.files, at: Date.now() });
    }
    if (backup) this.deps.log.info(`Rotated the key in ${backup.files.length} file(s); backup ${backup.id}`);
    await this.deps.keyUsage.refresh();
  }

  // ---- questions

  private async askChoices(meta: AccountMeta, current: Token): Promise<{ name: string; afterwards: 'disable' | 'delete' } | undefined> {
    const suffixed = newName(current.name, 'suffix', meta.flavor);
    const name = await pickOne([
      { label: current.name, description: vscode.l10n.t('keep the same name'), value: current.name },
      ...(suffixed !== current.name ? [{ label: suffixed, description: vscode.l10n.t('suffixed, to tell them apart'), value: suffixed }] : []),
    ], { title: vscode.l10n.t('Rotate Key: name of the new token'), placeHolder: vscode.l10n.t('The new token gets the same group, quota, models, IPs and expiry'), ignoreFocusOut: true });
    if (!name) return undefined;
    const afterwards = await pickOne([
      { label: vscode.l10n.t('Disable the old token'), description: vscode.l10n.t('recommended: can be enabled again'), value: 'disable' as const },
      { label: vscode.l10n.t('Delete the old token'), description: vscode.l10n.t('cannot be undone'), value: 'delete' as const },
    ], { title: vscode.l10n.t('Rotate Key: afterwards'), placeHolder: vscode.l10n.t('Once the agents work with the new key, what happens to "{0}"?', current.name), ignoreFocusOut: true });
    return afterwards && { name: name.value, afterwards: afterwards.value };
  }

  private async pickOther(from: TokenTarget): Promise<Token | undefined> {
    const picked = await pickTokens(this.deps.gateways.tokens(from.meta), {
      title: vscode.l10n.t('Switch Agents to Another Token'), placeholder: vscode.l10n.t('Which token should the agents use instead of "{0}"?', from.token.name), many: false,
      applies: (t) => t.id !== from.token.id && t.status === 'enabled',
    });
    return picked && 'tokens' in picked ? picked.tokens[0] : undefined;
  }

  // ---- helpers

  /** Deletes a replacement that must not stay (cancelled or failed rotation), and its stored key. */
  private async discard(meta: AccountMeta, token: Token): Promise<void> {
    try {
      await (await this.deps.gateways.tokenApi(meta)).delete(token.id);
      await this.deps.accounts.deleteAccountSecret(meta.id, keySecretName(token.id));
      this.deps.gateways.tokens(meta).remove([token.id]);
    } catch (error) {
      this.deps.log.error(`Deleting the replacement token "${token.name}": ${errorMessage(error)}`);
      void notify.error(vscode.l10n.t('Could not delete the new token "{0}"; delete it in the token list.', token.name));
    }
  }

  private tell(step: RotateStep, after: string, error: string | undefined): void {
    const what = step === 'write' ? vscode.l10n.t('Writing the agents’ files failed; every file is as it was.')
      : step === 'test' ? vscode.l10n.t('An agent failed its test with the new key; its files were put back.')
        : vscode.l10n.t('Planning the file changes failed; no file was changed.');
    this.deps.log.error(`Rotate Key (${step}): ${error ?? ''}`);
    void notify.error([what, error, after].filter(Boolean).join(' '));
  }

  private fail(step: RotateStep, what: string, error: unknown): RotateOutcome {
    const message = vscode.l10n.t('{0}: {1}', what, errorMessage(error));
    this.deps.log.error(message);
    void notify.error(message);
    return { ok: false, step, error: message };
  }

  private progress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
  }
}

/** How Claude Code sends the key and whether it sends betas, from the settings.json just written. */
function claudeShape(changes: readonly FileChange[]): ConfigureRequest['claude'] {
  const text = changes.find((c) => c.agent === 'claude-code' && c.after !== undefined && c.path.endsWith('settings.json'))?.after;
  if (text === undefined) return undefined;
  try {
    const settings = readClaudeSettings(text);
    const keyVariable = settings.keyVariables.includes('ANTHROPIC_AUTH_TOKEN') || !settings.keyVariables.length ? 'ANTHROPIC_AUTH_TOKEN' : 'ANTHROPIC_API_KEY';
    return { keyVariable, disableExperimentalBetas: settings.disableExperimentalBetas };
  } catch {
    return undefined; // planRotation parsed it; the default shape is the fallback
  }
}

/** The replacement's name: the same, or suffixed (within the gateway's length limit). */
function newName(name: string, choice: 'same' | 'suffix', flavor: 'new-api' | 'one-api'): string {
  return choice === 'same' ? name : suffixedTokenName(name, flavor);
}
