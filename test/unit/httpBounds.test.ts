// Bounded work against an untrusted gateway, over real HTTP to the simulator: a huge body is cut off
// at the cap, a cancelled request really ends (the server sees the connection close), and a broken
// timeout setting cannot break or crash requests.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { startGateway, type RequestRecord, type RunningGateway } from '../../src/simulator';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Heap plus Buffers: a body read whole shows up in one or the other. */
const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Waits until the simulator has logged `count` requests to `path` (it logs when it is done answering). */
async function recordsOf(gw: RunningGateway, path: string, count: number, withinMs = 3000): Promise<RequestRecord[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const records = gw.requests.filter((r) => r.path === path);
    if (records.length >= count || Date.now() > deadline) return records;
    await sleep(10);
  }
}

const isKind = (kind: string) => (e: unknown) => e instanceof GatewayError && e.kind === kind;

describe('HttpClient: bounded work against the simulator', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway();
  });
  afterEach(() => {
    gw.resetFaults();
    gw.requests.length = 0;
  });
  after(() => gw.close());

  describe('response body cap', () => {
    it('stops reading a 200 MB streamed body at 8 MB: memory grows by nowhere near the body, the error names the limit, no retry', async () => {
      gw.faults.hugeBodyBytes = 200 * MB;
      const client = new HttpClient();
      gc();
      const before = memory();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, memory())), 2);
      try {
        await assert.rejects(client.send({ method: 'GET', url: `${gw.url}/api/token/` }), (e: unknown) => {
          assert.ok(e instanceof GatewayError);
          assert.equal(e.kind, 'badResponse');
          assert.equal(e.message, 'The gateway sent more than 8 MB for GET /api/token/; Tokaify stops reading at 8 MB.');
          return true;
        });
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, memory());
      assert.ok(peak - before < 48 * MB, `memory grew by ${Math.round((peak - before) / MB)} MB for a 200 MB body`);
      const records = await recordsOf(gw, '/api/token/', 1);
      assert.equal(records.length, 1, 'never retried');
      assert.equal(records[0]!.clientClosed, true, 'the client dropped the connection instead of draining 200 MB');
    });

    it('refuses at once when Content-Length is over the cap', async () => {
      gw.faults.hugeBodyBytes = 200 * MB;
      gw.faults.hugeBodyLength = true;
      const started = Date.now();
      await assert.rejects(new HttpClient().send({ method: 'GET', url: `${gw.url}/api/status` }),
        (e: unknown) => isKind('badResponse')(e) && /more than 8 MB for GET \/api\/status; Tokaify stops reading at 8 MB\./.test((e as Error).message));
      assert.ok(Date.now() - started < 1000, 'nothing was read first');
      assert.equal((await recordsOf(gw, '/api/status', 1))[0]!.clientClosed, true);
    });

    it('maxBodyBytes sets the cap; a body under it is read whole', async () => {
      gw.faults.hugeBodyBytes = 4000;
      const client = new HttpClient({ maxBodyBytes: 3 * 1024 });
      await assert.rejects(client.send({ method: 'GET', url: `${gw.url}/api/status` }),
        (e: unknown) => isKind('badResponse')(e) && (e as Error).message.endsWith('Tokaify stops reading at 3 KB.'));
      const whole = await new HttpClient({ maxBodyBytes: 4000 }).send({ method: 'GET', url: `${gw.url}/api/status` });
      assert.equal(whole.text.length, 4000);
      assert.equal((JSON.parse(whole.text) as { success: boolean }).success, true);
    });
  });

  describe('cancellation', () => {
    it('a lone caller\'s abort rejects at once as cancelled, and closes the connection (no retry)', async () => {
      gw.faults.latencyMs = 400;
      const controller = new AbortController();
      const started = Date.now();
      const pending = new HttpClient().send({ method: 'GET', url: `${gw.url}/api/status`, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(pending, isKind('cancelled'));
      assert.ok(Date.now() - started < 300, 'rejected without waiting for the answer');
      const records = await recordsOf(gw, '/api/status', 1);
      await sleep(100);
      assert.equal(gw.requests.filter((r) => r.path === '/api/status').length, 1, 'no retry');
      assert.equal(records[0]!.clientClosed, true, 'the server saw the connection close');
    });

    it('two callers share a GET: one aborting does not cancel the other', async () => {
      gw.faults.latencyMs = 200;
      const client = new HttpClient();
      const controller = new AbortController();
      const first = client.send({ method: 'GET', url: `${gw.url}/api/status`, signal: controller.signal });
      const second = client.send({ method: 'GET', url: `${gw.url}/api/status`, signal: new AbortController().signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(first, isKind('cancelled'));
      assert.equal((await second).status, 200);
      const records = await recordsOf(gw, '/api/status', 1);
      assert.equal(records.length, 1, 'one request for both');
      assert.equal(records[0]!.clientClosed, undefined);
    });

    it('the shared GET is aborted when every caller has aborted; the next caller starts afresh', async () => {
      gw.faults.latencyMs = 300;
      const client = new HttpClient();
      const a = new AbortController();
      const b = new AbortController();
      const first = client.send({ method: 'GET', url: `${gw.url}/api/status`, signal: a.signal });
      const second = client.send({ method: 'GET', url: `${gw.url}/api/status`, signal: b.signal });
      await sleep(50); // the request has reached the server
      a.abort();
      await assert.rejects(first, isKind('cancelled'));
      b.abort();
      await assert.rejects(second, isKind('cancelled'));
      assert.equal((await recordsOf(gw, '/api/status', 1))[0]!.clientClosed, true);
      gw.faults.latencyMs = 0;
      assert.equal((await client.send({ method: 'GET', url: `${gw.url}/api/status` })).status, 200, 'not joined to the aborted request');
    });

    it('a caller without a signal keeps the shared request alive', async () => {
      gw.faults.latencyMs = 200;
      const client = new HttpClient();
      const controller = new AbortController();
      const withSignal = client.send({ method: 'GET', url: `${gw.url}/api/status`, signal: controller.signal });
      const without = client.send({ method: 'GET', url: `${gw.url}/api/status` });
      controller.abort();
      await assert.rejects(withSignal, isKind('cancelled'));
      assert.equal((await without).status, 200);
    });

    it('an already aborted signal sends nothing', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(new HttpClient().send({ method: 'GET', url: `${gw.url}/api/status`, signal: controller.signal }), isKind('cancelled'));
      await sleep(50);
      assert.equal(gw.requests.length, 0);
    });
  });

  describe('timeouts that make no sense fall back to the default', () => {
    for (const timeoutMs of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY, 1e12, 1500.5]) {
      it(`timeoutMs ${timeoutMs} on the client or the request still works`, async () => {
        assert.equal((await new HttpClient({ timeoutMs }).send({ method: 'GET', url: `${gw.url}/api/status` })).status, 200);
        assert.equal((await new HttpClient().send({ method: 'GET', url: `${gw.url}/api/status`, timeoutMs })).status, 200);
      });
    }
  });
});
