import * as vscode from 'vscode';
import type { AccountStore } from '../core/accounts';
import { hostLabel } from '../core/baseUrl';
import { Commands } from './commandIds';

/**
 * Placeholder status-bar item: which gateway account is active. Balance and connectivity come with
 * the status-bar feature; until then a click switches gateway (or adds one).
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tokaify.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: { dispose(): void };

  constructor(private readonly accounts: AccountStore) {
    this.item.name = 'Tokaify';
    this.subscription = accounts.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const active = this.accounts.active();
    if (!active) {
      this.item.text = '$(plug) Tokaify: Sign in';
      this.item.tooltip = 'Tokaify: no gateway connected. Click to add one.';
      this.item.command = Commands.addGateway;
      return;
    }
    const who = active.authKind === 'key' ? `key …${active.keyTail ?? ''}` : active.displayName || active.username || `user ${active.userId}`;
    this.item.text = `$(key) Tokaify: ${who}`;
    this.item.tooltip = `Tokaify: ${who} @ ${hostLabel(active.baseUrl)}. Click to switch gateway.`;
    this.item.command = Commands.switchGateway;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
