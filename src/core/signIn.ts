/**
 * Sign-in to a gateway, by access token + user id, by password (+ 2FA), or with an `sk-` key alone.
 * Returns what to save; saving is the caller's job, so a failure leaves nothing behind.
 */
import * as l10n from '@vscode/l10n';
import { accountId, type AccountCredential, type AccountMeta, type GatewayFlavor } from './accounts';
import { ConsoleClient } from './consoleClient';
import { GatewayError, isGatewayError } from './errors';
import type { HttpClient } from './http';
import { registerSecret } from './redact';
import { RelayClient } from './relayClient';
import type { GatewayStatus, UserSelf } from './schemas';
import { explainServerMessage } from './serverMessages';

export interface Probe {
  status: GatewayStatus;
  flavor: GatewayFlavor;
}

export interface SignInResult {
  meta: AccountMeta;
  credential: AccountCredential;
  self?: UserSelf;
}

/** Where the console shows the user ID and makes an access token (the labels in brackets are the console's own). */
export function whereToFindAccessToken(): string {
  return l10n.t('In the gateway console open Personal Settings (个人设置): your user ID is shown there, and "System Access Token" (系统访问令牌) creates an access token. Creating a new one there replaces the previous one.');
}

/** Checks that the address is a new-api / one-api gateway and learns how it works (flavour, quota unit, captcha). */
export async function probeGateway(http: HttpClient, baseUrl: string, signal?: AbortSignal): Promise<Probe> {
  try {
    const status = await new ConsoleClient(http, baseUrl).status(signal);
    // quota_display_type only exists on new-api; one-api (and very old new-api) lack it.
    return { status, flavor: status.quota_display_type ? 'new-api' : 'one-api' };
  } catch (error) {
    if (isGatewayError(error, 'notFound') || isGatewayError(error, 'badResponse') || isGatewayError(error, 'rejected')) {
      throw new GatewayError('notGateway', l10n.t('{0} answered, but not like a new-api / one-api gateway ({1}) Check the address.', baseUrl, error.message), error.detail);
    }
    throw error;
  }
}

export async function signInWithAccessToken(http: HttpClient, baseUrl: string, probe: Probe, userId: number, accessToken: string, signal?: AbortSignal): Promise<SignInResult> {
  registerSecret(accessToken);
  const client = new ConsoleClient(http, baseUrl, { kind: 'accessToken', userId, accessToken });
  let self: UserSelf;
  try {
    self = await client.self(signal);
  } catch (error) {
    if (isGatewayError(error, 'unauthorized') || isGatewayError(error, 'rejected')) {
      const said = error.detail.serverMessage;
      throw new GatewayError(error.kind, said
        ? l10n.t('The gateway did not accept user ID {0} with this access token (the server said: "{1}"). {2}', userId, explainServerMessage(said), whereToFindAccessToken())
        : l10n.t('The gateway did not accept user ID {0} with this access token. {1}', userId, whereToFindAccessToken()), error.detail);
    }
    throw error;
  }
  if (self.id !== userId) {
    throw new GatewayError('rejected', l10n.t('This access token belongs to user ID {0}, not {1}.', self.id, userId));
  }
  return {
    meta: userMeta(baseUrl, probe, 'accessToken', self.id, self.username, self.display_name ?? undefined),
    credential: { kind: 'accessToken', accessToken },
    self,
  };
}

/** Password sign-in. `askTwoFactorCode` is called when the server wants a 2FA code; undefined cancels. */
export async function signInWithPassword(
  http: HttpClient, baseUrl: string, probe: Probe, username: string, password: string,
  askTwoFactorCode: () => Promise<string | undefined>, signal?: AbortSignal,
): Promise<SignInResult | undefined> {
  if (probe.status.turnstile_check) {
    throw new GatewayError('rejected',
      l10n.t('This gateway protects password sign-in with a Turnstile captcha, which an editor cannot solve. Sign in with an access token instead. {0}', whereToFindAccessToken()));
  }
  registerSecret(password);
  const anonymous = new ConsoleClient(http, baseUrl);
  const first = await anonymous.login(username, password, signal);
  let login = first;
  if (first.kind === 'needs2fa') {
    registerSecret(first.cookie);
    const code = await askTwoFactorCode();
    if (code === undefined) return undefined;
    login = await anonymous.login2fa(first.cookie, code.trim(), signal);
  }
  if (login.kind !== 'signedIn') return undefined;
  registerSecret(login.cookie);
  const self = await new ConsoleClient(http, baseUrl, { kind: 'session', userId: login.userId, cookie: login.cookie }).self(signal);
  return {
    meta: userMeta(baseUrl, probe, 'session', self.id, self.username, self.display_name ?? login.displayName),
    credential: { kind: 'session', cookie: login.cookie },
    self,
  };
}

/** Normalises a pasted key: trims, adds the `sk-` prefix the console strips from its storage. */
export function normalizeApiKey(input: string): { ok: true; key: string } | { ok: false; error: string } {
  const text = input.trim().replace(/^(bearer\s+)/i, '');
  const bare = text.startsWith('sk-') ? text.slice(3) : text;
  if (!/^[A-Za-z0-9_-]{16,}$/.test(bare)) {
    return { ok: false, error: l10n.t('That does not look like a gateway key: paste the full "sk-…" secret from the console.') };
  }
  return { ok: true, key: `sk-${bare}` };
}

export async function signInWithKey(http: HttpClient, baseUrl: string, probe: Probe | undefined, key: string, signal?: AbortSignal): Promise<SignInResult> {
  registerSecret(key);
  await new RelayClient(http, baseUrl, key).listModels(signal);
  return {
    meta: {
      id: accountId(baseUrl, `key:${key}`),
      baseUrl,
      authKind: 'key',
      flavor: probe?.flavor ?? 'new-api',
      systemName: probe?.status.system_name ?? undefined,
      keyTail: key.slice(-4),
      addedAt: Date.now(),
    },
    credential: { kind: 'key', apiKey: key },
  };
}

function userMeta(baseUrl: string, probe: Probe, authKind: 'accessToken' | 'session', userId: number, username: string, displayName: string | undefined): AccountMeta {
  return {
    id: accountId(baseUrl, `user:${userId}`),
    baseUrl,
    authKind,
    flavor: probe.flavor,
    userId,
    username,
    displayName,
    systemName: probe.status.system_name ?? undefined,
    addedAt: Date.now(),
  };
}
