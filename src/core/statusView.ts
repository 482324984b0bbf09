/**
 * The status-bar item as a pure function of what we know: the active account, the last good balance,
 * the last error. Text is short (icon + balance + a word when something is wrong); the Markdown
 * tooltip carries the details and the links.
 */
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
const WORD: Record<Connectivity, string> = {
  ok: '', slow: 'slow', offline: 'offline', authFailed: 'sign-in failed', outOfCredit: 'no credit', error: 'gateway error', checking: '',
};

function time(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

/** How long ago, in the unit a person would use; over a day old, the time alone would mislead, so the date is added. */
function ago(at: number, now: number): { when: string; age: string } {
  const ms = Math.max(0, now - at);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const age = minutes < 1 ? 'just now' : minutes < 60 ? `${minutes} min ago` : hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} days ago`;
  const when = hours < 24 ? time(at) : new Date(at).toISOString().slice(0, 19).replace('T', ' ');
  return { when, age };
}

const SIGNED_OUT: StatusView = {
  text: '$(plug) Tokaify: Sign in',
  tooltip: '**Tokaify**: no gateway connected. Click to add a gateway.',
  severity: 'normal',
};

/**
 * The item's text and colour without the tooltip: all the first frame at activation needs (the tooltip
 * is only read on hover, so it is built after activation).
 */
export function statusLine(state: StatusState): Omit<StatusView, 'tooltip'> {
  if (!state.account) return { text: SIGNED_OUT.text, severity: SIGNED_OUT.severity };
  const connectivity = state.checking && !state.last && !state.error ? 'checking' : connectivityOf(state);
  const balance = balanceText(state);
  const stale = state.error && state.last ? ' (stale)' : '';
  const parts = [balance ? `${balance}${stale}` : '', WORD[connectivity]].filter(Boolean).join(' · ');
  const severity = connectivity === 'authFailed' || connectivity === 'outOfCredit' ? 'error' : connectivity === 'offline' || connectivity === 'error' || connectivity === 'slow' ? 'warning' : 'normal';
  return { text: `${ICON[connectivity]} Tokaify${parts ? `: ${parts}` : ''}`, severity, connectivity };
}

/** The amount carries the gateway's currency symbol: plain in the text, escaped in the tooltip. */
function balanceText(state: StatusState): string | undefined {
  return state.last ? (state.last.unlimited ? 'unlimited' : labelText(formatQuota(state.last.remaining, state.display), 24)) : undefined;
}

export function statusView(state: StatusState): StatusView {
  if (!state.account) return SIGNED_OUT;
  const { text, severity, connectivity } = statusLine(state);
  const balance = balanceText(state);
  const md = markdownText;
  const stale = state.error && state.last ? ' (stale)' : '';
  const lines = [`**Tokaify** · ${md(state.account.label)} @ ${md(state.account.host)}`, ''];
  if (state.last) {
    const whose = state.last.source === 'key' ? 'Key quota' : 'Balance';
    lines.push(`${whose}: **${md(balance)}**${stale} · used ${md(formatQuota(state.last.used, state.display))}`, '');
    if (state.restored) {
      const { when, age } = ago(state.last.at, state.now ?? Date.now());
      lines.push(`Last good check: ${when} UTC (${age})${state.checking ? '; checking now…' : ''}`, '');
    } else {
      lines.push(`Last good check: ${time(state.last.at)} UTC, ${state.last.latencyMs} ms${state.last.latencyMs > SLOW_MS ? ' (slow)' : ''}`, '');
    }
  }
  if (state.error) lines.push(`$(warning) ${md(state.error.message)} (${time(state.error.at)} UTC)`, '');
  if (connectivity === 'authFailed') lines.push('Not checking again until you sign in again or click Refresh.', '');
  if (connectivity === 'outOfCredit') lines.push('Requests will fail until the account is topped up.', '');
  lines.push(`[Verify](${STATUS_LINKS.verify}) · [Switch Gateway](${STATUS_LINKS.switchGateway}) · [Open Console](${STATUS_LINKS.openConsole}) · [Refresh](${STATUS_LINKS.refresh})`);
  return { text, tooltip: lines.join('\n'), severity, connectivity };
}
