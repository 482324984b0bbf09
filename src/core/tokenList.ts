/**
 * The tokens of one account as the tree shows them: loaded a page at a time, filtered by the
 * gateway's search, sorted locally, and kept (marked stale) when a refresh fails.
 */
import { Emitter } from './emitter';
import { errorMessage, GatewayError, isGatewayError, type GatewayErrorKind } from './errors';
import type { TokenApi } from './tokenApi';
import type { Token } from './tokenModel';

export type TokenSort = 'newest' | 'name' | 'remaining' | 'status';

export interface TokenListState {
  tokens: readonly Token[];
  total?: number;
  hasMore: boolean;
  loading: boolean;
  /** Set when the last load failed: `tokens` are from before it. */
  error?: string;
  errorKind?: GatewayErrorKind;
  loaded: boolean;
  keyword?: string;
  sort: TokenSort;
}

const STATUS_ORDER = { enabled: 0, exhausted: 1, expired: 2, disabled: 3 } as const;
/** Load all stops here whatever the gateway claims: 1,000 pages of 100, far past any real account. */
export const MAX_LOADED_TOKENS = 100_000;

export class TokenList {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private tokens: Token[] = [];
  /** When each listed token was last read from the gateway (ms), so a caller can say how old its copy is. */
  private readAtById = new Map<number, number>();
  private total?: number;
  private nextPage?: number;
  private hasMore = false;
  private loading?: Promise<void>;
  private error?: string;
  private errorKind?: GatewayErrorKind;
  private loaded = false;
  private keyword?: string;
  private sort: TokenSort = 'newest';
  /** Bumped on refresh/filter so a slow page from before cannot land in the new list. */
  private generation = 0;
  /** Pages loaded since the list was last started over: a refresh reads this many again. */
  private pagesLoaded = 0;

  constructor(private readonly api: () => Promise<TokenApi>, private readonly flavor: 'new-api' | 'one-api') {}

  get state(): TokenListState {
    return {
      tokens: this.sorted(), total: this.total, hasMore: this.hasMore, loading: !!this.loading,
      error: this.error, errorKind: this.errorKind, loaded: this.loaded, keyword: this.keyword, sort: this.sort,
    };
  }

  /** Loads the first page unless it is loaded; concurrent callers share the load. */
  ensureLoaded(): Promise<void> {
    return this.loaded || this.loading ? (this.loading ?? Promise.resolve()) : this.refresh();
  }

  /**
   * Reads the list again, as far as it was loaded (the pages the user brought in with "Load more…"
   * stay), and swaps it in whole, so rows never fall back to the first page after an action.
   */
  refresh(): Promise<void> {
    this.generation++;
    return this.load(Math.max(1, this.pagesLoaded));
  }

  loadMore(signal?: AbortSignal): Promise<void> {
    if (this.loading) return this.loading;
    return this.hasMore ? this.load(0, signal) : Promise.resolve();
  }

  /**
   * Loads page after page until the list is complete. Never trusts the gateway's "more" alone: it
   * stops when a page brings no new token, when the reported total is reached, at MAX_LOADED_TOKENS,
   * on an error, on a refresh or filter meanwhile, and at once when `signal` aborts (keeping the pages
   * loaded so far; the request in flight is cancelled).
   */
  async loadAll(onProgress?: (loaded: number, total?: number) => void, signal?: AbortSignal): Promise<void> {
    await untilAborted(this.ensureLoaded(), signal);
    const generation = this.generation;
    while (this.hasMore && !this.error && !signal?.aborted && generation === this.generation && this.tokens.length < MAX_LOADED_TOKENS) {
      await untilAborted(this.loadMore(signal), signal);
      onProgress?.(this.tokens.length, this.total);
    }
  }

  /** A new filter starts over at the first page. */
  setFilter(keyword: string | undefined): Promise<void> {
    this.keyword = keyword?.trim() || undefined;
    this.generation++;
    return this.load(1);
  }

  /**
   * The gateway's search for pickers, without touching what the tree shows: tokens whose name
   * contains `keyword` (one-api: starts with it). One request; callers debounce (SearchRateLimit).
   */
  async search(keyword: string, signal?: AbortSignal): Promise<Token[]> {
    const api = await this.api();
    return (await api.list(undefined, signal, this.searchPattern(keyword.trim()))).items;
  }

  setSort(sort: TokenSort): void {
    this.sort = sort;
    this.changed.fire();
  }

  /** Local update after an action, so the row changes at once; a refresh follows. */
  upsert(token: Token): void {
    const index = this.tokens.findIndex((t) => t.id === token.id);
    if (index >= 0) this.tokens[index] = token;
    else this.tokens.unshift(token);
    this.readAtById.set(token.id, Date.now());
    this.changed.fire();
  }

  remove(ids: readonly number[]): void {
    this.tokens = this.tokens.filter((t) => !ids.includes(t.id));
    for (const id of ids) this.readAtById.delete(id);
    if (this.total !== undefined) this.total = Math.max(0, this.total - ids.length);
    this.changed.fire();
  }

  find(id: number): Token | undefined {
    return this.tokens.find((t) => t.id === id);
  }

  /** When the listed token `id` was read from the gateway (a page load or an update), if it is listed. */
  readAt(id: number): number | undefined {
    return this.readAtById.get(id);
  }

  /**
   * `fromStart` > 0: reads that many pages from the first and replaces the list with them; 0: the next
   * page, appended.
   */
  private load(fromStart: number, signal?: AbortSignal): Promise<void> {
    const generation = this.generation;
    const run = async () => {
      try {
        const api = await this.api();
        let tokens = fromStart ? [] : [...this.tokens];
        let next = fromStart ? undefined : this.nextPage;
        let pages = fromStart ? 0 : this.pagesLoaded;
        const seen = new Set(tokens.map((t) => t.id));
        let total: number | undefined;
        let hasMore = false;
        for (let read = 0; read < Math.max(1, fromStart); read++) {
          const page = await api.list(next, signal, this.searchPattern(this.keyword));
          if (generation !== this.generation) return;
          const added = page.items.filter((t) => !seen.has(t.id) && seen.add(t.id));
          tokens = [...tokens, ...added];
          pages++;
          total = page.total;
          // A page that adds nothing, or a list as long as the total, ends the paging whatever the gateway says.
          const complete = page.total !== undefined && tokens.length >= page.total;
          hasMore = page.hasMore && added.length > 0 && !complete;
          next = hasMore ? page.nextPage : undefined;
          if (!hasMore) break;
        }
        this.tokens = tokens;
        this.total = total;
        this.hasMore = hasMore;
        this.nextPage = next;
        this.pagesLoaded = pages;
        const at = Date.now();
        if (fromStart) this.readAtById = new Map();
        for (const t of tokens) if (fromStart || !this.readAtById.has(t.id)) this.readAtById.set(t.id, at);
        this.error = undefined;
        this.errorKind = undefined;
        this.loaded = true;
      } catch (error) {
        // Cancelled on purpose: the list stays as it was, with no error to show.
        if (isGatewayError(error, 'cancelled')) return;
        if (generation === this.generation) {
          this.error = errorMessage(error);
          this.errorKind = error instanceof GatewayError ? error.kind : undefined;
        }
      }
    };
    const promise = run().finally(() => {
      if (this.loading === promise) this.loading = undefined;
      this.changed.fire();
    });
    this.loading = promise;
    this.changed.fire();
    return promise;
  }

  /** new-api matches exactly unless the keyword has `%`; a person typing "prod" means "contains prod". one-api matches a prefix. */
  private searchPattern(k: string | undefined): string | undefined {
    if (!k || this.flavor === 'one-api' || k.includes('%') || k.length < 2) return k;
    return `%${k}%`;
  }

  private sorted(): Token[] {
    const list = [...this.tokens];
    switch (this.sort) {
      case 'name': return list.sort((a, b) => a.name.localeCompare(b.name) || b.id - a.id);
      case 'remaining': return list.sort((a, b) => Number(b.unlimited) - Number(a.unlimited) || b.remainQuota - a.remainQuota);
      case 'status': return list.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.id - a.id);
      default: return list.sort((a, b) => b.id - a.id);
    }
  }
}

/** Waits for `promise`, or less: until `signal` aborts. The promise itself runs on (it may be shared). */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    promise.then(done, done);
  });
}
