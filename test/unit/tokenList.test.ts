// TokenList paging against the simulator in its three flavours: it loads everything a real gateway has,
// stops on its own when a gateway keeps claiming more, refuses absurd pages, and cancels promptly.
import assert from 'node:assert/strict';
import { ConsoleClient } from '../../src/core/consoleClient';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { RelayClient } from '../../src/core/relayClient';
import { TokenApi } from '../../src/core/tokenApi';
import { TokenList } from '../../src/core/tokenList';
import { DEMO, startGateway, type Flavor, type RunningGateway } from '../../src/simulator';

const SEEDED = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function clients(gw: RunningGateway) {
  const http = new HttpClient({ timeoutMs: 5000 });
  const console = new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
  const flavor = gw.flavor === 'one-api' ? 'one-api' : 'new-api';
  const api = new TokenApi(console, flavor);
  return { http, console, api, list: () => new TokenList(async () => api, flavor) };
}

const listRequests = (gw: RunningGateway) => gw.requests.filter((r) => r.path === '/api/token/').length;

/** Resolves to 'hung' instead of waiting forever on a loop that does not stop. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> => Promise.race([promise, sleep(ms).then(() => 'hung' as const)]);

for (const flavor of ['new-api', 'new-api-legacy', 'one-api'] as Flavor[]) {
  describe(`TokenList on ${flavor}`, () => {
    let gw: RunningGateway;
    before(async () => {
      gw = await startGateway({ flavor, seedTokens: SEEDED });
    });
    afterEach(() => gw.resetFaults());
    after(() => gw.close());
    const owned = () => gw.state.tokensOf(DEMO.userId).length;
    /** Pages a correct client needs: new-api until the total, one-api until a page of fewer than 10. */
    const pagesNeeded = () => (flavor === 'one-api' ? Math.floor(owned() / 10) + 1 : Math.ceil(owned() / 100));

    it('loadAll loads every token, page by page, reporting (loaded, total)', async () => {
      const list = clients(gw).list();
      const before = listRequests(gw);
      const progress: [number, number | undefined][] = [];
      await list.loadAll((loaded, total) => progress.push([loaded, total]));
      assert.equal(list.state.tokens.length, owned());
      assert.equal(new Set(list.state.tokens.map((t) => t.id)).size, owned(), 'no duplicates');
      assert.equal(list.state.hasMore, false);
      assert.equal(listRequests(gw) - before, pagesNeeded());
      assert.deepEqual(progress.at(-1), [owned(), flavor === 'one-api' ? undefined : owned()]);
    });

    it('loadAll stops after a few requests when every page claims another (endlessPages)', async () => {
      gw.faults.endlessPages = true;
      const list = clients(gw).list();
      const before = listRequests(gw);
      assert.notEqual(await within(list.loadAll(), 3000), 'hung', 'loadAll never stopped');
      const made = listRequests(gw) - before;
      assert.ok(made <= pagesNeeded() + 2, `${made} requests for ${pagesNeeded()} pages`);
      assert.equal(list.state.tokens.length, owned(), 'every token once');
      assert.equal(list.state.hasMore, false);
      assert.equal(list.state.error, undefined);
    });

    it('loadMore stops offering more when a page adds nothing new', async () => {
      gw.faults.endlessPages = true;
      const list = clients(gw).list();
      await list.ensureLoaded();
      for (let i = 0; i < pagesNeeded() + 2 && list.state.hasMore; i++) await list.loadMore();
      assert.equal(list.state.hasMore, false);
      assert.equal(list.state.tokens.length, owned());
    });

    it('an abort stops loadAll promptly, cancels the page in flight and keeps what was loaded', async () => {
      const list = clients(gw).list();
      await list.ensureLoaded();
      const loaded = list.state.tokens.length;
      gw.faults.latencyMs = 400;
      const before = gw.requests.length;
      const controller = new AbortController();
      const progress: number[] = [];
      const started = Date.now();
      const all = list.loadAll((n) => progress.push(n), controller.signal);
      setTimeout(() => controller.abort(), 100);
      await all;
      assert.ok(Date.now() - started < 300, `took ${Date.now() - started} ms`);
      assert.equal(list.state.tokens.length, loaded, 'the cancelled page did not land');
      assert.equal(list.state.error, undefined, 'a cancel is not an error');
      assert.equal(list.state.hasMore, true, 'the rest can still be loaded');
      await sleep(500);
      const after = gw.requests.slice(before);
      assert.equal(after.length, 1, 'no further page after the abort');
      assert.equal(after[0]!.clientClosed, true, 'the request in flight was cancelled, not left running');
    });

    it('refuses a page of 5,000 tokens, naming the field and the limit', async () => {
      gw.faults.hugePageItems = 5000;
      const { api, list } = clients(gw);
      const field = flavor === 'one-api' ? 'data' : 'data.items';
      const expected = `GET /api/token/: the gateway sent 5,000 tokens in one page at "${field}"; Tokaify accepts at most 1,000. It may be a different server or version.`;
      await assert.rejects(api.list(), (e: unknown) => e instanceof GatewayError && e.kind === 'badResponse' && e.message === expected);
      const tokens = list();
      await tokens.ensureLoaded();
      assert.equal(tokens.state.error, expected);
      assert.equal(tokens.state.tokens.length, 0);
    });

    it('a page of 1,000 tiny tokens is still accepted', async () => {
      gw.faults.hugePageItems = 1000;
      assert.equal((await clients(gw).api.list()).items.length, 1000);
    });

    it('refuses a model list of 20,000 ids from /v1/models and the console', async () => {
      gw.faults.hugePageItems = 20_000;
      const { http, console } = clients(gw);
      await assert.rejects(new RelayClient(http, gw.url, DEMO.key).listModels(),
        (e: unknown) => e instanceof GatewayError && e.kind === 'badResponse' && /20,000 models at "data"; Tokaify accepts at most 10,000/.test(e.message));
      if (flavor !== 'one-api') {
        await assert.rejects(console.models(),
          (e: unknown) => e instanceof GatewayError && /GET \/api\/user\/models: the gateway sent 20,000 model names at "data"; Tokaify accepts at most 10,000/.test(e.message));
      }
      gw.faults.hugePageItems = 3;
      assert.deepEqual(await new RelayClient(http, gw.url, DEMO.key).listModels(), ['model-1', 'model-2', 'model-3']);
    });
  });
}
