/**
 * What failed, in the user's words: the action, what the gateway's answer means, what to do next, and
 * the gateway's own message (glossed where we know it). Routes and status lines stay in the log.
 */
import * as l10n from '@vscode/l10n';
import { errorMessage, GatewayError } from './errors';
import { withServerMessage } from './serverMessages';

/** What the user can do next; the glue turns it into a button. */
export type NextStep = 'editToken' | 'signIn' | 'showLog';

export interface FailureText {
  message: string;
  next: NextStep;
}

/**
 * Advice for server messages we know, matched in either language: the whole message for the action
 * `what`. A function, not a table: the advice is translated, and the bundle is configured at activation.
 */
function advice(server: string, what: string): FailureText | undefined {
  if (/令牌已过期|has expired/i.test(server)) {
    return { message: l10n.t('{0}: the token has expired. Set a later expiry (or Never) in Edit Token, then enable it.', what), next: 'editToken' };
  }
  if (/额度已用尽|quota is exhausted/i.test(server)) {
    return { message: l10n.t('{0}: the token has no quota left. Raise its quota (or make it unlimited) in Edit Token, then enable it.', what), next: 'editToken' };
  }
  if (/令牌名称过长|name is too long/i.test(server)) {
    return { message: l10n.t('{0}: the name is too long for this gateway. Choose a shorter one.', what), next: 'showLog' };
  }
  if (/已达到最大令牌数量|maximum number of tokens/i.test(server)) {
    return { message: l10n.t('{0}: the account has as many tokens as this gateway allows. Delete one you no longer use first.', what), next: 'showLog' };
  }
  return undefined;
}

/**
 * "GET /api/token/?p=1" and friends: for the log, not for a person. A path is ASCII (URL-encoded), so it
 * ends at the first non-ASCII character too: a Chinese message puts its full-width colon right after it.
 */
const ROUTE = /( ?)\b(?:GET|POST|PUT|DELETE|PATCH) \/[^\s:;,\u0080-\uffff]*( ?)/g;
const CJK = /[\u3400-\u9fff]/;

/** The message with each route replaced by "the request", a noun phrase in every message that names one. */
function withoutRoutes(message: string): string {
  const request = l10n.t('the request');
  // Chinese puts no space between its own words, which now stand on both sides.
  const tight = CJK.test(request);
  return message.replace(ROUTE, (_route, before: string, after: string) => (tight ? request : `${before}${request}${after}`));
}

export function failureText(what: string, error: unknown): FailureText {
  if (!(error instanceof GatewayError)) return { message: l10n.t('{0}: {1}', what, errorMessage(error)), next: 'showLog' };
  const server = error.detail.serverMessage?.trim();
  const said = (sentence: string) => withServerMessage(sentence, server);
  const known = server ? advice(server, what) : undefined;
  if (known) return { message: said(known.message), next: known.next };
  switch (error.kind) {
    case 'unauthorized':
      return { message: said(l10n.t('{0}: the gateway no longer accepts your sign-in. Sign in again.', what)), next: 'signIn' };
    case 'forbidden':
      return { message: said(l10n.t('{0}: the gateway does not allow this for your account.', what)), next: 'showLog' };
    case 'rejected':
      return { message: server ? said(l10n.t('{0}: the gateway refused.', what)) : l10n.t('{0}: the gateway refused. It gave no reason.', what), next: 'showLog' };
    case 'rateLimited':
      return { message: l10n.t('{0}: the gateway is limiting how often this can be done. Wait a few minutes, then try again.', what), next: 'showLog' };
    case 'notFound':
      return { message: l10n.t('{0}: this gateway does not offer it (an older or different version).', what), next: 'showLog' };
    case 'server':
      return {
        message: said(error.detail.status
          ? l10n.t('{0}: the gateway had an internal error (HTTP {1}). Try again later.', what, error.detail.status)
          : l10n.t('{0}: the gateway had an internal error. Try again later.', what)),
        next: 'showLog',
      };
    default:
      return { message: l10n.t('{0}: {1}', what, withoutRoutes(error.message)), next: 'showLog' };
  }
}
