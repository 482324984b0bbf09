/**
 * The one place that talks HTTP. Built on undici so proxies, timeouts and cancellation are explicit.
 * Policy: every request has a timeout and honours a caller's AbortSignal; only GETs are retried
 * (network errors and 502/503/504, with jittered backoff) and identical GETs in flight are shared.
 */
import { request, type Dispatcher } from 'undici';
import { GatewayError } from './errors';
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
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  userAgent?: string;
  retries?: number;
  log?: (line: string) => void;
  /** Injected for tests of the retry policy; defaults to real timers. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const NETWORK_MESSAGES: Record<string, string> = {
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ECONNREFUSED: 'the connection was refused: nothing is listening at that address and port',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable (offline?)',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it uses a self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed (a proxy or private CA?)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for a different host name',
  EPROTO: 'the TLS handshake failed (is it really https?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on that port (is the address http:// rather than https://?)',
};

export class HttpClient {
  private readonly inFlight = new Map<string, Promise<HttpResponse>>();

  constructor(private readonly options: HttpClientOptions = {}) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    if (req.method !== 'GET') return this.attempt(req, req.signal);
    // Identical GETs share one request. Each caller still gets its own cancellation.
    const key = `${req.url}\n${JSON.stringify(req.headers ?? {})}`;
    let shared = this.inFlight.get(key);
    if (!shared) {
      shared = this.withRetries({ ...req, signal: undefined }).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, shared);
    }
    return req.signal ? raceAbort(shared, req.signal, req.url) : shared;
  }

  private async withRetries(req: HttpRequest): Promise<HttpResponse> {
    const retries = this.options.retries ?? 2;
    const sleep = this.options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.attempt(req, undefined);
        if (!RETRYABLE_STATUS.has(response.status) || attempt >= retries) return response;
      } catch (error) {
        const retryable = error instanceof GatewayError && (error.kind === 'network' || error.kind === 'timeout');
        if (!retryable || attempt >= retries) throw error;
      }
      await sleep(250 * 2 ** attempt + Math.random() * 250);
    }
  }

  private async attempt(req: HttpRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 15_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'tokaify-vscode',
      ...req.headers,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    try {
      const res = await request(req.url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: combined,
        dispatcher: this.options.dispatcher,
      });
      const text = await res.body.text();
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const elapsedMs = Date.now() - started;
      this.options.log?.(redact(`${req.method} ${req.url} → ${res.statusCode} in ${elapsedMs} ms`));
      return { status: res.statusCode, headers: flat, text, requestId: flat['x-oneapi-request-id'], elapsedMs };
    } catch (error) {
      const mapped = toGatewayError(error, req.url, signal?.aborted ?? false, timeout.aborted, timeoutMs);
      this.options.log?.(redact(`${req.method} ${req.url} failed: ${mapped.message}`));
      throw mapped;
    }
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, url: string): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelled(url));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled(url));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function cancelled(url: string): GatewayError {
  return new GatewayError('cancelled', 'The request was cancelled.', { url });
}

function toGatewayError(error: unknown, url: string, callerAborted: boolean, timedOut: boolean, timeoutMs: number): GatewayError {
  if (callerAborted) return cancelled(url);
  const host = safeHost(url);
  if (timedOut || hasCode(error, /^UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT$/)) {
    const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
    return new GatewayError('timeout', `${host} did not answer within ${limit}.`, { url, code: 'TIMEOUT' });
  }
  const code = errorCode(error);
  const reason = (code && NETWORK_MESSAGES[code]) ?? (error instanceof Error ? error.message : String(error));
  return new GatewayError('network', `Cannot reach ${host}: ${reason}.`, { url, code });
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_CONNECT') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function hasCode(error: unknown, pattern: RegExp): boolean {
  const code = errorCode(error);
  return code !== undefined && pattern.test(code);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
