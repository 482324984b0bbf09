import type { AccountStore } from '../core/accounts';
import { isLoopbackHost, normalizeBaseUrl } from '../core/baseUrl';
import type { AddGatewayArgs } from './commands/addGateway';
import type { Log } from './log';

/**
 * `npm run demo` starts VS Code with TOKAIFY_AUTO_SIGNIN_* set so the extension opens signed in to the
 * local simulator. It runs the ordinary Add Gateway path, after activation, and only when that gateway
 * is not already added. The variables hold demo credentials, never a user's, so only a gateway on
 * this machine is accepted: an environment variable can never sign anyone in to a remote server.
 */
export function scheduleAutoSignIn(accounts: AccountStore, log: Log, addGateway: (args: AddGatewayArgs) => Promise<unknown>): void {
  const url = process.env.TOKAIFY_AUTO_SIGNIN_URL;
  const userId = Number(process.env.TOKAIFY_AUTO_SIGNIN_USER_ID);
  const accessToken = process.env.TOKAIFY_AUTO_SIGNIN_ACCESS_TOKEN;
  if (!url || !accessToken || !Number.isInteger(userId)) return;
  const normalized = normalizeBaseUrl(url);
  if (!normalized.ok || !isLoopbackHost(new URL(normalized.value.baseUrl).hostname)) return;
  if (accounts.list().some((a) => a.baseUrl === normalized.value.baseUrl)) return;
  setTimeout(() => {
    log.info(`Auto sign-in to ${normalized.value.baseUrl} (TOKAIFY_AUTO_SIGNIN_URL).`);
    void addGateway({ baseUrl: normalized.value.baseUrl, method: 'accessToken', userId, accessToken });
  }, 0);
}
