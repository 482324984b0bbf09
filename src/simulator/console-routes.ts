/** Console routes other than tokens and usage: status, login (+2FA), logout, self, access token, groups, models. */
import { randomInt, randomUUID } from 'node:crypto';
import { sessionOf, userAuth } from './console-auth';
import { decode, empty, fail, fillerModels, invalidParams, ok, route, tr, type Ctx, type Reply, type Route } from './http-util';
import { QUOTA_PER_UNIT, nowSeconds, randomKey, type User } from './state';
import { DATA_EXPORT_DEFAULT_TIME } from './usage-routes';
import type { Sim } from './types';

const START_TIME = nowSeconds();

/** gin-contrib cookie store attributes (new-api main.go): 30 days, HttpOnly, SameSite=Strict. */
const sessionCookie = (id: string, maxAge = 2_592_000) => `session=${id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict`;

function status(sim: Sim): Reply {
  const common = {
    system_name: sim.flavor === 'one-api' ? 'One API' : 'New API', server_address: sim.url, quota_per_unit: QUOTA_PER_UNIT,
    display_in_currency: true, turnstile_check: Boolean(sim.faults.turnstile), turnstile_site_key: '', top_up_link: '',
    start_time: START_TIME, email_verification: false, github_oauth: false, github_client_id: '',
  };
  if (sim.flavor === 'one-api') return ok({ ...common, version: 'v0.6.10-fake', chat_link: '', logo: '', footer_html: '', wechat_login: false });
  return ok({
    ...common, version: sim.flavor === 'new-api' ? 'v0.9.0-fake' : 'v0.8.0-fake-legacy', quota_display_type: sim.state.displayType, usd_exchange_rate: 7.3,
    custom_currency_symbol: '¤', custom_currency_exchange_rate: 1, self_use_mode_enabled: false, demo_site_enabled: false,
    default_use_auto_group: false, docs_link: '', price: 7.3, setup: true, oidc_enabled: false, passkey_login: false,
    enable_data_export: sim.state.dataExportEnabled, data_export_default_time: DATA_EXPORT_DEFAULT_TIME,
  });
}

const loginData = (u: User) => ({ id: u.id, username: u.username, display_name: u.display_name, role: u.role, status: u.status, group: u.group });

function signedIn(sim: Sim, user: User): Reply {
  const id = sim.state.newSession({ userId: user.id, pending2fa: false });
  return { ...ok(loginData(user)), headers: { 'set-cookie': sessionCookie(id) } };
}

async function login(sim: Sim, ctx: Ctx): Promise<Reply> {
  // Middleware order on the route: CriticalRateLimit, then TurnstileCheck.
  if (!sim.critical.allow(`CT${ctx.ip}`)) return empty(429);
  if (sim.faults.turnstile) return fail(ctx.query.get('turnstile') ? 'Turnstile 校验失败，请刷新重试！' : 'Turnstile token 为空');
  const body = decode(await ctx.body(), { username: 'string', password: 'string' }, 'LoginRequest');
  if (!body.ok || !body.value.username || !body.value.password) return sim.flavor === 'one-api' ? fail('无效的参数') : invalidParams(ctx);
  const { username, password } = body.value;
  const user = sim.state.users.find((u) => (u.username === username || u.email === username) && u.password === password && u.status === 1);
  if (!user) return fail('用户名或密码错误，或用户已被封禁');
  if (user.twoFactorCode && sim.flavor !== 'one-api') {
    // The cookie now holds only the pending user: it does not authenticate console calls yet.
    const id = sim.state.newSession({ userId: user.id, pending2fa: true });
    return { ...ok({ require_2fa: true }, tr(ctx, 'Please enter two-factor authentication code', '请输入两步验证码')), headers: { 'set-cookie': sessionCookie(id) } };
  }
  return signedIn(sim, user);
}

async function login2fa(sim: Sim, ctx: Ctx): Promise<Reply> {
  if (!sim.critical.allow(`CT${ctx.ip}`)) return empty(429);
  const body = decode(await ctx.body(), { code: 'string' }, 'Verify2FALoginRequest');
  if (!body.ok || !body.value.code) return fail('参数错误');
  const pending = sessionOf(sim, ctx);
  if (!pending?.session.pending2fa) return fail('会话已过期，请重新登录');
  const user = sim.state.user(pending.session.userId);
  if (!user || body.value.code.trim() !== user.twoFactorCode) return fail('验证码或备用码错误，请重试');
  sim.state.sessions.delete(pending.id);
  return signedIn(sim, user);
}

function self(sim: Sim, u: User): Reply {
  const common = { id: u.id, username: u.username, display_name: u.display_name, role: u.role, status: u.status, email: u.email, github_id: '', oidc_id: '', wechat_id: '', group: u.group, quota: u.quota, used_quota: u.used_quota, request_count: u.request_count, aff_code: u.aff_code, inviter_id: 0 };
  if (sim.flavor === 'one-api') return ok({ ...common, password: '', lark_id: '', verification_code: '', access_token: '' });
  return ok({
    ...common, discord_id: '', telegram_id: '', linux_do_id: '', aff_count: 0, aff_quota: 0, aff_history_quota: 0,
    setting: '{}', stripe_customer: '', sidebar_modules: '', permissions: { sidebar_settings: true, sidebar_modules: { admin: false } },
  });
}

export function consoleRoutes(sim: Sim): Route[] {
  const auth = (handler: Parameters<typeof userAuth>[1]) => userAuth(sim, handler);
  const newApi = sim.flavor !== 'one-api';
  return [
    route('GET', '/api/status', () => status(sim)),
    route('POST', '/api/user/login', (ctx) => login(sim, ctx)),
    ...(newApi ? [route('POST', '/api/user/login/2fa', (ctx) => login2fa(sim, ctx))] : []),
    route('GET', '/api/user/logout', (ctx) => {
      const current = sessionOf(sim, ctx);
      if (current) sim.state.sessions.delete(current.id);
      return { ...ok(), headers: { 'set-cookie': sessionCookie('', -1) } };
    }),
    route('GET', '/api/user/self', auth((_ctx, user) => self(sim, user))),
    route('GET', '/api/user/token', auth((_ctx, user) => {
      // Every call rotates: the previous access token stops working at once. one-api's is a dashless UUID.
      user.access_token = newApi ? randomKey(29 + randomInt(4)) : randomUUID().replace(/-/g, '');
      return ok(user.access_token);
    })),
    ...(newApi
      ? [
        route('GET', '/api/user/self/groups', auth(() => ok(Object.fromEntries(sim.state.usableGroups.filter((g) => sim.state.groups[g]).map((g) => [g, sim.state.groups[g]]))))),
        route('GET', '/api/user/models', auth(() => ok(modelNames(sim) ?? null))),
      ]
      : [route('GET', '/api/user/available_models', auth(() => ok(modelNames(sim) ?? [])))]),
  ];
}

/** The user's model names (the hugePageItems fault swaps in that many); undefined when there are none. */
function modelNames(sim: Sim): string[] | undefined {
  const names = sim.faults.hugePageItems ? fillerModels(sim.faults.hugePageItems) : [...sim.state.models];
  return names.length ? names : undefined;
}
