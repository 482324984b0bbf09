import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../core/accounts';
import { hostLabel } from '../core/baseUrl';
import { consoleClientFor } from '../core/clients';
import { isGatewayError, errorMessage } from '../core/errors';
import { formatQuota, quotaDisplayOf } from '../core/quota';
import { Commands } from './commandIds';
import type { HttpService } from './httpFactory';
import type { Log } from './log';

export type TreeNode =
  | { kind: 'account'; meta: AccountMeta }
  | { kind: 'info'; id: string; label: string; description?: string; tooltip?: string; icon: string; command?: vscode.Command };

/**
 * The "Token Management" view. One root row per signed-in gateway; under it, the account's
 * balance (console sign-in) or what a key-only sign-in cannot do yet.
 */
export class AccountsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly accounts: AccountStore,
    private readonly http: HttpService,
    private readonly log: Log,
  ) {
    this.subscription = accounts.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'info') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.command = node.command;
      item.contextValue = 'info';
      return item;
    }
    const { meta } = node;
    const active = this.accounts.active()?.id === meta.id;
    const name = meta.authKind === 'key' ? `API key …${meta.keyTail ?? ''}` : meta.displayName || meta.username || `user ${meta.userId}`;
    const item = new vscode.TreeItem(name, active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `account:${meta.id}`;
    item.description = `${hostLabel(meta.baseUrl)}${active ? ' · active' : ''}`;
    item.iconPath = new vscode.ThemeIcon(active ? 'account' : 'circle-outline');
    item.contextValue = `account.${meta.authKind}`;
    const how = meta.authKind === 'accessToken' ? 'access token' : meta.authKind === 'session' ? 'password (session)' : 'API key only';
    item.tooltip = new vscode.MarkdownString(
      `**${accountLabel(meta)}**\n\n| | |\n|---|---|\n| Gateway | ${meta.baseUrl} |\n| Type | ${meta.flavor}${meta.systemName ? ` (${meta.systemName})` : ''} |\n` +
        (meta.userId !== undefined ? `| User | ${meta.username ?? ''} (ID ${meta.userId}) |\n` : '') +
        `| Signed in with | ${how} |`,
    );
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.accounts.list().map((meta) => ({ kind: 'account', meta }));
    if (node.kind !== 'account') return [];
    const { meta } = node;
    if (meta.authKind === 'key') {
      return [{
        kind: 'info', id: `${meta.id}:needs-console`, icon: 'info',
        label: 'Token management needs a console sign-in',
        tooltip: 'You signed in with an API key only. The status bar and the agent setup work with it; to list and manage tokens, add this gateway again with an access token or your password.',
        command: { command: Commands.addGateway, title: 'Sign in to the console', arguments: [{ baseUrl: meta.baseUrl }] },
      }];
    }
    return [await this.balanceRow(meta)];
  }

  private async balanceRow(meta: AccountMeta): Promise<TreeNode> {
    try {
      const client = consoleClientFor(this.http.client, meta, await this.accounts.credential(meta.id));
      const [self, status] = await Promise.all([client.self(), client.status().catch(() => undefined)]);
      const display = quotaDisplayOf(status);
      return {
        kind: 'info', id: `${meta.id}:balance`, icon: 'credit-card',
        label: `Balance ${formatQuota(self.quota, display)}`,
        description: `used ${formatQuota(self.used_quota, display)}${self.group ? ` · group ${self.group}` : ''}`,
      };
    } catch (error) {
      this.log.warn(`Balance of ${accountLabel(meta)}: ${errorMessage(error)}`);
      if (isGatewayError(error, 'unauthorized')) {
        return {
          kind: 'info', id: `${meta.id}:signin`, icon: 'warning', label: 'Signed out by the gateway: sign in again',
          tooltip: errorMessage(error),
          command: { command: Commands.addGateway, title: 'Sign in again', arguments: [{ baseUrl: meta.baseUrl }] },
        };
      }
      return { kind: 'info', id: `${meta.id}:error`, icon: 'error', label: 'Could not load the account', description: 'click to retry', tooltip: errorMessage(error),
        command: { command: Commands.refresh, title: 'Retry' } };
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
