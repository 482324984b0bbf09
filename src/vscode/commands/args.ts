/**
 * Command arguments are untrusted: a command can be run from a link, a keybinding or another extension
 * with any JSON. They may only *name* things (an account id, a token id, a tree row); what is named is
 * then looked up in our own stores, so a forged row cannot carry its own gateway address, key or token
 * fields. No argument ever skips a confirmation, a preview or a warning.
 */
import type { AccountMeta, AccountStore } from '../../core/accounts';

export type TokenRef = { accountId: string; tokenId: number };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** An account id, an account or token row (`{ kind, meta: { id } }`) or `{ accountId }`: the stored account, or undefined. */
export function accountOf(accounts: AccountStore, arg: unknown): AccountMeta | undefined {
  const id = accountIdOf(arg);
  return id === undefined ? undefined : accounts.get(id);
}

export function accountIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (!isObject(arg)) return undefined;
  if (typeof arg.accountId === 'string') return arg.accountId;
  if ((arg.kind === 'account' || arg.kind === 'token' || arg.kind === 'loadMore') && isObject(arg.meta) && typeof arg.meta.id === 'string') return arg.meta.id;
  return undefined;
}

/** A token row or `{ accountId, tokenId }`: the ids only. */
export function tokenRefOf(arg: unknown): TokenRef | undefined {
  if (!isObject(arg)) return undefined;
  if (arg.kind === 'token' && isObject(arg.token) && Number.isSafeInteger(arg.token.id)) {
    const accountId = accountIdOf(arg);
    return accountId === undefined ? undefined : { accountId, tokenId: arg.token.id as number };
  }
  if (typeof arg.accountId === 'string' && Number.isSafeInteger(arg.tokenId)) return { accountId: arg.accountId, tokenId: arg.tokenId as number };
  return undefined;
}

/** Several token rows (a multi-selection) or one. */
export function tokenRefsOf(arg: unknown): TokenRef[] {
  const many = Array.isArray(arg) ? arg : [arg];
  return many.map(tokenRefOf).filter((r): r is TokenRef => r !== undefined);
}
