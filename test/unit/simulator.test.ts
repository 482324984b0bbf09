import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO, startGateway, type GatewayOptions, type RunningGateway } from '../../src/simulator';
import type { Envelope, Paged } from './gatewayShapes';

/** The built CLI: this file runs as dist/test/unit/simulator.test.js, and the unit script builds both. */
const CLI = path.resolve(__dirname, '../../simulator.js');

const DEMO_STORED_KEY = DEMO.key.slice('sk-'.length);
const LIMITED_KEY = `sk-demoLimited${'2'.repeat(37)}`;
const DISABLED_KEY = `sk-demoDisabled${'0'.repeat(36)}`;
const EXPIRED_KEY = `sk-demoExpired${'1'.repeat(37)}`;
/** Seeded token ids of user 1 (see state.ts): 1 demo (unlimited), 2 disabled, 3 expired, 4 limited; 5 belongs to user 2. */
const EXPIRED_ID = 3;
const OTHER_USERS_TOKEN_ID = 5;

interface TokenRow {
  id: number;
  user_id: number;
  key: string;
  name: string;
  status: number;
  expired_time: number;
  remain_quota: number;
  unlimited_quota: boolean;
  model_limits?: string;
  model_limits_enabled?: boolean;
  allow_ips?: string;
  models?: string;
  subnet?: string;
  DeletedAt?: null;
}
interface OpenAiError {
  error: { message: string; type: string; code?: string | number; param?: string };
}
interface ModelList {
  success?: boolean;
  object: string;
  data: { id: string }[];
}

interface Answer<T> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, undefined when empty or not JSON; typed by the caller. */
  body: T;
}

interface Call {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

async function request<T>(url: string, { method = 'GET', body, headers = {} }: Call = {}): Promise<Answer<T>> {
  const init: RequestInit = { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, redirect: 'manual' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}

/** Console headers of the demo user: access token plus the matching `New-Api-User`. */
const demoAuth = (userId: number | string = DEMO.userId): Record<string, string> => ({ Authorization: `Bearer ${DEMO.accessToken}`, 'New-Api-User': String(userId) });

/** A console call as the demo user unless `headers` says otherwise. */
const api = <T>(gw: RunningGateway, route: string, call: Call = {}) => request<Envelope<T>>(gw.url + route, { ...call, headers: call.headers ?? demoAuth() });

/** A relay call authenticated by `Authorization: Bearer <key>`. */
const relay = <T>(gw: RunningGateway, route: string, key: string, call: Call = {}) =>
  request<T>(gw.url + route, { ...call, headers: { Authorization: `Bearer ${key}`, ...call.headers } });

const chat = (gw: RunningGateway, key: string, model = 'gpt-4o') =>
  relay<OpenAiError>(gw, '/v1/chat/completions', key, { method: 'POST', body: { model, messages: [{ role: 'user', content: 'hi' }] } });

/** `session=<value>` from a login answer, ready for a Cookie header. */
function sessionCookie(answer: Answer<unknown>): string {
  const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('session='));
  assert.ok(cookie, 'a session cookie is set');
  return cookie.split(';')[0]!;
}

const login = (gw: RunningGateway, username: string, password: string, query = '') =>
  request<Envelope<{ id?: number; require_2fa?: boolean }>>(`${gw.url}/api/user/login${query}`, { method: 'POST', body: { username, password } });

/** Starts a gateway before the describe block's tests and closes it after them. */
function useGateway(options: GatewayOptions = {}): () => RunningGateway {
  let gw: RunningGateway | undefined;
  before(async () => {
    gw = await startGateway(options);
  });
  afterEach(() => {
    gw?.resetFaults();
    gw?.resetRateLimits();
  });
  after(async () => {
    await gw?.close();
  });
  return () => {
    assert.ok(gw, 'gateway started');
    return gw;
  };
}

const uniqueName = (() => {
  let n = 0;
  return (prefix = 'sim-test') => `${prefix}-${++n}-${Date.now()}`;
})();

/** Creates a token (new-api: no data back) and finds it by name in the list; returns its row. */
async function createToken(gw: RunningGateway, fields: Record<string, unknown> = {}): Promise<TokenRow> {
  const name = uniqueName();
  const created = await api(gw, '/api/token/', { method: 'POST', body: { name, remain_quota: 500_000, expired_time: -1, unlimited_quota: false, ...fields } });
  assert.equal(created.body.success, true, created.text);
  const list = await api<Paged<TokenRow>>(gw, '/api/token/?p=1&size=10');
  const row = list.body.data?.items.find((t) => t.name === name);
  assert.ok(row, `token ${name} is listed`);
  return row;
}

describe('simulator: global behaviour', () => {
  const newApi = useGateway();
  const oneApi = useGateway({ flavor: 'one-api' });

  it('/api/status on new-api has quota_display_type, the server address and a request id header', async () => {
    const gw = newApi();
    const res = await request<Envelope<Record<string, unknown>>>(`${gw.url}/api/status`);
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.quota_display_type, 'USD');
    assert.equal(res.body.data?.quota_per_unit, 500_000);
    assert.equal(res.body.data?.server_address, gw.url);
    assert.equal(res.body.data?.turnstile_check, false);
    assert.match(res.headers.get('x-oneapi-request-id') ?? '', /^\d{14}[0-9a-f]{8}[0-9A-Za-z]{8}$/);
  });

  it('/api/status on one-api has no quota_display_type', async () => {
    const res = await request<Envelope<Record<string, unknown>>>(`${oneApi().url}/api/status`);
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.quota_per_unit, 500_000);
    assert.ok(!('quota_display_type' in (res.body.data ?? {})));
    assert.ok(res.headers.get('x-oneapi-request-id'));
  });

  it('an unknown /api or /v1 route is 404 with the Invalid URL error', async () => {
    const apiMiss = await request<OpenAiError>(`${oneApi().url}/api/token/5/key`, { method: 'POST', headers: demoAuth() });
    assert.equal(apiMiss.status, 404);
    assert.deepEqual(apiMiss.body, { error: { message: 'Invalid URL (POST /api/token/5/key)', type: 'invalid_request_error', param: '', code: '' } });
    const v1Miss = await request<OpenAiError>(`${newApi().url}/v1/nothing-here`);
    assert.equal(v1Miss.status, 404);
    assert.equal(v1Miss.body.error.message, 'Invalid URL (GET /v1/nothing-here)');
  });

  it('/ serves the HTML console page, not JSON', async () => {
    const res = await request<undefined>(`${newApi().url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.text, /<html/i);
    assert.equal(res.body, undefined);
  });

  it('redirects /api/token to /api/token/ (301) like gin', async () => {
    const gw = newApi();
    const res = await request<undefined>(`${gw.url}/api/token?p=2`, { headers: demoAuth() });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/api/token/?p=2');
  });
});

describe('simulator: console auth', () => {
  const newApi = useGateway();
  const oneApi = useGateway({ flavor: 'one-api' });

  it('access token + New-Api-User reads /api/user/self', async () => {
    const res = await api<{ id: number; username: string; quota: number }>(newApi(), '/api/user/self');
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.id, DEMO.userId);
    assert.equal(res.body.data?.username, DEMO.username);
    assert.equal(typeof res.body.data?.quota, 'number');
    assert.ok(res.headers.get('auth-version'));
  });

  it('without New-Api-User is 401', async () => {
    const res = await api(newApi(), '/api/user/self', { headers: { Authorization: `Bearer ${DEMO.accessToken}` } });
    assert.equal(res.status, 401);
    assert.equal(res.body.success, false);
    assert.match(res.body.message, /未提供 New-Api-User/);
  });

  it('a New-Api-User that is not the caller, or not a number, is 401', async () => {
    const other = await api(newApi(), '/api/user/self', { headers: demoAuth(2) });
    assert.equal(other.status, 401);
    assert.match(other.body.message, /不匹配/);
    const garbage = await api(newApi(), '/api/user/self', { headers: demoAuth('one') });
    assert.equal(garbage.status, 401);
  });

  it('no credentials at all is 401', async () => {
    const res = await api(newApi(), '/api/user/self', { headers: {} });
    assert.equal(res.status, 401);
    assert.equal(res.body.success, false);
  });

  it('an unknown access token is 200 with success:false', async () => {
    const res = await api(newApi(), '/api/user/self', { headers: { Authorization: 'Bearer not-a-token', 'New-Api-User': '1' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.match(res.body.message, /access token 无效/);
  });

  it('one-api needs no New-Api-User', async () => {
    const res = await api<{ id: number }>(oneApi(), '/api/user/self', { headers: { Authorization: `Bearer ${DEMO.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.id, DEMO.userId);
  });

  it('password login sets an HttpOnly session cookie that works with New-Api-User', async () => {
    const gw = newApi();
    const res = await login(gw, DEMO.username, DEMO.password);
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.id, DEMO.userId);
    assert.ok(res.headers.getSetCookie().some((c) => /HttpOnly/.test(c)));
    const cookie = sessionCookie(res);
    const self = await api<{ id: number }>(gw, '/api/user/self', { headers: { Cookie: cookie, 'New-Api-User': String(DEMO.userId) } });
    assert.equal(self.body.success, true);
    assert.equal(self.body.data?.id, DEMO.userId);
    const withoutHeader = await api(gw, '/api/user/self', { headers: { Cookie: cookie } });
    assert.equal(withoutHeader.status, 401);
  });

  it('a wrong password is 200 success:false and sets no cookie', async () => {
    const res = await login(newApi(), DEMO.username, 'wrong');
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.equal(res.headers.getSetCookie().length, 0);
  });

  it('a 2FA user gets require_2fa, then /api/user/login/2fa with the code signs in', async () => {
    const gw = newApi();
    const first = await login(gw, DEMO.twoFactorUser, DEMO.password);
    assert.equal(first.body.success, true);
    assert.equal(first.body.data?.require_2fa, true);
    const pending = sessionCookie(first);
    const early = await api(gw, '/api/user/self', { headers: { Cookie: pending, 'New-Api-User': '2' } });
    assert.equal(early.status, 401, 'a pending 2FA cookie does not authenticate');

    const twoFa = (code: string) => request<Envelope<{ id: number }>>(`${gw.url}/api/user/login/2fa`, { method: 'POST', body: { code }, headers: { Cookie: pending } });
    const wrong = await twoFa('000000');
    assert.equal(wrong.body.success, false);
    const right = await twoFa(DEMO.twoFactorCode);
    assert.equal(right.body.success, true);
    assert.equal(right.body.data?.id, 2);
    const self = await api<{ username: string }>(gw, '/api/user/self', { headers: { Cookie: sessionCookie(right), 'New-Api-User': '2' } });
    assert.equal(self.body.data?.username, DEMO.twoFactorUser);
  });

  it('the turnstile fault refuses password login and shows in /api/status', async () => {
    const gw = newApi();
    gw.faults.turnstile = true;
    const status = await request<Envelope<{ turnstile_check: boolean }>>(`${gw.url}/api/status`);
    assert.equal(status.body.data?.turnstile_check, true);
    const res = await login(gw, DEMO.username, DEMO.password);
    assert.equal(res.body.success, false);
    assert.match(res.body.message, /Turnstile/);
  });

  it('expireSessions() turns the cookie into a 401', async () => {
    const gw = newApi();
    const cookie = sessionCookie(await login(gw, DEMO.username, DEMO.password));
    const headers = { Cookie: cookie, 'New-Api-User': String(DEMO.userId) };
    assert.equal((await api(gw, '/api/user/self', { headers })).body.success, true);
    gw.state.expireSessions();
    const after = await api(gw, '/api/user/self', { headers });
    assert.equal(after.status, 401);
  });
});

describe('simulator: tokens on new-api', () => {
  const gwOf = useGateway({ seedTokens: 12 });
  const critical = useGateway({ criticalRateLimit: 2 });

  it('lists a paged envelope, newest first, with masked keys', async () => {
    const gw = gwOf();
    const res = await api<Paged<TokenRow>>(gw, '/api/token/?p=1&size=10');
    const data = res.body.data;
    assert.ok(data);
    assert.equal(data.page, 1);
    assert.equal(data.page_size, 10);
    assert.equal(data.total, gw.state.tokens.filter((t) => t.user_id === DEMO.userId).length);
    assert.equal(data.items.length, 10);
    const ids = data.items.map((t) => t.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    for (const t of data.items) {
      assert.ok(t.key.includes('*'), `masked: ${t.key}`);
      assert.equal(t.key.length, 18);
      assert.equal(t.user_id, DEMO.userId);
      assert.equal(t.DeletedAt, null);
    }
    const second = await api<Paged<TokenRow>>(gw, '/api/token/?p=2&size=10');
    assert.ok(Math.max(...(second.body.data?.items.map((t) => t.id) ?? [])) < Math.min(...ids), 'page 2 continues below page 1');
  });

  it('POST /api/token/:id/key reveals the full 48-char key', async () => {
    const gw = gwOf();
    const res = await api<{ key: string }>(gw, '/api/token/1/key', { method: 'POST' });
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.key, DEMO_STORED_KEY);
    assert.match(res.body.data?.key ?? '', /^[0-9A-Za-z]{48}$/);
    const one = await api<TokenRow>(gw, '/api/token/1');
    assert.equal(one.body.data?.key, `${DEMO_STORED_KEY.slice(0, 4)}**********${DEMO_STORED_KEY.slice(-4)}`);
    const notMine = await api(gw, `/api/token/${OTHER_USERS_TOKEN_ID}/key`, { method: 'POST' });
    assert.deepEqual(notMine.body, { success: false, message: 'record not found' });
  });

  it('create returns no data; the token then heads the list with status 1', async () => {
    const gw = gwOf();
    const name = uniqueName();
    const res = await api(gw, '/api/token/', { method: 'POST', body: { name, remain_quota: 1000, expired_time: -1 } });
    assert.deepEqual(res.body, { success: true, message: '' });
    const first = (await api<Paged<TokenRow>>(gw, '/api/token/?p=1')).body.data?.items[0];
    assert.equal(first?.name, name);
    assert.equal(first?.status, 1);
    assert.equal(first?.remain_quota, 1000);
    const key = await api<{ key: string }>(gw, `/api/token/${first?.id}/key`, { method: 'POST' });
    assert.match(key.body.data?.key ?? '', /^[0-9A-Za-z]{48}$/);
  });

  it('refuses a name over 50 bytes (counted in bytes, not characters)', async () => {
    const gw = gwOf();
    const before = gw.state.tokens.length;
    const res = await api(gw, '/api/token/', { method: 'POST', body: { name: '令'.repeat(17), remain_quota: 1, expired_time: -1 } });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.equal(res.body.message, 'Token name is too long');
    assert.equal(gw.state.tokens.length, before);
  });

  it('a full PUT zeroes omitted fields and leaves status alone', async () => {
    const gw = gwOf();
    const row = await createToken(gw, { remain_quota: 7000, model_limits_enabled: true, model_limits: 'gpt-4o' });
    const res = await api<TokenRow>(gw, '/api/token/', { method: 'PUT', body: { id: row.id, name: 'renamed', status: 2 } });
    assert.equal(res.body.success, true);
    const data = res.body.data;
    assert.equal(data?.name, 'renamed');
    assert.equal(data?.expired_time, 0);
    assert.equal(data?.remain_quota, 0);
    assert.equal(data?.model_limits, '');
    assert.equal(data?.model_limits_enabled, false);
    assert.equal(data?.status, 1, 'full mode never changes status');
    assert.ok(data?.key.includes('*'), 'update answers with a masked key');
  });

  it('PUT ?status_only=true changes only the status', async () => {
    const gw = gwOf();
    const row = await createToken(gw, { remain_quota: 4321 });
    const res = await api<TokenRow>(gw, '/api/token/?status_only=true', { method: 'PUT', body: { id: row.id, status: 2 } });
    assert.equal(res.body.success, true);
    assert.equal(res.body.data?.status, 2);
    assert.equal(res.body.data?.name, row.name);
    assert.equal(res.body.data?.remain_quota, 4321);
    assert.equal(res.body.data?.expired_time, -1);
  });

  it('refuses to enable an expired token', async () => {
    const gw = gwOf();
    const res = await api(gw, '/api/token/?status_only=true', { method: 'PUT', body: { id: EXPIRED_ID, status: 1 } });
    assert.equal(res.body.success, false);
    assert.match(res.body.message, /expired/);
    assert.equal(gw.state.tokens.find((t) => t.id === EXPIRED_ID)?.status, 3);
  });

  it('deletes a token; deleting it again is record not found', async () => {
    const gw = gwOf();
    const row = await createToken(gw);
    assert.deepEqual((await api(gw, `/api/token/${row.id}`, { method: 'DELETE' })).body, { success: true, message: '' });
    assert.equal((await api(gw, `/api/token/${row.id}`)).body.message, 'record not found');
    assert.equal((await api(gw, `/api/token/${row.id}`, { method: 'DELETE' })).body.success, false);
  });

  it('search is exact without %, a pattern with %, and checks the pattern rules', async () => {
    const gw = gwOf();
    const search = (params: Record<string, string>) => api<Paged<TokenRow>>(gw, `/api/token/search?${new URLSearchParams(params)}`);
    const names = async (params: Record<string, string>) => {
      const res = await search(params);
      assert.equal(res.body.success, true, res.text);
      return res.body.data?.items.map((t) => t.name) ?? [];
    };
    assert.deepEqual(await names({ keyword: 'demo' }), ['demo']);
    assert.deepEqual(await names({ keyword: 'demo-%' }), ['demo-limited', 'demo-expired', 'demo-disabled']);
    assert.deepEqual(await names({ token: DEMO.key }), ['demo']);
    for (const bad of ['%%de', '%a%b%', 'd%']) {
      const res = await search({ keyword: bad });
      assert.equal(res.body.success, false, `pattern ${bad} is refused`);
    }
  });

  it('the critical rate limit answers the third reveal (or login, or usage) with 429 and an empty body', async () => {
    const gw = critical();
    for (let i = 0; i < 2; i++) assert.equal((await api(gw, '/api/token/1/key', { method: 'POST' })).status, 200);
    const third = await api(gw, '/api/token/1/key', { method: 'POST' });
    assert.equal(third.status, 429);
    assert.equal(third.text, '');
    gw.resetRateLimits();
    assert.equal((await api(gw, '/api/token/1/key', { method: 'POST' })).status, 200);
    assert.equal((await login(gw, DEMO.username, DEMO.password)).status, 200);
    const usage = await relay(gw, '/api/usage/token/', DEMO.key);
    assert.equal(usage.status, 429, 'login, reveal and /api/usage/token/ share one bucket');
    assert.equal(usage.text, '');
  });
});

describe('simulator: tokens on legacy new-api and one-api', () => {
  const legacy = useGateway({ flavor: 'new-api-legacy' });
  const oneApi = useGateway({ flavor: 'one-api', seedTokens: 30 });

  it('legacy new-api lists full keys in the paged envelope and has no /key route', async () => {
    const gw = legacy();
    const res = await api<Paged<TokenRow>>(gw, '/api/token/?p=1');
    assert.ok(res.body.data?.items.length);
    for (const t of res.body.data?.items ?? []) assert.match(t.key, /^[0-9A-Za-z]{48}$/);
    const reveal = await api(gw, '/api/token/1/key', { method: 'POST' });
    assert.equal(reveal.status, 404);
  });

  it('one-api lists a plain array of 10 per 0-based page with full keys and models/subnet', async () => {
    const gw = oneApi();
    const page0 = await api<TokenRow[]>(gw, '/api/token/?p=0', { headers: { Authorization: `Bearer ${DEMO.accessToken}` } });
    const rows = page0.body.data;
    assert.ok(Array.isArray(rows));
    assert.equal(rows.length, 10);
    assert.equal(rows[0]?.id, Math.max(...gw.state.tokens.filter((t) => t.user_id === DEMO.userId).map((t) => t.id)));
    for (const t of rows) {
      assert.match(t.key, /^[0-9A-Za-z]{48}$/);
      assert.equal(typeof t.models, 'string');
      assert.equal(typeof t.subnet, 'string');
      assert.ok(!('model_limits' in t) && !('allow_ips' in t));
    }
    const mine = gw.state.tokens.filter((t) => t.user_id === DEMO.userId).length;
    const last = await api<TokenRow[]>(gw, `/api/token/?p=${Math.floor(mine / 10)}`, { headers: { Authorization: `Bearer ${DEMO.accessToken}` } });
    assert.equal(last.body.data?.length, mine % 10, 'the last page is short');
  });

  it('one-api create returns the token with its full key', async () => {
    const res = await api<TokenRow>(oneApi(), '/api/token/', { method: 'POST', headers: { Authorization: `Bearer ${DEMO.accessToken}` }, body: { name: 'one', remain_quota: 10 } });
    assert.equal(res.body.success, true);
    assert.match(res.body.data?.key ?? '', /^[0-9A-Za-z]{48}$/);
  });
});

describe('simulator: relay', () => {
  const newApi = useGateway();
  const oneApi = useGateway({ flavor: 'one-api' });
  const tokmodel = useGateway({ relayErrorStyle: 'tokmodel' });

  /** Runs `body` with user 1's quota set to `quota`, then restores it. */
  async function withUserQuota(gw: RunningGateway, quota: number, body: () => Promise<void>): Promise<void> {
    const user = gw.state.user(DEMO.userId);
    assert.ok(user);
    const saved = user.quota;
    user.quota = quota;
    try {
      await body();
    } finally {
      user.quota = saved;
    }
  }

  it('/v1/models accepts Bearer sk-key, Bearer without sk-, and x-api-key', async () => {
    const gw = newApi();
    const variants: Record<string, string>[] = [{ Authorization: `Bearer ${DEMO.key}` }, { Authorization: `Bearer ${DEMO_STORED_KEY}` }, { 'x-api-key': DEMO.key }];
    for (const headers of variants) {
      const res = await request<ModelList>(`${gw.url}/v1/models`, { headers });
      assert.equal(res.status, 200, JSON.stringify(headers));
      assert.equal(res.body.object, 'list');
      assert.deepEqual(res.body.data.map((m) => m.id), gw.state.models);
    }
  });

  it('a token with model limits lists only its models', async () => {
    const res = await relay<ModelList>(newApi(), '/v1/models', LIMITED_KEY);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data.map((m) => m.id), ['gpt-4o-mini']);
  });

  it('an unknown key is 401 无效的令牌 with the request id suffix', async () => {
    const res = await relay<OpenAiError>(newApi(), '/v1/models', 'sk-nope');
    assert.equal(res.status, 401);
    const id = res.headers.get('x-oneapi-request-id');
    assert.ok(id);
    assert.deepEqual(res.body, { error: { message: `无效的令牌 (request id: ${id})`, type: 'new_api_error', code: '' } });
  });

  it('disabled, expired and exhausted tokens are 401 with their own messages', async () => {
    const gw = newApi();
    const exhausted = gw.state.addToken({ name: 'exhausted', status: 4, remain_quota: 0 });
    const drained = gw.state.addToken({ name: 'drained', remain_quota: 0 });
    const cases: [string, RegExp][] = [
      [DISABLED_KEY, /^该令牌状态不可用 \(request id: /],
      [EXPIRED_KEY, /^该令牌已过期 \(request id: /],
      [`sk-${exhausted.key}`, /^该令牌额度已用尽 TokenStatusExhausted\[sk-/],
      [`sk-${drained.key}`, /该令牌额度已用尽 !token\.UnlimitedQuota/],
    ];
    for (const [key, message] of cases) {
      const res = await relay<OpenAiError>(gw, '/v1/models', key);
      assert.equal(res.status, 401, key);
      assert.match(res.body.error.message, message);
      assert.equal(res.body.error.type, 'new_api_error');
    }
    assert.equal(drained.status, 4, 'a drained token is marked exhausted');
  });

  it('allow_ips without 127.0.0.1 is 403 access_denied; with it the key works', async () => {
    const gw = newApi();
    const fenced = gw.state.addToken({ name: 'fenced', unlimited_quota: true, allow_ips: '10.0.0.1\n192.168.0.0/16' });
    const refused = await relay<OpenAiError>(gw, '/v1/models', `sk-${fenced.key}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'access_denied');
    fenced.allow_ips = '10.0.0.1\n127.0.0.0/8';
    assert.equal((await relay(gw, '/v1/models', `sk-${fenced.key}`)).status, 200);
  });

  it('a chat completion charges the user and the token and writes a log row', async () => {
    const gw = newApi();
    const user = gw.state.user(DEMO.userId);
    const token = gw.state.tokens.find((t) => t.id === 1);
    assert.ok(user && token);
    const [quota, used, logs] = [user.quota, token.used_quota, gw.state.logs.length];
    const res = await chat(gw, DEMO.key);
    assert.equal(res.status, 200, res.text);
    assert.ok(user.quota < quota, 'user quota drops');
    assert.ok(token.used_quota > used, 'token used_quota grows');
    assert.equal(gw.state.logs.length, logs + 1);
    const row = gw.state.logs.at(-1);
    assert.equal(row?.model_name, 'gpt-4o');
    assert.equal(row?.token_id, 1);
    assert.equal(row?.quota, quota - user.quota);
    const self = await api<{ quota: number }>(gw, '/api/user/self');
    assert.equal(self.body.data?.quota, user.quota, 'the console sees the new balance');
  });

  it('a model outside the token limits is 403', async () => {
    const res = await chat(newApi(), LIMITED_KEY, 'gpt-4o');
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /^This token has no access to model gpt-4o \(request id: /);
  });

  it('a user with no quota is 403 insufficient_user_quota', async () => {
    const gw = newApi();
    await withUserQuota(gw, 0, async () => {
      const res = await chat(gw, DEMO.key);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'insufficient_user_quota');
      assert.equal(res.body.error.type, 'new_api_error');
    });
  });

  it('relayErrorStyle tokmodel answers with the TokModel shapes', async () => {
    const gw = tokmodel();
    const bad = await relay<OpenAiError>(gw, '/v1/models', 'sk-nope');
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { error: { message: 'Invalid or missing API key.', type: 'authentication_error', code: 401 } });
    await withUserQuota(gw, 0, async () => {
      const broke = await chat(gw, DEMO.key);
      assert.equal(broke.status, 403);
      assert.equal(broke.body.error.type, 'authorization_error');
      assert.equal(broke.body.error.code, 403);
    });
  });

  it('/v1/messages works with x-api-key; the context_management fault rejects that field', async () => {
    const gw = newApi();
    const messages = (body: Record<string, unknown>) =>
      request<{ type: string; error?: { message: string } }>(`${gw.url}/v1/messages`, {
        method: 'POST', headers: { 'x-api-key': DEMO.key, 'anthropic-version': '2023-06-01' },
        body: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...body },
      });
    const okRes = await messages({ context_management: { edits: [] } });
    assert.equal(okRes.status, 200, 'without the fault the field is accepted');
    assert.equal(okRes.body.type, 'message');
    gw.faults.contextManagementRejected = true;
    const rejected = await messages({ context_management: { edits: [] } });
    assert.equal(rejected.status, 400);
    assert.match(rejected.body.error?.message ?? '', /context_management: Extra inputs are not permitted/);
    assert.equal((await messages({})).status, 200, 'a body without the field still works');
  });

  it('one-api has no /v1/messages', async () => {
    const res = await relay<OpenAiError>(oneApi(), '/v1/messages', DEMO.key, { method: 'POST', body: { model: 'claude-sonnet-4-5' } });
    assert.equal(res.status, 404);
    assert.match(res.body.error.message, /^Invalid URL/);
  });

  it('billing: an unlimited token has hard_limit_usd 100000000; a limited one its remaining + used', async () => {
    const gw = newApi();
    const unlimited = await relay<{ object: string; hard_limit_usd: number }>(gw, '/v1/dashboard/billing/subscription', DEMO.key);
    assert.equal(unlimited.body.object, 'billing_subscription');
    assert.equal(unlimited.body.hard_limit_usd, 100_000_000);
    const limited = await relay<{ hard_limit_usd: number }>(gw, '/dashboard/billing/subscription', LIMITED_KEY);
    const token = gw.state.findTokenByKey(LIMITED_KEY);
    assert.ok(token);
    assert.equal(limited.body.hard_limit_usd, (token.remain_quota + token.used_quota) / 500_000);
    const usage = await relay<{ object: string; total_usage: number }>(gw, '/v1/dashboard/billing/usage', LIMITED_KEY);
    assert.equal(usage.body.total_usage, (token.used_quota / 500_000) * 100);
  });

  it('/api/usage/token/ reports the key, even an expired one; a bad key is 401', async () => {
    const gw = newApi();
    const res = await relay<{ code: boolean; data: { name: string; unlimited_quota: boolean; object: string } }>(gw, '/api/usage/token/', DEMO.key);
    assert.equal(res.status, 200);
    assert.equal(res.body.code, true);
    assert.equal(res.body.data.object, 'token_usage');
    assert.equal(res.body.data.name, 'demo');
    assert.equal(res.body.data.unlimited_quota, true);
    const expired = await relay<{ data: { name: string } }>(gw, '/api/usage/token/', EXPIRED_KEY);
    assert.equal(expired.body.data.name, 'demo-expired');
    const bad = await relay<Envelope<never>>(gw, '/api/usage/token/', 'sk-nope');
    assert.equal(bad.status, 401);
    assert.equal(bad.body.success, false);
  });
});

describe('simulator: faults and the request log', () => {
  const gwOf = useGateway();

  it('latencyMs delays the answer', async () => {
    const gw = gwOf();
    gw.faults.latencyMs = 200;
    const started = performance.now();
    assert.equal((await request(`${gw.url}/api/status`)).status, 200);
    assert.ok(performance.now() - started >= 190);
  });

  it('serverErrors N answers the next N requests with 500, then recovers', async () => {
    const gw = gwOf();
    gw.faults.serverErrors = 2;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(`${gw.url}/api/status`)).status);
    assert.deepEqual(statuses, [500, 500, 200]);
  });

  it('malformedJson sends a body that does not parse', async () => {
    const gw = gwOf();
    gw.faults.malformedJson = true;
    const res = await request(`${gw.url}/api/status`);
    assert.equal(res.status, 200);
    assert.ok(res.text.length > 0);
    assert.throws(() => JSON.parse(res.text));
  });

  it('rateLimit answers /api with an empty 429 and leaves the relay alone', async () => {
    const gw = gwOf();
    gw.faults.rateLimit = true;
    const limited = await api(gw, '/api/user/self');
    assert.equal(limited.status, 429);
    assert.equal(limited.text, '');
    assert.equal((await relay(gw, '/v1/models', DEMO.key)).status, 200);
    gw.resetFaults();
    assert.equal((await api(gw, '/api/user/self')).status, 200);
  });

  it('records method, path (without query) and status of every request', async () => {
    const gw = gwOf();
    const start = gw.requests.length;
    await api(gw, '/api/token/?p=1');
    await relay(gw, '/v1/models', 'sk-nope');
    assert.deepEqual(gw.requests.slice(start), [
      { method: 'GET', path: '/api/token/', status: 200 },
      { method: 'GET', path: '/v1/models', status: 401 },
    ]);
  });

  it('hugeBodyBytes answers with exactly that many bytes of valid JSON, chunked unless hugeBodyLength', async () => {
    const gw = gwOf();
    gw.faults.hugeBodyBytes = 200_001;
    const chunked = await request<Envelope<number[]>>(`${gw.url}/api/token/`);
    assert.equal(chunked.status, 200);
    assert.equal(Buffer.byteLength(chunked.text), 200_001);
    assert.equal(chunked.body.success, true, 'it parses');
    assert.equal(chunked.headers.get('content-length'), null);
    gw.faults.hugeBodyLength = true;
    const announced = await request(`${gw.url}/v1/models`);
    assert.equal(announced.headers.get('content-length'), '200001');
    assert.equal(announced.text.length, 200_001);
  });

  it('records clientClosed when the client hangs up before the answer is written', async () => {
    const gw = gwOf();
    gw.faults.latencyMs = 200;
    const start = gw.requests.length;
    await assert.rejects(fetch(`${gw.url}/api/status`, { signal: AbortSignal.timeout(50) }));
    while (gw.requests.length === start) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(gw.requests.slice(start), [{ method: 'GET', path: '/api/status', status: 200, clientClosed: true }]);
  });

  it('hugePageItems serves a token page and model lists of that many small items', async () => {
    const gw = gwOf();
    gw.faults.hugePageItems = 2000;
    const page = await api<Paged<TokenRow>>(gw, '/api/token/?p=1&size=10');
    assert.equal(page.body.data?.items.length, 2000);
    assert.equal(page.body.data?.total, 2000);
    assert.ok(page.text.length < 100_000, `${page.text.length} bytes`);
    assert.equal((await relay<ModelList>(gw, '/v1/models', DEMO.key)).body.data.length, 2000);
    assert.equal((await api<string[]>(gw, '/api/user/models')).body.data?.length, 2000);
  });

  it('endlessPages: every page claims another, and pages past the end wrap round to the first tokens', async () => {
    const gw = gwOf();
    const ids = gw.state.tokensOf(DEMO.userId).map((t) => t.id);
    gw.faults.endlessPages = true;
    const page = async (p: number) => (await api<Paged<TokenRow>>(gw, `/api/token/?p=${p}&size=2`)).body.data!;
    const far = await page(50);
    assert.ok(far.total > 50 * 2, 'the total promises more');
    assert.deepEqual(far.items.map((t) => t.id), [ids[(49 * 2) % ids.length], ids[(49 * 2 + 1) % ids.length]]);
  });
});

describe('simulator: CLI', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill();
  });

  const run = (...args: string[]) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    children.push(child);
    return child;
  };
  const exited = (child: ChildProcessWithoutNullStreams) =>
    new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

  /** The first stdout line, or the stderr text if the process exits first. */
  function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const end = out.indexOf('\n');
        if (end >= 0) resolve(out.slice(0, end));
      });
      child.once('exit', (code) => reject(new Error(`simulator exited ${code}: ${err}`)));
    });
  }

  it('prints TOKAIFY_GATEWAY_URL first and serves the chosen flavour', async () => {
    const child = run('--port', '0', '--flavor', 'one-api', '--tokens', '30');
    const line = await firstLine(child);
    const match = /^TOKAIFY_GATEWAY_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    assert.ok(match, line);
    const url = match[1]!;
    const status = await request<Envelope<Record<string, unknown>>>(`${url}/api/status`);
    assert.equal(status.body.success, true);
    assert.ok(!('quota_display_type' in (status.body.data ?? {})), 'one-api flavour');
    const tokens = await request<Envelope<TokenRow[]>>(`${url}/api/token/?p=0`, { headers: { Authorization: `Bearer ${DEMO.accessToken}` } });
    assert.equal(tokens.body.data?.length, 10);
    assert.equal(tokens.body.data?.[0]?.name, 'token-00030');
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
  });

  it('exits 2 with usage on an unknown flag', async () => {
    const child = run('--no-such-flag');
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    assert.equal(await exited(child), 2);
    assert.match(err, /unknown option --no-such-flag/);
    assert.match(err, /usage:/);
  });
});

describe('simulator control routes (for tests in another process)', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway({ flavor: 'new-api' });
  });
  after(() => gw.close());
  const post = (path: string, body: unknown) => fetch(`${gw.url}${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('POST /__simulator/faults replaces the fault switches, and is not itself subject to them', async () => {
    assert.equal((await post('/__simulator/faults', { serverErrors: 1, contextManagementRejected: true })).status, 200);
    assert.deepEqual({ ...gw.faults }, { serverErrors: 1, contextManagementRejected: true });
    assert.equal((await post('/__simulator/faults', {})).status, 200, 'not answered with the pending 500');
    assert.deepEqual({ ...gw.faults }, {});
  });

  it('POST /__simulator/patch changes a user or a token by name; unknown ones are 404', async () => {
    assert.equal((await post('/__simulator/patch', { user: { id: 1, quota: 0 }, token: { name: 'demo', status: 2 } })).status, 200);
    assert.equal(gw.state.user(1)!.quota, 0);
    assert.equal(gw.state.tokens.find((t) => t.name === 'demo')!.status, 2);
    assert.equal((await post('/__simulator/patch', { token: { name: 'nope' } })).status, 404);
  });
});

// Each route below once diverged from the servers' source (spec §1.1, §2, §5, §6; one-api at 8df4a267).
describe('simulator: routes as each flavour\'s source has them', () => {
  const newApi = useGateway({ flavor: 'new-api' });
  const oneApi = useGateway({ flavor: 'one-api', seedTokens: 12 });
  const oneApiAuth = { Authorization: `Bearer ${DEMO.accessToken}` };
  const noModel = (gw: RunningGateway, key: string, body: unknown) => relay<OpenAiError>(gw, '/v1/chat/completions', key, { method: 'POST', body });

  it('NoRoute answers the JSON 404 only under /api and /v1 (and /assets on new-api); /dashboard/… is the web app', async () => {
    for (const gw of [newApi(), oneApi()]) {
      const page = await request(`${gw.url}/dashboard/billing/nothing`);
      assert.equal(page.status, 200, gw.flavor);
      assert.match(page.text, /^<!doctype html>/);
      assert.equal((await request(`${gw.url}/api/nothing`)).status, 404);
      assert.equal((await request(`${gw.url}/v1/nothing`, { method: 'POST', body: {} })).status, 404);
    }
    assert.equal((await request(`${newApi().url}/assets/x.js`)).status, 404);
    assert.equal((await request(`${oneApi().url}/assets/x.js`)).status, 200);
  });

  it('one-api key checks: the status before the dates, then the subnet (naming the caller\'s address)', async () => {
    const gw = oneApi();
    const longAgo = Math.floor(Date.now() / 1000) - 86_400;
    const exhaustedAndExpired = gw.state.addToken({ name: 'spent', status: 4, remain_quota: 0, expired_time: longAgo });
    const disabledAndExpired = gw.state.addToken({ name: 'off', status: 2, remain_quota: 1, expired_time: longAgo });
    const lapsed = gw.state.addToken({ name: 'lapsed', remain_quota: 1, expired_time: longAgo });
    const drained = gw.state.addToken({ name: 'drained', remain_quota: 0 });
    const fenced = gw.state.addToken({ name: 'fenced', unlimited_quota: true, allow_ips: '10.0.0.0/8' });
    const cases: [string, number, string][] = [
      [exhaustedAndExpired.key, 401, `令牌 spent（#${exhaustedAndExpired.id}）额度已用尽`],
      [disabledAndExpired.key, 401, '该令牌状态不可用'],
      [lapsed.key, 401, '该令牌已过期'],
      [drained.key, 401, '该令牌额度已用尽'],
      [fenced.key, 403, '该令牌只能在指定网段使用：10.0.0.0/8，当前 ip：127.0.0.1'],
    ];
    for (const [key, status, message] of cases) {
      const res = await relay<OpenAiError>(gw, '/v1/models', `sk-${key}`);
      assert.equal(res.status, status, message);
      assert.deepEqual(res.body, { error: { message: `${message} (request id: ${res.headers.get('x-oneapi-request-id')})`, type: 'one_api_error' } });
    }
    assert.equal(exhaustedAndExpired.status, 4, 'still exhausted, not re-marked expired');
    assert.equal(lapsed.status, 3);
    assert.equal(drained.status, 4);
  });

  it('one-api chat completions: no model or an unserved one is 503 "no channel"; a body that is not JSON is 400; limits only bite on a named model', async () => {
    const gw = oneApi();
    const missing = await noModel(gw, DEMO.key, {});
    assert.equal(missing.status, 503);
    assert.match(missing.body.error.message, /^当前分组 default 下对于模型  无可用渠道 \(request id: /);
    assert.equal('code' in missing.body.error, false);
    const unserved = await chat(gw, DEMO.key, 'no-such-model');
    assert.equal(unserved.status, 503);
    assert.match(unserved.body.error.message, /^当前分组 default 下对于模型 no-such-model 无可用渠道/);
    const notJson = await request<OpenAiError>(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${DEMO.key}` } });
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.error.message, /^common\.UnmarshalBodyReusable failed/);
    assert.equal((await noModel(gw, LIMITED_KEY, {})).status, 503, 'no model named: the limits are not checked');
    const limited = await chat(gw, LIMITED_KEY, 'gpt-4o');
    assert.equal(limited.status, 403);
    assert.match(limited.body.error.message, /^该令牌无权使用模型：gpt-4o/);
  });

  it('one-api billing refusals come from the relay: with param and code', async () => {
    const gw = oneApi();
    const user = gw.state.user(DEMO.userId)!;
    const saved = user.quota;
    user.quota = 0;
    try {
      const res = await chat(gw, DEMO.key);
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { error: { message: `user quota is not enough (request id: ${res.headers.get('x-oneapi-request-id')})`, type: 'one_api_error', param: '', code: 'insufficient_user_quota' } });
    } finally {
      user.quota = saved;
    }
    const thin = gw.state.addToken({ name: 'thin', remain_quota: 10 });
    const res = await chat(gw, `sk-${thin.key}`);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'pre_consume_token_quota_failed');
    assert.match(res.body.error.message, /^令牌额度不足/);
  });

  it('new-api checks a limited token\'s models before asking for a model: no model is 403, not 400', async () => {
    const limited = await noModel(newApi(), LIMITED_KEY, {});
    assert.equal(limited.status, 403);
    assert.match(limited.body.error.message, /^This token has no access to model /);
    assert.equal((await noModel(newApi(), DEMO.key, {})).status, 400);
  });

  it('one-api ?order=remain_quota puts unlimited tokens first, then the largest remainder', async () => {
    const res = await api<TokenRow[]>(oneApi(), '/api/token/?p=0&order=remain_quota', { headers: oneApiAuth });
    const rows = res.body.data ?? [];
    assert.equal(rows.length, 10);
    const firstCapped = rows.findIndex((t) => !t.unlimited_quota);
    assert.ok(firstCapped > 0 && rows.slice(firstCapped).every((t) => !t.unlimited_quota), rows.map((t) => t.unlimited_quota).join());
    const capped = rows.slice(firstCapped).map((t) => t.remain_quota);
    assert.deepEqual(capped, [...capped].sort((a, b) => b - a));
  });

  it('one-api search is an unescaped, case-insensitive LIKE prefix (`_` is a wildcard), oldest first, unpaged', async () => {
    const res = await api<TokenRow[]>(oneApi(), '/api/token/search?keyword=TOKEN_0001', { headers: oneApiAuth });
    const names = (res.body.data ?? []).map((t) => t.name);
    assert.deepEqual(names, ['token-00010', 'token-00011', 'token-00012']);
    const ids = (res.body.data ?? []).map((t) => t.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  });

  it('one-api refuses token id 0 (and DELETE a non-numeric id, which it reads as 0) with "id 或 userId 为空！"', async () => {
    const gw = oneApi();
    for (const [method, route, body] of [['GET', '/api/token/0'], ['DELETE', '/api/token/abc'], ['PUT', '/api/token/', { name: 'x' }]] as const) {
      const res = await api(gw, route, { method, headers: oneApiAuth, ...(body ? { body } : {}) });
      assert.deepEqual(res.body, { success: false, message: 'id 或 userId 为空！' }, `${method} ${route}`);
    }
    const get = await api(gw, '/api/token/abc', { headers: oneApiAuth });
    assert.equal(get.body.message, 'strconv.Atoi: parsing "abc": invalid syntax', 'GetToken reports the Atoi error');
  });

  it('one-api log rows keep request_id; a rotated one-api access token is a dashless UUID', async () => {
    const gw = oneApi();
    const logs = await api<Record<string, unknown>[]>(gw, '/api/log/self?p=0', { headers: oneApiAuth });
    assert.ok(logs.body.data?.length);
    for (const row of logs.body.data ?? []) {
      assert.equal(typeof row.request_id, 'string');
      assert.ok(!('group' in row) && !('token_id' in row) && !('other' in row));
    }
    const rotated = await api<string>(gw, '/api/user/token', { headers: oneApiAuth });
    assert.match(rotated.body.data ?? '', /^[0-9a-f]{32}$/);
    gw.state.user(DEMO.userId)!.access_token = DEMO.accessToken;
  });
});
