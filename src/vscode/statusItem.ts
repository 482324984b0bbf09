import * as vscode from 'vscode';
import { type AccountMeta, type StateStore, accountStateKey } from '../core/accountKeys';
import { hostLabel } from '../core/baseUrl';
import { quotaDisplayOf } from '../core/quota';
import { statusLine, statusView, type StatusState, type StatusView } from '../core/statusView';
import { storedBalance } from '../core/storedBalance';
import { Commands } from './commandIds';

/** The commands the tooltip links to: read-only ones; nothing else runs from it. */
const TOOLTIP_COMMANDS = [Commands.verify, Commands.switchGateway, Commands.openConsole, Commands.refreshStatus, Commands.showUsage, Commands.rotateKey];

/** How the status bar names an account: short, and never the key itself. */
export function statusAccount(active: AccountMeta): NonNullable<StatusState['account']> {
  return {
    label: active.authKind === 'key' ? vscode.l10n.t('key …{0}', active.keyTail ?? '') : active.displayName || active.username || vscode.l10n.t('user {0}', active.userId ?? ''),
    host: hostLabel(active.baseUrl), keyOnly: active.authKind === 'key',
  };
}

/**
 * The status-bar item itself, in the startup chunk: it appears with the last stored balance before
 * anything else loads; StatusBar (main chunk) takes it over to check and refresh.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tokaify.status', vscode.StatusBarAlignment.Left, 50);
  private tooltipTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.item.name = 'Tokaify';
  }

  /** The first frame: the active account (read once by activate()) and its balance as the last session stored them, no request. */
  showStored(state: StateStore, active: AccountMeta | undefined): void {
    const stored = active && storedBalance(state.get<unknown>(accountStateKey(active.id, 'lastBalance')));
    const status: StatusState = {
      display: stored?.display ?? quotaDisplayOf(undefined), last: stored?.snapshot, checking: false, restored: stored !== undefined,
      account: active && statusAccount(active),
    };
    this.showLine(statusLine(status), active !== undefined);
    // Read only on hover: built once activation is over, so it never delays this or another extension's.
    this.tooltipTimer = setTimeout(() => this.setTooltip(statusView(status).tooltip), 0);
  }

  show(view: StatusView, signedIn: boolean): void {
    this.showLine(view, signedIn);
    this.setTooltip(view.tooltip);
  }

  private setTooltip(markdown: string): void {
    clearTimeout(this.tooltipTimer);
    const tooltip = new vscode.MarkdownString(markdown, true);
    tooltip.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
    this.item.tooltip = tooltip;
  }

  private showLine(view: Omit<StatusView, 'tooltip'>, signedIn: boolean): void {
    this.item.text = view.text;
    this.item.command = signedIn ? Commands.verify : Commands.addGateway;
    this.item.backgroundColor = view.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : view.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // Says what a click does: Verify when signed in, Add Gateway when not.
    const text = view.text.replace(/\$\([^)]*\)\s*/g, '');
    this.item.accessibilityInformation = {
      label: signedIn ? vscode.l10n.t('{0}. Click to verify the setup.', text) : vscode.l10n.t('{0}. Click to add a gateway.', text),
    };
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    const tooltip = this.item.tooltip;
    return typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
  }

  dispose(): void {
    clearTimeout(this.tooltipTimer);
    this.item.dispose();
  }
}
