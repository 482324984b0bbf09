/**
 * One source of account state for every view: the last balance read for each account, the display
 * unit it is shown in, the last error and when each was read. The status bar, the tree's balance row
 * and Verify all read and refresh it here, so they always show the same value and the same age.
 */
import type { BalanceSnapshot } from './balance';
import { Emitter } from './emitter';
import { errorMessage, GatewayError, type GatewayErrorKind } from './errors';
import type { QuotaDisplay } from './quota';

export interface AccountBalance {
  /** The last good read (kept, marked stale by `error`, when a later read fails). */
  snapshot?: BalanceSnapshot;
  display?: QuotaDisplay;
  /** The most recent read failed. */
  error?: { kind: GatewayErrorKind | 'unknown'; message: string; at: number };
  checking: boolean;
}

export type BalanceReader = (accountId: string) => Promise<{ snapshot: BalanceSnapshot; display: QuotaDisplay }>;

export class BalanceStore {
  private readonly entries = new Map<string, AccountBalance>();
  private readonly inFlight = new Map<string, Promise<AccountBalance>>();
  private readonly changed = new Emitter<string>();
  /** Fires the account id whose entry changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly read: BalanceReader, private readonly now: () => number = Date.now) {}

  get(accountId: string): AccountBalance | undefined {
    return this.entries.get(accountId);
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

  /** The entry; read first (or the read in flight awaited) when nothing has been read yet. */
  async ensure(accountId: string): Promise<AccountBalance> {
    const entry = this.entries.get(accountId);
    return entry?.snapshot || entry?.error ? entry : this.refresh(accountId);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  forget(accountId: string): void {
    this.entries.delete(accountId);
    this.changed.fire(accountId);
  }

  private async readInto(accountId: string): Promise<AccountBalance> {
    this.update(accountId, { checking: true });
    try {
      const { snapshot, display } = await this.read(accountId);
      return this.update(accountId, { snapshot, display, error: undefined, checking: false });
    } catch (error) {
      const kind = error instanceof GatewayError ? error.kind : 'unknown';
      return this.update(accountId, { error: { kind, message: errorMessage(error), at: this.now() }, checking: false });
    }
  }

  private update(accountId: string, change: Partial<AccountBalance>): AccountBalance {
    const entry: AccountBalance = { checking: false, ...this.entries.get(accountId), ...change };
    this.entries.set(accountId, entry);
    this.changed.fire(accountId);
    return entry;
  }
}
