/**
 * The relay (spec §3.2, §3.3, §6): key auth in each flavour's order, `/v1/models`, chat completions, responses,
 * Anthropic messages and the billing routes, every error in the flavour's real shape and status.
 */
import { fillerModels, route, isRecord, type Ctx, type Reply, type Route } from './http-util';
import { answer, SIM_USAGE, type Protocol } from './relay-answers';
import { ipAllowed, newApiIpLimits, oneApiSubnets } from './ip';
import { QUOTA_PER_UNIT, nowSeconds, type Token, type User } from './state';
import type { Sim } from './types';

const MODEL_CREATED = 1_626_777_600;
/** What one simulated call costs (quota units): $0.002, enough to notice, never enough to drain the demo. */
const CALL_COST = 1_000;

type Refusal = { refused: Reply };
type Caller = { token: Token; user: User };

const withRequestId = (ctx: Ctx, message: string) => `${message} (request id: ${ctx.requestId})`;

/** `abortWithOpenAiMessage`: the middleware error shape, also used on /v1/messages. */
function openAiError(sim: Sim, ctx: Ctx, status: number, message: string, code = ''): Reply {
  if (sim.flavor === 'one-api') return { status, body: { error: { message: withRequestId(ctx, message), type: 'one_api_error' } } };
  return { status, body: { error: { message: withRequestId(ctx, message), type: 'new_api_error', code } } };
}

/**
 * Errors written by the relay itself (after auth): Claude shape on /v1/messages, OpenAI shape elsewhere.
 * one-api's relay errors (`openai.ErrorWrapper`) carry `param` and `code`, unlike its middleware's.
 */
function relayError(sim: Sim, ctx: Ctx, status: number, message: string, code: string): Reply {
  if (ctx.path === '/v1/messages') return { status, body: { type: 'error', error: { type: 'new_api_error', message: withRequestId(ctx, message) } } };
  const type = sim.flavor === 'one-api' ? 'one_api_error' : 'new_api_error';
  return { status, body: { error: { message: withRequestId(ctx, message), type, param: '', code } } };
}

/** TokModel's documented replacements (seed 004) for the two errors a user meets most. */
const tokmodelInvalidKey = (): Reply => ({ status: 401, body: { error: { message: 'Invalid or missing API key.', type: 'authentication_error', code: 401 } } });
const tokmodelNoCredits = (): Reply => ({ status: 403, body: { error: { message: 'Insufficient credits. Please top up your account balance.', type: 'authorization_error', code: 403 } } });

/** The key as `TokenAuth` reads it: Bearer optional, `sk-` optional; x-api-key only where new-api reads it. */
function keyOf(sim: Sim, ctx: Ctx): string {
  const xApiKey = ctx.header('x-api-key');
  const anthropicPath = ctx.path.includes('/v1/messages') || ctx.path.includes('/v1/models');
  const raw = sim.flavor !== 'one-api' && xApiKey && anthropicPath ? xApiKey : ctx.header('authorization') ?? '';
  return raw.replace(/^[Bb]earer /, '').trim().replace(/^sk-/, '');
}

const masked = (key: string) => `sk-${key.slice(0, 3)}***${key.slice(-3)}`;

/** `ValidateUserToken` + the user and group checks, in the flavour's order. `readOnly` is new-api's `TokenAuthReadOnly`. */
function authenticateKey(sim: Sim, ctx: Ctx, readOnly = false): Caller | Refusal {
  const key = keyOf(sim, ctx);
  const refuse = (status: number, message: string, code = ''): Refusal => ({ refused: openAiError(sim, ctx, status, message, code) });
  if (!key) return sim.relayErrorStyle === 'tokmodel' ? { refused: tokmodelInvalidKey() } : refuse(401, '未提供令牌');
  const token = sim.state.findTokenByKey(key);
  const user = token && sim.state.user(token.user_id);
  if (!token || !user) return sim.relayErrorStyle === 'tokmodel' ? { refused: tokmodelInvalidKey() } : refuse(401, '无效的令牌');
  if (sim.flavor === 'one-api') return oneApiKeyChecks(ctx, token, user, refuse);
  if (!readOnly) {
    if (token.status === 2) return refuse(401, '该令牌状态不可用');
    if (token.status === 3 || (token.expired_time !== -1 && token.expired_time < nowSeconds())) {
      token.status = 3;
      return refuse(401, '该令牌已过期');
    }
    if (token.status === 4) return refuse(401, `该令牌额度已用尽 TokenStatusExhausted[${masked(token.key)}]`);
    if (!token.unlimited_quota && token.remain_quota <= 0) {
      token.status = 4;
      return refuse(401, `[${masked(token.key)}] 该令牌额度已用尽 !token.UnlimitedQuota && token.RemainQuota = ${token.remain_quota}`);
    }
    if (token.allow_ips) {
      const allowed = newApiIpLimits(token.allow_ips);
      if (allowed.length && !ipAllowed(ctx.ip, allowed)) return refuse(403, '您的 IP 不在令牌允许访问的列表中', 'access_denied');
    }
  }
  if (user.status === 2) return refuse(403, '用户已被封禁');
  if (!readOnly && token.group) {
    if (!sim.state.groups[token.group]) return refuse(403, `分组 ${token.group} 已被弃用`);
    if (!sim.state.usableGroups.includes(token.group)) return refuse(403, `无权访问 ${token.group} 分组`);
  }
  return { token, user };
}

/**
 * one-api `TokenAuth`: `ValidateUserToken` tests the status before the dates (so an exhausted token
 * past its expiry is reported exhausted), then the subnet, then the user.
 */
function oneApiKeyChecks(ctx: Ctx, token: Token, user: User, refuse: (status: number, message: string) => Refusal): Caller | Refusal {
  if (token.status === 4) return refuse(401, `令牌 ${token.name}（#${token.id}）额度已用尽`);
  if (token.status === 3) return refuse(401, '该令牌已过期');
  if (token.status !== 1) return refuse(401, '该令牌状态不可用');
  if (token.expired_time !== -1 && token.expired_time < nowSeconds()) {
    token.status = 3;
    return refuse(401, '该令牌已过期');
  }
  if (!token.unlimited_quota && token.remain_quota <= 0) {
    token.status = 4;
    return refuse(401, '该令牌额度已用尽');
  }
  const subnets = oneApiSubnets(token.allow_ips);
  if (subnets.length && !ipAllowed(ctx.ip, subnets)) return refuse(403, `该令牌只能在指定网段使用：${token.allow_ips}，当前 ip：${ctx.ip}`);
  if (user.status === 2) return refuse(403, '用户已被封禁');
  return { token, user };
}

const limitedModels = (token: Token) => token.model_limits.split(',').map((m) => m.trim()).filter(Boolean);

function modelsFor(sim: Sim, token: Token): string[] {
  if (sim.faults.hugePageItems) return fillerModels(sim.faults.hugePageItems);
  const limitsOn = sim.flavor === 'one-api' ? token.model_limits !== '' : token.model_limits_enabled;
  return limitsOn ? limitedModels(token) : [...sim.state.models];
}

function listModels(sim: Sim, ctx: Ctx, caller: Caller): Reply {
  const ids = modelsFor(sim, caller.token);
  if (sim.flavor !== 'one-api' && ctx.header('x-api-key') && ctx.header('anthropic-version')) {
    // new-api panics (→ 500) on an empty Anthropic-shaped list; the simulator says so instead of crashing.
    if (!ids.length) return { status: 500, body: { error: { message: withRequestId(ctx, 'empty model list'), type: 'new_api_error', code: '' } } };
    const data = ids.map((id) => ({ id, created_at: new Date(MODEL_CREATED * 1000).toISOString(), display_name: id, type: 'model' }));
    return { status: 200, body: { data, first_id: ids[0], has_more: false, last_id: ids.at(-1) } };
  }
  if (sim.flavor === 'one-api') {
    return { status: 200, body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'custom', permission: [], root: id, parent: null })) } };
  }
  const data = ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'custom', supported_endpoint_types: [id.startsWith('claude') ? 'anthropic' : 'openai'] }));
  return { status: 200, body: { success: true, object: 'list', data } };
}

/** The `Distribute` middleware and the billing pre-check, then the quota is charged and a log row written. */
async function generate(sim: Sim, ctx: Ctx, caller: Caller, protocol: Protocol): Promise<Reply> {
  const body = await ctx.body();
  const model = isRecord(body) && typeof body.model === 'string' ? body.model : '';
  const { token, user } = caller;
  const refusal = sim.flavor === 'one-api' ? oneApiDistribute(sim, ctx, caller, body, model) : newApiDistribute(sim, ctx, token, model);
  if (refusal) return refusal;
  if (!sim.state.models.includes(model)) {
    return openAiError(sim, ctx, 503, `No available channel for model ${model} under group ${token.group || user.group} (distributor)`, 'model_not_found');
  }
  if (ctx.path === '/v1/messages' && sim.faults.contextManagementRejected && isRecord(body) && 'context_management' in body) {
    // The upstream's 400, which new-api's error log records (when on) like any failed channel call.
    sim.state.addErrorLog(user, token, model, 400, 'context_management: Extra inputs are not permitted', 'invalid_request_error', ctx.path, nowSeconds(), ctx.requestId);
    return { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: withRequestId(ctx, 'context_management: Extra inputs are not permitted') } } };
  }
  if (user.quota <= 0) {
    if (sim.relayErrorStyle === 'tokmodel') return tokmodelNoCredits();
    // one-api: relay/controller/helper.go preConsumeQuota, model.PreConsumeTokenQuota.
    return relayError(sim, ctx, 403, sim.flavor === 'one-api' ? 'user quota is not enough' : `用户额度不足, 剩余额度: ${user.quota}`, 'insufficient_user_quota');
  }
  if (!token.unlimited_quota && token.remain_quota < CALL_COST) {
    return relayError(sim, ctx, 403, sim.flavor === 'one-api' ? '令牌额度不足' : `token quota is not enough, token remain quota: ${token.remain_quota}, need quota: ${CALL_COST}`, 'pre_consume_token_quota_failed');
  }
  const upstream = sim.faults.upstreamFailure;
  if (upstream) {
    // The pre-consumed quota is refunded on an upstream failure: nothing is charged, an error row may be logged.
    sim.state.addErrorLog(user, token, model, upstream.status, upstream.message, upstream.code ?? '', ctx.path, nowSeconds(), ctx.requestId);
    return relayError(sim, ctx, upstream.status, upstream.message, upstream.code ?? '');
  }
  user.quota -= CALL_COST;
  user.used_quota += CALL_COST;
  user.request_count += 1;
  token.used_quota += CALL_COST;
  token.accessed_time = nowSeconds();
  if (!token.unlimited_quota) token.remain_quota -= CALL_COST;
  sim.state.addLog(user, token, model, SIM_USAGE.input, SIM_USAGE.output, CALL_COST, nowSeconds(), ctx.requestId, { is_stream: isRecord(body) && body.stream === true });
  return answer(protocol, model, isRecord(body) ? body : {});
}

/** new-api `Distribute`: the token's model limits first (an absent model is not in them), then the model is required. */
function newApiDistribute(sim: Sim, ctx: Ctx, token: Token, model: string): Reply | undefined {
  if (token.model_limits_enabled && !limitedModels(token).includes(model)) {
    return openAiError(sim, ctx, 403, limitedModels(token).length ? `This token has no access to model ${model}` : 'This token has no access to any models');
  }
  if (!model) return openAiError(sim, ctx, 400, 'Model name not specified, please specify the model name in the request body');
  return undefined;
}

/**
 * one-api: `TokenAuth` reads the model (a body that is not JSON is a 400 on chat completions) and checks
 * the token's models only when one is named; `Distribute` then finds no channel for a missing or
 * unserved model: 503 with no code.
 */
function oneApiDistribute(sim: Sim, ctx: Ctx, caller: Caller, body: unknown, model: string): Reply | undefined {
  if (!isRecord(body)) return openAiError(sim, ctx, 400, 'common.UnmarshalBodyReusable failed: unexpected end of JSON input');
  const { token, user } = caller;
  if (model && token.model_limits !== '' && !limitedModels(token).includes(model)) return openAiError(sim, ctx, 403, `该令牌无权使用模型：${model}`);
  if (!model || !sim.state.models.includes(model)) return openAiError(sim, ctx, 503, `当前分组 ${user.group} 下对于模型 ${model} 无可用渠道`);
  return undefined;
}

/** Amount in the display currency, as `controller/billing.go` converts it. */
const amountOf = (quota: number) => quota / QUOTA_PER_UNIT;

/** new-api's default USDExchangeRate, as /api/status reports it. */
const USD_EXCHANGE_RATE = 7.3;

/**
 * new-api's billing routes convert by the display type: CNY at the exchange rate, TOKENS raw, USD and CUSTOM
 * in dollars; one-api (always display_in_currency here) in dollars.
 */
const billingAmountOf = (sim: Sim, quota: number) => {
  if (sim.flavor === 'one-api') return amountOf(quota);
  if (sim.state.displayType === 'TOKENS') return quota;
  return sim.state.displayType === 'CNY' ? amountOf(quota) * USD_EXCHANGE_RATE : amountOf(quota);
};

function subscription(sim: Sim, caller: Caller): Reply {
  const { token } = caller;
  const limit = token.unlimited_quota ? 100_000_000 : billingAmountOf(sim, token.remain_quota + token.used_quota);
  return {
    status: 200,
    body: { object: 'billing_subscription', has_payment_method: true, soft_limit_usd: limit, hard_limit_usd: limit, system_hard_limit_usd: limit, access_until: token.expired_time > 0 ? token.expired_time : 0 },
  };
}

function tokenUsage(caller: Caller): Reply {
  const { token } = caller;
  const modelLimits = Object.fromEntries(limitedModels(token).map((m) => [m, true]));
  return {
    status: 200,
    body: {
      code: true, message: 'ok',
      data: {
        object: 'token_usage', name: token.name, total_granted: token.remain_quota + token.used_quota, total_used: token.used_quota,
        total_available: token.remain_quota, unlimited_quota: token.unlimited_quota, model_limits: modelLimits,
        model_limits_enabled: token.model_limits_enabled, expires_at: token.expired_time > 0 ? token.expired_time : 0,
      },
    },
  };
}

/** `/api/usage/token/`: its own Bearer parsing and `success:false` errors (spec §3.3). */
function usageRoute(sim: Sim, ctx: Ctx): Reply {
  if (!sim.critical.allow(`CT${ctx.ip}`)) return { status: 429 };
  const authorization = ctx.header('authorization');
  if (!authorization) return { status: 401, body: { success: false, message: '未提供 Authorization 请求头' } };
  const parts = authorization.split(' ');
  if (parts.length !== 2 || parts[0] !== 'Bearer') return { status: 401, body: { success: false, message: 'Invalid Bearer token' } };
  const caller = authenticateKey(sim, ctx, true);
  return 'refused' in caller ? { status: 401, body: { success: false, message: '无效的令牌' } } : tokenUsage(caller);
}

export function relayRoutes(sim: Sim): Route[] {
  const keyed = (handler: (ctx: Ctx, caller: Caller) => Reply | Promise<Reply>) => (ctx: Ctx) => {
    const caller = authenticateKey(sim, ctx);
    return 'refused' in caller ? caller.refused : handler(ctx, caller);
  };
  const billing = ['/dashboard/billing', '/v1/dashboard/billing'].flatMap((prefix) => [
    route('GET', `${prefix}/subscription`, keyed((_ctx, caller) => subscription(sim, caller))),
    route('GET', `${prefix}/usage`, keyed((_ctx, caller) => ({ status: 200, body: { object: 'list', total_usage: billingAmountOf(sim, caller.token.used_quota) * 100 } }))),
  ]);
  const newApiOnly = sim.flavor === 'one-api'
    ? []
    : [
      route('POST', '/v1/messages', keyed((ctx, caller) => generate(sim, ctx, caller, 'messages'))),
      route('POST', '/v1/responses', keyed((ctx, caller) => generate(sim, ctx, caller, 'responses'))),
      route('GET', '/api/usage/token/', (ctx) => usageRoute(sim, ctx)),
    ];
  return [
    route('GET', '/v1/models', keyed((ctx, caller) => listModels(sim, ctx, caller))),
    route('POST', '/v1/chat/completions', keyed((ctx, caller) => generate(sim, ctx, caller, 'chat'))),
    ...newApiOnly,
    ...billing,
  ];
}
