/**
 * How the glue names things it shows in many places (an account, a token, a count), in the user's
 * language. Called when shown, never at load: the bundle is configured at activation.
 */
import * as vscode from 'vscode';
import type { AccountMeta } from '../core/accounts';
import { displayLocale } from '../core/locale';
import type { Token, TokenStatus } from '../core/tokenModel';

/** The account's short name: the key's tail for key-only accounts, else the console user's name. */
export function accountName(meta: AccountMeta): string {
  if (meta.authKind === 'key') return vscode.l10n.t('API key …{0}', meta.keyTail ?? '');
  return meta.displayName || meta.username || vscode.l10n.t('user {0}', meta.userId ?? '');
}

/** A token's name as the gateway has it, or a word for a nameless one. */
export function tokenName(token: Pick<Token, 'name'>): string {
  return token.name || vscode.l10n.t('(unnamed)');
}

/** The status as the console words it (已启用, 已禁用…). */
export function tokenStatusText(status: TokenStatus): string {
  switch (status) {
    case 'enabled': return vscode.l10n.t('enabled');
    case 'disabled': return vscode.l10n.t('disabled');
    case 'expired': return vscode.l10n.t('expired');
    case 'exhausted': return vscode.l10n.t('exhausted');
  }
}

/** A count in the user's locale (1,234). */
export function count(n: number): string {
  return n.toLocaleString(displayLocale());
}

/** A moment (epoch ms or an ISO string) in the user's locale and time zone: backup times. */
export function dateTime(at: number | string): string {
  return new Date(at).toLocaleString(displayLocale());
}
