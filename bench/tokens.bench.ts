/**
 * Token Management at scale, measured in plain Node over the same core the tree uses:
 * a simulator seeded with N tokens (default 10,000), then first page, every page, memory and requests.
 * Figures, not assertions: the CI never fails on them.
 */
import { ConsoleClient } from '../src/core/consoleClient';
import { HttpClient } from '../src/core/http';
import { TokenApi } from '../src/core/tokenApi';
import { TokenList } from '../src/core/tokenList';
import { DEMO, startGateway } from '../src/simulator';

/** Two full collections: the first may leave the simulator's seeding garbage in the old generation. */
function settle(): void {
  global.gc?.();
  global.gc?.();
}

export async function benchTokens(count = 10_000): Promise<Record<string, string | number>> {
  const gw = await startGateway({ flavor: 'new-api', seedTokens: count });
  try {
    const http = new HttpClient({ timeoutMs: 30_000 });
    const console = new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    let list: TokenList | undefined = new TokenList(async () => new TokenApi(console, 'new-api'), 'new-api');
    const requestsBefore = gw.requests.length;
    const t0 = performance.now();
    await list.ensureLoaded();
    const firstRows = performance.now() - t0;
    const firstCount = list.state.tokens.length;
    await list.loadAll();
    const allPages = performance.now() - t0;
    const figures = {
      'tokens on the gateway': list.state.total ?? -1,
      'first page: rows': firstCount,
      'first page: ms': Math.round(firstRows),
      'all pages: rows': list.state.tokens.length,
      'all pages: ms': Math.round(allPages),
      'requests made': gw.requests.length - requestsBefore,
    };
    // What the loaded list holds: the heap with it, minus the heap once it is dropped.
    settle();
    const heapWith = process.memoryUsage().heapUsed;
    list = undefined;
    settle();
    const heapWithout = process.memoryUsage().heapUsed;
    return { ...figures, 'memory held by the list MB': Number(((heapWith - heapWithout) / 1048576).toFixed(1)) };
  } finally {
    await gw.close();
  }
}
