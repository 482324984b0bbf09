/**
 * "Tokaify: Show Usage": one webview panel per window (revealed when open) showing an account's usage for a
 * period, drawn by src/core/usage/page.ts. The page acts only through `command:tokaify.showUsage` links whose
 * argument names a choice (period, log filter, next page, refresh), so every click comes back here as a
 * command; its script only restores the focus. Requests: the stat and the hourly table (or the capped log
 * scan) for the report, the log's first page beside it, further pages on demand; nothing runs until the
 * command does, and opening the panel again without a choice sends nothing.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../../core/accounts';
import { errorMessage } from '../../core/errors';
import type { QuotaDisplay } from '../../core/quota';
import { periodRange, validTimeZone, type Period } from '../../core/usage/calendar';
import { keyUsage } from '../../core/usage/keyUsage';
import { renderUsagePage, USAGE_PAGE_COMMANDS } from '../../core/usage/page';
import { usageReport } from '../../core/usage/report';
import { UsageApi, type LogCursor, type LogFilter } from '../../core/usage/usageApi';
import { changesLogFilter, nextLogFilter, usageArgs, type LogSection, type LogViewFilter, type UsageArgs, type UsagePageModel } from '../../core/usage/viewModel';
import { accountIdOf } from '../commands/args';
import type { Gateways } from '../gateways';
import type { HttpService } from '../httpFactory';
import type { Log } from '../log';
import { addGatewayFirst } from '../ui';

export interface UsageViewDeps {
  accounts: AccountStore;
  gateways: Gateways;
  http: Pick<HttpService, 'client'>;
  log: Log;
  extensionUri: vscode.Uri;
}

/** Log rows kept in the view at most; past them, a filter finds older requests. */
const MAX_LOG_ROWS = 2000;

type Lane = 'report' | 'log';

interface Reading {
  signal: AbortSignal;
  /** Still the reading the view waits for (not replaced by a newer choice, the panel still open). */
  current: () => boolean;
}

/** One account's view: what is shown and how to read more. */
interface ViewState {
  meta: AccountMeta;
  period: Period;
  detail: boolean;
  display: QuotaDisplay;
  timeZone: string;
  model: UsagePageModel;
  cursor?: LogCursor;
  api?: UsageApi;
}

export class UsageView implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private state?: ViewState;
  /** The reading in progress per lane; a new choice cancels the one it replaces. */
  private readonly readings: Partial<Record<Lane, AbortController>> = {};
  private readonly subscription: { dispose(): void };
  /** The last page drawn and its model, for tests (the panel's own HTML cannot be read back). */
  lastHtml = '';
  lastModel?: UsagePageModel;

  constructor(private readonly deps: UsageViewDeps) {
    this.subscription = deps.accounts.onDidChange(() => {
      if (!this.state) return;
      const meta = deps.accounts.get(this.state.meta.id);
      // Signed out: the view must not keep showing the account's figures.
      if (!meta) this.panel?.dispose();
      else {
        // Signed in again (same account, new credential): the next read builds its client afresh.
        this.state.meta = meta;
        this.state.api = undefined;
      }
    });
  }

  /** The command: `arg` names an account (a tree row, an id, `{ accountId }`) and the choices in UsageArgs. */
  async show(arg?: unknown): Promise<UsagePageModel | undefined> {
    const args = usageArgs(arg);
    const id = accountIdOf(arg);
    const meta = (id !== undefined ? this.deps.accounts.get(id) : undefined) ?? this.deps.accounts.active();
    if (!meta) {
      await addGatewayFirst(vscode.l10n.t('Tokaify: no gateway connected yet. Add one, then open Usage.'));
      return undefined;
    }
    this.ensurePanel();
    const state = this.state;
    if (!state || state.meta.id !== meta.id) return this.open(meta, args);
    if (args.period !== undefined || args.refresh || args.detail) {
      const period = args.period ?? state.period;
      // Back where the reader acted: the split by token, the period switch, Refresh, the log's filter.
      const focus = args.detail ? 'tokens-h' : period !== state.period ? `period-${period}` : args.refresh ? 'refresh' : changesLogFilter(args) ? 'log' : undefined;
      return this.loadAll(state, { period, detail: args.detail === true, filter: nextLogFilter(state.model.log?.filter ?? {}, args), focus });
    }
    if (args.log === 'more') return this.moreLog(state);
    if (changesLogFilter(args)) return this.reloadLog(state, nextLogFilter(state.model.log?.filter ?? {}, args));
    // Opened again without a choice: shown as it is, nothing read (its Refresh link reads again).
    this.panel!.reveal();
    return state.model;
  }

  private ensurePanel(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel('tokaify.usage', vscode.l10n.t('Tokaify: Usage'), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: [...USAGE_PAGE_COMMANDS],
      enableFindWidget: true,
      // The page loads nothing: its style and script are inline, under a nonce.
      localResourceRoots: [],
    });
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'tokaify.svg');
    panel.onDidDispose(() => {
      this.cancelReadings();
      this.panel = undefined;
      this.state = undefined;
    });
    this.panel = panel;
  }

  private async open(meta: AccountMeta, args: UsageArgs): Promise<UsagePageModel | undefined> {
    this.cancelReadings();
    const display = await this.deps.gateways.quotaDisplay(meta);
    const timeZone = validTimeZone(undefined);
    const period = args.period ?? 'today';
    const keyOnly = meta.authKind === 'key';
    const model: UsagePageModel = {
      accountId: meta.id, baseUrl: meta.baseUrl, account: accountLabel(meta), flavor: meta.flavor, keyOnly, period, display, timeZone, detail: false, tokenIds: new Map(),
    };
    const state: ViewState = { meta, period, detail: false, display, timeZone, model };
    this.state = state;
    if (keyOnly) return this.loadKey(state);
    return this.loadAll(state, { period, detail: args.detail === true, filter: nextLogFilter({}, args) });
  }

  /**
   * A fresh reading in one lane (the report, or the log): cancels that lane's last reading and returns a signal
   * and a check that this reading is still the one the view waits for. A filter change or the next log page
   * leaves a report being read alone, and a new period cancels both.
   */
  private begin(state: ViewState, lane: Lane): Reading {
    this.readings[lane]?.abort();
    const reading = new AbortController();
    this.readings[lane] = reading;
    return { signal: reading.signal, current: () => this.state === state && this.readings[lane] === reading && this.panel !== undefined };
  }

  private cancelReadings(): void {
    for (const reading of Object.values(this.readings)) reading.abort();
  }

  private async loadKey(state: ViewState): Promise<UsagePageModel | undefined> {
    const { signal, current } = this.begin(state, 'report');
    state.model = { ...state.model, key: { state: 'loading' }, focus: undefined };
    this.draw(state);
    const { meta } = state;
    try {
      const apiKey = await this.deps.accounts.apiKey(meta.id);
      const value = await keyUsage(this.deps.http.client, meta.baseUrl, apiKey, meta.flavor, state.display, { signal });
      if (!current()) return undefined;
      state.model = { ...state.model, key: { state: 'ready', value } };
    } catch (error) {
      if (!current()) return undefined;
      this.deps.log.warn(`Usage of ${accountLabel(meta)}: ${errorMessage(error)}`);
      state.model = { ...state.model, key: { state: 'failed', message: errorMessage(error) } };
    }
    return this.draw(state);
  }

  private async usageApi(state: ViewState): Promise<UsageApi> {
    state.api ??= new UsageApi(await this.deps.gateways.console(state.meta), state.meta.flavor);
    return state.api;
  }

  /** The report and the log's first page for a period, side by side, drawn once both are in. */
  private async loadAll(state: ViewState, choice: { period: Period; detail: boolean; filter: LogViewFilter; focus?: string }): Promise<UsagePageModel | undefined> {
    const report = this.begin(state, 'report');
    const log = this.begin(state, 'log');
    state.period = choice.period;
    state.detail = choice.detail;
    state.cursor = undefined;
    state.model = { ...state.model, period: choice.period, detail: choice.detail, report: { state: 'loading' }, log: emptyLog(choice.filter), focus: choice.focus };
    this.draw(state);
    await Promise.all([this.readReport(state, choice, report), this.readLog(state, choice.filter, log)]);
    return report.current() || log.current() ? this.draw(state) : undefined;
  }

  private async readReport(state: ViewState, choice: { period: Period; detail: boolean }, { signal, current }: Reading): Promise<void> {
    const { meta } = state;
    try {
      const api = await this.usageApi(state);
      const status = await this.deps.gateways.status(meta);
      const value = await usageReport(api, { period: choice.period, timeZone: state.timeZone, display: state.display, dataExport: status?.enable_data_export, detail: choice.detail, signal });
      if (current()) state.model = { ...state.model, report: { state: 'ready', value } };
    } catch (error) {
      if (!current()) return;
      this.deps.log.warn(`Usage of ${accountLabel(meta)}: ${errorMessage(error)}`);
      state.model = { ...state.model, report: { state: 'failed', message: errorMessage(error) } };
    }
  }

  private async reloadLog(state: ViewState, filter: LogViewFilter): Promise<UsagePageModel | undefined> {
    const reading = this.begin(state, 'log');
    state.cursor = undefined;
    state.model = { ...state.model, log: emptyLog(filter), focus: 'log' };
    this.draw(state);
    await this.readLog(state, filter, reading);
    return reading.current() ? this.draw(state) : undefined;
  }

  /** The log's first page for the filter, over the view's period, into the model (a failure is shown there). */
  private async readLog(state: ViewState, filter: LogViewFilter, { signal, current }: Reading): Promise<void> {
    try {
      const api = await this.usageApi(state);
      // The report's own range: the period's first local day (or hour) up to now.
      const start = Math.floor(periodRange(state.period, Date.now(), state.timeZone).start / 1000);
      const query: LogFilter = { start, ...(filter.tokenName ? { tokenName: filter.tokenName } : {}), ...(filter.modelName ? { modelName: filter.modelName } : {}), ...(filter.failedOnly ? { kind: 'error' as const } : {}) };
      const page = await api.firstLogPage(query, signal);
      if (!current()) return;
      state.cursor = page.next;
      state.model = { ...state.model, log: { filter, rows: page.rows, state: 'ready', more: page.next !== undefined, unsupported: page.unsupported, ...(page.total !== undefined ? { total: page.total } : {}) } };
    } catch (error) {
      if (!current()) return;
      this.deps.log.warn(`Request log of ${accountLabel(state.meta)}: ${errorMessage(error)}`);
      state.model = { ...state.model, log: { ...emptyLog(filter), state: 'failed', message: errorMessage(error) } };
    }
  }

  private async moreLog(state: ViewState): Promise<UsagePageModel | undefined> {
    const log = state.model.log;
    const cursor = state.cursor;
    if (!log || !cursor) return this.draw(state);
    const { signal, current } = this.begin(state, 'log');
    try {
      const page = await (await this.usageApi(state)).nextLogPage(cursor, signal);
      if (!current()) return undefined;
      const rows = [...log.rows, ...page.rows].slice(0, MAX_LOG_ROWS);
      state.cursor = rows.length < MAX_LOG_ROWS ? page.next : undefined;
      state.model = { ...state.model, log: { ...log, rows, state: 'ready', more: state.cursor !== undefined }, focus: `log-row-${log.rows.length}` };
    } catch (error) {
      if (!current()) return undefined;
      state.model = { ...state.model, log: { ...log, state: 'failed', message: errorMessage(error) }, focus: 'log' };
    }
    return this.draw(state);
  }

  /** Draws the model into the panel (and lastHtml); its focus is the last choice's, kept until the next one. */
  private draw(state: ViewState): UsagePageModel {
    const tokens = state.meta.authKind === 'key' ? [] : this.deps.gateways.tokens(state.meta).state.tokens;
    const tokenIds = new Map<string, number>();
    for (const token of tokens) if (!tokenIds.has(token.name)) tokenIds.set(token.name, token.id);
    const model: UsagePageModel = { ...state.model, tokenIds };
    this.lastModel = model;
    this.lastHtml = renderUsagePage(model, { nonce: randomBytes(18).toString('base64') });
    if (this.panel) this.panel.webview.html = this.lastHtml;
    return model;
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}

function emptyLog(filter: LogViewFilter): LogSection {
  return { filter, rows: [], state: 'loading', more: false, unsupported: [] };
}

