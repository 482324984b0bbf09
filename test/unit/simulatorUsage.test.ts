// The simulator's usage routes, over HTTP, in each flavour's shape (console-api.md §5; new-api controller/log.go,
// model/log.go, controller/usedata.go; one-api controller/log.go): the request log, its stat, the hourly data
// table and its switch, relay requests showing up in them, failed upstream calls in the error log, and the
// deterministic history seed (also from the CLI).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEMO, startGateway, type GatewayOptions, type RunningGateway } from '../../src/simulator';
import type { Envelope, Paged } from './gatewayShapes';

const CLI = path.resolve(__dirname, '../../simulator.js');
const LIMITED_KEY = `sk-demoLimited${'2'.repeat(37)}`;

type Row = Record<string, unknown> & { id: number; created_at: number; type: number; token_name: string; model_name: string; quota: number };
interface DataRow {
  model_name: string;
  created_at: number;
  count: number;
  quota: number;
  token_used: number;
}

const headers = { Authorization: `Bearer ${DEMO.accessToken}`, 'New-Api-User': String(DEMO.userId) };

async function get<T>(gw: RunningGateway, route: string): Promise<{ status: number; body: Envelope<T>; requestId: string | null }> {
  const res = await fetch(gw.url + route, { headers });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Envelope<T>, requestId: res.headers.get('x-oneapi-request-id') };
}

/** One chat completion with the key (what Configure's Test It sends for OpenCode); returns the request id header. */
async function chat(gw: RunningGateway, key: string = DEMO.key, body: Record<string, unknown> = {}): Promise<{ status: number; requestId: string }> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  await res.text();
  return { status: res.status, requestId: res.headers.get('x-oneapi-request-id') ?? '' };
}

function useGateways(options: GatewayOptions = {}): Record<'newApi' | 'legacy' | 'oneApi', () => RunningGateway> {
  const gws: Partial<Record<'newApi' | 'legacy' | 'oneApi', RunningGateway>> = {};
  before(async () => {
    [gws.newApi, gws.legacy, gws.oneApi] = await Promise.all([
      startGateway({ ...options, flavor: 'new-api' }),
      startGateway({ ...options, flavor: 'new-api-legacy' }),
      startGateway({ ...options, flavor: 'one-api' }),
    ]);
  });
  afterEach(() => Object.values(gws).forEach((gw) => gw.resetFaults()));
  after(() => Promise.all(Object.values(gws).map((gw) => gw.close())));
  const pick = (name: 'newApi' | 'legacy' | 'oneApi') => () => {
    const gw = gws[name];
    assert.ok(gw, `${name} started`);
    return gw;
  };
  return { newApi: pick('newApi'), legacy: pick('legacy'), oneApi: pick('oneApi') };
}

describe('simulator usage: /api/log/self per flavour', () => {
  const { newApi, legacy, oneApi } = useGateways({ usageHistory: { days: 3, rows: 250, until: 1_790_000_000 } });

  it('new-api: a relay request is the first row of page 1, with its request id, stream flag and cost', async () => {
    const gw = newApi();
    const sent = await chat(gw, DEMO.key, { stream: true });
    assert.equal(sent.status, 200);
    const page = await get<Paged<Row>>(gw, '/api/log/self?p=1&page_size=5');
    assert.equal(page.body.success, true);
    const { items, total, page: p, page_size } = page.body.data!;
    assert.deepEqual([p, page_size, items.length], [1, 5, 5]);
    assert.equal(total, gw.state.logs.length);
    const first = items[0]!;
    assert.equal(first.request_id, sent.requestId);
    assert.equal(first.is_stream, true);
    assert.equal(first.type, 2);
    assert.equal(first.token_name, 'demo');
    assert.equal(first.model_name, 'gpt-4o-mini');
    assert.equal(first.id, 1, 'id rewritten to offset+i+1');
    assert.equal(typeof first.other, 'string');
    assert.equal(items[1]!.id, 2);
    const second = await get<Paged<Row>>(gw, '/api/log/self?p=2&page_size=5');
    assert.equal(second.body.data!.items[0]!.id, 6);
  });

  it('new-api filters: token, exact model or a `%` pattern, type, time range, group, request id; bad patterns are refused', async () => {
    const gw = newApi();
    const sent = await chat(gw, LIMITED_KEY);
    const only = async (query: string) => (await get<Paged<Row>>(gw, `/api/log/self?p=1&page_size=100&${query}`)).body;
    assert.deepEqual((await only(`request_id=${sent.requestId}`)).data!.items.map((r) => r.request_id), [sent.requestId]);
    assert.ok((await only('token_name=demo-limited')).data!.items.every((r) => r.token_name === 'demo-limited'));
    assert.equal((await only('model_name=gpt-4o')).data!.items.every((r) => r.model_name === 'gpt-4o'), true, 'exact, not gpt-4o-mini');
    assert.ok((await only('model_name=gpt-4o%')).data!.items.some((r) => r.model_name === 'gpt-4o-mini'));
    assert.deepEqual(await only('model_name=%25%25x'), { success: false, message: '搜索模式中不允许包含连续的 % 通配符' });
    assert.equal((await only('group=vip')).data!.total, 0);
    const window = await only('start_timestamp=1789900000&end_timestamp=1789950000');
    assert.ok(window.data!.total > 0 && window.data!.items.every((r) => r.created_at >= 1_789_900_000 && r.created_at <= 1_789_950_000));
    assert.equal((await only('type=1')).data!.total, 0);
  });

  it('older new-api: the same envelope, `id` is the row id mod 1024, and request_id is not a filter', async () => {
    const gw = legacy();
    const sent = await chat(gw);
    const page = await get<Paged<Row>>(gw, `/api/log/self?p=1&page_size=3&request_id=${sent.requestId}`);
    const items = page.body.data!.items;
    assert.equal(items.length, 3, 'the filter is ignored');
    assert.equal(items[0]!.request_id, sent.requestId);
    assert.equal(items[0]!.id, gw.state.logs.length % 1024);
  });

  it('one-api: a plain array from p=0, ten a page, id 0, elapsed_time in ms, no group or request-id filter', async () => {
    const gw = oneApi();
    const sent = await chat(gw);
    const first = await get<Row[]>(gw, '/api/log/self?p=0&page_size=100');
    const rows = first.body.data!;
    assert.ok(Array.isArray(rows));
    assert.equal(rows.length, 10, 'page_size is not read');
    assert.equal(rows[0]!.request_id, sent.requestId);
    assert.ok(rows.every((r) => r.id === 0 && typeof r.elapsed_time === 'number' && !('use_time' in r) && !('group' in r)));
    const next = await get<Row[]>(gw, '/api/log/self?p=1');
    assert.notDeepEqual(next.body.data![0], rows[0]);
    const unfiltered = await get<Row[]>(gw, `/api/log/self?p=0&request_id=${sent.requestId}&group=vip`);
    assert.equal(unfiltered.body.data!.length, 10);
  });
});

describe('simulator usage: /api/log/self/stat', () => {
  const { newApi, oneApi } = useGateways();

  it('new-api: consumed quota in the range (whatever `type` says), and rpm/tpm of the last minute', async () => {
    const gw = newApi();
    const before = (await get<{ quota: number; rpm: number; tpm: number }>(gw, '/api/log/self/stat?type=5')).body.data!;
    await chat(gw);
    await chat(gw);
    const after = (await get<{ quota: number; rpm: number; tpm: number }>(gw, '/api/log/self/stat?type=5')).body.data!;
    assert.equal(after.quota - before.quota, 2000);
    assert.equal(after.rpm - before.rpm, 2);
    assert.equal(after.tpm - before.tpm, 30);
    const old = (await get<{ quota: number; rpm: number }>(gw, '/api/log/self/stat?end_timestamp=1744185600')).body.data!;
    assert.equal(old.quota, 0);
    assert.equal(old.rpm, after.rpm, 'rpm ignores the range');
  });

  it('one-api: only `quota`', async () => {
    const gw = oneApi();
    await chat(gw);
    const stat = (await get<Record<string, number>>(gw, '/api/log/self/stat')).body.data!;
    assert.deepEqual(Object.keys(stat), ['quota']);
    assert.ok(stat.quota! >= 1000);
  });
});

describe('simulator usage: /api/data/self, the hourly table, and its switch', () => {
  const { newApi, oneApi } = useGateways({ usageHistory: { days: 40, rows: 4000, until: 1_790_000_000 } });

  it('rows per model and hour that add up to the consume log, at most 30 days a request', async () => {
    const gw = newApi();
    const from = 1_790_000_000 - 10 * 86_400;
    const data = await get<DataRow[]>(gw, `/api/data/self?start_timestamp=${from}&end_timestamp=1790000000`);
    assert.equal(data.body.success, true);
    const rows = data.body.data!;
    assert.ok(rows.every((r) => r.created_at % 3600 === 0 && r.created_at >= from));
    const logged = gw.state.logs.filter((l) => l.type === 2 && l.created_at - (l.created_at % 3600) >= from && l.created_at <= 1_790_000_000);
    assert.equal(rows.reduce((s, r) => s + r.count, 0), logged.length);
    assert.equal(rows.reduce((s, r) => s + r.quota, 0), logged.reduce((s, l) => s + l.quota, 0));
    assert.equal(rows.reduce((s, r) => s + r.token_used, 0), logged.reduce((s, l) => s + l.prompt_tokens + l.completion_tokens, 0));
    const tooLong = await get(gw, `/api/data/self?start_timestamp=${1_790_000_000 - 30 * 86_400 - 1}&end_timestamp=1790000000`);
    assert.deepEqual(tooLong.body, { success: false, message: '时间跨度不能超过 1 个月' });
  });

  it('a relay request is counted in the current hour; switched off, /api/status says so and new requests are not counted', async () => {
    const gw = newApi();
    const now = Math.floor(Date.now() / 1000);
    const range = `/api/data/self?start_timestamp=${now - 7200}&end_timestamp=${now + 3600}`;
    const count = async () => (await get<DataRow[]>(gw, range)).body.data!.reduce((s, r) => s + r.count, 0);
    const before = await count();
    await chat(gw);
    assert.equal(await count(), before + 1);
    const status = async () => ((await (await fetch(`${gw.url}/api/status`)).json()) as Envelope<{ enable_data_export?: boolean }>).data?.enable_data_export;
    assert.equal(await status(), true);
    const patched = await fetch(`${gw.url}/__simulator/patch`, { method: 'POST', body: JSON.stringify({ settings: { dataExportEnabled: false } }) });
    assert.equal(patched.status, 200);
    try {
      assert.equal(await status(), false);
      await chat(gw);
      assert.equal(await count(), before + 1, 'still answers, with what was counted before');
    } finally {
      gw.state.dataExportEnabled = true;
    }
  });

  it('one-api has no such route (404 Invalid URL)', async () => {
    const res = await fetch(`${oneApi().url}/api/data/self?start_timestamp=0&end_timestamp=1`, { headers });
    assert.equal(res.status, 404);
  });
});

describe('simulator usage: failed upstream calls in the error log', () => {
  const upstreamFailure = { status: 429, message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' };

  it('new-api with the error log on: a type-5 row with the status and code, nothing charged', async () => {
    const gw = await startGateway({ errorLog: true });
    try {
      gw.faults.upstreamFailure = upstreamFailure;
      const quota = gw.state.user(DEMO.userId)!.quota;
      const sent = await chat(gw);
      assert.equal(sent.status, 429);
      assert.equal(gw.state.user(DEMO.userId)!.quota, quota);
      const row = (await get<Paged<Row>>(gw, '/api/log/self?p=1&page_size=1&type=5')).body.data!.items[0]!;
      assert.equal(row.request_id, sent.requestId);
      assert.equal(row.content, 'status_code=429, Rate limit reached for requests');
      assert.equal(row.quota, 0);
      assert.deepEqual(JSON.parse(row.other as string), { request_path: '/v1/chat/completions', error_type: 'upstream_error', error_code: 'rate_limit_exceeded', status_code: 429, channel_id: 1, channel_name: '', channel_type: 1 });
    } finally {
      await gw.close();
    }
  });

  it('off (new-api\'s default), and always on one-api, a failed call leaves no row', async () => {
    for (const options of [{}, { flavor: 'one-api' as const, errorLog: true }]) {
      const gw = await startGateway(options);
      try {
        gw.faults.upstreamFailure = upstreamFailure;
        const rows = gw.state.logs.length;
        assert.equal((await chat(gw)).status, 429);
        assert.equal(gw.state.logs.length, rows);
      } finally {
        await gw.close();
      }
    }
  });
});

describe('simulator usage: the history seed', () => {
  it('is the same on every run for the same options, spread over the days, newest last', async () => {
    const options: GatewayOptions = { usageHistory: { days: 90, rows: 20_000, until: 1_790_000_000 }, errorLog: true };
    const [a, b] = await Promise.all([startGateway(options), startGateway(options)]);
    try {
      assert.equal(a.state.logs.length, 3 + 20_000);
      assert.deepEqual(a.state.logs, b.state.logs);
      const seeded = a.state.logs.slice(3);
      assert.ok(seeded.every((l, i) => i === 0 || l.created_at >= seeded[i - 1]!.created_at), 'in time order');
      assert.ok(seeded[0]!.created_at >= 1_790_000_000 - 90 * 86_400 && seeded.at(-1)!.created_at < 1_790_000_000);
      const days = new Set(seeded.map((l) => Math.floor(l.created_at / 86_400)));
      assert.ok(days.size >= 90, `${days.size} days have rows`);
      const errors = seeded.filter((l) => l.type === 5).length;
      assert.ok(errors > 100 && errors < 400, `${errors} failed calls`);
      assert.ok(new Set(seeded.map((l) => l.token_name)).size >= 3);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the CLI seeds it with --usage-days and --usage-rows, and --no-data-export turns the table off', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--usage-days', '10', '--usage-rows', '3000', '--no-data-export']);
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Ctrl-C')) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      assert.match(out, /Log rows: 3003 \(10 days of history\)\. Data dashboard off/);
      const url = /TOKAIFY_GATEWAY_URL=(\S+)/.exec(out)![1]!;
      const page = (await (await fetch(`${url}/api/log/self?p=1&page_size=1`, { headers })).json()) as Envelope<Paged<Row>>;
      assert.equal(page.data!.total, 3003);
      const now = Math.floor(Date.now() / 1000);
      const data = (await (await fetch(`${url}/api/data/self?start_timestamp=${now - 86_400 * 5}&end_timestamp=${now}`, { headers })).json()) as Envelope<DataRow[]>;
      assert.deepEqual(data.data, [], 'nothing was counted while the dashboard was off');
    } finally {
      child.kill();
    }
  });
});
