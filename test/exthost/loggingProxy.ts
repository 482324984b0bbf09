/**
 * A forwarding HTTP proxy for tests that records what passed through it. It serves both kinds of
 * request a proxy client sends: absolute-URI requests (`GET http://host:port/path HTTP/1.1`, plain
 * http through a proxy) and `CONNECT host:port` tunnels (https through a proxy, or http when the client
 * tunnels everything, as undici's ProxyAgent does). No authentication, no caching.
 */
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  kind: 'http' | 'connect';
  method: string;
  /** host:port as the client asked for it. */
  target: string;
  /** Path and query for plain http; '' for CONNECT (the proxy never sees what travels in a tunnel). */
  path: string;
}

export interface LoggingProxy {
  /** `http://127.0.0.1:PORT`, for `http.proxy` or HTTP(S)_PROXY. */
  url: string;
  port: number;
  /** Every request received, oldest first. */
  log: ProxiedRequest[];
  /** host:port of each request (CONNECT or plain), oldest first. */
  targets(): string[];
  /**
   * Ends every open connection and tunnel, so the client's next request must connect (and be logged)
   * again instead of travelling in a kept-alive tunnel the log has already counted.
   */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Hop-by-hop headers a proxy must not forward (RFC 9110 §7.6.1), plus the proxy's own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

export async function startLoggingProxy(host = '127.0.0.1'): Promise<LoggingProxy> {
  const log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not http');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('a proxy request needs an absolute http:// URI\n');
      return;
    }
    log.push({ kind: 'http', method: req.method ?? 'GET', target: hostPort(target), path: `${target.pathname}${target.search}` });
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    const upstream = httpRequest({ host: target.hostname, port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      const back: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) back[name] = value;
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    });
    upstream.once('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    log.push({ kind: 'connect', method: 'CONNECT', target, path: '' });
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
    if (!match) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const upstream = connect(Number(match[2]), match[1]!.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('error', () => client.destroy());
    client.once('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    log,
    targets: () => log.map((r) => r.target),
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  };
}
