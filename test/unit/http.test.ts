import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { startGateway } from '../../src/simulator';

/** A real loopback server whose handler each test sets. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits };
}

const noSleep = async () => undefined;

describe('HttpClient', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const s = await listen(handler);
    servers.push(s.server);
    return s;
  };

  it('retries a GET on 503 and succeeds', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      res.statusCode = ++n < 3 ? 503 : 200;
      res.end('{"ok":true}');
    });
    const response = await new HttpClient({ sleep: noSleep }).send({ method: 'GET', url: s.url });
    assert.equal(response.status, 200);
    assert.equal(s.hits(), 3);
  });

  it('never retries a POST', async () => {
    const s = await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const response = await new HttpClient({ sleep: noSleep }).send({ method: 'POST', url: s.url, body: { a: 1 } });
    assert.equal(response.status, 503);
    assert.equal(s.hits(), 1);
  });

  it('shares identical GETs that are in flight', async () => {
    const s = await serve((_req, res) => setTimeout(() => res.end('{}'), 50));
    const client = new HttpClient();
    await Promise.all([1, 2, 3].map(() => client.send({ method: 'GET', url: `${s.url}/x` })));
    assert.equal(s.hits(), 1);
  });

  it('times out with a message naming the host and the limit', async () => {
    const s = await serve(() => undefined);
    await assert.rejects(new HttpClient({ retries: 0 }).send({ method: 'GET', url: s.url, timeoutMs: 200 }), (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /^127\.0\.0\.1:\d+ did not answer within 200 ms\.$/);
      return true;
    });
  });

  it('cancels one caller without cancelling the shared request of another', async () => {
    const s = await serve((_req, res) => setTimeout(() => res.end('{"v":1}'), 100));
    const client = new HttpClient();
    const controller = new AbortController();
    const first = client.send({ method: 'GET', url: s.url, signal: controller.signal });
    const second = client.send({ method: 'GET', url: s.url });
    controller.abort();
    await assert.rejects(first, (e: unknown) => e instanceof GatewayError && e.kind === 'cancelled');
    assert.equal((await second).text, '{"v":1}');
  });

  it('tells a refused connection apart, in plain words', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    s.server.close();
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(new HttpClient({ retries: 0 }).send({ method: 'GET', url }), (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.equal(e.kind, 'network');
      assert.equal(e.detail.code, 'ECONNREFUSED');
      assert.match(e.message, /connection was refused/);
      return true;
    });
  });

  it('names a TLS failure in plain words: https:// to the simulator\'s plain-http port', async () => {
    const gw = await startGateway();
    try {
      const url = gw.url.replace(/^http:/, 'https:');
      await assert.rejects(new HttpClient({ retries: 0 }).send({ method: 'GET', url: `${url}/api/status` }), (e: unknown) => {
        assert.ok(e instanceof GatewayError);
        assert.equal(e.kind, 'network');
        assert.equal(e.detail.code, 'ERR_SSL_WRONG_VERSION_NUMBER');
        assert.match(e.message, /^Cannot reach 127\.0\.0\.1:\d+: it does not speak TLS on that port \(is the address http:\/\/ rather than https:\/\/\?\)\.$/);
        return true;
      });
    } finally {
      await gw.close();
    }
  });

  it('names a refused connection to a closed port in plain words, not "fetch failed"', async () => {
    const s = await listen(() => undefined);
    const port = (s.server.address() as AddressInfo).port;
    await new Promise((r) => s.server.close(r));
    for (const method of ['GET', 'POST'] as const) {
      await assert.rejects(new HttpClient({ retries: 0 }).send({ method, url: `http://127.0.0.1:${port}/api/status`, body: method === 'POST' ? {} : undefined }), (e: unknown) => {
        assert.ok(e instanceof GatewayError);
        assert.equal(e.kind, 'network');
        assert.equal(e.detail.code, 'ECONNREFUSED');
        assert.equal(e.message, `Cannot reach 127.0.0.1:${port}: the connection was refused: nothing is listening at that address and port.`);
        return true;
      });
    }
  });

  it('answers a redirect rather than following it, and keeps every Set-Cookie and the request id', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/elsewhere') return res.end('followed');
      res.statusCode = 302;
      res.setHeader('location', '/elsewhere');
      res.setHeader('set-cookie', ['a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'session=abc; Path=/; HttpOnly']);
      res.setHeader('x-oneapi-request-id', 'req-42');
      res.end();
    });
    const response = await new HttpClient().send({ method: 'GET', url: `${s.url}/api/user/login` });
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/elsewhere');
    assert.equal(s.hits(), 1, 'not followed');
    assert.equal(response.requestId, 'req-42');
    assert.equal(response.headers['set-cookie'], 'a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT, session=abc; Path=/; HttpOnly');
  });

  it('sends the user agent, JSON accept and content type', async () => {
    let seen: IncomingMessage['headers'] = {};
    const s = await serve((req, res) => {
      seen = req.headers;
      res.end('{}');
    });
    await new HttpClient({ userAgent: 'tokaify-vscode/9 vscode/1' }).send({ method: 'POST', url: s.url, body: { a: 1 } });
    assert.equal(seen['user-agent'], 'tokaify-vscode/9 vscode/1');
    assert.equal(seen.accept, 'application/json');
    assert.equal(seen['content-type'], 'application/json');
  });

  it('never logs a key or a token', async () => {
    const s = await serve((_req, res) => res.end('{}'));
    const lines: string[] = [];
    const client = new HttpClient({ log: (l) => lines.push(l) });
    await client.send({ method: 'GET', url: `${s.url}/v1/models?key=sk-test1234567890abcdef`, headers: { authorization: 'Bearer sk-test1234567890abcdef' } });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes('1234567890abcdef'), lines[0]);
  });
});
