/**
 * Where accounts live in the state store, and their shape. Split from accounts.ts (zod, crypto) so the
 * startup chunk can read the account list from globalState without loading either.
 */

export type AuthKind = 'accessToken' | 'session' | 'key';
export type GatewayFlavor = 'new-api' | 'one-api';

export interface AccountMeta {
  id: string;
  baseUrl: string;
  authKind: AuthKind;
  flavor: GatewayFlavor;
  userId?: number;
  username?: string;
  displayName?: string;
  systemName?: string;
  /** Last four characters of the key, for key-only accounts: enough to tell keys apart, useless to an attacker. */
  keyTail?: string;
  addedAt: number;
}

/** The subset of vscode.Memento we use. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The subset of vscode.SecretStorage we use. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Prefix of every secret that belongs to one account (credential, revealed keys…), so sign-out can remove all. */
export const accountSecretPrefix = (id: string) => `tokaify.account.${id}.`;
/** Where an account's sign-in (access token, session cookie or API key) is kept in SecretStorage. */
export const credentialKey = (id: string) => `${accountSecretPrefix(id)}credential`;

/** The account secret holding a token's revealed key (`sk-` kept as the gateway gave it). */
export const keySecretName = (tokenId: number) => `key.${tokenId}`;
/** The token id a `keySecretName` names, else undefined. */
export function tokenIdOfKeySecret(name: string): number | undefined {
  const id = /^key\.(\d+)$/.exec(name)?.[1];
  return id === undefined ? undefined : Number(id);
}

export const ACCOUNTS_KEY = 'tokaify.accounts';
export const ACTIVE_KEY = 'tokaify.activeAccount';
/** A non-secret value kept for one account in the state store (the gateway's display settings, the last balance). */
export const accountStateKey = (id: string, name: 'display' | 'lastBalance') => `${ACCOUNTS_KEY}.${id}.${name}`;

export function storedAccounts(state: Pick<StateStore, 'get'>): AccountMeta[] {
  return state.get<AccountMeta[]>(ACCOUNTS_KEY) ?? [];
}

/** The active account: the one chosen last, else the first. */
export function storedActiveAccount(state: Pick<StateStore, 'get'>): AccountMeta | undefined {
  const accounts = storedAccounts(state);
  const activeId = state.get<string>(ACTIVE_KEY);
  return accounts.find((a) => a.id === activeId) ?? accounts[0];
}
