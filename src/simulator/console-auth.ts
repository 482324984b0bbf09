/**
 * new-api's console auth middleware (`middleware/auth.go` authHelper), step for step, because clients
 * branch on its status codes: 401 means "sign in again", 200 + success:false means "refused".
 */
import type { Ctx, Handler, Reply } from './http-util';
import { fail } from './http-util';
import type { Session, User } from './state';
import type { Sim } from './types';

export type UserHandler = (ctx: Ctx, user: User, params: Record<string, string>) => Reply | Promise<Reply>;

const AUTH_VERSION = '864b7076dbcd0a3c01b5520316720ebf';

export function sessionOf(sim: Sim, ctx: Ctx): { id: string; session: Session } | undefined {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(ctx.header('cookie') ?? '');
  const session = match ? sim.state.sessions.get(match[1]!) : undefined;
  return match && session ? { id: match[1]!, session } : undefined;
}

/** Resolves the caller or returns the middleware's refusal. */
function authenticate(sim: Sim, ctx: Ctx, minRole: number): User | Reply {
  const cookie = sessionOf(sim, ctx)?.session;
  let user: User | undefined;
  // A pending-2FA cookie holds no username yet, so it falls through to the Authorization header.
  if (cookie && !cookie.pending2fa) {
    user = sim.state.user(cookie.userId);
    if (!user) return fail('无权进行此操作，未登录且未提供 access token', 401);
  } else {
    const authorization = ctx.header('authorization');
    if (!authorization) return fail('无权进行此操作，未登录且未提供 access token', 401);
    // strings.Replace(token, "Bearer ", "", 1): case-sensitive, so `bearer x` stays invalid.
    user = sim.state.userByAccessToken(authorization.replace('Bearer ', ''));
    if (!user) return fail('无权进行此操作，access token 无效');
  }
  if (sim.flavor !== 'one-api') {
    const claimed = ctx.header('new-api-user');
    if (!claimed) return fail('无权进行此操作，未提供 New-Api-User', 401);
    if (!/^[+-]?\d+$/.test(claimed)) return fail('无权进行此操作，New-Api-User 格式错误', 401);
    if (Number(claimed) !== user.id) return fail('无权进行此操作，New-Api-User 与登录用户不匹配', 401);
  }
  if (user.status === 2) return fail('用户已被封禁');
  if (user.role < minRole) return fail('无权进行此操作，权限不足');
  return user;
}

/** Wraps a handler with UserAuth (role ≥ 1); successful replies carry `Auth-Version` like new-api's. */
export function userAuth(sim: Sim, handler: UserHandler): Handler {
  return async (ctx, params) => {
    const user = authenticate(sim, ctx, 1);
    if (!('username' in user)) return user;
    const reply = await handler(ctx, user, params);
    return sim.flavor === 'one-api' ? reply : { ...reply, headers: { ...reply.headers, 'Auth-Version': AUTH_VERSION } };
  };
}
