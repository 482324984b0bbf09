import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../core/accounts';
import { hostLabel } from '../core/baseUrl';
import type { AccountBalance } from '../core/balanceStore';
import { formatQuota, type QuotaDisplay } from '../core/quota';
import { describeToken, tokenTooltip } from '../core/tokenFormat';
import type { Token, TokenStatus } from '../core/tokenModel';
import { labelText, markdownText, TEXT_LIMITS, tooltipText } from '../core/untrustedText';
import { AGENT_LABELS } from '../core/agents/types';
import type { AgentUsageStore } from './agents/agentUsage';
import { Commands } from './commandIds';
import type { Gateways } from './gateways';
import type { Log } from './log';

export type TreeNode =
  | { kind: 'account'; meta: AccountMeta }
  | { kind: 'token'; meta: AccountMeta; token: Token; description: string; tooltip: string }
  | { kind: 'loadMore'; meta: AccountMeta; loaded: number; total?: number }
  /** label, description and tooltip are plain text (server text allowed); getTreeItem makes them inert. */
  | { kind: 'info'; id: string; label: string; description?: string; tooltip?: string; icon: string; command?: vscode.Command };

const STATUS_ICON: Record<TokenStatus, [string, string]> = {
  enabled: ['key', 'charts.green'],
  disabled: ['circle-slash', 'disabledForeground'],
  expired: ['watch', 'charts.orange'],
  exhausted: ['warning', 'charts.red'],
};

/**
 * The "Token Management" view: one root row per signed-in gateway, and under it the account's
 * balance and its tokens, a page at a time. Rows are refreshed per account when its list changes.
 * Names, groups, amounts and messages come from the gateway: labels and descriptions go through
 * labelText, Markdown tooltips through markdownText, plain tooltips through tooltipText.
 */
export class TokenTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly accountNodes = new Map<string, TreeNode & { kind: 'account' }>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly accounts: AccountStore,
    private readonly gateways: Gateways,
    private readonly log: Log,
    private readonly usage?: AgentUsageStore,
  ) {
    this.subscriptions = [
      accounts.onDidChange(() => this.refresh()),
      gateways.onDidChangeTokens((id) => this.changed.fire(this.accountNodes.get(id))),
      gateways.balances.onDidChange((id) => this.changed.fire(this.accountNodes.get(id))),
    ];
  }

  /** Redraws the rows from what is loaded (e.g. after an agent was configured), without a request. */
  refreshRows(): void {
    this.changed.fire(undefined);
  }

  /** Re-reads everything from the gateways. */
  refresh(): void {
    this.gateways.refreshAll();
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'account': return this.accountItem(node.meta);
      case 'token': {
        const item = new vscode.TreeItem(labelText(node.token.name || '(unnamed)'), vscode.TreeItemCollapsibleState.None);
        const [icon, color] = STATUS_ICON[node.token.status];
        item.id = `token:${node.meta.id}:${node.token.id}`;
        item.description = labelText(node.description, TEXT_LIMITS.description);
        item.tooltip = untrustedMarkdown(node.tooltip);
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        item.contextValue = `token.${node.token.status}`;
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.meta.id}`;
        item.description = node.total !== undefined ? `${node.loaded} of ${node.total}` : `${node.loaded} loaded`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: Commands.loadMoreTokens, title: 'Load more', arguments: [node.meta.id] };
        item.contextValue = 'loadMore';
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(labelText(node.label), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description === undefined ? undefined : labelText(node.description, TEXT_LIMITS.description);
        item.tooltip = node.tooltip === undefined ? undefined : tooltipText(node.tooltip);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.contextValue = 'info';
        return item;
      }
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'token' || node.kind === 'loadMore' ? this.accountNodes.get(node.meta.id) : undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const metas = this.accounts.list();
      for (const id of this.accountNodes.keys()) if (!metas.some((m) => m.id === id)) this.accountNodes.delete(id);
      return metas.map((meta) => {
        const existing = this.accountNodes.get(meta.id);
        const fresh = { kind: 'account' as const, meta };
        if (existing) Object.assign(existing, fresh);
        else this.accountNodes.set(meta.id, fresh);
        return this.accountNodes.get(meta.id)!;
      });
    }
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
    const list = this.gateways.tokens(meta);
    const [balance, display] = await Promise.all([this.gateways.balances.ensure(meta.id), this.gateways.quotaDisplay(meta), list.ensureLoaded()]);
    const state = list.state;
    // A gateway that forgot the sign-in fails both reads: one row says so, not two.
    const signedOut = balance.error?.kind === 'unauthorized' || state.errorKind === 'unauthorized';
    const rows: TreeNode[] = [];
    if (signedOut) {
      rows.push({
        kind: 'info', id: `${meta.id}:signedOut`, icon: 'warning', label: 'Signed out by the gateway: sign in again', description: 'click to sign in',
        tooltip: balance.error?.message ?? state.error, command: { command: Commands.addGateway, title: 'Sign in again', arguments: [{ baseUrl: meta.baseUrl }] },
      });
    } else {
      rows.push(this.balanceRow(meta, balance, display));
    }
    if (state.error && !signedOut) {
      rows.push({
        kind: 'info', id: `${meta.id}:error`, icon: 'warning',
        label: state.loaded ? 'Could not refresh: showing the last list' : 'Could not load the tokens',
        description: 'click to retry', tooltip: state.error, command: { command: Commands.refresh, title: 'Retry' },
      });
    }
    if (state.keyword) {
      rows.push({ kind: 'info', id: `${meta.id}:filter`, icon: 'filter', label: `Filter: ${state.keyword}`, description: 'click to clear',
        command: { command: Commands.clearTokenFilter, title: 'Clear filter', arguments: [meta.id] } });
    }
    for (const token of state.tokens) {
      const users = this.usage?.agentsUsing(meta.id, token.id).map((agent) => AGENT_LABELS[agent]) ?? [];
      const usedBy = users.length ? ` · used by ${users.join(', ')}` : '';
      rows.push({ kind: 'token', meta, token, description: describeToken(token, display) + usedBy, tooltip: tokenTooltip(token, display) + (usedBy ? `\n\nUsed by ${users.join(', ')}.` : '') });
    }
    if (state.loaded && !state.tokens.length && !state.error) {
      rows.push({ kind: 'info', id: `${meta.id}:empty`, icon: 'add', label: state.keyword ? 'No token matches the filter' : 'No tokens yet: create one',
        command: { command: Commands.createToken, title: 'Create Token', arguments: [meta.id] } });
    }
    if (state.hasMore) rows.push({ kind: 'loadMore', meta, loaded: state.tokens.length, total: state.total });
    return rows;
  }

  private accountItem(meta: AccountMeta): vscode.TreeItem {
    const active = this.accounts.active()?.id === meta.id;
    const name = meta.authKind === 'key' ? `API key …${meta.keyTail ?? ''}` : meta.displayName || meta.username || `user ${meta.userId}`;
    const item = new vscode.TreeItem(labelText(name), active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `account:${meta.id}`;
    item.description = `${hostLabel(meta.baseUrl)}${active ? ' · active' : ''}`;
    item.iconPath = new vscode.ThemeIcon(active ? 'account' : 'circle-outline');
    item.contextValue = `account.${meta.authKind}`;
    const how = meta.authKind === 'accessToken' ? 'access token' : meta.authKind === 'session' ? 'password (session)' : 'API key only';
    const md = markdownText;
    item.tooltip = untrustedMarkdown(
      `**${md(accountLabel(meta))}**\n\n| | |\n|---|---|\n| Gateway | ${md(meta.baseUrl)} |\n| Type | ${md(meta.flavor)}${meta.systemName ? ` (${md(meta.systemName)})` : ''} |\n` +
        (meta.userId !== undefined ? `| User | ${md(meta.username ?? '')} (ID ${meta.userId}) |\n` : '') +
        `| Signed in with | ${how} |`,
    );
    return item;
  }

  /** The shared balance entry (the status bar shows the same one): value, use, group, and when it was read. */
  private balanceRow(meta: AccountMeta, entry: AccountBalance, fallback: QuotaDisplay): TreeNode {
    const display = entry.display ?? fallback;
    const last = entry.snapshot;
    if (!last) {
      if (entry.error) this.log.warn(`Balance of ${accountLabel(meta)}: ${entry.error.message}`);
      return { kind: 'info', id: `${meta.id}:balance`, icon: entry.error ? 'error' : 'sync~spin', label: entry.error ? 'Balance unavailable' : 'Reading the balance…', tooltip: entry.error?.message };
    }
    const stale = entry.error ? ' (stale)' : '';
    const read = entry.restored
      ? `Read at ${new Date(last.at).toISOString().slice(0, 19).replace('T', ' ')} UTC, in an earlier session`
      : `Read at ${new Date(last.at).toISOString().slice(11, 19)} UTC in ${last.latencyMs} ms`;
    return {
      kind: 'info', id: `${meta.id}:balance`, icon: 'credit-card',
      label: `Balance ${formatQuota(last.remaining, display)}${stale}`,
      description: `used ${formatQuota(last.used, display)}${last.group ? ` · group ${last.group}` : ''}`,
      tooltip: entry.error ? `${read}. The last read failed: ${entry.error.message}` : `${read}.`,
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** A tooltip built from our Markdown with untrusted values already escaped: no commands, no HTML, no theme icons. */
function untrustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
