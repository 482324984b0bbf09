import * as vscode from 'vscode';
import type { AccountMeta, AccountStore } from '../../core/accounts';
import { keySecretName } from '../../core/accountKeys';
import { errorMessage } from '../../core/errors';
import { failureText } from '../../core/failureText';
import { maskKey } from '../../core/redact';
import type { GatewayStatus } from '../../core/schemas';
import type { TokenSort } from '../../core/tokenList';
import { inputOf, type Token, type TokenInput } from '../../core/tokenModel';
import { labelText } from '../../core/untrustedText';
import { Commands } from '../commandIds';
import type { Gateways } from '../gateways';
import type { Log } from '../log';
import { count } from '../names';
import type { TreeNode } from '../tokenTree';
import type { KeyUsageIndex } from '../agents/keyUsage';
import { AGENT_LABELS } from '../../core/agents/types';
import { pickTokens } from '../tokenPicker';
import { addGatewayFirst, consoleSignInFirst, notify, pickOne } from '../ui';
import { accountOf, tokenRefsOf, type TokenRef } from './args';
import { runTokenForm } from './tokenForm';

export type { TokenRef } from './args';
/** A token named by tree row(s) or `{ accountId, tokenId }` (ids only: looked up, never taken from the argument), the tree selection, or picked. */
export type TokenTarget = { meta: AccountMeta; token: Token };
type Target = TokenTarget;

export interface TokenCommandDeps {
  accounts: AccountStore;
  gateways: Gateways;
  log: Log;
  selection: () => readonly TreeNode[];
  /** Which agents send which token's key: disabling, deleting or lowering the quota of a used token warns first. */
  keyUsage?: KeyUsageIndex;
  /** Moves the agents that use a token to another one (Rotate Key… without creating one); true when they were moved. */
  switchAgents?: (target: TokenTarget) => Promise<boolean>;
}

/** What would stop an agent: the question's wording and its go-ahead button depend on it. */
type AgentBreakingAction = 'disable' | 'delete' | 'lowerQuota';

export class TokenCommands {
  constructor(private readonly deps: TokenCommandDeps) {}

  /**
   * `arg`: an account row or id. `scripted` (the extension's own callers and tests, never a command
   * argument) creates without the form.
   */
  async create(arg?: unknown, scripted?: Partial<TokenInput>): Promise<Token | undefined> {
    const meta = this.account(arg);
    if (!meta) return undefined;
    const list = this.deps.gateways.tokens(meta);
    let input: TokenInput | undefined;
    if (scripted) {
      input = { name: '', group: '', unlimited: true, remainQuota: 0, modelLimits: [], allowIps: [], expiredTime: -1, crossGroupRetry: false, ...scripted };
    } else {
      const context = await this.progress(vscode.l10n.t('Reading groups and models…'), () => this.formContext(meta));
      input = await runTokenForm(context);
    }
    if (!input) return undefined;
    const done = input;
    return this.attempt(vscode.l10n.t('Could not create the token "{0}"', done.name), async () => {
      const created = await this.progress(vscode.l10n.t('Creating "{0}"…', labelText(done.name)), async () => (await this.deps.gateways.tokenApi(meta)).create(done));
      list.upsert(created);
      void list.refresh();
      void notify.info(vscode.l10n.t('Created token "{0}".', created.name));
      return created;
    });
  }

  /** `arg`: a token row or `{ accountId, tokenId }`. `edits` (own callers and tests only) skips the form. */
  async edit(arg?: unknown, edits?: Partial<TokenInput>): Promise<Token | undefined> {
    const [target] = await this.targets(arg, false, vscode.l10n.t('Edit Token'));
    if (!target) return undefined;
    const { meta } = target;
    const api = await this.deps.gateways.tokenApi(meta);
    return this.attempt(vscode.l10n.t('Could not edit "{0}"', target.token.name), async () => {
      // A full update zeroes every field it does not carry: start from the server's current token.
      const current = await this.progress(vscode.l10n.t('Reading the token…'), () => api.get(target.token.id));
      const input = edits ? { ...inputOf(current), ...edits } : await runTokenForm({ ...(await this.formContext(meta)), initial: current });
      if (!input) return undefined;
      const lowered = !input.unlimited && (current.unlimited || input.remainQuota < current.remainQuota);
      if (lowered && !edits && !(await this.guardAgents([{ meta, token: current }], 'lowerQuota'))) return undefined;
      const updated = (await this.progress(vscode.l10n.t('Saving "{0}"…', labelText(input.name)), () => api.update(current.id, input))) ?? (await api.get(current.id));
      const list = this.deps.gateways.tokens(meta);
      list.upsert(updated);
      void list.refresh();
      void notify.info(vscode.l10n.t('Saved token "{0}".', updated.name));
      return updated;
    });
  }

  async setEnabled(enabled: boolean, arg?: unknown, many?: unknown): Promise<number> {
    const targets = await this.targets(many ?? arg, true, enabled ? vscode.l10n.t('Enable Tokens') : vscode.l10n.t('Disable Tokens'),
      enabled ? (t) => t.status !== 'enabled' : (t) => t.status === 'enabled');
    if (!enabled && !(await this.guardAgents(targets, 'disable'))) return 0;
    let changed = 0;
    for (const { meta, token } of targets) {
      try {
        await (await this.deps.gateways.tokenApi(meta)).setEnabled(token.id, enabled);
        this.deps.gateways.tokens(meta).upsert({ ...token, status: enabled ? 'enabled' : 'disabled' });
        changed++;
      } catch (error) {
        this.report(enabled ? vscode.l10n.t('Could not enable "{0}"', token.name) : vscode.l10n.t('Could not disable "{0}"', token.name), error, { meta, token });
      }
    }
    for (const meta of uniqueAccounts(targets)) void this.deps.gateways.tokens(meta).refresh();
    return changed;
  }

  /** Asks first (modal). Only the extension's own code (tests) may pass `confirm: false`; the command never does. */
  async delete(arg?: unknown, many?: unknown, options: { confirm?: boolean } = {}): Promise<number> {
    const targets = await this.targets(many ?? arg, true, vscode.l10n.t('Delete Tokens'));
    if (!targets.length) return 0;
    const guarded = options.confirm === false ? 'none' : await this.guardAgents(targets, 'delete');
    if (guarded === false) return 0;
    // The agents' warning, answered, was the confirmation; otherwise the usual one.
    if (options.confirm !== false && guarded !== 'asked') {
      const question = targets.length === 1
        ? vscode.l10n.t('Delete the token "{0}"?', targets[0]!.token.name)
        : vscode.l10n.t('Delete {0} tokens ({1})?', count(targets.length), targets.map((t) => t.token.name).join(', '));
      const action = vscode.l10n.t('Delete');
      const choice = await notify.modal('warning', question,
        vscode.l10n.t('Every service, script, agent or third-party client still using its key stops working at once. This cannot be undone.'), action);
      if (choice !== action) return 0;
    }
    let deleted = 0;
    for (const { meta, token } of targets) {
      try {
        await (await this.deps.gateways.tokenApi(meta)).delete(token.id);
        await this.deps.accounts.deleteAccountSecret(meta.id, keySecretName(token.id));
        this.deps.gateways.tokens(meta).remove([token.id]);
        deleted++;
      } catch (error) {
        this.report(vscode.l10n.t('Could not delete "{0}"', token.name), error, { meta, token });
      }
    }
    for (const meta of uniqueAccounts(targets)) void this.deps.gateways.tokens(meta).refresh();
    if (deleted) void notify.info(deleted === 1 ? vscode.l10n.t('Deleted "{0}".', targets[0]!.token.name) : vscode.l10n.t('Deleted {0} tokens.', count(deleted)));
    return deleted;
  }

  /** Copies `sk-…` to the clipboard. The key is never shown, logged or returned. */
  async copyKey(arg?: unknown): Promise<boolean> {
    const [target] = await this.targets(arg, false, vscode.l10n.t('Copy Key'));
    if (!target) return false;
    const key = await this.keyFor(target);
    if (!key) return false;
    await vscode.env.clipboard.writeText(key);
    void notify.info(vscode.l10n.t('Copied the key of "{0}" ({1}) to the clipboard.', target.token.name, maskKey(key)));
    return true;
  }

  /** The console's "Copy Connection String" JSON (spec §10), for other clients and new-api consoles. */
  async copyConnectionString(arg?: unknown): Promise<boolean> {
    const [target] = await this.targets(arg, false, vscode.l10n.t('Copy Connection String'));
    if (!target) return false;
    const key = await this.keyFor(target);
    if (!key) return false;
    const status: GatewayStatus | undefined = await this.deps.gateways.status(target.meta);
    const url = status?.server_address?.trim() || target.meta.baseUrl;
    await vscode.env.clipboard.writeText(JSON.stringify({ _type: 'newapi_channel_conn', key, url }));
    void notify.info(vscode.l10n.t('Copied the connection string of "{0}" to the clipboard.', target.token.name));
    return true;
  }

  async openInConsole(arg?: unknown): Promise<void> {
    const meta = this.account(arg);
    if (meta) await vscode.env.openExternal(vscode.Uri.parse(this.deps.gateways.consoleTokenPage(meta)));
  }

  async loadMore(arg?: unknown): Promise<void> {
    const meta = this.account(arg);
    if (meta) await this.deps.gateways.tokens(meta).loadMore();
  }

  async loadAll(arg?: unknown): Promise<void> {
    const meta = this.account(arg);
    if (!meta) return;
    const list = this.deps.gateways.tokens(meta);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading all tokens'), cancellable: true }, async (progress, cancel) => {
      const controller = new AbortController();
      const subscription = cancel.onCancellationRequested(() => controller.abort());
      try {
        await list.loadAll((loaded, total) => progress.report({ message: total ? vscode.l10n.t('{0} of {1}', count(loaded), count(total)) : count(loaded) }), controller.signal);
      } finally {
        subscription.dispose();
      }
    });
  }

  async filter(arg?: unknown): Promise<void> {
    const scripted = isObject(arg) && 'keyword' in arg ? (arg as { accountId?: string; keyword: string }) : undefined;
    const meta = this.account(scripted?.accountId ?? arg);
    if (!meta) return;
    const list = this.deps.gateways.tokens(meta);
    const keyword = scripted?.keyword ?? (await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter Tokens'), prompt: vscode.l10n.t('Show tokens whose name contains this text (the gateway searches all pages)'), value: list.state.keyword ?? '',
    }));
    if (keyword !== undefined) await list.setFilter(keyword);
  }

  async clearFilter(arg?: unknown): Promise<void> {
    const meta = this.account(arg);
    if (meta) await this.deps.gateways.tokens(meta).setFilter(undefined);
  }

  async sort(arg?: unknown): Promise<void> {
    const meta = this.account(arg);
    if (!meta) return;
    const items: (vscode.QuickPickItem & { value: TokenSort })[] = [
      { label: vscode.l10n.t('Newest first'), value: 'newest' }, { label: vscode.l10n.t('Name'), value: 'name' },
      { label: vscode.l10n.t('Remaining quota'), value: 'remaining' }, { label: vscode.l10n.t('Status'), description: vscode.l10n.t('enabled first'), value: 'status' },
    ];
    const list = this.deps.gateways.tokens(meta);
    const picked = typeof arg === 'object' && arg && 'sort' in arg ? items.find((i) => i.value === (arg as { sort: string }).sort)
      : await pickOne(items, { title: vscode.l10n.t('Sort Tokens'), placeHolder: vscode.l10n.t('Now: {0}', items.find((i) => i.value === list.state.sort)?.label ?? '') });
    if (picked) list.setSort(picked.value);
  }

  /** The token a command acts on: a tree row, a `{ accountId, tokenId }`, the selection, or a pick titled `title`. */
  async target(arg?: unknown, title?: string): Promise<TokenTarget | undefined> {
    return (await this.targets(arg, false, title))[0];
  }

  /**
   * The full key as clients use it (`sk-…`): from SecretStorage, the list (unmasked gateways) or the
   * reveal route. Gateways store and list keys without the prefix.
   */
  async keyFor(target: Target): Promise<string | undefined> {
    const bare = await this.bareKey(target);
    return bare && (bare.startsWith('sk-') ? bare : `sk-${bare}`);
  }

  /** The key revealed earlier for a token, from SecretStorage only (no request), with `sk-`. */
  async storedKey(accountId: string, tokenId: number): Promise<string | undefined> {
    const bare = await this.deps.accounts.accountSecret(accountId, keySecretName(tokenId));
    return bare && (bare.startsWith('sk-') ? bare : `sk-${bare}`);
  }

  private async bareKey({ meta, token }: Target): Promise<string | undefined> {
    const stored = await this.deps.accounts.accountSecret(meta.id, keySecretName(token.id));
    if (stored) return stored;
    // one-api and new-api before 2026-03 list full keys; nothing to reveal.
    if (!token.keyMasked) return token.key;
    try {
      const revealed = await this.progress(vscode.l10n.t('Revealing the key…'), async () => (await this.deps.gateways.tokenApi(meta)).revealKey(token.id));
      if (!revealed) {
        const open = vscode.l10n.t('Open in Console');
        void notify.error(vscode.l10n.t('This gateway masks keys but has no reveal route. Copy the key of "{0}" from its web console.', token.name), open)
          .then((choice) => choice === open && vscode.commands.executeCommand(Commands.openTokenInConsole, meta.id));
        return undefined;
      }
      await this.deps.accounts.storeAccountSecret(meta.id, keySecretName(token.id), revealed);
      return revealed;
    } catch (error) {
      this.report(vscode.l10n.t('Could not reveal the key of "{0}"', token.name), error, { meta, token });
      return undefined;
    }
  }

  /**
   * Before an action that would stop the agents using these tokens: names them and offers to move them to
   * another token first (one token at a time), or to go ahead. true / 'asked': go ahead ('asked': the user
   * answered a warning); false: stop; 'none' (not returned here) is the caller's own.
   */
  private async guardAgents(targets: readonly Target[], action: AgentBreakingAction): Promise<boolean | 'asked'> {
    const index = this.deps.keyUsage;
    if (!index || !targets.length) return true;
    await index.refresh();
    const used = targets.map((t) => ({ ...t, agents: index.usesOf(t.meta.id, t.token.id).map((u) => AGENT_LABELS[u.agent]) })).filter((t) => t.agents.length);
    if (!used.length) return true;
    const agents = [...new Set(used.flatMap((t) => t.agents))].join(', ');
    const names = used.map((t) => `"${t.token.name}"`).join(', ');
    const question = action === 'disable' ? vscode.l10n.t('{0} use {1}. Disabling it stops them at once.', agents, names)
      : action === 'delete' ? vscode.l10n.t('{0} use {1}. Deleting it stops them at once, and cannot be undone.', agents, names)
      : vscode.l10n.t('{0} use {1}. With less quota they stop when it runs out.', agents, names);
    const ahead = action === 'disable' ? vscode.l10n.t('Disable Anyway') : action === 'delete' ? vscode.l10n.t('Delete Anyway') : vscode.l10n.t('Save Anyway');
    const canSwitch = used.length === 1 && this.deps.switchAgents !== undefined;
    const switchFirst = vscode.l10n.t('Switch Agents to Another Token…');
    const detail = canSwitch
      ? vscode.l10n.t('Switch Agents to Another Token… rewrites their config files to another token of this account (with a diff preview and a test request) and then goes on.')
      : used.length > 1 ? vscode.l10n.t('To keep them working, move them to another token first: "Rotate Key…" on each of these tokens.') : undefined;
    const choice = await notify.modal('warning', question, detail, ...(canSwitch ? [switchFirst] : []), ahead);
    if (choice === ahead) return 'asked';
    if (choice !== switchFirst || !canSwitch) return false;
    return (await this.deps.switchAgents!(used[0]!)) ? 'asked' : false;
  }

  // ---- helpers

  private async formContext(meta: AccountMeta) {
    const console = await this.deps.gateways.console(meta);
    const optional = <T>(p: Promise<T>): Promise<T | undefined> => p.catch((e: unknown) => {
      this.deps.log.warn(errorMessage(e));
      return undefined;
    });
    const [display, groups, models] = await Promise.all([
      this.deps.gateways.quotaDisplay(meta),
      meta.flavor === 'one-api' ? Promise.resolve(undefined) : optional(console.groups()),
      optional(console.models()),
    ]);
    const takenNames = new Set(this.deps.gateways.tokens(meta).state.tokens.map((t) => t.name));
    return { flavor: meta.flavor, display, groups, models: models ?? [], takenNames };
  }

  /** The stored account an argument names, else the active one (with a word when there is none to use). */
  private account(arg: unknown): AccountMeta | undefined {
    const named = accountOf(this.deps.accounts, arg);
    if (named) return named;
    const active = this.deps.accounts.active();
    if (active?.authKind === 'key') {
      void consoleSignInFirst(active);
      return undefined;
    }
    if (!active) void addGatewayFirst();
    return active;
  }

  /** `title` names the action; `applies` keeps the picker to the tokens the action can change. */
  private async targets(arg: unknown, many: boolean, title = 'Tokaify', applies?: (token: Token) => boolean): Promise<Target[]> {
    const named = tokenRefsOf(arg);
    if (named.length) return this.resolve(many ? named : named.slice(0, 1));
    // The tree's selection, if it still names tokens of a signed-in account.
    const selected = await this.resolve(tokenRefsOf(this.deps.selection()));
    if (selected.length) return many ? selected : selected.slice(0, 1);
    // From the palette with nothing selected: pick from the active account's tokens.
    const meta = this.account(undefined);
    if (!meta) return [];
    const picked = await pickTokens(this.deps.gateways.tokens(meta), {
      title, many, applies,
      placeholder: many ? vscode.l10n.t('Which tokens? Type to search all of the gateway\'s tokens.') : vscode.l10n.t('Which token? Type to search all of the gateway\'s tokens.'),
    });
    return picked && 'tokens' in picked ? picked.tokens.map((token) => ({ meta, token })) : [];
  }

  private progress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
  }

  private async attempt<T>(what: string, task: () => Promise<T>): Promise<T | undefined> {
    try {
      return await task();
    } catch (error) {
      this.report(what, error);
      return undefined;
    }
  }

  /** Stored accounts and tokens for refs: the token from the loaded list, else from the gateway. */
  private async resolve(refs: readonly TokenRef[]): Promise<Target[]> {
    const targets: Target[] = [];
    for (const ref of refs) {
      const meta = this.deps.accounts.get(ref.accountId);
      if (!meta || meta.authKind === 'key') continue;
      try {
        const token = this.deps.gateways.tokens(meta).find(ref.tokenId) ?? (await (await this.deps.gateways.tokenApi(meta)).get(ref.tokenId));
        targets.push({ meta, token });
      } catch (error) {
        // Deleted meanwhile, or the gateway is unreachable: nothing to act on for this one.
        this.deps.log.warn(`Token #${ref.tokenId}: ${errorMessage(error)}`);
      }
    }
    return targets;
  }

  /** The failure in the user's words with the next step as a button; the full error (route, status) goes to the log. */
  private report(what: string, error: unknown, target?: Target): void {
    this.deps.log.error(`${what}: ${errorMessage(error)}`);
    const { message, next } = failureText(what, error);
    const step = next === 'editToken' && target ? 'editToken' : next === 'signIn' ? 'signIn' : 'showLog';
    const action = step === 'editToken' ? vscode.l10n.t('Edit Token') : step === 'signIn' ? vscode.l10n.t('Sign In Again') : vscode.l10n.t('Show Log');
    void notify.error(message, action).then((choice) => {
      if (choice !== action) return;
      if (step === 'showLog') this.deps.log.show();
      if (step === 'signIn') void vscode.commands.executeCommand('tokaify.addGateway', target ? { baseUrl: target.meta.baseUrl } : undefined);
      if (step === 'editToken' && target) void vscode.commands.executeCommand('tokaify.editToken', { accountId: target.meta.id, tokenId: target.token.id });
    });
  }
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
const uniqueAccounts = (targets: readonly Target[]) => [...new Map(targets.map((t) => [t.meta.id, t.meta])).values()];
