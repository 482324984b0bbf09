import { createHash } from 'node:crypto';
// vscode-free like the core (a unit test builds it without VS Code): the same bundle, through @vscode/l10n.
import * as l10n from '@vscode/l10n';
import { accountStateKey, type AccountMeta, type AccountStore, type StateStore } from '../core/accounts';
import { accountBalance, keyBalance } from '../core/balance';
import { BalanceStore } from '../core/balanceStore';
import { GatewayError } from '../core/errors';
import { consoleClientFor } from '../core/clients';
import type { ConsoleClient } from '../core/consoleClient';
import { Emitter } from '../core/emitter';
import type { HttpClient } from '../core/http';
import { quotaDisplayOf, storedQuotaDisplay, type QuotaDisplay } from '../core/quota';
import type { GatewayStatus } from '../core/schemas';
import { TokenApi } from '../core/tokenApi';
import { TokenList } from '../core/tokenList';
import type { HttpService } from './httpFactory';

/** Display settings older than this are read again, in the background, behind the stored ones. */
export const DISPLAY_MAX_AGE_MS = 24 * 60 * 60_000;

/** The gateway's display settings as persisted with the account, and when they were read. */
interface StoredDisplay {
  display: QuotaDisplay;
  at: number;
}

/**
 * Per-account services, created on first use and dropped on sign-out: the console client, the
 * token API, the token list the tree shows, the gateway's quota display (persisted with the account,
 * so a balance check is one request) and the balance every view shows (one BalanceStore, so the
 * status bar and the tree never disagree).
 */
export class Gateways {
  private readonly lists = new Map<string, { list: TokenList; unsubscribe: () => void }>();
  private readonly statuses = new Map<string, Promise<GatewayStatus | undefined>>();
  /** `/api/status` reads on the wire, so a background re-read is never doubled. */
  private readonly statusReads = new Map<string, Promise<GatewayStatus | undefined>>();
  /** Accounts whose display settings the user asked to read again (Refresh): the next use waits for them. */
  private readonly rereadDisplay = new Set<string>();
  private readonly apis = new Map<string, { api: TokenApi; client: HttpClient; signIn: string }>();
  private readonly tokensChanged = new Emitter<string>();
  readonly onDidChangeTokens = this.tokensChanged.event;
  readonly balances: BalanceStore;

  /** `state` is VS Code's globalState: display settings and last balances are not secret. */
  constructor(
    private readonly accounts: AccountStore,
    private readonly http: Pick<HttpService, 'client'>,
    private readonly state: StateStore,
    private readonly now: () => number = Date.now,
  ) {
    accounts.onDidChange(() => this.forgetRemoved());
    this.balances = new BalanceStore((id) => this.readBalance(id), state);
  }

  /**
   * One request: the console's /api/user/self, or what the key itself can tell for key-only accounts.
   * Only without stored display settings is /api/status read too: alongside for console accounts, first
   * for key-only ones (the billing routes' amounts are converted with its quota per unit).
   */
  private async readBalance(accountId: string) {
    const meta = this.accounts.get(accountId);
    if (!meta) throw new GatewayError('unauthorized', l10n.t('This account is signed out.'));
    if (meta.authKind === 'key') {
      const display = await this.quotaDisplay(meta);
      return { snapshot: await keyBalance(this.http.client, meta.baseUrl, await this.accounts.apiKey(meta.id), meta.flavor, display), display };
    }
    const [display, snapshot] = await Promise.all([this.quotaDisplay(meta), this.console(meta).then(accountBalance)]);
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

  /**
   * `/api/status`, read once per account and session; undefined when it cannot be read (defaults apply).
   * A good read also stores the display settings derived from it with the account.
   */
  status(meta: AccountMeta): Promise<GatewayStatus | undefined> {
    const id = meta.id;
    let status = this.statuses.get(id);
    if (!status) {
      const reading: Promise<GatewayStatus | undefined> = this.console(meta).then((c) => c.status()).then((read) => {
        if (this.accounts.get(id)) this.storeDisplay(id, quotaDisplayOf(read));
        return read;
      }, () => {
        if (this.statuses.get(id) === reading) this.statuses.delete(id); // try again next time
        return undefined;
      });
      this.statusReads.set(id, reading);
      void reading.finally(() => {
        // Only the latest read settles the account's state (Refresh may have started another meanwhile).
        if (this.statusReads.get(id) !== reading) return;
        this.statusReads.delete(id);
        this.rereadDisplay.delete(id); // read again, or failed: either way the stored settings serve again
      });
      status = reading;
      this.statuses.set(id, status);
    }
    return status;
  }

  /**
   * The gateway's display settings: the stored ones when there are any (no request), read again behind
   * them once they are a day old; read first only without stored ones or after the user's Refresh.
   */
  async quotaDisplay(meta: AccountMeta): Promise<QuotaDisplay> {
    const stored = this.storedDisplay(meta.id);
    if (stored && !this.rereadDisplay.has(meta.id)) {
      if (this.now() - stored.at > DISPLAY_MAX_AGE_MS && !this.statusReads.has(meta.id)) {
        this.statuses.delete(meta.id); // this session's read is as old: read again
        void this.status(meta);
      }
      return stored.display;
    }
    const status = await this.status(meta);
    // An unreadable /api/status keeps the settings read last time rather than falling back to defaults.
    return status ? quotaDisplayOf(status) : this.storedDisplay(meta.id)?.display ?? quotaDisplayOf(undefined);
  }

  private storedDisplay(accountId: string): StoredDisplay | undefined {
    const value = this.state.get<unknown>(accountStateKey(accountId, 'display'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { display, at } = value as Record<string, unknown>;
    const checked = storedQuotaDisplay(display);
    return checked && typeof at === 'number' && Number.isFinite(at) ? { display: checked, at } : undefined;
  }

  private storeDisplay(accountId: string, display: QuotaDisplay): void {
    const value: StoredDisplay = { display, at: this.now() };
    // A failed write only means /api/status is read again next session.
    void Promise.resolve(this.state.update(accountStateKey(accountId, 'display'), value)).catch(() => undefined);
  }

  /** Reloads every token list that was loaded (as far as it was loaded), each gateway's display settings and each balance. */
  refreshAll(): void {
    this.statuses.clear();
    for (const meta of this.accounts.list()) this.rereadDisplay.add(meta.id);
    for (const { list } of this.lists.values()) void list.refresh();
    // The balances some view has shown (not every one persisted from an earlier session).
    for (const id of this.balances.ids()) if (this.accounts.get(id)) void this.balances.refresh(id);
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
    for (const id of [...this.statuses.keys(), ...this.apis.keys(), ...this.rereadDisplay]) {
      if (!live.has(id)) {
        this.statuses.delete(id);
        this.apis.delete(id);
        this.rereadDisplay.delete(id);
      }
    }
    for (const id of this.balances.ids()) if (!live.has(id)) this.balances.forget(id);
  }
}
