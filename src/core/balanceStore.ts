/**
 * One source of account state for every view: the last balance read for each account, the display
 * unit it is shown in, the last error and when each was read. The status bar, the tree's balance row
 * and Verify all read and refresh it here, so they always show the same value and the same age.
 * Each account's last good read is also kept in the state store (amounts and unit only, nothing
 * secret), so the next session shows it the moment the status bar appears, while it checks again.
 */
import type { BalanceSnapshot } from './balance';
import { accountStateKey, type StateStore } from './accountKeys';
import { Emitter } from './emitter';
import { errorMessage, GatewayError, type GatewayErrorKind } from './errors';
import type { QuotaDisplay } from './quota';
import { storedBalance, type StoredBalance } from './storedBalance';

export interface AccountBalance {
  /** The last good read (kept, marked stale by `error`, when a later read fails). */
  snapshot?: BalanceSnapshot;
  display?: QuotaDisplay;
  /** The most recent read failed. */
  error?: { kind: GatewayErrorKind | 'unknown'; message: string; at: number };
  checking: boolean;
  /** `snapshot` is an earlier session's, restored from the state store: nothing has been read since. */
  restored?: boolean;
}

export type BalanceReader = (accountId: string) => Promise<{ snapshot: BalanceSnapshot; display: QuotaDisplay }>;

export class BalanceStore {
  private readonly entries = new Map<string, AccountBalance>();
  private readonly inFlight = new Map<string, Promise<AccountBalance>>();
  private readonly changed = new Emitter<string>();
  /** Fires the account id whose entry changed. */
  readonly onDidChange = this.changed.event;

  /** Without a state store nothing is persisted (tests, the bench's first-time user). */
  constructor(private readonly read: BalanceReader, private readonly state?: StateStore, private readonly now: () => number = Date.now) {}

  /** The entry; on first use in a session, the last good balance persisted by an earlier one (marked `restored`). */
  get(accountId: string): AccountBalance | undefined {
    const entry = this.entries.get(accountId);
    if (entry || !this.state) return entry;
    const stored = storedBalance(this.state.get<unknown>(accountStateKey(accountId, 'lastBalance')));
    if (!stored) return undefined;
    const restored: AccountBalance = { snapshot: stored.snapshot, display: stored.display, checking: false, restored: true };
    this.entries.set(accountId, restored);
    return restored;
  }

  /** Reads the balance now; callers at the same time share one read. */
  refresh(accountId: string): Promise<AccountBalance> {
    let running = this.inFlight.get(accountId);
    if (!running) {
      running = this.readInto(accountId).finally(() => this.inFlight.delete(accountId));
      this.inFlight.set(accountId, running);
    }
    return running;
  }

  /**
   * The entry; read first (or the read in flight awaited) when nothing has been read yet. A balance
   * restored from an earlier session is returned at once and read again behind it.
   */
  async ensure(accountId: string): Promise<AccountBalance> {
    const entry = this.get(accountId);
    if (entry?.restored && !entry.error && !entry.checking) void this.refresh(accountId);
    return entry?.snapshot || entry?.error ? entry : this.refresh(accountId);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Drops the entry from memory; the persisted copy goes with the account (AccountStore.remove). */
  forget(accountId: string): void {
    this.entries.delete(accountId);
    this.changed.fire(accountId);
  }

  private async readInto(accountId: string): Promise<AccountBalance> {
    this.update(accountId, { checking: true });
    try {
      const { snapshot, display } = await this.read(accountId);
      // Signed out while the read was out: neither shown nor persisted again.
      if (!this.entries.has(accountId)) return { snapshot, display, checking: false };
      this.persist(accountId, snapshot, display);
      return this.update(accountId, { snapshot, display, error: undefined, checking: false, restored: false });
    } catch (error) {
      const kind = error instanceof GatewayError ? error.kind : 'unknown';
      return this.update(accountId, { error: { kind, message: errorMessage(error), at: this.now() }, checking: false });
    }
  }

  private persist(accountId: string, snapshot: BalanceSnapshot, display: QuotaDisplay): void {
    if (!this.state) return;
    const { remaining, used, unlimited, source, latencyMs, at } = snapshot;
    const value: StoredBalance = { snapshot: { remaining, used, unlimited, source, latencyMs, at }, display };
    // A failed write costs only the instant balance next session; the read itself succeeded.
    void Promise.resolve(this.state.update(accountStateKey(accountId, 'lastBalance'), value)).catch(() => undefined);
  }

  private update(accountId: string, change: Partial<AccountBalance>): AccountBalance {
    const entry: AccountBalance = { checking: false, ...this.get(accountId), ...change };
    this.entries.set(accountId, entry);
    this.changed.fire(accountId);
    return entry;
  }
}
