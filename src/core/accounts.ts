/**
 * Signed-in gateway accounts. Metadata (URL, user id, names) lives in a state store (VS Code's
 * globalState); every credential lives only in a secret store (VS Code's SecretStorage).
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import { Emitter } from './emitter';
import { GatewayError } from './errors';
import { tryJson } from './json';
import { registerSecret } from './redact';
import {
  ACCOUNTS_KEY, ACTIVE_KEY, accountSecretPrefix, accountStateKey, credentialKey, storedAccounts, storedActiveAccount, type AccountMeta, type SecretStore,
  type StateStore,
} from './accountKeys';

export { accountSecretPrefix, accountStateKey, type AccountMeta, type AuthKind, type GatewayFlavor, type SecretStore, type StateStore } from './accountKeys';

const credentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accessToken'), accessToken: z.string().check(z.minLength(1)) }),
  z.object({ kind: z.literal('session'), cookie: z.string().check(z.minLength(1)) }),
  z.object({ kind: z.literal('key'), apiKey: z.string().check(z.minLength(1)) }),
]);
export type AccountCredential = z.infer<typeof credentialSchema>;

export function accountId(baseUrl: string, identity: string): string {
  return createHash('sha256').update(`${baseUrl}\n${identity}`).digest('hex').slice(0, 16);
}

export function accountLabel(meta: AccountMeta): string {
  const host = hostOf(meta.baseUrl);
  if (meta.authKind === 'key') return l10n.t('API key …{0} @ {1}', meta.keyTail ?? '', host);
  return `${meta.displayName || meta.username || l10n.t('user {0}', meta.userId ?? '')} @ ${host}`;
}

export class AccountStore {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: StateStore,
    private readonly secrets: SecretStore,
  ) {}

  list(): AccountMeta[] {
    return storedAccounts(this.state);
  }

  get(id: string): AccountMeta | undefined {
    return this.list().find((a) => a.id === id);
  }

  active(): AccountMeta | undefined {
    return storedActiveAccount(this.state);
  }

  /** Adds or replaces an account and makes it active. Nothing is half-saved: a failed metadata write removes the secret again. */
  async save(meta: AccountMeta, credential: AccountCredential): Promise<void> {
    await this.secrets.store(credentialKey(meta.id), JSON.stringify(credential));
    try {
      const others = this.list().filter((a) => a.id !== meta.id);
      await this.state.update(ACCOUNTS_KEY, [...others, meta]);
      await this.state.update(ACTIVE_KEY, meta.id);
    } catch (error) {
      if (!this.get(meta.id)) await this.secrets.delete(credentialKey(meta.id));
      throw error;
    }
    this.changed.fire();
  }

  async setActive(id: string): Promise<void> {
    if (!this.get(id)) throw new Error(l10n.t('No account {0}.', id));
    await this.state.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  async credential(id: string): Promise<AccountCredential | undefined> {
    const raw = await this.secrets.get(credentialKey(id));
    if (!raw) return undefined;
    const parsed = credentialSchema.safeParse(tryJson(raw));
    if (!parsed.success) {
      // A corrupt entry would fail forever; drop it so the user is asked to sign in again.
      await this.secrets.delete(credentialKey(id));
      return undefined;
    }
    const c = parsed.data;
    registerSecret(c.kind === 'accessToken' ? c.accessToken : c.kind === 'session' ? c.cookie : c.apiKey);
    return c;
  }

  /**
   * The key of a key-only account, with `sk-` (sign-in stores it normalised). Missing means SecretStorage
   * lost it (another machine, a cleared keychain): the way back is to sign in again.
   */
  async apiKey(id: string): Promise<string> {
    const credential = await this.credential(id);
    if (credential?.kind !== 'key') throw new GatewayError('unauthorized', l10n.t('The key of this account is missing from SecretStorage: add the gateway again.'));
    return credential.apiKey;
  }

  /** Secret names owned by an account beyond its credential (revealed keys…), recorded by their writers. */
  async storeAccountSecret(id: string, name: string, value: string): Promise<void> {
    registerSecret(value);
    await this.secrets.store(`${accountSecretPrefix(id)}${name}`, value);
    const names = new Set(this.state.get<string[]>(`${ACCOUNTS_KEY}.${id}.secrets`) ?? []);
    if (!names.has(name)) await this.state.update(`${ACCOUNTS_KEY}.${id}.secrets`, [...names, name]);
  }

  /** The names of the secrets an account owns beyond its credential (`key.<tokenId>`…), without reading them. */
  accountSecretNames(id: string): string[] {
    return this.state.get<string[]>(`${ACCOUNTS_KEY}.${id}.secrets`) ?? [];
  }

  async accountSecret(id: string, name: string): Promise<string | undefined> {
    return this.secrets.get(`${accountSecretPrefix(id)}${name}`);
  }

  async deleteAccountSecret(id: string, name: string): Promise<void> {
    await this.secrets.delete(`${accountSecretPrefix(id)}${name}`);
    const names = (this.state.get<string[]>(`${ACCOUNTS_KEY}.${id}.secrets`) ?? []).filter((n) => n !== name);
    await this.state.update(`${ACCOUNTS_KEY}.${id}.secrets`, names);
  }

  /** Sign-out: removes the account and every secret it owns. */
  async remove(id: string): Promise<void> {
    const names = this.state.get<string[]>(`${ACCOUNTS_KEY}.${id}.secrets`) ?? [];
    await Promise.all([credentialKey(id), ...names.map((n) => `${accountSecretPrefix(id)}${n}`)].map((k) => this.secrets.delete(k)));
    await this.state.update(`${ACCOUNTS_KEY}.${id}.secrets`, undefined);
    // The cached display settings and last balance go too: nothing of a signed-out account stays behind.
    for (const name of ['display', 'lastBalance'] as const) await this.state.update(accountStateKey(id, name), undefined);
    const remaining = this.list().filter((a) => a.id !== id);
    await this.state.update(ACCOUNTS_KEY, remaining);
    if (this.state.get<string>(ACTIVE_KEY) === id) await this.state.update(ACTIVE_KEY, remaining[0]?.id);
    this.changed.fire();
  }
}


function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
