import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../core/accounts';
import { hostLabel } from '../core/baseUrl';
import type { AccountBalance } from '../core/balanceStore';
import { formatQuota, type QuotaDisplay } from '../core/quota';
import { describeToken, spendTooltipLine, tokenTooltip } from '../core/tokenFormat';
import type { Token, TokenStatus } from '../core/tokenModel';
import { labelText, markdownText, TEXT_LIMITS, tooltipText } from '../core/untrustedText';
import { AGENT_LABELS } from '../core/agents/types';
import type { AgentKeyUse, KeyUsageIndex, UnknownKeyUse } from './agents/keyUsage';
import { alertText, tokenAlert, type TokenAlert } from '../core/tokenAlert';
import { CONFIGURE_COMMAND } from '../core/diagnosis/types';
import { Commands } from './commandIds';
import type { Gateways } from './gateways';
import type { Log } from './log';
import type { AccountSpend } from './spend';
import { accountName, count, tokenName } from './names';

export type TreeNode =
  | { kind: 'account'; meta: AccountMeta }
  | { kind: 'token'; meta: AccountMeta; token: Token; description: string; tooltip: string; alert?: TokenAlert; usedBy: AgentKeyUse[] }
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
    private readonly keyUsage?: KeyUsageIndex,
    private readonly spend?: AccountSpend,
  ) {
    this.subscriptions = [
      accounts.onDidChange(() => this.refresh()),
      gateways.onDidChangeTokens((id) => this.changed.fire(this.accountNodes.get(id))),
      gateways.balances.onDidChange((id) => this.changed.fire(this.accountNodes.get(id))),
      ...(keyUsage ? [keyUsage.onDidChange(() => this.changed.fire(undefined))] : []),
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
        const item = new vscode.TreeItem(labelText(tokenName(node.token)), vscode.TreeItemCollapsibleState.None);
        const [icon, color] = node.alert ? ['warning', 'charts.orange'] : STATUS_ICON[node.token.status];
        item.id = `token:${node.meta.id}:${node.token.id}`;
        item.description = labelText(node.description, TEXT_LIMITS.description);
        item.tooltip = untrustedMarkdown(node.tooltip);
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        // `.alert`: an agent uses it and it is about to stop working; Rotate Key… is offered inline.
        item.contextValue = `token.${node.token.status}${node.alert ? '.alert' : ''}`;
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.meta.id}`;
        item.description = node.total !== undefined ? vscode.l10n.t('{0} of {1}', count(node.loaded), count(node.total)) : vscode.l10n.t('{0} loaded', count(node.loaded));
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: Commands.loadMoreTokens, title: vscode.l10n.t('Load more'), arguments: [node.meta.id] };
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

  /**
   * On hover (VS Code asks only then, so only while the window is focused): the token's spend today and in the
   * last 7 days joins its tooltip, from the cache while fresh, else read now; a failed read adds nothing.
   */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, cancel: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'token' || !this.spend) return item;
    const abort = new AbortController();
    const listener = cancel.onCancellationRequested(() => abort.abort());
    try {
      const display = await this.gateways.quotaDisplay(node.meta);
      const spend = await this.spend.token(node.meta, node.token.name, display, abort.signal);
      if (spend && !cancel.isCancellationRequested) item.tooltip = untrustedMarkdown(`${node.tooltip}\n\n${spendTooltipLine(spend)}`);
    } catch (err) {
      this.log.warn(`Spend of a token: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      listener.dispose();
    }
    return item;
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
        label: vscode.l10n.t('Token management needs a console sign-in'), description: vscode.l10n.t('click to sign in'),
        tooltip: vscode.l10n.t('You signed in with an API key only. The status bar and the agent setup work with it; to list and manage tokens, add this gateway again with an access token or your password.'),
        command: { command: Commands.addGateway, title: vscode.l10n.t('Sign in to the console'), arguments: [{ baseUrl: meta.baseUrl }] },
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
        kind: 'info', id: `${meta.id}:signedOut`, icon: 'warning', label: vscode.l10n.t('Signed out by the gateway: sign in again'), description: vscode.l10n.t('click to sign in'),
        tooltip: balance.error?.message ?? state.error, command: { command: Commands.addGateway, title: vscode.l10n.t('Sign in again'), arguments: [{ baseUrl: meta.baseUrl }] },
      });
    } else {
      rows.push(this.balanceRow(meta, balance, display));
    }
    if (state.error && !signedOut) {
      rows.push({
        kind: 'info', id: `${meta.id}:error`, icon: 'warning',
        label: state.loaded ? vscode.l10n.t('Could not refresh: showing the last list') : vscode.l10n.t('Could not load the tokens'),
        description: vscode.l10n.t('click to retry'), tooltip: state.error, command: { command: Commands.refresh, title: vscode.l10n.t('Retry') },
      });
    }
    if (state.keyword) {
      rows.push({ kind: 'info', id: `${meta.id}:filter`, icon: 'filter', label: vscode.l10n.t('Filter: {0}', state.keyword), description: vscode.l10n.t('click to clear'),
        command: { command: Commands.clearTokenFilter, title: vscode.l10n.t('Clear filter'), arguments: [meta.id] } });
    }
    // Which agents send each key: from the agents' files, scanned once the rows are asked for (the rows redraw when it lands).
    this.keyUsage?.ensure();
    for (const unknown of this.keyUsage?.unknownFor(meta.id) ?? []) rows.push(unknownKeyRow(meta, unknown));
    for (const token of state.tokens) rows.push(tokenRow(meta, token, display, this.keyUsage?.usesOf(meta.id, token.id) ?? []));
    if (state.loaded && !state.tokens.length && !state.error) {
      rows.push({ kind: 'info', id: `${meta.id}:empty`, icon: 'add', label: state.keyword ? vscode.l10n.t('No token matches the filter') : vscode.l10n.t('No tokens yet: create one'),
        description: vscode.l10n.t('click to create a token'), command: { command: Commands.createToken, title: vscode.l10n.t('Create Token'), arguments: [meta.id] } });
    }
    if (state.hasMore) rows.push({ kind: 'loadMore', meta, loaded: state.tokens.length, total: state.total });
    return rows;
  }

  private accountItem(meta: AccountMeta): vscode.TreeItem {
    const active = this.accounts.active()?.id === meta.id;
    const item = new vscode.TreeItem(labelText(accountName(meta)), active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `account:${meta.id}`;
    item.description = active ? vscode.l10n.t('{0} · active', hostLabel(meta.baseUrl)) : hostLabel(meta.baseUrl);
    item.iconPath = new vscode.ThemeIcon(active ? 'account' : 'circle-outline');
    item.contextValue = `account.${meta.authKind}`;
    const how = meta.authKind === 'accessToken' ? vscode.l10n.t('access token') : meta.authKind === 'session' ? vscode.l10n.t('password (session)') : vscode.l10n.t('API key only');
    const md = markdownText;
    // The row names are ours (translated, no Markdown in them); every value from the gateway is escaped.
    const rows: [string, string][] = [
      [vscode.l10n.t('Gateway'), md(meta.baseUrl)],
      [vscode.l10n.t('Type'), `${md(meta.flavor)}${meta.systemName ? ` (${md(meta.systemName)})` : ''}`],
      ...(meta.userId !== undefined ? [[vscode.l10n.t('User'), vscode.l10n.t('{0} (ID {1})', md(meta.username ?? ''), meta.userId)] as [string, string]] : []),
      [vscode.l10n.t('Signed in with'), how],
    ];
    item.tooltip = untrustedMarkdown(`**${md(accountLabel(meta))}**\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`);
    return item;
  }

  /** The shared balance entry (the status bar shows the same one): value, use, group, and when it was read. */
  private balanceRow(meta: AccountMeta, entry: AccountBalance, fallback: QuotaDisplay): TreeNode {
    const display = entry.display ?? fallback;
    const last = entry.snapshot;
    if (!last) {
      if (entry.error) this.log.warn(`Balance of ${accountLabel(meta)}: ${entry.error.message}`);
      if (!entry.error) return { kind: 'info', id: `${meta.id}:balance`, icon: 'sync~spin', label: vscode.l10n.t('Reading the balance…') };
      return {
        kind: 'info', id: `${meta.id}:balance`, icon: 'error', label: vscode.l10n.t('Balance unavailable'), description: vscode.l10n.t('click to retry'),
        tooltip: entry.error.message, command: { command: Commands.refresh, title: vscode.l10n.t('Retry') },
      };
    }
    // UTC, as the status bar's tooltip gives the same reading's time.
    const read = entry.restored
      ? vscode.l10n.t('Read at {0} UTC, in an earlier session.', new Date(last.at).toISOString().slice(0, 19).replace('T', ' '))
      : vscode.l10n.t('Read at {0} UTC in {1} ms.', new Date(last.at).toISOString().slice(11, 19), count(last.latencyMs));
    const remaining = formatQuota(last.remaining, display);
    const used = formatQuota(last.used, display);
    return {
      kind: 'info', id: `${meta.id}:balance`, icon: 'credit-card',
      label: entry.error ? vscode.l10n.t('Balance {0} (stale)', remaining) : vscode.l10n.t('Balance {0}', remaining),
      description: last.group ? vscode.l10n.t('used {0} · group {1}', used, last.group) : vscode.l10n.t('used {0}', used),
      tooltip: entry.error ? `${read} ${vscode.l10n.t('The last read failed: {0}', entry.error.message)}` : read,
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/**
 * A token's row: its agents (from their files; "probably" when matched by the console's mask only) and,
 * when an agent uses it, whether it is about to stop working (expiry in 7 days, under 10 % quota left).
 */
function tokenRow(meta: AccountMeta, token: Token, display: QuotaDisplay, uses: AgentKeyUse[]): TreeNode {
  const users = uses.map((u) => AGENT_LABELS[u.agent]);
  const sure = uses.filter((u) => u.exact).map((u) => AGENT_LABELS[u.agent]);
  const probable = uses.filter((u) => !u.exact).map((u) => AGENT_LABELS[u.agent]);
  const alert = uses.length ? tokenAlert(token) : undefined;
  const lines = [tokenTooltip(token, display)];
  if (sure.length) lines.push(vscode.l10n.t('Used by {0}.', sure.join(', ')));
  if (probable.length) lines.push(vscode.l10n.t('Probably used by {0}: its files hold a key that begins and ends like this one (reveal or copy the key to be sure).', probable.join(', ')));
  if (alert) lines.push(`⚠ ${vscode.l10n.t('{0}: {1} will stop working. Rotate Key… gives them a new key in one step.', alertText(alert), users.join(', '))}`);
  const description = describeToken(token, display, users);
  return { kind: 'token', meta, token, description: alert ? `⚠ ${alertText(alert)} · ${description}` : description, tooltip: lines.join('\n\n'), usedBy: uses, ...(alert ? { alert } : {}) };
}

/** An agent that sends this gateway a key none of its known tokens has: Configure is the fix. */
function unknownKeyRow(meta: AccountMeta, unknown: UnknownKeyUse): TreeNode {
  const label = AGENT_LABELS[unknown.agent];
  return {
    kind: 'info', id: `${meta.id}:unknownKey:${unknown.agent}`, icon: 'question',
    label: vscode.l10n.t('{0} uses a key this gateway does not know', label), description: vscode.l10n.t('{0} · click to configure', unknown.masked),
    tooltip: vscode.l10n.t('{0} sends {1} to this gateway, but no token listed here (or revealed so far) has that key. It may be a deleted token, another account\'s, or one whose key was never revealed in VS Code. Configure {0} to give it one of these tokens. Files: {2}', label, unknown.masked, unknown.files.join(', ')),
    command: { command: CONFIGURE_COMMAND[unknown.agent], title: vscode.l10n.t('Configure'), arguments: [{ accountId: meta.id }] },
  };
}

/** A tooltip built from our Markdown with untrusted values already escaped: no commands, no HTML, no theme icons. */
function untrustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
