/**
 * The one place that talks HTTP. Built on the platform's global `fetch`: in the extension host VS Code
 * patches it to follow `http.proxy`, `http.noProxy`, `http.proxyStrictSSL` and HTTP(S)_PROXY / NO_PROXY,
 * and bundling an HTTP client of our own would cost most of the bundle.
 * Policy: every request has a timeout and honours a caller's AbortSignal; only GETs are retried
 * (network errors and 502/503/504, with jittered backoff) and identical GETs in flight are shared
 * (the shared request is aborted once every caller waiting on it has given up). A response body is
 * read up to `maxBodyBytes` and no further: a gateway cannot make us hold more than that.
 */
import * as l10n from '@vscode/l10n';
import { GatewayError } from './errors';
import { acceptLanguage } from './locale';
import { redact } from './redact';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: Method;
  url: string;
  headers?: Record<string, string>;
  /** Serialised as JSON when present. */
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  requestId?: string;
  elapsedMs: number;
}

export interface HttpClientOptions {
  /** Per attempt. Non-finite or <= 0 means the default (15 s); capped at 10 minutes. */
  timeoutMs?: number;
  /** The largest response body read; a longer one is refused (badResponse) and the connection dropped. Default 8 MiB. */
  maxBodyBytes?: number;
  userAgent?: string;
  retries?: number;
  log?: (line: string) => void;
  /** Injected for tests of the retry policy; defaults to real timers. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** AbortSignal.timeout throws on a negative delay, and Node's timers fire at once past 2^31-1 ms. */
const MAX_TIMEOUT_MS = 10 * 60_000;
/** Far above any console or relay reply we read (a 100-token page is ~40 KB), far below harm. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** What a network error code means, in the user's language; built per call, as the bundle is configured at activation. */
function networkMessage(code: string): string | undefined {
  switch (code) {
    case 'ENOTFOUND': return l10n.t('the host name could not be resolved (DNS)');
    case 'EAI_AGAIN': return l10n.t('the host name could not be resolved right now (DNS)');
    case 'ECONNREFUSED': return l10n.t('the connection was refused: nothing is listening at that address and port');
    case 'ECONNRESET': return l10n.t('the connection was reset');
    case 'EHOSTUNREACH': return l10n.t('the host is unreachable');
    case 'ENETUNREACH': return l10n.t('the network is unreachable (offline?)');
    case 'UND_ERR_SOCKET': return l10n.t('the connection closed unexpectedly');
    case 'CERT_HAS_EXPIRED': return l10n.t('its TLS certificate has expired');
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': return l10n.t('it uses a self-signed TLS certificate');
    case 'SELF_SIGNED_CERT_IN_CHAIN': return l10n.t('its TLS certificate chain is self-signed (a proxy or private CA?)');
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': return l10n.t('its TLS certificate could not be verified');
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return l10n.t('its TLS certificate is for a different host name');
    case 'EPROTO': return l10n.t('the TLS handshake failed (is it really https?)');
    case 'ERR_SSL_WRONG_VERSION_NUMBER': return l10n.t('it does not speak TLS on that port (is the address http:// rather than https://?)');
    default: return undefined;
  }
}

/** One request shared by identical GETs, and how many callers still wait for it. */
interface SharedGet {
  promise: Promise<HttpResponse>;
  controller: AbortController;
  waiters: number;
}

export class HttpClient {
  private readonly inFlight = new Map<string, SharedGet>();

  constructor(private readonly options: HttpClientOptions = {}) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    if (req.method !== 'GET') return this.attempt(req, req.signal);
    if (req.signal?.aborted) throw cancelled(req.url);
    // Identical GETs share one request; it runs while at least one caller still waits for it.
    const key = `${req.url}\n${JSON.stringify(req.headers ?? {})}`;
    let shared = this.inFlight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const promise: Promise<HttpResponse> = this.withRetries({ ...req, signal: undefined }, controller.signal).finally(() => {
        if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
      });
      shared = { promise, controller, waiters: 0 };
      this.inFlight.set(key, shared);
    }
    return this.wait(key, shared, req);
  }

  /** A caller without a signal waits to the end; one with a signal leaves on abort, and the last to leave stops the request. */
  private wait(key: string, shared: SharedGet, req: HttpRequest): Promise<HttpResponse> {
    shared.waiters++;
    const signal = req.signal;
    if (!signal) return shared.promise;
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = () => {
        reject(cancelled(req.url));
        if (--shared.waiters > 0) return;
        // Nobody wants the answer: free the socket, and let a later caller start afresh.
        if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
        shared.controller.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async withRetries(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.attempt(req, signal);
        if (!RETRYABLE_STATUS.has(response.status) || attempt >= retries) return response;
      } catch (error) {
        const retryable = error instanceof GatewayError && (error.kind === 'network' || error.kind === 'timeout');
        if (!retryable || attempt >= retries || signal.aborted) throw error;
      }
      await this.pause(250 * 2 ** attempt + Math.random() * 250, signal);
      if (signal.aborted) throw cancelled(req.url);
    }
  }

  /** The backoff between retries; an abort ends it at once. */
  private pause(ms: number, signal: AbortSignal): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async attempt(req: HttpRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const timeoutMs = validTimeout(req.timeoutMs) ?? validTimeout(this.options.timeoutMs) ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    // Aborted by us when the body passes the cap, so fetch drops the connection instead of draining it.
    const stop = new AbortController();
    const combined = AbortSignal.any(signal ? [signal, timeout, stop.signal] : [timeout, stop.signal]);
    const headers: Record<string, string> = {
      accept: 'application/json',
      // new-api answers its translated messages in this language (English when absent).
      'accept-language': acceptLanguage(),
      'user-agent': this.options.userAgent ?? 'tokaify-vscode',
      ...req.headers,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    try {
      const res = await fetch(req.url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: combined,
        // A redirect is answered, never followed: a gateway must not send our credentials elsewhere.
        redirect: 'manual',
      });
      const text = await readCapped(res, this.maxBodyBytes, stop, req);
      const flat: Record<string, string> = {};
      res.headers.forEach((value, name) => (flat[name] = value));
      // forEach gives each Set-Cookie apart, so the last would win: all of them, joined with ", " as before.
      const cookies = res.headers.getSetCookie();
      if (cookies.length > 0) flat['set-cookie'] = cookies.join(', ');
      const elapsedMs = Date.now() - started;
      this.options.log?.(redact(`${req.method} ${req.url} → ${res.status} in ${elapsedMs} ms`));
      return { status: res.status, headers: flat, text, requestId: flat['x-oneapi-request-id'], elapsedMs };
    } catch (error) {
      const mapped = error instanceof GatewayError ? error : toGatewayError(error, req.url, signal?.aborted ?? false, timeout.aborted, timeoutMs);
      this.options.log?.(redact(`${req.method} ${req.url} failed: ${mapped.message}`));
      throw mapped;
    }
  }

  private get maxBodyBytes(): number {
    const max = this.options.maxBodyBytes;
    return max !== undefined && Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX_BODY_BYTES;
  }
}

function validTimeout(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? Math.min(Math.ceil(ms), MAX_TIMEOUT_MS) : undefined;
}

/**
 * The body as text, refusing it once it passes `max` bytes: at once when Content-Length says so,
 * else as soon as the count passes it while streaming (never the whole body in memory first).
 */
async function readCapped(res: Response, max: number, stop: AbortController, req: HttpRequest): Promise<string> {
  const tooLarge = () => {
    stop.abort();
    const limit = formatBytes(max);
    return new GatewayError('badResponse', l10n.t('The gateway sent more than {0} for {1}; Tokaify stops reading at {0}.', limit, `${req.method} ${safePath(req.url)}`),
      { status: res.status, url: req.url, code: 'BODY_TOO_LARGE' });
  };
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      const error = tooLarge();
      // The abort above already ends the stream; cancel only releases our hold on it.
      void reader.cancel().catch(() => undefined);
      throw error;
    }
    chunks.push(value);
  }
  // TextDecoder drops a leading BOM, as Response.text() does.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

/** 8388608 → "8 MB", 1536 → "1.5 KB": a limit a person reads at a glance (binary units, as the cap is set). */
function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1024 * 1024, 'MB'], [1024, 'KB']];
  for (const [size, unit] of units) if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  return l10n.t('{0} bytes', bytes);
}

function cancelled(url: string): GatewayError {
  return new GatewayError('cancelled', l10n.t('The request was cancelled.'), { url });
}

function toGatewayError(error: unknown, url: string, callerAborted: boolean, timedOut: boolean, timeoutMs: number): GatewayError {
  if (callerAborted) return cancelled(url);
  const host = safeHost(url);
  if (timedOut || hasCode(error, /^UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT$/)) {
    const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
    return new GatewayError('timeout', l10n.t('{0} did not answer within {1}.', host, limit), { url, code: 'TIMEOUT' });
  }
  const code = errorCode(error);
  const reason = (code && networkMessage(code)) ?? innermostMessage(error);
  return new GatewayError('network', l10n.t('Cannot reach {0}: {1}.', host, reason), { url, code });
}

/**
 * The first telling code in the error's chain: fetch rejects with a bare TypeError whose `cause`
 * carries it, and a failed connect to several addresses is an AggregateError with the codes in `errors`.
 */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== 'UND_ERR_CONNECT') return code;
  const inner = errorCode(cause, depth + 1);
  if (inner) return inner;
  if (Array.isArray(errors)) for (const e of errors) {
    const found = errorCode(e, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** fetch's own message is only "fetch failed"; the cause at the bottom of the chain says what happened. */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) {
    if (e.message) message = e.message;
  }
  return message;
}

function hasCode(error: unknown, pattern: RegExp): boolean {
  const code = errorCode(error);
  return code !== undefined && pattern.test(code);
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
