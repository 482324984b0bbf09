// The route check before Configure writes an agent's config, against the simulator in every flavour:
// one-api lacks /v1/responses and /v1/messages; new-api serves all three; the check spends nothing.
import assert from 'node:assert/strict';
import { AGENT_ROUTES, checkAgentRoute, RouteSupportCache, routeWarning } from '../../src/core/agents/capabilities';
import type { AgentId } from '../../src/core/agents/types';
import { HttpClient } from '../../src/core/http';
import { DEMO, startGateway, type Flavor, type RunningGateway } from '../../src/simulator';

const http = new HttpClient({ timeoutMs: 5000, retries: 0 });
const AGENTS: AgentId[] = ['codex', 'claude-code', 'opencode'];
const LIMITED_KEY = `sk-demoLimited${'2'.repeat(37)}`;

const EXPECTED: Record<Flavor, Record<AgentId, boolean>> = {
  'new-api': { codex: true, 'claude-code': true, opencode: true },
  'new-api-legacy': { codex: true, 'claude-code': true, opencode: true },
  'one-api': { codex: false, 'claude-code': false, opencode: true },
};

for (const flavor of ['new-api', 'new-api-legacy', 'one-api'] as Flavor[]) {
  describe(`agent route check on ${flavor}`, () => {
    let gw: RunningGateway;
    before(async () => {
      gw = await startGateway({ flavor });
    });
    after(() => gw.close());

    it(`finds ${Object.entries(EXPECTED[flavor]).map(([a, served]) => `${a} ${served ? 'served' : 'missing'}`).join(', ')}; for any key, and spending nothing`, async () => {
      const user = gw.state.user(DEMO.userId)!;
      const before = { quota: user.quota, used: gw.state.tokens.map((t) => t.used_quota), logs: gw.state.logs.length };
      for (const key of [DEMO.key, LIMITED_KEY, 'sk-not-a-key']) {
        for (const agent of AGENTS) {
          const support = await checkAgentRoute(http, gw.url, key, agent);
          assert.equal(support.route, AGENT_ROUTES[agent]);
          assert.equal(support.served, EXPECTED[flavor][agent], `${agent} with ${key.slice(0, 12)}: ${JSON.stringify(support)}`);
          if (support.served === false) assert.equal(support.status, 404);
          assert.equal(routeWarning(support, flavor) === undefined, EXPECTED[flavor][agent]);
        }
      }
      assert.deepEqual({ quota: user.quota, used: gw.state.tokens.map((t) => t.used_quota), logs: gw.state.logs.length }, before, 'no quota spent, no log row written');
    });
  });
}

describe('agent route check: what is said, and what is remembered', () => {
  let oneApi: RunningGateway;
  before(async () => {
    oneApi = await startGateway({ flavor: 'one-api' });
  });
  after(() => oneApi.close());

  it('says plainly what will not work on one-api and what to use instead', async () => {
    const codex = routeWarning(await checkAgentRoute(http, oneApi.url, DEMO.key, 'codex'), 'one-api');
    assert.match(codex ?? '', /^This gateway \(one-api\) has no \/v1\/responses: Codex .*Responses API.*new-api gateway for Codex.*OpenCode/);
    const claude = routeWarning(await checkAgentRoute(http, oneApi.url, DEMO.key, 'claude-code'), 'one-api');
    assert.match(claude ?? '', /^This gateway \(one-api\) has no \/v1\/messages: Claude Code cannot use it\. Use a new-api gateway for Claude Code, or an Anthropic-compatible proxy/);
  });

  it('asks once per account and agent; a check that failed is asked again', async () => {
    const cache = new RouteSupportCache();
    const posts = () => oneApi.requests.filter((r) => r.method === 'POST' && r.path === '/v1/responses').length;
    const start = posts();
    for (let i = 0; i < 3; i++) assert.equal((await cache.check(http, 'acct-1', oneApi.url, DEMO.key, 'codex')).served, false);
    assert.equal(posts() - start, 1);
    await cache.check(http, 'acct-2', oneApi.url, DEMO.key, 'codex');
    assert.equal(posts() - start, 2, 'another account is asked for itself');

    const closed = await startGateway({ flavor: 'one-api' });
    const url = closed.url;
    await closed.close();
    const failed = await cache.check(http, 'acct-3', url, DEMO.key, 'codex');
    assert.equal(failed.served, undefined);
    assert.equal(routeWarning(failed, 'one-api'), undefined, 'an unknown answer warns of nothing');
    const again = await cache.check(http, 'acct-3', oneApi.url, DEMO.key, 'codex');
    assert.equal(again.served, false, 'the failure was not remembered');
  });
});
