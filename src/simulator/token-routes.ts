/** `/api/token/*` (spec §2) for the three flavours: list, search, get, reveal, create, update, delete. */
import { userAuth, type UserHandler } from './console-auth';
import { atoi, decode, empty, fail, fillerTokens, idsOf, invalidParams, ok, pageQuery, paged, route, tr, type Ctx, type Reply, type Route } from './http-util';
import { subnetError } from './ip';
import { QUOTA_PER_UNIT, nowSeconds, type Token, type User } from './state';
import type { Sim } from './types';

/** `model.MaskTokenKey`: 4 + 10 stars + 4 for long keys. */
export function maskKey(key: string): string {
  if (key.length > 8) return `${key.slice(0, 4)}**********${key.slice(-4)}`;
  if (key.length > 4) return `${key.slice(0, 2)}****${key.slice(-2)}`;
  return '*'.repeat(key.length);
}

/** The token as the flavour serialises it: masked on current new-api, one-api's field names on one-api. */
export function tokenView(sim: Sim, t: Token): Record<string, unknown> {
  if (sim.flavor === 'one-api') {
    const { id, user_id, key, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota, used_quota } = t;
    return { id, user_id, key, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota, used_quota, models: t.model_limits, subnet: t.allow_ips };
  }
  return { ...t, key: sim.flavor === 'new-api' ? maskKey(t.key) : t.key };
}

type TokenFields = Pick<Token, 'name' | 'expired_time' | 'remain_quota' | 'unlimited_quota' | 'model_limits_enabled' | 'model_limits' | 'allow_ips' | 'group' | 'cross_group_retry'>;
type Body = { ok: true; id: number; status: number; fields: TokenFields } | { ok: false; message: string };

/** Reads a token body in the flavour's field names; omitted fields are zero values, as Go binds them. */
function readToken(sim: Sim, body: unknown): Body {
  if (sim.flavor === 'one-api') {
    const d = decode(body, { id: 'int', status: 'int', name: 'string', expired_time: 'int', remain_quota: 'int', unlimited_quota: 'bool', models: 'string', subnet: 'string' });
    if (!d.ok) return d;
    const { id, status, models, subnet, ...rest } = d.value;
    return { ok: true, id, status, fields: { ...rest, model_limits_enabled: models !== '', model_limits: models, allow_ips: subnet, group: '', cross_group_retry: false } };
  }
  const d = decode(body, {
    id: 'int', status: 'int', name: 'string', expired_time: 'int', remain_quota: 'int', unlimited_quota: 'bool',
    model_limits_enabled: 'bool', model_limits: 'string', allow_ips: 'string', group: 'string', cross_group_retry: 'bool',
  });
  if (!d.ok) return d;
  const { id, status, ...fields } = d.value;
  return { ok: true, id, status, fields };
}

/** The create/update validation of each server, in its order; returns the message or undefined. */
function invalid(sim: Sim, ctx: Ctx, f: TokenFields): string | undefined {
  const bytes = Buffer.byteLength(f.name);
  if (sim.flavor === 'one-api') {
    if (bytes > 30) return '参数错误：令牌名称过长';
    const subnet = subnetError(f.allow_ips);
    return subnet ? `参数错误：无效的网段：${subnet}` : undefined;
  }
  if (bytes > 50) return tr(ctx, 'Token name is too long', '令牌名称过长');
  if (!f.unlimited_quota) {
    if (f.remain_quota < 0) return tr(ctx, 'Quota value cannot be negative', '额度值不能为负数');
    const max = 1_000_000_000 * QUOTA_PER_UNIT;
    if (f.remain_quota > max) return tr(ctx, `Quota value exceeds valid range, maximum is ${max}`, `额度值超出有效范围，最大值为 ${max}`);
  }
  return undefined;
}

/** SQL LIKE with `%` as the only wildcard (`_` and `!` are escaped by new-api). */
const likeRegex = (pattern: string) => new RegExp(`^${pattern.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/**
 * SQL LIKE as one-api sends it, unescaped: `%` any run of characters, `_` any one character; ASCII
 * case-insensitive, as on its default SQLite and MySQL.
 */
const oneApiLike = (pattern: string) =>
  new RegExp(`^${[...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'is');

/** new-api's search pattern rules: exact unless `%`; at most two, never adjacent, ≥ 2 other chars. */
function patternError(value: string): string | undefined {
  if (!value.includes('%')) return undefined;
  if (value.split('%').length - 1 > 2) return '搜索模式中最多允许包含 2 个 % 通配符';
  if (value.includes('%%')) return '搜索模式中不允许包含连续的 % 通配符';
  if (value.replace(/%/g, '').length < 2) return '使用模糊搜索时，关键词长度至少为 2 个字符';
  return undefined;
}
const matcher = (value: string) => (value.includes('%') ? ((s: string) => likeRegex(value).test(s)) : (s: string) => s === value);

/** The hugePageItems fault: one page of that many tiny tokens, in the flavour's shape. */
function hugePage(sim: Sim, ctx: Ctx, count: number): Reply {
  const items = fillerTokens(count);
  if (sim.flavor === 'one-api') return ok(items);
  const { page, size } = pageQuery(ctx);
  return ok({ page, page_size: size, total: count, items });
}

/**
 * The endlessPages fault: every page is full and claims another; past the real end it wraps round to
 * the first tokens, so a client that pages on trust never stops, and one that looks for new ids does.
 */
function endlessPage(sim: Sim, ctx: Ctx, rows: Token[]): Reply {
  const wrap = (offset: number, size: number) =>
    Array.from({ length: Math.min(size, rows.length) }, (_, i) => tokenView(sim, rows[(offset + i) % rows.length]!));
  if (sim.flavor === 'one-api') {
    const p = Math.max(0, Number.parseInt(ctx.query.get('p') ?? '0', 10) || 0);
    return ok(wrap(p * 10, 10));
  }
  const { page, size } = pageQuery(ctx);
  return ok({ page, page_size: size, total: Math.max(rows.length, page * size + 1), items: wrap((page - 1) * size, size) });
}

function search(sim: Sim, ctx: Ctx, user: User): Reply {
  if (sim.faults.hugePageItems) return hugePage(sim, ctx, sim.faults.hugePageItems);
  const keyword = ctx.query.get('keyword') ?? '';
  let rows = sim.state.tokensOf(user.id);
  if (sim.flavor === 'one-api') {
    // one-api: `name LIKE keyword%`, a prefix match, unpaged; nothing is escaped, so `_` matches any one
    // character too. No ORDER BY: the database's primary-key order, oldest first.
    const prefix = oneApiLike(`${keyword}%`);
    return ok(rows.filter((t) => prefix.test(t.name)).sort((a, b) => a.id - b.id).map((t) => tokenView(sim, t)));
  }
  if (!sim.search.allow(`SR${user.id}`)) return empty(429);
  const key = (ctx.query.get('token') ?? '').replace(/^sk-/, '');
  const problem = patternError(keyword) ?? patternError(key);
  if (problem) return fail(problem);
  if (keyword) rows = rows.filter((t) => matcher(keyword)(t.name));
  if (key) rows = rows.filter((t) => matcher(key)(t.key));
  const { page, size } = pageQuery(ctx);
  return ok(paged(rows, page, size, (t) => tokenView(sim, t)));
}

function list(sim: Sim, ctx: Ctx, user: User): Reply {
  if (sim.faults.hugePageItems) return hugePage(sim, ctx, sim.faults.hugePageItems);
  const rows = sim.state.tokensOf(user.id);
  if (sim.faults.endlessPages && rows.length) return endlessPage(sim, ctx, rows);
  if (sim.flavor !== 'one-api') {
    const { page, size } = pageQuery(ctx);
    return ok(paged(rows, page, size, (t) => tokenView(sim, t)));
  }
  // one-api: 0-based `p`, fixed 10 per page, optional order by a quota column.
  const order = ctx.query.get('order');
  if (order === 'remain_quota') rows.sort((a, b) => Number(b.unlimited_quota) - Number(a.unlimited_quota) || b.remain_quota - a.remain_quota);
  if (order === 'used_quota') rows.sort((a, b) => b.used_quota - a.used_quota);
  const p = Math.max(0, Number.parseInt(ctx.query.get('p') ?? '0', 10) || 0);
  return ok(rows.slice(p * 10, p * 10 + 10).map((t) => tokenView(sim, t)));
}

async function create(sim: Sim, ctx: Ctx, user: User): Promise<Reply> {
  const body = readToken(sim, await ctx.body());
  if (!body.ok) return fail(body.message);
  const problem = invalid(sim, ctx, body.fields);
  if (problem) return fail(problem);
  if (sim.flavor !== 'one-api' && sim.state.tokens.filter((t) => t.user_id === user.id).length >= sim.state.maxUserTokens) {
    return fail(`已达到最大令牌数量限制 (${sim.state.maxUserTokens})`);
  }
  // gorm's `default:-1` tag turns an omitted (zero) expired_time into "never" on insert only.
  const token = sim.state.addToken({ ...body.fields, user_id: user.id, expired_time: body.fields.expired_time || -1 });
  // new-api does not return the token (clients re-list); one-api returns it with the full key.
  return sim.flavor === 'one-api' ? ok(tokenView(sim, token)) : ok();
}

async function update(sim: Sim, ctx: Ctx, user: User): Promise<Reply> {
  const body = readToken(sim, await ctx.body());
  if (!body.ok) return fail(body.message);
  const problem = invalid(sim, ctx, body.fields);
  if (problem) return fail(problem);
  if (sim.flavor === 'one-api' && !body.id) return fail(NO_ID);
  const token = sim.state.tokenOf(user.id, body.id);
  if (!token) return fail('record not found');
  if (body.status === 1) {
    const zh = sim.flavor === 'one-api' || ctx.zh;
    if (token.status === 3 && token.expired_time !== -1 && token.expired_time <= nowSeconds()) {
      return fail(zh ? '令牌已过期，无法启用，请先修改令牌过期时间，或者设置为永不过期' : 'Token has expired and cannot be enabled. Please modify the expiration time or set it to never expire');
    }
    if (token.status === 4 && token.remain_quota <= 0 && !token.unlimited_quota) {
      return fail(zh ? '令牌可用额度已用尽，无法启用，请先修改令牌剩余额度，或者设置为无限额度' : 'Token quota is exhausted and cannot be enabled. Please modify the remaining quota or set it to unlimited');
    }
  }
  // Full mode copies every editable field, zero values included, and never touches status.
  if (ctx.query.get('status_only')) token.status = body.status;
  else Object.assign(token, body.fields);
  return ok(tokenView(sim, token));
}

/** one-api's `GetTokenByIds` / `DeleteTokenById` refuse id 0 before asking the database. */
const NO_ID = 'id 或 userId 为空！';

/**
 * `:id` as the handlers parse it: new-api answers the Atoi error; one-api's GetToken does too, but its
 * DeleteToken ignores the error (id 0); id 0 is refused with NO_ID on one-api.
 */
function withId(sim: Sim, handler: (ctx: Ctx, user: User, id: number) => Reply | Promise<Reply>, atoiErrors = true): UserHandler {
  return (ctx, user, params) => {
    const parsed = atoi(params.id ?? '');
    if (typeof parsed === 'string' && (sim.flavor !== 'one-api' || atoiErrors)) return fail(parsed);
    const id = typeof parsed === 'string' ? 0 : parsed;
    return sim.flavor === 'one-api' && id === 0 ? fail(NO_ID) : handler(ctx, user, id);
  };
}

export function tokenRoutes(sim: Sim): Route[] {
  const auth = (handler: UserHandler) => userAuth(sim, handler);
  const critical = (ctx: Ctx) => sim.critical.allow(`CT${ctx.ip}`);
  const reveal = sim.flavor === 'new-api'
    ? [
      route('POST', '/api/token/batch/keys', auth(async (ctx, user) => {
        if (!critical(ctx)) return empty(429);
        const ids = idsOf(await ctx.body());
        if (!ids) return invalidParams(ctx);
        if (ids.length > 100) return fail(tr(ctx, 'Too many items in batch request, maximum is 100', '批量请求数量过多，最多 100 条'));
        const keys: Record<string, string> = {};
        for (const id of ids) {
          const t = sim.state.tokenOf(user.id, id);
          if (t) keys[String(id)] = t.key;
        }
        return ok({ keys });
      })),
      route('POST', '/api/token/:id/key', auth(withId(sim, (ctx, user, id) => {
        if (!critical(ctx)) return empty(429);
        const t = sim.state.tokenOf(user.id, id);
        return t ? ok({ key: t.key }) : fail('record not found');
      }))),
    ]
    : [];
  const batchDelete = sim.flavor === 'one-api'
    ? []
    : [route('POST', '/api/token/batch', auth(async (ctx, user) => {
      const ids = idsOf(await ctx.body());
      if (!ids) return invalidParams(ctx);
      if (ids.length > 100) return fail(tr(ctx, 'Too many items in batch request, maximum is 100', '批量请求数量过多，最多 100 条'));
      return ok(sim.state.deleteTokens(user.id, ids));
    }))];
  return [
    route('GET', '/api/token/', auth((ctx, user) => list(sim, ctx, user))),
    route('GET', '/api/token/search', auth((ctx, user) => search(sim, ctx, user))),
    route('GET', '/api/token/:id', auth(withId(sim, (_ctx, user, id) => {
      const t = sim.state.tokenOf(user.id, id);
      return t ? ok(tokenView(sim, t)) : fail('record not found');
    }))),
    route('POST', '/api/token/', auth((ctx, user) => create(sim, ctx, user))),
    route('PUT', '/api/token/', auth((ctx, user) => update(sim, ctx, user))),
    route('DELETE', '/api/token/:id', auth(withId(sim, (_ctx, user, id) => (sim.state.deleteTokens(user.id, [id]) ? ok() : fail('record not found')), false))),
    ...reveal,
    ...batchDelete,
  ];
}
