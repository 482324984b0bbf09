/**
 * The status-bar item as a pure function of what we know: the active account, the last good balance,
 * the last error. Text is short (icon + balance + a word when something is wrong); the Markdown
 * tooltip carries the details and the links.
 */
import * as l10n from '@vscode/l10n';
import type { BalanceSnapshot } from './balance';
import type { GatewayErrorKind } from './errors';
import { formatQuota, type QuotaDisplay } from './quota';
import { labelText, markdownText } from './untrustedText';

export const SLOW_MS = 1500;

export type Connectivity = 'ok' | 'slow' | 'offline' | 'authFailed' | 'outOfCredit' | 'error' | 'checking';

export interface StatusState {
  account?: { label: string; host: string; keyOnly: boolean };
  display: QuotaDisplay;
  last?: BalanceSnapshot;
  /** The most recent refresh failed (the last good balance, if any, is then stale). */
  error?: { kind: GatewayErrorKind | 'unknown'; message: string; at: number };
  checking: boolean;
  /** `last` is an earlier session's (restored from the state store), not yet confirmed in this one. */
  restored?: boolean;
  /** For the age of a restored balance; Date.now() when absent. */
  now?: number;
  /** The account's spend today (console sign-ins only), as formatted, with the time it was read (ms). */
  spentToday?: { text: string; readAt: number };
  /** This window's workspace profile (Use for This Workspace), when one is applied. */
  workspaceProfile?: { token: string; host: string; models: string };
  /** Tokens of this account that agents use and that are about to stop working (from the tree's data). */
  agentAlerts?: AgentTokenAlert[];
}

export interface AgentTokenAlert {
  /** The agents, by our names ("Codex CLI, Claude Code"). */
  agents: string;
  /** The token's name: the gateway's text. */
  token: string;
  /** alertText(): "expires in 3 days (2026-12-05)". */
  what: string;
  /** What Rotate Key… acts on: ids only. */
  ref: { accountId: string; tokenId: number };
}

export interface StatusView {
  text: string;
  /** Markdown; only the STATUS_LINKS commands are trusted, and every server value in it is escaped. */
  tooltip: string;
  severity: 'normal' | 'warning' | 'error';
  connectivity?: Connectivity;
}

/** The tooltip's links: read-only commands only, so even a link that slipped in could do no harm. */
export const STATUS_LINKS = {
  verify: 'command:tokaify.verify',
  switchGateway: 'command:tokaify.switchGateway',
  openConsole: 'command:tokaify.openConsole',
  refresh: 'command:tokaify.refreshStatus',
  showUsage: 'command:tokaify.showUsage',
  /** Asks before it changes anything (preview, confirmation); the arguments are ids only. */
  rotateKey: 'command:tokaify.rotateKey',
} as const;

export function connectivityOf(state: StatusState): Connectivity {
  if (state.error) {
    if (state.error.kind === 'network' || state.error.kind === 'timeout') return 'offline';
    if (state.error.kind === 'unauthorized' || state.error.kind === 'forbidden') return 'authFailed';
    return 'error';
  }
  if (!state.last) return 'checking';
  if (!state.last.unlimited && state.last.remaining <= 0) return 'outOfCredit';
  // An earlier session's latency says nothing about the connection now.
  return state.last.latencyMs > SLOW_MS && !state.restored ? 'slow' : 'ok';
}

const ICON: Record<Connectivity, string> = {
  ok: '$(pass)', slow: '$(watch)', offline: '$(debug-disconnect)', authFailed: '$(error)', outOfCredit: '$(alert)', error: '$(warning)', checking: '$(sync~spin)',
};

/** The word after the balance when something is wrong (a function: the words are translated once the bundle is set). */
function word(connectivity: Connectivity): string {
  switch (connectivity) {
    case 'slow': return l10n.t('slow');
    case 'offline': return l10n.t('offline');
    case 'authFailed': return l10n.t('sign-in failed');
    case 'outOfCredit': return l10n.t('no credit');
    case 'error': return l10n.t('gateway error');
    default: return '';
  }
}

function time(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

/** How long ago, in the unit a person would use; over a day old, the time alone would mislead, so the date is added. */
function ago(at: number, now: number): { when: string; age: string } {
  const ms = Math.max(0, now - at);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  // Days only from 48 hours on, so never "1 days".
  const age = minutes < 1 ? l10n.t('just now') : minutes < 60 ? l10n.t('{0} min ago', minutes) : hours < 48 ? l10n.t('{0} h ago', hours) : l10n.t('{0} days ago', Math.floor(hours / 24));
  const when = hours < 24 ? time(at) : new Date(at).toISOString().slice(0, 19).replace('T', ' ');
  return { when, age };
}

function signedOut(): StatusView {
  return { text: `$(plug) ${l10n.t('Tokaify: Sign in')}`, tooltip: l10n.t('**Tokaify**: no gateway connected. Click to add a gateway.'), severity: 'normal' };
}

/**
 * The item's text and colour without the tooltip: all the first frame at activation needs (the tooltip
 * is only read on hover, so it is built after activation).
 */
export function statusLine(state: StatusState): Omit<StatusView, 'tooltip'> {
  if (!state.account) {
    const { text, severity } = signedOut();
    return { text, severity };
  }
  const connectivity = state.checking && !state.last && !state.error ? 'checking' : connectivityOf(state);
  const balance = balanceText(state);
  const stale = state.error && state.last;
  const parts = [balance ? (stale ? l10n.t('{0} (stale)', balance) : balance) : '', word(connectivity)].filter(Boolean).join(' · ');
  const severity = connectivity === 'authFailed' || connectivity === 'outOfCredit' ? 'error' : connectivity === 'offline' || connectivity === 'error' || connectivity === 'slow' ? 'warning' : 'normal';
  return { text: `${ICON[connectivity]} Tokaify${parts ? `: ${parts}` : ''}`, severity, connectivity };
}

/** The amount carries the gateway's currency symbol: plain in the text, escaped in the tooltip. */
function balanceText(state: StatusState): string | undefined {
  return state.last ? (state.last.unlimited ? l10n.t('unlimited') : labelText(formatQuota(state.last.remaining, state.display), 24)) : undefined;
}

/** "Balance: **$9.50** · used $1.00", one sentence per source and staleness so each reads whole when translated. */
function balanceLine(last: BalanceSnapshot, balance: string, used: string, stale: boolean): string {
  if (last.source === 'key') return stale ? l10n.t('Key quota: **{0}** (stale) · used {1}', balance, used) : l10n.t('Key quota: **{0}** · used {1}', balance, used);
  return stale ? l10n.t('Balance: **{0}** (stale) · used {1}', balance, used) : l10n.t('Balance: **{0}** · used {1}', balance, used);
}

export function statusView(state: StatusState): StatusView {
  if (!state.account) return signedOut();
  const { text, severity, connectivity } = statusLine(state);
  const balance = balanceText(state);
  const md = markdownText;
  const lines = [`**Tokaify** · ${md(state.account.label)} @ ${md(state.account.host)}`, ''];
  if (state.last) {
    lines.push(balanceLine(state.last, md(balance), md(formatQuota(state.last.used, state.display)), !!state.error), '');
    if (state.spentToday) lines.push(l10n.t('Spent today: **{0}** (read {1} UTC)', md(state.spentToday.text), time(state.spentToday.readAt).slice(0, 5)), '');
    if (state.restored) {
      const { when, age } = ago(state.last.at, state.now ?? Date.now());
      lines.push(state.checking ? l10n.t('Last good check: {0} UTC ({1}); checking now…', when, age) : l10n.t('Last good check: {0} UTC ({1})', when, age), '');
    } else {
      const { at, latencyMs } = state.last;
      lines.push(latencyMs > SLOW_MS ? l10n.t('Last good check: {0} UTC, {1} ms (slow)', time(at), latencyMs) : l10n.t('Last good check: {0} UTC, {1} ms', time(at), latencyMs), '');
    }
  }
  const wp = state.workspaceProfile;
  if (wp) lines.push(l10n.t('This workspace: **{0}** @ {1} ({2})', md(wp.token), md(wp.host), md(wp.models)), '');
  if (state.error) lines.push(`$(warning) ${l10n.t('{0} ({1} UTC)', md(state.error.message), time(state.error.at))}`, '');
  if (connectivity === 'authFailed') lines.push(l10n.t('Not checking again until you sign in again or click Refresh.'), '');
  if (connectivity === 'outOfCredit') lines.push(l10n.t('Requests will fail until the account is topped up.'), '');
  for (const alert of state.agentAlerts ?? []) {
    const rotate = `${STATUS_LINKS.rotateKey}?${encodeURIComponent(JSON.stringify([{ accountId: alert.ref.accountId, tokenId: alert.ref.tokenId }]))}`;
    lines.push(`$(warning) ${l10n.t('"{0}" (used by {1}): {2}.', md(alert.token), alert.agents, alert.what)} [${l10n.t('Rotate Key…')}](${rotate})`, '');
  }
  const links: [string, string][] = [
    [l10n.t('Verify'), STATUS_LINKS.verify], [l10n.t('Switch Gateway'), STATUS_LINKS.switchGateway],
    [l10n.t('Open Console'), STATUS_LINKS.openConsole], [l10n.t('Refresh'), STATUS_LINKS.refresh], [l10n.t('Usage'), STATUS_LINKS.showUsage],
  ];
  lines.push(links.map(([label, target]) => `[${label}](${target})`).join(' · '));
  return { text, tooltip: lines.join('\n'), severity, connectivity };
}
