/** Request context, reply helpers (envelope, errors), Go-style JSON decoding and a tiny gin-like router. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { randomKey } from './state';

export interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  /** The socket's remote address (what gin's ClientIP gives without trusted proxies). */
  ip: string;
  requestId: string;
  /** Accept-Language asks for Chinese: new-api's i18n messages follow it, English otherwise. */
  zh: boolean;
  header(name: string): string | undefined;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body(): Promise<unknown>;
}

/** One server-sent event: `event:` only when named; a string `data` is sent as is (`[DONE]`), anything else as JSON. */
export interface SseEvent {
  event?: string;
  data: unknown;
}

export interface Reply {
  status: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** A `text/event-stream` answer instead of `body`. */
  events?: SseEvent[];
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx, params: Record<string, string>) => Reply | Promise<Reply>;
export interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export const ok = (data?: unknown, message = ''): Reply => ({ status: 200, body: data === undefined ? { success: true, message } : { success: true, message, data } });
/** Business errors are HTTP 200 with success:false on both servers; 401 only from the auth middleware. */
export const fail = (message: string, status = 200): Reply => ({ status, body: { success: false, message } });
/** Rate limits answer 429 with no body at all (`c.Status(429)`). */
export const empty = (status: number): Reply => ({ status });
export const invalidUrl = (ctx: Ctx): Reply => ({
  status: 404, body: { error: { message: `Invalid URL (${ctx.method} ${ctx.path})`, type: 'invalid_request_error', param: '', code: '' } },
});
export const tr = (ctx: Ctx, en: string, zh: string): string => (ctx.zh ? zh : en);
export const invalidParams = (ctx: Ctx): Reply => fail(tr(ctx, 'Invalid parameters', '无效的参数'));

/** `YYYYMMDDhhmmss` + 8 hex + 8 random chars, like new-api's `X-Oneapi-Request-Id`. */
export function newRequestId(date = new Date()): string {
  const stamp = date.toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(4).toString('hex') + randomKey(8);
}

export function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => resolve(undefined));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? (JSON.parse(text) as unknown) : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

type Kind = 'int' | 'string' | 'bool';
type Decoded<S extends Record<string, Kind>> = { [K in keyof S]: S[K] extends 'int' ? number : S[K] extends 'string' ? string : boolean };
const GO_TYPE: Record<Kind, string> = { int: 'int', string: 'string', bool: 'bool' };

/**
 * Decodes a JSON object the way Go's `ShouldBindJSON` fills a struct: a missing or null field is the
 * zero value (the root of the "full update zeroes omitted fields" trap); a mistyped one is an error.
 */
export function decode<S extends Record<string, Kind>>(body: unknown, spec: S, struct = 'Token'): { ok: true; value: Decoded<S> } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'Invalid parameters' };
  const value: Record<string, number | string | boolean> = {};
  for (const [key, kind] of Object.entries(spec)) {
    const raw = body[key];
    const zero = kind === 'int' ? 0 : kind === 'string' ? '' : false;
    const good = raw === undefined || raw === null || (kind === 'int' ? Number.isInteger(raw) : typeof raw === (kind === 'bool' ? 'boolean' : 'string'));
    if (!good) {
      const what = typeof raw === 'number' ? `number ${raw}` : Array.isArray(raw) ? 'array' : typeof raw === 'boolean' ? 'bool' : typeof raw;
      return { ok: false, message: `json: cannot unmarshal ${what} into Go struct field ${struct}.${key} of type ${GO_TYPE[kind]}` };
    }
    value[key] = (raw ?? zero) as number | string | boolean;
  }
  return { ok: true, value: value as Decoded<S> };
}

/** `ids` of the batch routes; undefined when missing or empty (→ invalid params). */
export function idsOf(body: unknown): number[] | undefined {
  const ids = isRecord(body) ? body.ids : undefined;
  return Array.isArray(ids) && ids.length > 0 && ids.every((id) => Number.isInteger(id)) ? (ids as number[]) : undefined;
}

/** Go's `strconv.Atoi` error text, which new-api returns verbatim for a bad `:id`. */
export function atoi(text: string): number | string {
  return /^[+-]?\d+$/.test(text) ? Number(text) : `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
}

export const route = (method: string, pattern: string, handler: Handler): Route => ({ method, segments: pattern.split('/'), handler });

function match(routes: Route[], method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
  const parts = path.split('/');
  for (const r of routes) {
    if (r.method !== method || r.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const hit = r.segments.every((seg, i) => {
      if (seg.startsWith(':') && parts[i]) return (params[seg.slice(1)] = decodeURIComponent(parts[i]!)), true;
      return seg === parts[i];
    });
    if (hit) return { handler: r.handler, params };
  }
  return undefined;
}

/**
 * First matching route wins (list static paths before `:param` ones). Like gin's RedirectTrailingSlash,
 * a path that matches only with the trailing slash toggled is redirected: 301 for GET, 307 otherwise.
 */
export function dispatch(routes: Route[], ctx: Ctx, search: string): { handler: Handler; params: Record<string, string> } | Reply | undefined {
  const found = match(routes, ctx.method, ctx.path);
  if (found) return found;
  const other = ctx.path.endsWith('/') ? ctx.path.slice(0, -1) : `${ctx.path}/`;
  if (other && match(routes, ctx.method, other)) {
    return { status: ctx.method === 'GET' ? 301 : 307, headers: { location: other + search } };
  }
  return undefined;
}

/** new-api's `GetPageQuery`: `p` is 1-based; size from page_size, else ps, else size; default 10, max 100. */
export function pageQuery(ctx: Ctx): { page: number; size: number } {
  const int = (name: string) => (/^[+-]?\d+$/.test(ctx.query.get(name) ?? '') ? Number(ctx.query.get(name)) : 0);
  const size = int('page_size') || int('ps') || int('size');
  return { page: Math.max(1, int('p')), size: Math.min(100, size > 0 ? size : 10) };
}

/** The paged envelope's `data` for an already ordered list. */
export function paged<T, R>(items: T[], page: number, size: number, view: (item: T, index: number) => R): { page: number; page_size: number; total: number; items: R[] } {
  const offset = (page - 1) * size;
  return { page, page_size: size, total: items.length, items: items.slice(offset, offset + size).map((item, i) => view(item, offset + i)) };
}

/** The `hugePageItems` fault's model ids. */
export const fillerModels = (count: number): string[] => Array.from({ length: count }, (_, i) => `model-${i + 1}`);

/** The `hugePageItems` fault's tokens: just valid, as small as a token gets. */
export const fillerTokens = (count: number): { id: number; key: string; status: number; name: string }[] =>
  Array.from({ length: count }, (_, i) => ({ id: count - i, key: '', status: 1, name: `t${count - i}` }));
