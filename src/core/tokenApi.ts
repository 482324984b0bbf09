/**
 * The console's token routes (spec §2) over a signed-in ConsoleClient, for new-api and one-api alike.
 * Traps handled here: one-api pages from 0 and returns plain arrays; create returns no id on new-api;
 * a full update zeroes omitted fields; masked keys need the (rate-limited) reveal route.
 */
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import type { ConsoleClient } from './consoleClient';
import { GatewayError, isGatewayError } from './errors';
import { MAX_PAGE_ITEMS, parseOrThrow, refuseLongList } from './schemas';
import { fromRaw, rawTokenSchema, toRequestBody, type Token, type TokenInput } from './tokenModel';

export interface TokenPage {
  items: Token[];
  /** Known on new-api; one-api does not say. */
  total?: number;
  hasMore: boolean;
  /** The page number to ask for next, in the server's own numbering. */
  nextPage?: number;
}

const pagedSchema = z.object({
  page: z.nullish(z.number()),
  page_size: z.nullish(z.number()),
  total: z.nullish(z.number()),
  items: z.nullable(z.array(rawTokenSchema)),
});
const tokenListSchema = z.union([z.array(rawTokenSchema), pagedSchema]);
const keySchema = z.object({ key: z.string() });
const ONE_API_PAGE_SIZE = 10;
export const PAGE_SIZE = 100;

export class TokenApi {
  /** Paging style, learnt from the first list reply: an envelope object (new-api) or a plain array (one-api). */
  private paging: 'envelope' | 'array' | undefined;

  constructor(private readonly console: ConsoleClient, private readonly flavor: 'new-api' | 'one-api') {}

  /**
   * `page` undefined = the first page. The first request sends p=0, which new-api reads as page 1 and
   * one-api as its first page, so one request tells us which numbering the server uses.
   */
  async list(page?: number, signal?: AbortSignal, keyword?: string): Promise<TokenPage> {
    const p = page ?? 0;
    const query = keyword === undefined ? '' : `keyword=${encodeURIComponent(keyword)}&`;
    const path = keyword === undefined ? '/api/token/' : '/api/token/search';
    const { data } = await this.console.call('GET', `${path}?${query}p=${p}&size=${PAGE_SIZE}`, { signal });
    const envelopeItems = data !== null && typeof data === 'object' && 'items' in data ? data.items : undefined;
    refuseLongList(Array.isArray(data) ? data : envelopeItems, MAX_PAGE_ITEMS, `GET ${path}`, Array.isArray(data) ? 'data' : 'data.items', l10n.t('tokens in one page'));
    const parsed = parseOrThrow(tokenListSchema, data, `GET ${path}`, 'data');
    if (Array.isArray(parsed)) {
      this.paging = 'array';
      const items = parsed.map((t) => fromRaw(t));
      // one-api search is not paged; its list pages by 10.
      const hasMore = keyword === undefined && items.length >= ONE_API_PAGE_SIZE;
      return { items, hasMore, nextPage: hasMore ? p + 1 : undefined };
    }
    this.paging = 'envelope';
    const items = (parsed.items ?? []).map((t) => fromRaw(t));
    const current = Math.max(1, parsed.page ?? p);
    const size = parsed.page_size ?? PAGE_SIZE;
    const hasMore = parsed.total !== undefined && parsed.total !== null ? current * size < parsed.total : items.length >= size;
    return { items, total: parsed.total ?? undefined, hasMore, nextPage: hasMore ? current + 1 : undefined };
  }

  async get(id: number, signal?: AbortSignal): Promise<Token> {
    const { data } = await this.console.call('GET', `/api/token/${id}`, { signal });
    return fromRaw(parseOrThrow(rawTokenSchema, data, `GET /api/token/${id}`, 'data'));
  }

  /** Creates a token and returns it. new-api answers without the token, so it is found again by its (unique) name. */
  async create(input: TokenInput, signal?: AbortSignal): Promise<Token> {
    const { data } = await this.console.call('POST', '/api/token/', { body: toRequestBody(input, this.flavor), signal });
    if (data !== undefined && data !== null) return fromRaw(parseOrThrow(rawTokenSchema, data, 'POST /api/token/', 'data'));
    const first = await this.list(undefined, signal);
    const created = first.items.filter((t) => t.name === input.name).sort((a, b) => b.id - a.id)[0];
    if (!created) throw new GatewayError('badResponse', l10n.t('The token "{0}" was created, but it is not in the token list. Refresh the view.', input.name));
    return created;
  }

  /** Full update. The caller passes every field (from the current token merged with the edits). */
  async update(id: number, input: TokenInput, signal?: AbortSignal): Promise<Token | undefined> {
    const { data } = await this.console.call('PUT', '/api/token/', { body: toRequestBody(input, this.flavor, id), signal });
    return data ? fromRaw(parseOrThrow(rawTokenSchema, data, 'PUT /api/token/', 'data')) : undefined;
  }

  async setEnabled(id: number, enabled: boolean, signal?: AbortSignal): Promise<void> {
    await this.console.call('PUT', '/api/token/?status_only=true', { body: { id, status: enabled ? 1 : 2 }, signal });
  }

  async delete(id: number, signal?: AbortSignal): Promise<void> {
    await this.console.call('DELETE', `/api/token/${id}`, { signal });
  }

  /**
   * The full key (without `sk-`). Returns undefined when the server has no reveal route
   * (one-api, new-api before 2026-03): there the listed key is already the full key.
   */
  async revealKey(id: number, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const { data } = await this.console.call('POST', `/api/token/${id}/key`, { signal });
      return parseOrThrow(keySchema, data, `POST /api/token/${id}/key`, 'data').key.replace(/^sk-/, '');
    } catch (error) {
      if (isGatewayError(error, 'notFound')) return undefined;
      if (isGatewayError(error, 'rateLimited')) {
        throw new GatewayError('rateLimited',
          l10n.t('The gateway allows only 20 key reveals (and sign-ins) per 20 minutes from one address. Try again in a few minutes; keys revealed before are remembered.'),
          { ...error.detail, retryAfterSeconds: 20 * 60 });
      }
      throw error;
    }
  }

  get pagingStyle(): 'envelope' | 'array' | undefined {
    return this.paging;
  }
}
