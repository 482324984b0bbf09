/**
 * What failed, in the user's words: the action, what the gateway's answer means, what to do next, and
 * the gateway's own message (glossed where we know it). Routes and status lines stay in the log.
 */
import { errorMessage, GatewayError } from './errors';
import { explainServerMessage } from './serverMessages';

/** What the user can do next; the glue turns it into a button. */
export type NextStep = 'editToken' | 'signIn' | 'showLog';

export interface FailureText {
  message: string;
  next: NextStep;
}

/** Advice for server messages we know, matched in either language. */
const ADVICE: [RegExp, string][] = [
  [/令牌已过期|has expired/i, 'the token has expired. Set a later expiry (or Never) in Edit Token, then enable it.'],
  [/额度已用尽|quota is exhausted/i, 'the token has no quota left. Raise its quota (or make it unlimited) in Edit Token, then enable it.'],
  [/令牌名称过长|name is too long/i, 'the name is too long for this gateway. Choose a shorter one.'],
  [/已达到最大令牌数量|maximum number of tokens/i, 'the account has as many tokens as this gateway allows. Delete one you no longer use first.'],
];

/** "GET /api/token/?p=1" and friends: for the log, not for a person. */
const ROUTE = /\b(?:GET|POST|PUT|DELETE|PATCH) \/[^\s:;,]*/g;

export function failureText(what: string, error: unknown): FailureText {
  if (!(error instanceof GatewayError)) return { message: `${what}: ${errorMessage(error)}`, next: 'showLog' };
  const server = error.detail.serverMessage?.trim();
  const said = server ? ` The gateway said: "${explainServerMessage(server)}".` : '';
  const advice = server ? ADVICE.find(([pattern]) => pattern.test(server)) : undefined;
  if (advice) return { message: `${what}: ${advice[1]}${said}`, next: advice[1].includes('Edit Token') ? 'editToken' : 'showLog' };
  switch (error.kind) {
    case 'unauthorized':
      return { message: `${what}: the gateway no longer accepts your sign-in. Sign in again.${said}`, next: 'signIn' };
    case 'forbidden':
      return { message: `${what}: the gateway does not allow this for your account.${said}`, next: 'showLog' };
    case 'rejected':
      return { message: `${what}: the gateway refused.${said || ' It gave no reason.'}`, next: 'showLog' };
    case 'rateLimited':
      return { message: `${what}: the gateway is limiting how often this can be done. Wait a few minutes, then try again.`, next: 'showLog' };
    case 'notFound':
      return { message: `${what}: this gateway does not offer it (an older or different version).`, next: 'showLog' };
    case 'server':
      return { message: `${what}: the gateway had an internal error${error.detail.status ? ` (HTTP ${error.detail.status})` : ''}. Try again later.${said}`, next: 'showLog' };
    default:
      return { message: `${what}: ${error.message.replace(ROUTE, 'the request')}`, next: 'showLog' };
  }
}
