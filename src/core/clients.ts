/** Builds the right client for a saved account and its credential. */
import * as l10n from '@vscode/l10n';
import type { AccountCredential, AccountMeta } from './accounts';
import { ConsoleClient } from './consoleClient';
import { GatewayError } from './errors';
import type { HttpClient } from './http';

export function consoleClientFor(http: HttpClient, meta: AccountMeta, credential: AccountCredential | undefined): ConsoleClient {
  if (!credential || meta.userId === undefined || credential.kind === 'key') {
    throw new GatewayError('unauthorized', l10n.t('{0}: this account has no console sign-in.', meta.baseUrl));
  }
  return new ConsoleClient(http, meta.baseUrl, credential.kind === 'accessToken'
    ? { kind: 'accessToken', userId: meta.userId, accessToken: credential.accessToken }
    : { kind: 'session', userId: meta.userId, cookie: credential.cookie }, meta.flavor);
}
