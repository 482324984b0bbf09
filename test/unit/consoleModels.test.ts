// ConsoleClient.models() against the simulator: each flavour's own route (new-api /api/user/models,
// one-api /api/user/available_models), a fork that answers on the other one, and no retry on other errors.
import assert from 'node:assert/strict';
import { ConsoleClient } from '../../src/core/consoleClient';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';

const http = new HttpClient({ timeoutMs: 5000, retries: 0 });
const client = (gw: RunningGateway, flavor?: 'new-api' | 'one-api', accessToken: string = DEMO.accessToken) =>
  new ConsoleClient(http, gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken }, flavor);
const modelRequests = (gw: RunningGateway) => gw.requests.filter((r) => r.path.startsWith('/api/user/') && r.path.includes('models')).map((r) => `${r.path} ${r.status}`);

describe('ConsoleClient.models(): the flavour\'s route, the other on a 404', () => {
  let oneApi: RunningGateway;
  let newApi: RunningGateway;
  before(async () => {
    [oneApi, newApi] = await Promise.all([startGateway({ flavor: 'one-api' }), startGateway({ flavor: 'new-api' })]);
  });
  beforeEach(() => {
    oneApi.requests.length = 0;
    newApi.requests.length = 0;
  });
  after(() => Promise.all([oneApi.close(), newApi.close()]));

  it('one-api: reads /api/user/available_models, and nothing else', async () => {
    assert.deepEqual(await client(oneApi, 'one-api').models(), oneApi.state.models);
    assert.deepEqual(modelRequests(oneApi), ['/api/user/available_models 200']);
  });

  it('new-api: reads /api/user/models, and nothing else', async () => {
    assert.deepEqual(await client(newApi, 'new-api').models(), newApi.state.models);
    assert.deepEqual(modelRequests(newApi), ['/api/user/models 200']);
  });

  it('a fork that looks like new-api but serves one-api\'s route: one 404, then the other route, remembered', async () => {
    const console = client(oneApi, 'new-api');
    assert.deepEqual(await console.models(), oneApi.state.models);
    assert.deepEqual(await console.models(), oneApi.state.models);
    assert.deepEqual(modelRequests(oneApi), ['/api/user/models 404', '/api/user/available_models 200', '/api/user/available_models 200']);
  });

  it('and the other way round: flavour one-api on a new-api gateway', async () => {
    assert.deepEqual(await client(newApi, 'one-api').models(), newApi.state.models);
    assert.deepEqual(modelRequests(newApi), ['/api/user/available_models 404', '/api/user/models 200']);
  });

  it('an error other than 404 is not retried on the other route', async () => {
    await assert.rejects(client(oneApi, 'one-api', 'not-the-token').models(), (e: unknown) => e instanceof GatewayError && e.kind === 'unauthorized');
    assert.deepEqual(modelRequests(oneApi), ['/api/user/available_models 200']);
  });
});
