/**
 * Spend for the tooltips (issue 14), in the main chunk: one SpendCache per console-signed-in account, dropped
 * when the account goes. The tree asks when a token row is hovered (resolveTreeItem, so only while the window is
 * focused); the status bar asks together with its balance check (which RefreshScheduler runs only while focused)
 * through the small StatusSpend interface, so the status chunk never loads the usage modules.
 */
import type { AccountMeta, AccountStore } from '../core/accounts';
import type { QuotaDisplay } from '../core/quota';
import { periodRange } from '../core/usage/calendar';
import { SpendCache, type SpendSummary } from '../core/usage/spendCache';
import { UsageApi } from '../core/usage/usageApi';
import type { Gateways } from './gateways';
import type { StatusSpend } from './statusBar';

export class AccountSpend implements StatusSpend {
  private readonly caches = new Map<string, SpendCache>();
  private readonly subscription: { dispose(): void };

  constructor(accounts: AccountStore, private readonly gateways: Gateways, private readonly now: () => number = Date.now) {
    this.subscription = accounts.onDidChange(() => {
      for (const id of this.caches.keys()) if (!accounts.get(id)) this.caches.delete(id);
    });
  }

  /** Key-only accounts have no log to read. */
  static covers(meta: AccountMeta): boolean {
    return meta.authKind !== 'key';
  }

  /**
   * A token's today and last 7 days: the cached reading while fresh, else the gateway's; when that fails, the
   * last reading (its read time says how old), or nothing. Undefined for a token without a name.
   */
  async token(meta: AccountMeta, tokenName: string, display: QuotaDisplay, signal?: AbortSignal): Promise<SpendSummary | undefined> {
    if (!AccountSpend.covers(meta) || !tokenName) return undefined;
    const cache = this.cache(meta);
    try {
      return await cache.token(tokenName, display, signal);
    } catch {
      return today(cache.peekToken(tokenName, display), this.now());
    }
  }

  async readToday(meta: AccountMeta): Promise<void> {
    if (!AccountSpend.covers(meta)) return;
    await this.cache(meta).accountToday(await this.gateways.quotaDisplay(meta));
  }

  peekToday(meta: AccountMeta, display: QuotaDisplay): SpendSummary | undefined {
    return AccountSpend.covers(meta) ? today(this.caches.get(meta.id)?.peekAccountToday(display), this.now()) : undefined;
  }

  private cache(meta: AccountMeta): SpendCache {
    let cache = this.caches.get(meta.id);
    if (!cache) {
      // A console client per read: after Sign In Again the next read uses the new credential.
      cache = new SpendCache(async () => new UsageApi(await this.gateways.console(meta), meta.flavor), { now: this.now });
      this.caches.set(meta.id, cache);
    }
    return cache;
  }

  dispose(): void {
    this.subscription.dispose();
    this.caches.clear();
  }
}

/** A reading from before today's local midnight is not today's spend (a window left unfocused overnight): none. */
function today(spend: SpendSummary | undefined, now: number): SpendSummary | undefined {
  return spend && spend.readAt >= periodRange('today', now, '').start ? spend : undefined;
}
