import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../core/accounts';
import { quotaDisplayOf, type QuotaDisplay } from '../core/quota';
import { RefreshScheduler, type RefreshOutcome } from '../core/refreshScheduler';
import { statusView, type AgentTokenAlert, type StatusState } from '../core/statusView';
import type { Gateways } from './gateways';
import type { Log } from './log';
import { statusRefreshMinutes } from './settings';
import { statusAccount, StatusItem } from './statusItem';

export const refreshMinutes = (): number => statusRefreshMinutes();

/** Today's spend of an account, from the main chunk (the status chunk does not load the usage modules). */
export interface StatusSpend {
  /** Reads today's spend unless a fresh reading is cached; nothing for key-only accounts. */
  readToday(meta: AccountMeta): Promise<void>;
  /** What is cached, formatted; no request. */
  peekToday(meta: AccountMeta, display: QuotaDisplay): { today: { text: string }; readAt: number } | undefined;
}

/**
 * Balance and connectivity of the active account, as the shared BalanceStore has it (the tree's
 * balance row reads the same entry, so both always agree). A returning user sees the last session's
 * balance from the first frame (marked with its age); the first request goes out as soon as activation
 * has returned (never during it), then RefreshScheduler decides: every N minutes while focused, backoff
 * on errors, silence after an auth failure until the user acts. A click runs Verify.
 */
export class StatusBar implements vscode.Disposable {
  private readonly subscriptions: { dispose(): void }[];
  private readonly scheduler: RefreshScheduler;
  private accountId?: string;
  private spend?: StatusSpend;
  private agentAlerts: AgentTokenAlert[] = [];
  private workspaceProfile: StatusState['workspaceProfile'];
  /** The last spend reading started (it never rejects), for tests that count requests. */
  spendRead: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly accounts: AccountStore,
    private readonly gateways: Gateways,
    private readonly log: Log,
    /** The startup chunk's item, already showing the stored balance; a new one when absent (tests). */
    private readonly item: StatusItem = new StatusItem(),
  ) {
    this.scheduler = new RefreshScheduler(() => this.refresh(), { intervalMs: refreshMinutes() * 60_000 });
    this.subscriptions = [
      accounts.onDidChange(() => this.accountChanged()),
      // Whoever read the balance (the tree's Refresh, Verify, this item), this item shows it at once.
      gateways.balances.onDidChange((id) => id === this.accounts.active()?.id && this.render()),
      vscode.window.onDidChangeWindowState((state) => this.scheduler.setFocused(state.focused)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tokaify.statusRefreshMinutes')) this.scheduler.setIntervalMs(refreshMinutes() * 60_000);
      }),
    ];
    this.accountId = accounts.active()?.id;
    this.render();
  }

  /** Begins refreshing: the first check is a timer of 0 ms, so it runs once activate() has returned, not inside it. */
  start(): void {
    this.scheduler.setFocused(vscode.window.state.focused);
    this.scheduler.start(0);
  }

  /** Refresh now (click, Refresh link, after sign-in); also lifts the pause after an auth failure. */
  refreshNow(): Promise<void> {
    return this.scheduler.refreshNow();
  }

  /**
   * Today's spend joins the tooltip once the main chunk has loaded: read now if the window is focused (else at
   * the next balance check, which waits for focus), then with every balance check.
   */
  /** This window's workspace profile, for the tooltip (undefined: none). */
  setWorkspaceProfile(profile: StatusState['workspaceProfile']): void {
    this.workspaceProfile = profile;
    this.render();
  }

  setSpend(spend: StatusSpend): void {
    this.spend = spend;
    const meta = this.accounts.active();
    if (meta && vscode.window.state.focused && this.gateways.balances.get(meta.id)?.snapshot) this.spendRead = this.readSpend(meta);
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return this.item.tooltip;
  }

  get requestsStarted(): number {
    return this.scheduler.attempts;
  }

  private accountChanged(): void {
    const active = this.accounts.active();
    if (active?.id === this.accountId) return;
    this.accountId = active?.id;
    this.render();
    if (active) void this.refreshNow();
  }

  private async refresh(): Promise<RefreshOutcome> {
    const meta = this.accounts.active();
    if (!meta) {
      this.render();
      return 'ok';
    }
    const entry = await this.gateways.balances.refresh(meta.id);
    if (!entry.error) {
      // Not awaited: the check is the balance's; a longer one would hold a refresh shared across an account switch.
      this.spendRead = this.readSpend(meta);
      return 'ok';
    }
    this.log.warn(`Status of ${accountLabel(meta)}: ${entry.error.message}`);
    return entry.error.kind === 'unauthorized' || entry.error.kind === 'forbidden' ? 'auth' : 'error';
  }

  /**
   * After the balance (already shown): a failed read leaves the last reading (with its time) or none, and never
   * counts as a failed check.
   */
  private async readSpend(meta: AccountMeta): Promise<void> {
    await this.spend?.readToday(meta).then(
      // A reading that lands after the item is gone (sign-out, reload) draws nothing.
      () => this.disposed || this.render(),
      (err: unknown) => this.log.warn(`Spend today of ${accountLabel(meta)}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /** Tokens of the active account that agents use and that are about to stop working: a line each in the tooltip. */
  setAgentAlerts(alerts: AgentTokenAlert[]): void {
    if (JSON.stringify(alerts) === JSON.stringify(this.agentAlerts)) return;
    this.agentAlerts = alerts;
    if (!this.disposed) this.render();
  }

  private render(): void {
    const active = this.accounts.active();
    const entry = active && this.gateways.balances.get(active.id);
    const display = entry?.display ?? quotaDisplayOf(undefined);
    const spent = active && this.spend?.peekToday(active, display);
    const view = statusView({
      display, last: entry?.snapshot, error: entry?.error, checking: entry?.checking ?? false,
      restored: entry?.restored ?? false,
      account: active && statusAccount(active),
      spentToday: spent ? { text: spent.today.text, readAt: spent.readAt } : undefined,
      agentAlerts: this.agentAlerts.filter((a) => a.ref.accountId === active?.id),
      workspaceProfile: this.workspaceProfile,
    });
    this.item.show(view, active !== undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
