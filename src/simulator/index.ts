/**
 * A new-api / one-api gateway on loopback for tests and the demo: a real HTTP server with the console and
 * relay routes, in-memory state tests can read and change, a request log and fault switches.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { consoleRoutes } from './console-routes';
import { dispatch, invalidUrl, newRequestId, readBody, type Ctx, type Reply, type Route, type SseEvent } from './http-util';
import { RateLimiter } from './rate-limit';
import { describeRelayRequest, isRelayPath, type RelayRecord } from './relay-log';
import { relayRoutes } from './relay-routes';
import { echoedCredential, hostileReply, makeHostile } from './hostile';
import { GatewayState } from './state';
import { tokenRoutes } from './token-routes';
import { usageRoutes } from './usage-routes';
import { seedUsage } from './usage-seed';
import type { Faults, Flavor, GatewayOptions, Sim } from './types';

export { DEMO, GatewayState, QUOTA_PER_UNIT } from './state';
export * as Hostile from './hostile';
export type { Token as SimToken, User as SimUser } from './state';
export type { Faults, Flavor, GatewayOptions } from './types';
export { SIM_REPLY_MARKER, SIM_REPLY_TEXT } from './relay-answers';
export type { KeyHeader, RelayRecord } from './relay-log';
export type { UsageHistory } from './usage-seed';
export type { LogRow as SimLogRow, QuotaDataRow as SimQuotaDataRow } from './state';

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  /** Present (true) when the client closed the connection before the whole answer was written. */
  clientClosed?: true;
}

export interface RunningGateway {
  url: string;
  port: number;
  flavor: Flavor;
  state: GatewayState;
  /** Change in place; `resetFaults()` clears them. */
  faults: Faults;
  /** Every request answered, oldest first. */
  requests: RequestRecord[];
  /** Every relay request (all but /api/ and the control routes) with its key headers, model and body fields, oldest first. */
  relay: RelayRecord[];
  resetFaults(): void;
  /** Empties the login/reveal and search buckets. */
  resetRateLimits(): void;
  close(): Promise<void>;
}

const CRITICAL_WINDOW_MS = 20 * 60 * 1000;

/** What a browser sees at `/`: new-api serves its web app there, which is not JSON. */
const CONSOLE_PAGE = '<!doctype html><html><head><title>New API</title></head><body><div id="root"></div></body></html>';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const flavor = options.flavor ?? 'new-api';
  const faults: Faults = {};
  const sim: Sim = {
    flavor,
    state: new GatewayState(options.seedTokens ?? 0),
    faults,
    url: '',
    relayErrorStyle: options.relayErrorStyle ?? 'new-api',
    critical: new RateLimiter(options.criticalRateLimit ?? 20, CRITICAL_WINDOW_MS),
    search: new RateLimiter(10, 60_000),
  };
  sim.state.dataExportEnabled = options.dataExport ?? true;
  // one-api has no error log at all.
  sim.state.errorLogEnabled = flavor !== 'one-api' && (options.errorLog ?? false);
  if (options.usageHistory) seedUsage(sim.state, options.usageHistory);
  const routes: Route[] = [...consoleRoutes(sim), ...tokenRoutes(sim), ...usageRoutes(sim), ...relayRoutes(sim)];
  const requests: RequestRecord[] = [];
  const relay: RelayRecord[] = [];

  const listener: RequestListener = (req, res) => {
    let clientClosed = false;
    res.once('close', () => {
      clientClosed = !res.writableFinished;
    });
    void handle(sim, routes, req, res, requests, relay).then((status) => requests.push({
      method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, status, ...(clientClosed ? { clientClosed: true as const } : {}),
    }));
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  // Keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  sim.url = `${options.tls ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}`;

  return {
    url: sim.url,
    port,
    flavor,
    state: sim.state,
    faults,
    requests,
    relay,
    resetFaults: () => {
      for (const key of Object.keys(faults) as (keyof Faults)[]) delete faults[key];
    },
    resetRateLimits: () => {
      sim.critical.reset();
      sim.search.reset();
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function contextOf(req: IncomingMessage, url: URL): Ctx {
  let body: Promise<unknown> | undefined;
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    req,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    ip: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    requestId: newRequestId(),
    zh: /^zh/i.test(header('accept-language') ?? ''),
    header,
    body: () => (body ??= readBody(req)),
  };
}

/** The fault switches stand for the network or the server falling over, so they act before the route. */
async function withFaults(sim: Sim, ctx: Ctx, next: () => Promise<Reply>): Promise<Reply> {
  const { faults } = sim;
  if (faults.latencyMs) await sleep(faults.latencyMs);
  if (faults.serverErrors && faults.serverErrors > 0) {
    faults.serverErrors -= 1;
    return { status: 500, body: { success: false, message: 'internal server error (simulated)' } };
  }
  if (faults.rateLimit && ctx.path.startsWith('/api/')) return { status: 429 };
  return next();
}

/** Answers one request; returns the status for the request log and adds relay requests to `relay`. */
async function handle(sim: Sim, routes: Route[], req: IncomingMessage, res: ServerResponse, requests: readonly RequestRecord[], relay: RelayRecord[]): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const ctx = contextOf(req, url);
  // Read before the route runs, so a client that hangs up mid-answer is still recorded.
  const described = isRelayPath(ctx.path) ? await describeRelayRequest(ctx, url.search) : undefined;
  const status = await respond(sim, routes, ctx, url, res, requests, relay);
  if (described) relay.push({ ...described, status });
  return status;
}

const sseText = (event: SseEvent): string =>
  `${event.event ? `event: ${event.event}\n` : ''}data: ${typeof event.data === 'string' ? event.data : JSON.stringify(event.data)}\n\n`;

async function respond(sim: Sim, routes: Route[], ctx: Ctx, url: URL, res: ServerResponse, requests: readonly RequestRecord[], relay: RelayRecord[]): Promise<number> {
  const { faults } = sim;
  if (faults.hostile) makeHostile(sim.state);
  // Control requests are never subject to the faults they set.
  const controlReply = await control(sim, ctx, requests, relay);
  const reply = controlReply ?? (await withFaults(sim, ctx, () => route(sim.flavor, routes, ctx, url.search)));
  const headers: Record<string, string> = { 'x-oneapi-request-id': ctx.requestId, ...reply.headers };
  if (!controlReply && faults.hugeBodyBytes && faults.hugeBodyBytes > 0) {
    await streamHugeBody(res, faults.hugeBodyBytes, !!faults.hugeBodyLength, headers);
    return 200;
  }
  if (reply.events) {
    // malformedJson stands for a connection cut mid-answer: half the events, never the last one.
    const events = faults.malformedJson ? reply.events.slice(0, Math.max(1, Math.floor(reply.events.length / 2))) : reply.events;
    res.writeHead(reply.status, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers }).end(events.map(sseText).join(''));
    return reply.status;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return reply.status;
  }
  if (typeof reply.body === 'string') {
    res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(reply.body);
    return reply.status;
  }
  if (faults.hostile && !ctx.path.startsWith('/__simulator/')) hostileReply(ctx.path, reply.body, echoedCredential(ctx.header));
  const json = JSON.stringify(reply.body);
  // A reply cut short, as from a proxy that dropped the connection mid-body.
  const text = faults.malformedJson ? json.slice(0, Math.max(1, Math.floor(json.length / 2))) : json;
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(text);
  return reply.status;
}

/** The hugeBodyBytes fault's filler: 64 KiB of `,0` pairs, reused for every chunk. */
const FILLER = Buffer.from(',0'.repeat(32 * 1024));

/**
 * `{"success":true,"message":"","data":[0,0,…]}` of exactly `bytes` bytes (valid JSON from 40 bytes up),
 * written chunk by chunk with backpressure so the simulator holds only one chunk; stops when the client goes.
 */
async function streamHugeBody(res: ServerResponse, bytes: number, announce: boolean, headers: Record<string, string>): Promise<void> {
  const head = '{"success":true,"message":"","data":[0';
  const tail = ']}';
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers, ...(announce ? { 'content-length': String(bytes) } : {}) });
  if (bytes < head.length + tail.length) {
    res.end((head + tail).slice(0, bytes));
    return;
  }
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  const send = async (chunk: Buffer | string) => {
    if (res.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
  let left = bytes - head.length - tail.length;
  await send(head);
  // An odd remainder becomes one space, which JSON allows between values.
  if (left % 2 === 1) {
    await send(' ');
    left -= 1;
  }
  while (left > 0 && !closed) {
    const n = Math.min(left, FILLER.length);
    await send(FILLER.subarray(0, n));
    left -= n;
  }
  if (!closed) res.end(tail);
}

/**
 * Test control for a simulator running in another process (UI tests): `POST /__simulator/faults` sets
 * the fault switches (replacing them), `POST /__simulator/patch` changes a user, a token by name or the
 * gateway's settings (`dataExportEnabled`, `errorLogEnabled`),
 * `POST /__simulator/requests` (body `{}`) returns the request log, `POST /__simulator/relay` the relay log
 * (body `{"clear":true}` also empties it). The simulator only ever listens on loopback.
 */
async function control(sim: Sim, ctx: Ctx, requests: readonly RequestRecord[], relay: RelayRecord[]): Promise<Reply | undefined> {
  if (!ctx.path.startsWith('/__simulator/') || ctx.method !== 'POST') return undefined;
  const body = await ctx.body();
  if (typeof body !== 'object' || body === null) return { status: 400, body: { error: 'a JSON object is required' } };
  if (ctx.path === '/__simulator/requests') {
    // The request log, for tests in another process (e.g. to prove there was no request storm).
    return { status: 200, body: { requests: requests.filter((r) => !r.path.startsWith('/__simulator/')) } };
  }
  if (ctx.path === '/__simulator/relay') {
    const records = [...relay];
    if ((body as { clear?: unknown }).clear === true) relay.length = 0;
    return { status: 200, body: { relay: records } };
  }
  if (ctx.path === '/__simulator/faults') {
    for (const key of Object.keys(sim.faults) as (keyof Faults)[]) delete sim.faults[key];
    Object.assign(sim.faults, body);
    return { status: 200, body: { faults: sim.faults } };
  }
  if (ctx.path === '/__simulator/patch') {
    const { user, token, settings } = body as { user?: { id: number } & Record<string, unknown>; token?: { name: string } & Record<string, unknown>; settings?: Record<string, unknown> };
    // The gateway's own switches: `{"settings":{"dataExportEnabled":false}}`, `{"settings":{"errorLogEnabled":true}}`.
    if (settings) {
      if (typeof settings.dataExportEnabled === 'boolean') sim.state.dataExportEnabled = settings.dataExportEnabled;
      if (typeof settings.errorLogEnabled === 'boolean') sim.state.errorLogEnabled = sim.flavor !== 'one-api' && settings.errorLogEnabled;
    }
    const u = user && sim.state.user(user.id);
    const t = token && sim.state.tokens.find((x) => x.name === token.name);
    if ((user && !u) || (token && !t)) return { status: 404, body: { error: 'no such user or token' } };
    if (u) Object.assign(u, user);
    if (t) Object.assign(t, token);
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { error: 'unknown control route' } };
}

async function route(flavor: Flavor, routes: Route[], ctx: Ctx, search: string): Promise<Reply> {
  const found = dispatch(routes, ctx, search);
  if (found && 'handler' in found) {
    try {
      return await found.handler(ctx, found.params);
    } catch (error) {
      return { status: 500, body: { success: false, message: `simulator bug: ${String(error)}` } };
    }
  }
  if (found) return found;
  // NoRoute (router/web.go, web-router.go) tests the raw prefix: /v1…, /api… (and /assets… on new-api)
  // get the JSON 404; everything else, /dashboard/… included, is the web app.
  const prefixes = flavor === 'one-api' ? ['/v1', '/api'] : ['/v1', '/api', '/assets'];
  if (prefixes.some((p) => ctx.path.startsWith(p))) return invalidUrl(ctx);
  return { status: 200, body: CONSOLE_PAGE };
}
