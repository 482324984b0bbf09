/**
 * "Configure Codex / Claude Code / OpenCode / Agents…" and "Restore Agent Config…": pick the token and
 * model, plan the file changes in src/core/agents, show them as diffs (keys masked), write them only
 * after Apply, then offer a test request in the tool's own shape.
 */
import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../../core/accounts';
import { hostLabel } from '../../core/baseUrl';
import { RouteSupportCache, routeWarning } from '../../core/agents/capabilities';
import { answerFix, findConflicts, fixAnswer, type Conflict } from '../../core/agents/conflicts';
import { configureVersionNotes } from '../../core/agents/configureVersions';
import { applyChanges, listBackups, recordAgents, restoreChanges, type BackupRecord, type BackupStore, type FileChange } from '../../core/agents/fileWriter';
import { defaultBackupDir } from '../../core/agents/paths';
import { chooseCodexCredential, planAgent, type AgentPlan, type ConfigureRequest } from '../../core/agents/plan';
import { probeAgent, type ProbeResult } from '../../core/agents/probe';
import { AGENT_IDS, AGENT_LABELS, ConfigSyntaxError, type AgentId } from '../../core/agents/types';
import { errorMessage, isGatewayError } from '../../core/errors';
import { RelayClient } from '../../core/relayClient';
import type { Token } from '../../core/tokenModel';
import { labelText, TEXT_LIMITS } from '../../core/untrustedText';
import { conflictContext } from '../agentContext';
import { Commands } from '../commandIds';
import type { TokenCommands } from '../commands/tokenCommands';
import type { Gateways } from '../gateways';
import { hostEnvironment } from '../hostEnvironment';
import type { HttpService } from '../httpFactory';
import type { Log } from '../log';
import { accountName, count, dateTime } from '../names';
import { pickTokens } from '../tokenPicker';
import { addGatewayFirst, notify, pickOne, pickSome, recordPick } from '../ui';
import type { AgentUsageStore } from './agentUsage';
import type { PreviewDocuments } from './preview';

/** Scripted use (tests, other extensions): everything the prompts would ask. */
export interface ConfigureArgs {
  /** For Configure Agents…: which ones (otherwise asked). */
  agents?: AgentId[];
  accountId?: string;
  tokenId?: number;
  model?: string;
  codex?: ConfigureRequest['codex'];
  claude?: ConfigureRequest['claude'];
  opencode?: ConfigureRequest['opencode'];
}

/** For the extension's own callers and tests only; a command argument can never set these. */
export interface ConfigureOptions {
  /** false: no diff preview and no confirmation. */
  confirm?: boolean;
}

export type ConfigureOutcome =
  /**
   * `warnings` (Configure only): what will not work, as said before Apply: routes this gateway lacks, keys
   * the installed agent is too old for, and what outside the files gets in the way (a key in the shell, a
   * project file, Codex's root profile).
   */
  | { ok: true; written: string[]; backupIds: string[]; warnings?: string[] }
  | { ok: false; cancelled?: boolean; error?: string };

export interface Source {
  meta: AccountMeta;
  token?: Token;
  /** With `sk-`. */
  key: string;
  name: string;
}

export interface AgentCommandDeps {
  accounts: AccountStore;
  gateways: Gateways;
  http: HttpService;
  log: Log;
  tokens: TokenCommands;
  usage: AgentUsageStore;
  preview: PreviewDocuments;
  refreshTree: () => void;
}

type Item<T> = vscode.QuickPickItem & { value: T };
const ALL_AGENTS = AGENT_IDS;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export class AgentCommands {
  private readonly routes = new RouteSupportCache();

  constructor(private readonly deps: AgentCommandDeps) {}

  backupStore(): BackupStore {
    return { dir: defaultBackupDir(hostEnvironment()), keep: 10 };
  }

  /**
   * `agents` undefined: ask which (Configure Agents…). `arg`: a token row, ConfigureArgs (choices only:
   * the diff preview and the Apply confirmation always follow), or nothing.
   */
  async configure(agents: AgentId[] | undefined, arg?: unknown, options: ConfigureOptions = {}): Promise<ConfigureOutcome> {
    const scripted: ConfigureArgs = isObject(arg) && !('kind' in arg) ? (arg as ConfigureArgs) : {};
    try {
      const chosen = agents ?? scripted.agents ?? (await this.pickAgents());
      if (!chosen?.length) return { ok: false, cancelled: true };
      const source = await this.source(arg, scripted);
      if (!source) return { ok: false, cancelled: true };
      const model = scripted.model ?? (await this.pickModel(source, chosen));
      if (!model) return { ok: false, cancelled: true };
      const request = await this.options(chosen, source, model, scripted);
      if (!request) return { ok: false, cancelled: true };
      return await this.planAndWrite(chosen, source, request, options.confirm !== false);
    } catch (error) {
      return this.fail(vscode.l10n.t('Could not configure the agents'), error);
    }
  }

  private async planAndWrite(agents: AgentId[], source: Source, asked: ConfigureRequest, confirm: boolean): Promise<ConfigureOutcome> {
    let request = asked;
    let { plans, conflicts } = await this.plan(agents, request);
    if (confirm) {
      const answered = await this.offerFixes(conflicts, request);
      if (!answered) return { ok: false, cancelled: true };
      // A fix changes the files: plan again, and what it fixed is no longer a conflict.
      if (answered !== request) ({ plans, conflicts } = await this.plan(agents, (request = answered)));
    }
    const changes = plans.flatMap((p) => p.changes);
    const pending = changes.filter((c) => c.before !== c.after);
    const what = agents.map((a) => AGENT_LABELS[a]).join(', ');
    const conflictWarnings = conflicts.map((c) => c.message);
    for (const warning of conflictWarnings) this.deps.log.warn(warning);
    if (!pending.length) {
      const done = vscode.l10n.t('{0} already use "{1}" with {2}; nothing to change.', what, source.name, request.model);
      if (conflictWarnings.length) {
        const but = conflictWarnings.length > 1
          ? vscode.l10n.t('But: {0} (and {1} more in the log)', conflictWarnings[0]!, count(conflictWarnings.length - 1))
          : vscode.l10n.t('But: {0}', conflictWarnings[0]!);
        const showLog = vscode.l10n.t('Show Log');
        void notify.warning(`${done} ${but}`, showLog).then((choice) => choice === showLog && this.deps.log.show());
      } else void notify.info(done);
      return { ok: true, written: [], backupIds: [], warnings: conflictWarnings };
    }
    // The installed agents' versions are read while the gateway is asked which routes it serves.
    const [routeWarnings, versions] = await Promise.all([this.routeWarnings(agents, source), configureVersionNotes(agents, request, hostEnvironment())]);
    for (const line of [...versions.warnings, ...versions.notes]) this.deps.log.warn(line);
    const warnings = [...routeWarnings, ...conflictWarnings];
    if (confirm) {
      if (routeWarnings.length && !(await this.warnUnserved(routeWarnings))) return { ok: false, cancelled: true };
      const notes = [...versions.warnings, ...versions.notes, ...plans.flatMap((p) => p.notes)];
      const approved = await this.confirm(pending, vscode.l10n.t('Write the {0} config for "{1}" · {2}?', what, source.name, request.model), notes, vscode.l10n.t('Apply'), conflictWarnings);
      if (!approved) return { ok: false, cancelled: true };
    }
    const backupIds: string[] = [];
    for (const plan of plans) {
      const backup = await applyChanges(plan.changes, this.backupStore());
      if (backup) backupIds.push(backup.id);
      await this.deps.usage.record({
        agent: plan.agent, accountId: source.meta.id, tokenId: source.token?.id, tokenName: source.name, model: request.model,
        files: plan.changes.map((c) => c.path), at: Date.now(),
      });
    }
    const written = pending.map((c) => c.path);
    this.deps.log.info(`Configured ${what} for "${source.name}" with ${request.model}: ${written.join(', ')}`);
    this.deps.refreshTree();
    void this.offerTest(agents, source, request);
    return { ok: true, written, backupIds, warnings: [...warnings, ...versions.warnings] };
  }

  /** The file changes, and what outside them would defeat them (shell keys, project files, Codex's root profile). */
  private async plan(agents: AgentId[], request: ConfigureRequest): Promise<{ plans: AgentPlan[]; conflicts: Conflict[] }> {
    const plans: AgentPlan[] = [];
    const conflicts: Conflict[] = [];
    const context = conflictContext();
    for (const agent of agents) {
      const plan = await planAgent(agent, request, context.host);
      plans.push(plan);
      conflicts.push(...(await findConflicts(plan, request, context)));
    }
    return { plans, conflicts };
  }

  /**
   * One question per conflict that has a fix the user has not answered yet (a scripted call may answer
   * it up front). The fix is opt-in but offered first; undefined when the user backs out.
   */
  private async offerFixes(conflicts: readonly Conflict[], request: ConfigureRequest): Promise<ConfigureRequest | undefined> {
    let answered = request;
    for (const conflict of conflicts) {
      const fix = conflict.fix;
      if (!fix || fixAnswer(answered, fix.option) !== undefined) continue;
      const apply = await pick<boolean>(labelText(`${AGENT_LABELS[conflict.agent]}: ${conflict.title}`, TEXT_LIMITS.description),
        vscode.l10n.t('Tokaify can fix this in the file it writes; the diff shows it before anything is written.'), [
          { label: `$(check) ${labelText(fix.label)}`, description: vscode.l10n.t('recommended'), detail: labelText(fix.detail, TEXT_LIMITS.description), value: true },
          { label: vscode.l10n.t('Leave it as it is'), detail: labelText(fix.decline, TEXT_LIMITS.description), value: false },
        ]);
      if (apply === null) return undefined;
      answered = answerFix(answered, fix.option, apply);
    }
    return answered;
  }

  /** One sentence per agent whose route the gateway lacks; checked once per account and agent per session. */
  private async routeWarnings(agents: AgentId[], source: Source): Promise<string[]> {
    const checks = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking what the gateway serves…') }, () =>
      Promise.all(agents.map((agent) => this.routes.check(this.deps.http.client, source.meta.id, source.meta.baseUrl, source.key, agent))));
    const warnings: string[] = [];
    for (const check of checks) {
      if (check.served === undefined) this.deps.log.warn(`Could not check ${check.route} on ${source.meta.baseUrl}: ${check.error}`);
      const warning = routeWarning(check, source.meta.flavor);
      if (warning) {
        this.deps.log.warn(warning);
        warnings.push(warning);
      }
    }
    return warnings;
  }

  /** Said before the diff preview; the user may still write the config (a gateway may be upgraded later). */
  private async warnUnserved(warnings: string[]): Promise<boolean> {
    const action = vscode.l10n.t('Configure Anyway');
    const several = warnings.length > 1;
    const message = several ? vscode.l10n.t('{0} of the chosen agents cannot use this gateway.', count(warnings.length)) : warnings[0]!;
    const detail = [
      ...(several ? [...warnings, ''] : []),
      vscode.l10n.t('Configure Anyway writes the config regardless (a diff preview comes next); the agent will fail until the gateway serves that route.'),
    ].join('\n');
    return (await notify.modal('warning', message, detail, action)) === action;
  }

  private async offerTest(agents: AgentId[], source: Source, request: ConfigureRequest): Promise<void> {
    const what = agents.map((a) => AGENT_LABELS[a]).join(', ');
    const testIt = vscode.l10n.t('Test It');
    const message = agents.length > 1
      ? vscode.l10n.t('Configured {0} for "{1}" with {2}. Restart them to pick it up.', what, source.name, request.model)
      : vscode.l10n.t('Configured {0} for "{1}" with {2}. Restart it to pick it up.', what, source.name, request.model);
    if ((await notify.info(message, testIt)) === testIt) await this.test(agents, source, request);
  }

  /**
   * One request per agent in its own shape. Results are shown as notifications (not awaited, so a
   * caller is never held by an open notification); the context_management 400 offers its fix unless
   * `offerFix` is false (Rotate Key: the key tested may be deleted again, so configuring with it would break the agent).
   */
  async test(agents: AgentId[], source: Source, request: ConfigureRequest, offerFix = true): Promise<ProbeResult[]> {
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing the agents’ setup…') }, () =>
      Promise.all(agents.map((agent) => probeAgent(this.deps.http.client, source.meta.baseUrl, source.key, agent, request.model, {
        claudeKeyVariable: request.claude?.keyVariable, claudeBetasDisabled: request.claude?.disableExperimentalBetas,
      }))));
    for (const result of results) {
      const label = AGENT_LABELS[result.agent];
      if (result.ok) {
        void notify.info(vscode.l10n.t('{0} works: {1} answered through {2} in {3} ms.', label, result.model, source.meta.baseUrl, count(result.ms)));
        continue;
      }
      this.deps.log.error(`${label} test failed: ${result.message}`);
      const fix = offerFix && result.contextManagementRejected ? vscode.l10n.t('Disable Experimental Betas') : undefined;
      const showLog = vscode.l10n.t('Show Log');
      void notify.error(`${label}: ${result.message}`, ...(fix ? [fix] : []), showLog).then(async (choice) => {
        if (choice === showLog) this.deps.log.show();
        if (fix && choice === fix) {
          await this.planAndWrite(['claude-code'], source, { ...request, claude: { ...request.claude, disableExperimentalBetas: true } }, true);
        }
      });
    }
    return results;
  }

  /** `arg`: `{ backupId }` or nothing (then the user picks). The diff preview and confirmation always follow unless own code passes confirm: false. */
  async restore(arg?: unknown, options: ConfigureOptions = {}): Promise<ConfigureOutcome> {
    const scripted = isObject(arg) && typeof arg.backupId === 'string' ? { backupId: arg.backupId } : {};
    try {
      const store = this.backupStore();
      const records = await listBackups(store);
      if (!records.length) {
        const configure = vscode.l10n.t('Configure Agents');
        void notify.info(vscode.l10n.t('There are no agent config backups yet: one is made before every change Tokaify writes. Configure an agent first.'), configure)
          .then((choice) => choice === configure && vscode.commands.executeCommand(Commands.configureAgents));
        return { ok: false, cancelled: true };
      }
      const record = scripted.backupId
        ? records.find((r) => r.id === scripted.backupId)
        : (await pickOne(records.map((r) => ({
          label: `${agentNames(recordAgents(r))} · ${dateTime(r.created)}`,
          description: backupReason(r),
          detail: r.files.map((f) => (f.copy ? f.label : vscode.l10n.t('{0} (did not exist: restoring removes it)', f.label))).join(' · '),
          value: r,
        })), { title: vscode.l10n.t('Restore Agent Config'), placeHolder: vscode.l10n.t('Which backup? The files go back to how they were before that change.') }))?.value;
      if (!record) return { ok: false, cancelled: true };
      const changes = await restoreChanges(store, record);
      const pending = changes.filter((c) => c.before !== c.after);
      if (!pending.length) {
        void notify.info(vscode.l10n.t('The files already match that backup.'));
        return { ok: true, written: [], backupIds: [] };
      }
      const question = vscode.l10n.t('Restore {0}\'s files from {1}?', agentNames(recordAgents(record)), dateTime(record.created));
      if (options.confirm !== false && !(await this.confirm(pending, question, [], vscode.l10n.t('Restore')))) {
        return { ok: false, cancelled: true };
      }
      const backup = await applyChanges(changes, store);
      void notify.info(vscode.l10n.t('Restored {0}. The state before the restore is backed up too.', pending.map((c) => c.label).join(', ')));
      return { ok: true, written: pending.map((c) => c.path), backupIds: backup ? [backup.id] : [] };
    } catch (error) {
      return this.fail(vscode.l10n.t('Could not restore the agent config'), error);
    }
  }

  // ---- steps

  private async pickAgents(): Promise<AgentId[] | undefined> {
    const items: Item<AgentId>[] = ALL_AGENTS.map((agent) => ({ label: AGENT_LABELS[agent], value: agent, picked: true }));
    const picked = await pickSome(items, { title: vscode.l10n.t('Configure Agents'), placeHolder: vscode.l10n.t('Which agents should use the gateway?') });
    return picked?.map((p) => p.value);
  }

  /** The token and its key (also for Use for This Workspace). */
  async source(arg: unknown, scripted: ConfigureArgs): Promise<Source | undefined> {
    const fromToken = async (target: { meta: AccountMeta; token: Token } | undefined): Promise<Source | undefined> => {
      if (!target) return undefined;
      const key = await this.deps.tokens.keyFor(target);
      return key ? { meta: target.meta, token: target.token, key, name: target.token.name } : undefined;
    };
    if (isObject(arg) && arg.kind === 'token') return fromToken(await this.deps.tokens.target(arg));
    if (scripted.accountId && scripted.tokenId !== undefined) return fromToken(await this.deps.tokens.target({ accountId: scripted.accountId, tokenId: scripted.tokenId }));
    const meta = scripted.accountId ? this.deps.accounts.get(scripted.accountId) : await this.pickAccount();
    if (!meta) {
      if (!this.deps.accounts.list().length) void addGatewayFirst();
      return undefined;
    }
    if (meta.authKind === 'key') {
      return { meta, key: await this.deps.accounts.apiKey(meta.id), name: accountName(meta) };
    }
    return fromToken(await this.pickToken(meta));
  }

  /** The active account, or a choice when there are several (active first). */
  private async pickAccount(): Promise<AccountMeta | undefined> {
    const all = this.deps.accounts.list();
    const active = this.deps.accounts.active();
    if (all.length <= 1) return active;
    const items = [...all].sort((a, b) => Number(b.id === active?.id) - Number(a.id === active?.id))
      .map((meta) => ({ label: labelText(accountLabel(meta)), description: meta.id === active?.id ? vscode.l10n.t('{0} · active', hostLabel(meta.baseUrl)) : hostLabel(meta.baseUrl), value: meta }));
    return (await pickOne(items, { title: vscode.l10n.t('Configure: gateway account'), placeHolder: vscode.l10n.t('Which account’s token should the agents use?') }))?.value;
  }

  private async pickToken(meta: AccountMeta): Promise<{ meta: AccountMeta; token: Token } | undefined> {
    const picked = await pickTokens(this.deps.gateways.tokens(meta), {
      title: vscode.l10n.t('Configure: token'), placeholder: vscode.l10n.t('Which token should the agents use? Type to search all of the gateway’s tokens.'), many: false,
      extra: { label: `$(add) ${vscode.l10n.t('Create a new token…')}` }, order: (a, b) => Number(b.status === 'enabled') - Number(a.status === 'enabled'),
    });
    if (!picked) return undefined;
    if ('tokens' in picked) return { meta, token: picked.tokens[0]! };
    const created = await this.deps.tokens.create(meta.id);
    return created ? { meta, token: created } : undefined;
  }

  async pickModel(source: Source, agents: AgentId[], title = vscode.l10n.t('Configure: model')): Promise<string | undefined> {
    let models: string[] = [];
    try {
      models = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the models this key may use…') },
        () => new RelayClient(this.deps.http.client, source.meta.baseUrl, source.key).listModels());
    } catch (error) {
      if (isGatewayError(error, 'unauthorized') || isGatewayError(error, 'forbidden')) throw error; // the agents would fail the same way
      this.deps.log.warn(`Could not list models: ${errorMessage(error)}`);
    }
    const limits = source.token?.modelLimits ?? [];
    if (limits.length) models = models.length ? models.filter((m) => limits.includes(m)) : [...limits];
    const recent = this.deps.usage.recentModels().filter((m) => models.includes(m));
    const claudeFirst = agents.length === 1 && agents[0] === 'claude-code';
    const rest = models.filter((m) => !recent.includes(m)).sort((a, b) => (claudeFirst ? Number(b.startsWith('claude')) - Number(a.startsWith('claude')) : 0));
    const items: Item<string>[] = [
      ...recent.map((m) => ({ label: labelText(m), description: vscode.l10n.t('recently used'), value: m })),
      ...rest.map((m) => ({ label: labelText(m), value: m })),
    ];
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<Item<string>>();
      qp.title = title;
      qp.placeholder = models.length ? vscode.l10n.t('Pick a model, or type any model id') : vscode.l10n.t('Type a model id (the gateway did not list models)');
      qp.items = items;
      recordPick(qp.title, qp.placeholder, items);
      qp.ignoreFocusOut = true;
      qp.onDidChangeValue((value) => {
        const typed = value.trim();
        qp.items = typed && !items.some((i) => i.value === typed) ? [{ label: labelText(typed), description: vscode.l10n.t('use this id'), value: typed }, ...items] : items;
      });
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]?.value ?? (qp.value.trim() || undefined));
        qp.dispose();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  }

  /** Each tool's choices, with a one-line explanation; scripted values skip the prompts. */
  private async options(agents: AgentId[], source: Source, model: string, scripted: ConfigureArgs): Promise<ConfigureRequest | undefined> {
    const request: ConfigureRequest = { gatewayRoot: source.meta.baseUrl, key: source.key, model, codex: scripted.codex, claude: scripted.claude, opencode: scripted.opencode };
    // A scripted call names the model; what it leaves out takes the defaults rather than a prompt.
    if (scripted.model !== undefined) return request;
    if (agents.includes('codex') && !scripted.codex) {
      // high, xhigh… are the values config.toml takes: shown as they are written.
      const effort = await pick<ConfigureRequest['codex'] & object>(vscode.l10n.t('Codex: reasoning effort'), vscode.l10n.t('How hard the model thinks before answering (model_reasoning_effort)'), [
        { label: 'high', description: vscode.l10n.t('recommended'), value: { reasoningEffort: 'high' } },
        { label: 'xhigh', description: vscode.l10n.t('slowest, most thorough (recent Codex only)'), value: { reasoningEffort: 'xhigh' } },
        { label: 'medium', value: { reasoningEffort: 'medium' } },
        { label: 'low', value: { reasoningEffort: 'low' } },
        { label: vscode.l10n.t('Leave unset'), description: vscode.l10n.t('Codex’s own default'), value: {} },
      ]);
      if (!effort) return undefined;
      const review = await pick<string | undefined>(vscode.l10n.t('Codex: review model'), vscode.l10n.t('The model /review uses (review_model)'), [
        { label: vscode.l10n.t('Same as the main model'), description: labelText(model), value: model },
        { label: vscode.l10n.t('Leave unset'), description: vscode.l10n.t('Codex uses the session model'), value: undefined },
      ]);
      if (review === null) return undefined;
      request.codex = { ...effort, reviewModel: review };
      const { chatgptLogin } = await chooseCodexCredential(hostEnvironment());
      if (chatgptLogin) {
        const credential = await pick<'auth-json' | 'config-token'>(vscode.l10n.t('Codex: your ChatGPT login'), vscode.l10n.t('auth.json holds a ChatGPT login. Where should the key go?'), [
          { label: vscode.l10n.t('Keep the ChatGPT login'), description: vscode.l10n.t('the key goes into the tokaify provider in config.toml (mode 0600)'), value: 'config-token' },
          { label: vscode.l10n.t('Switch auth.json to API-key mode'), description: vscode.l10n.t('as the gateway’s guide does; the login tokens stay in the file, unused'), value: 'auth-json' },
        ]);
        if (!credential) return undefined;
        request.codex.credential = credential;
      }
    }
    if (agents.includes('claude-code') && !scripted.claude) {
      const keyVariable = await pick<'ANTHROPIC_AUTH_TOKEN' | 'ANTHROPIC_API_KEY'>(vscode.l10n.t('Claude Code: how to send the key'), vscode.l10n.t('Which variable holds the key in settings.json'), [
        { label: 'ANTHROPIC_AUTH_TOKEN', description: vscode.l10n.t('recommended: sent as Authorization: Bearer, no approval prompt'), value: 'ANTHROPIC_AUTH_TOKEN' },
        { label: 'ANTHROPIC_API_KEY', description: vscode.l10n.t('sent as X-Api-Key; Claude Code asks once to approve the key'), value: 'ANTHROPIC_API_KEY' },
      ]);
      if (!keyVariable) return undefined;
      const toggles = await pickSome([
        { label: vscode.l10n.t('Add the model to /model'), description: 'ANTHROPIC_CUSTOM_MODEL_OPTION', value: 'custom', picked: true },
        {
          label: vscode.l10n.t('Disable experimental betas'),
          description: vscode.l10n.t('CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1: fixes "context_management: Extra inputs are not permitted"'), value: 'betas', picked: false,
        },
      ], { title: vscode.l10n.t('Claude Code: options'), placeHolder: vscode.l10n.t('Tick what to turn on'), ignoreFocusOut: true });
      if (!toggles) return undefined;
      request.claude = { keyVariable, customModelOption: toggles.some((t) => t.value === 'custom'), disableExperimentalBetas: toggles.some((t) => t.value === 'betas') };
    }
    if (agents.includes('opencode') && !scripted.opencode) {
      const setDefaultModel = await pick<boolean>(vscode.l10n.t('OpenCode: default model'), vscode.l10n.t('Provider id "tokaify" (OpenCode needs lowercase ids)'), [
        { label: vscode.l10n.t('Make tokaify/{0} the default model', labelText(model)), value: true },
        { label: vscode.l10n.t('Only add the provider'), description: vscode.l10n.t('pick it in OpenCode with /models'), value: false },
      ]);
      if (setDefaultModel === null) return undefined;
      request.opencode = { setDefaultModel: setDefaultModel ?? true };
    }
    return request;
  }

  /**
   * All the diffs in one preview (keys masked), then a modal listing the files; true on `action`.
   * `warnings`: what outside these files will get in the way, said before Apply (the modal is then a warning).
   */
  async confirm(changes: readonly FileChange[], question: string, notes: string[], action: string, warnings: readonly string[] = []): Promise<boolean> {
    await this.deps.preview.closeAll();
    await this.deps.preview.show(changes, (c) => vscode.l10n.t('{0}: current ↔ proposed (keys masked)', c.label));
    const files = changes.map((c) => `\u2022 ${fileLine(c)}`);
    const before = warnings.length ? ['', vscode.l10n.t('Before you apply:'), ...warnings.map((w) => `\u26A0 ${w}`)] : [];
    const detail = [...files, ...before, '', ...notes, vscode.l10n.t('Every existing file is backed up first; "Tokaify: Restore Agent Config…" puts it back.')].join('\n');
    try {
      return (await notify.modal(warnings.length ? 'warning' : 'info', question, detail, action)) === action;
    } finally {
      // Also when the question fails to show: no preview of a change that was not made stays open.
      await this.deps.preview.closeAll();
    }
  }

  private fail(what: string, error: unknown): ConfigureOutcome {
    this.deps.log.error(`${what}: ${errorMessage(error)}`);
    const message = vscode.l10n.t('{0}: {1}', what, errorMessage(error));
    if (error instanceof ConfigSyntaxError) {
      const openFile = vscode.l10n.t('Open File');
      void notify.error(message, openFile).then(async (choice) => {
        if (choice !== openFile) return;
        const position = new vscode.Position(Math.max(0, error.line - 1), Math.max(0, error.column - 1));
        await vscode.window.showTextDocument(vscode.Uri.file(error.file), { selection: new vscode.Range(position, position) });
      });
    } else {
      const showLog = vscode.l10n.t('Show Log');
      void notify.error(message, showLog).then((choice) => choice === showLog && this.deps.log.show());
    }
    return { ok: false, error: message };
  }
}


/** "Codex, Claude Code": the agents a change or backup covers. */
export function agentNames(agents: readonly AgentId[]): string {
  return agents.map((a) => AGENT_LABELS[a]).join(', ');
}

function backupReason(record: BackupRecord): string {
  switch (record.reason) {
    case 'restore': return vscode.l10n.t('taken before a restore');
    case 'rotate': return vscode.l10n.t('taken before Rotate Key');
    default: return vscode.l10n.t('taken before Configure');
  }
}

/** A file in the Apply question: its path, whether it is new or removed, and whether it holds a key (mode 0600). */
function fileLine(c: FileChange): string {
  const secret = c.secret && c.after !== undefined;
  if (c.before === undefined) return secret ? vscode.l10n.t('{0} (new), mode 0600', c.path) : vscode.l10n.t('{0} (new)', c.path);
  if (c.after === undefined) return vscode.l10n.t('{0} (removed)', c.path);
  return secret ? vscode.l10n.t('{0}, mode 0600', c.path) : c.path;
}

/** A single-choice prompt; resolves null when dismissed (undefined can be a chosen value). */
async function pick<T>(title: string, placeHolder: string, items: Item<T>[]): Promise<T | null> {
  const picked = await pickOne(items, { title, placeHolder, ignoreFocusOut: true });
  return picked ? picked.value : null;
}
