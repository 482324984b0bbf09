import { createHash } from 'node:crypto';
import type { AccountMeta, AccountStore } from '../core/accounts';
import { accountBalance, keyBalance } from '../core/balance';
import { BalanceStore } from '../core/balanceStore';
import { GatewayError } from '../core/errors';
import { consoleClientFor } from '../core/clients';
import type { ConsoleClient } from '../core/consoleClient';
import { Emitter } from '../core/emitter';
import type { HttpClient } from '../core/http';
import { quotaDisplayOf, type QuotaDisplay } from '../core/quota';
import type { GatewayStatus } from '../core/schemas';
import { TokenApi } from '../core/tokenApi';
import { TokenList } from '../core/tokenList';
import type { HttpService } from './httpFactory';

/**
 * Per-account services, created on first use and dropped on sign-out: the console client, the
 * token API, the token list the tree shows, the gateway's quota display (read once per account) and
 * the balance every view shows (one BalanceStore, so the status bar and the tree never disagree).
 */
export class Gateways {
  private readonly lists = new Map<string, { list: TokenList; unsubscribe: () => void }>();
  private readonly statuses = new Map<string, Promise<GatewayStatus | undefined>>();
  private readonly apis = new Map<string, { api: TokenApi; client: HttpClient; signIn: string }>();
  private readonly tokensChanged = new Emitter<string>();
  readonly onDidChangeTokens = this.tokensChanged.event;
  readonly balances: BalanceStore;

  constructor(private readonly accounts: AccountStore, private readonly http: HttpService) {
    accounts.onDidChange(() => this.forgetRemoved());
    this.balances = new BalanceStore((id) => this.readBalance(id));
  }

  /** One request: the console's /api/user/self, or what the key itself can tell for key-only accounts. */
  private async readBalance(accountId: string) {
    const meta = this.accounts.get(accountId);
    if (!meta) throw new GatewayError('unauthorized', 'This account is signed out.');
    const display = await this.quotaDisplay(meta);
    const snapshot = meta.authKind === 'key'
      ? await keyBalance(this.http.client, meta.baseUrl, await this.accounts.apiKey(meta.id), meta.flavor, display.quotaPerUnit)
      : await accountBalance(await this.console(meta));
    return { snapshot, display };
  }

  async console(meta: AccountMeta): Promise<ConsoleClient> {
    return consoleClientFor(this.http.client, meta, await this.accounts.credential(meta.id));
  }

  /**
   * Kept per account (it learns the gateway's paging), but rebuilt when the sign-in changed (Sign In Again
   * keeps the account id) or the HTTP client was (the timeout setting): the old one would keep failing.
   */
  async tokenApi(meta: AccountMeta): Promise<TokenApi> {
    const credential = await this.accounts.credential(meta.id);
    const client = this.http.client;
    const signIn = createHash('sha256').update(JSON.stringify([meta.baseUrl, meta.userId, meta.flavor, credential ?? null])).digest('hex');
    let entry = this.apis.get(meta.id);
    if (!entry || entry.client !== client || entry.signIn !== signIn) {
      entry = { api: new TokenApi(consoleClientFor(client, meta, credential), meta.flavor), client, signIn };
      this.apis.set(meta.id, entry);
    }
    return entry.api;
  }

  tokens(meta: AccountMeta): TokenList {
    let entry = this.lists.get(meta.id);
    if (!entry) {
      const list = new TokenList(() => this.tokenApi(meta), meta.flavor);
      const subscription = list.onDidChange(() => this.tokensChanged.fire(meta.id));
      entry = { list, unsubscribe: () => subscription.dispose() };
      this.lists.set(meta.id, entry);
    }
    return entry.list;
  }

  /** `/api/status`, read once per account; undefined when it cannot be read (defaults apply). */
  status(meta: AccountMeta): Promise<GatewayStatus | undefined> {
    let status = this.statuses.get(meta.id);
    if (!status) {
      status = this.console(meta).then((c) => c.status()).catch(() => {
        this.statuses.delete(meta.id); // try again next time
        return undefined;
      });
      this.statuses.set(meta.id, status);
    }
    return status;
  }

  async quotaDisplay(meta: AccountMeta): Promise<QuotaDisplay> {
    return quotaDisplayOf(await this.status(meta));
  }

  /** Reloads every token list that was loaded (as far as it was loaded), each gateway's display settings and each balance. */
  refreshAll(): void {
    this.statuses.clear();
    for (const { list } of this.lists.values()) void list.refresh();
    for (const meta of this.accounts.list()) if (this.balances.get(meta.id)) void this.balances.refresh(meta.id);
  }

  /** The console's token page, for "Open in Console". */
  consoleTokenPage(meta: AccountMeta): string {
    return `${meta.baseUrl}${meta.flavor === 'one-api' ? '/token' : '/console/token'}`;
  }

  private forgetRemoved(): void {
    const live = new Set(this.accounts.list().map((a) => a.id));
    for (const [id, entry] of this.lists) {
      if (!live.has(id)) {
        entry.unsubscribe();
        this.lists.delete(id);
      }
    }
    for (const id of [...this.statuses.keys(), ...this.apis.keys()]) {
      if (!live.has(id)) {
        this.statuses.delete(id);
        this.apis.delete(id);
      }
    }
    for (const id of this.balances.ids()) if (!live.has(id)) this.balances.forget(id);
  }
}
