/**
 * Spend today and in the last 7 days (local days, today included), per token for the tree's tooltips and for the
 * whole account for the status bar, each kept with the time it was read. A read is two `/api/log/self/stat`
 * requests (one for the account's today); concurrent reads of one name share them, a fresh reading is reused,
 * and `peek` never sends anything, so a caller can show what it has while the window is unfocused.
 * Tokens are matched by name (the only filter the log has): two tokens with one name share one figure.
 */
import type { QuotaDisplay } from '../quota';
import { amount, type Amount } from './amount';
import { periodRange } from './calendar';
import type { UsageApi } from './usageApi';

export interface SpendReading {
  today: number;
  /** Absent for the account's reading (the status bar needs today only). */
  last7Days?: number;
  /** ms since epoch. */
  readAt: number;
}

export interface SpendSummary {
  today: Amount;
  last7Days?: Amount;
  readAt: number;
}

export interface SpendCacheOptions {
  /** A reading younger than this is reused. Default 5 minutes. */
  maxAgeMs?: number;
  timeZone?: string;
  now?: () => number;
  /** Reads at once, at most; more wait. Default 2. */
  concurrency?: number;
}

/** The key of the account-wide reading: no token name is empty in new-api's filter (it means "all"). */
const ACCOUNT = '';

export class SpendCache {
  private readonly readings = new Map<string, SpendReading>();
  private readonly inFlight = new Map<string, Promise<SpendReading>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly api: () => UsageApi | Promise<UsageApi>, private readonly options: SpendCacheOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** What is cached for a token (possibly stale: see readAt), formatted; no request. */
  peekToken(tokenName: string, display: QuotaDisplay): SpendSummary | undefined {
    return summary(this.readings.get(key(tokenName)), display);
  }

  peekAccountToday(display: QuotaDisplay): SpendSummary | undefined {
    return summary(this.readings.get(ACCOUNT), display);
  }

  /**
   * Today and the last 7 days of one token: cached while fresh, else two stat requests. Undefined for a token
   * without a name: the stat reads an empty name as "every token", so its own spend cannot be asked for.
   */
  async token(tokenName: string, display: QuotaDisplay, signal?: AbortSignal): Promise<SpendSummary | undefined> {
    if (tokenName === '') return undefined;
    return summary(await this.read(key(tokenName), tokenName, true, signal), display);
  }

  /** The whole account's spend today (one stat request when not fresh). */
  async accountToday(display: QuotaDisplay, signal?: AbortSignal): Promise<SpendSummary> {
    return summary(await this.read(ACCOUNT, undefined, false, signal), display)!;
  }

  /** Forgets every reading (after a sign-out or an account switch). */
  clear(): void {
    this.readings.clear();
  }

  private read(cacheKey: string, tokenName: string | undefined, week: boolean, signal?: AbortSignal): Promise<SpendReading> {
    const cached = this.readings.get(cacheKey);
    if (cached && this.now() - cached.readAt < this.maxAgeMs) return Promise.resolve(cached);
    let pending = this.inFlight.get(cacheKey);
    if (!pending) {
      pending = this.limited(() => this.fetch(tokenName, week, signal)).then((reading) => {
        this.readings.set(cacheKey, reading);
        return reading;
      }).finally(() => this.inFlight.delete(cacheKey));
      this.inFlight.set(cacheKey, pending);
    }
    return pending;
  }

  private async fetch(tokenName: string | undefined, week: boolean, signal?: AbortSignal): Promise<SpendReading> {
    const api = await this.api();
    const now = this.now();
    const end = Math.floor(now / 1000);
    const zone = this.options.timeZone ?? '';
    const filter = tokenName === undefined ? {} : { tokenName };
    const todayStart = Math.floor(periodRange('today', now, zone).start / 1000);
    const [today, weekStat] = await Promise.all([
      api.stat({ ...filter, start: todayStart, end }, signal),
      week ? api.stat({ ...filter, start: Math.floor(periodRange('7d', now, zone).start / 1000), end }, signal) : undefined,
    ]);
    const reading: SpendReading = { today: today.quota, readAt: now };
    if (weekStat) reading.last7Days = weekStat.quota;
    return reading;
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    const max = Math.max(1, this.options.concurrency ?? 2);
    while (this.running >= max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** Token readings and the account's live in one map: prefixed, a token name never collides with the account's key. */
const key = (tokenName: string) => `token:${tokenName}`;

function summary(reading: SpendReading | undefined, display: QuotaDisplay): SpendSummary | undefined {
  if (!reading) return undefined;
  const out: SpendSummary = { today: amount(reading.today, display), readAt: reading.readAt };
  if (reading.last7Days !== undefined) out.last7Days = amount(reading.last7Days, display);
  return out;
}
