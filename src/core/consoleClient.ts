/**
 * Client for the console API (`/api/*`) of new-api and one-api. It returns parsed data or throws a
 * GatewayError; it branches on HTTP status and `success`, never on message text (which is often Chinese).
 */

import * as l10n from '@vscode/l10n';
import type { GatewayFlavor } from './accounts';
import { GatewayError, isGatewayError } from './errors';
import type { HttpClient, Method } from './http';
import { tryJson } from './json';
import {
  envelopeSchema, groupsSchema, login2faSchema, loginUserSchema, MAX_MODELS, modelNamesSchema, parseOrThrow, refuseLongList, statusSchema, userSelfSchema,
  type GatewayStatus, type UserGroups, type UserSelf,
} from './schemas';
import { explainServerMessage, withServerMessage } from './serverMessages';

export type ConsoleAuth =
  | { kind: 'accessToken'; userId: number; accessToken: string }
  | { kind: 'session'; userId: number; cookie: string };

export type LoginResult =
  | { kind: 'signedIn'; userId: number; username: string; displayName?: string; cookie: string }
  | { kind: 'needs2fa'; cookie: string };

export interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Extra headers, e.g. a pending-2FA cookie. */
  headers?: Record<string, string>;
  auth?: boolean;
}

/** The user's model names: new-api's route, and one-api's (spec §4). */
const MODEL_ROUTES = { 'new-api': '/api/user/models', 'one-api': '/api/user/available_models' } as const;
type ModelRoute = (typeof MODEL_ROUTES)[GatewayFlavor];

export class ConsoleClient {
  /** The model-list route that answered; forks do not always match the flavour their /api/status suggests. */
  private modelRoute: ModelRoute | undefined;

  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
    private readonly auth?: ConsoleAuth,
    /** Decides which model-list route is tried first; the other is tried once on a 404. */
    private readonly flavor: GatewayFlavor = 'new-api',
  ) {}

  async status(signal?: AbortSignal): Promise<GatewayStatus> {
    const { data } = await this.call('GET', '/api/status', { signal, auth: false });
    return parseOrThrow(statusSchema, data, 'GET /api/status', 'data');
  }

  async self(signal?: AbortSignal): Promise<UserSelf> {
    const { data } = await this.call('GET', '/api/user/self', { signal });
    return parseOrThrow(userSelfSchema, data, 'GET /api/user/self', 'data');
  }

  async groups(signal?: AbortSignal): Promise<UserGroups> {
    const { data } = await this.call('GET', '/api/user/self/groups', { signal });
    return parseOrThrow(groupsSchema, data, 'GET /api/user/self/groups', 'data');
  }

  async models(signal?: AbortSignal): Promise<string[]> {
    if (this.modelRoute) return this.modelsAt(this.modelRoute, signal);
    const first = MODEL_ROUTES[this.flavor];
    const other = MODEL_ROUTES[this.flavor === 'one-api' ? 'new-api' : 'one-api'];
    let route: ModelRoute = first;
    let names: string[];
    try {
      names = await this.modelsAt(first, signal);
    } catch (error) {
      if (!isGatewayError(error, 'notFound')) throw error;
      route = other;
      names = await this.modelsAt(other, signal);
    }
    this.modelRoute = route;
    return names;
  }

  private async modelsAt(route: ModelRoute, signal?: AbortSignal): Promise<string[]> {
    const { data } = await this.call('GET', route, { signal });
    refuseLongList(data, MAX_MODELS, `GET ${route}`, 'data', l10n.t('model names'));
    return parseOrThrow(modelNamesSchema, data, `GET ${route}`, 'data') ?? [];
  }

  /** Password login. The password is sent once and never kept; the session cookie is the credential. */
  async login(username: string, password: string, signal?: AbortSignal): Promise<LoginResult> {
    const { data, message, cookie } = await this.call('POST', '/api/user/login', { body: { username, password }, signal, auth: false });
    if (login2faSchema.safeParse(data).success) {
      if (!cookie) throw new GatewayError('badResponse', l10n.t('The gateway asked for a two-factor code but set no session cookie.'));
      return { kind: 'needs2fa', cookie };
    }
    const user = parseOrThrow(loginUserSchema, data, 'POST /api/user/login', 'data');
    if (!cookie) {
      throw new GatewayError('badResponse', message
        ? l10n.t('The gateway accepted the password but set no session cookie ({0}).', message)
        : l10n.t('The gateway accepted the password but set no session cookie (no message).'));
    }
    return { kind: 'signedIn', userId: user.id, username: user.username, displayName: user.display_name ?? undefined, cookie };
  }

  async login2fa(pendingCookie: string, code: string, signal?: AbortSignal): Promise<LoginResult & { kind: 'signedIn' }> {
    const { data, cookie } = await this.call('POST', '/api/user/login/2fa', {
      body: { code }, signal, auth: false, headers: { cookie: pendingCookie },
    });
    const user = parseOrThrow(loginUserSchema, data, 'POST /api/user/login/2fa', 'data');
    return { kind: 'signedIn', userId: user.id, username: user.username, displayName: user.display_name ?? undefined, cookie: cookie ?? pendingCookie };
  }

  private authHeaders(): Record<string, string> {
    if (!this.auth) throw new GatewayError('unauthorized', l10n.t('Not signed in to this gateway.'));
    // `New-Api-User` must equal the signed-in id on new-api for cookie and token auth alike; one-api ignores it.
    const headers: Record<string, string> = { 'New-Api-User': String(this.auth.userId) };
    if (this.auth.kind === 'accessToken') headers.authorization = `Bearer ${this.auth.accessToken}`;
    else headers.cookie = this.auth.cookie;
    return headers;
  }

  /** One console call: checks status and `success`, returns `data`. Used by the typed methods here and in tokenApi. */
  async call(method: Method, path: string, options: CallOptions = {}): Promise<{ data: unknown; message: string; cookie?: string }> {
    const what = `${method} ${path}`;
    const headers = { ...(options.auth === false ? {} : this.authHeaders()), ...options.headers };
    const response = await this.http.send({ method, url: this.baseUrl + path, headers, body: options.body, signal: options.signal });
    const json = tryJson(response.text);
    const serverMessage = messageOf(json);
    const detail = { status: response.status, url: this.baseUrl + path, serverMessage };
    switch (true) {
      case response.status === 429:
        throw new GatewayError('rateLimited', l10n.t('The gateway is rate-limiting {0}. Wait a few minutes, then try again.', what), detail);
      case response.status === 401:
        throw new GatewayError('unauthorized', withServerMessage(l10n.t('The gateway did not accept the credentials for {0}.', what), serverMessage, 'server'), detail);
      case response.status === 403:
        throw new GatewayError('forbidden', withServerMessage(l10n.t('The gateway refused {0}.', what), serverMessage, 'server'), detail);
      case response.status === 404:
        throw new GatewayError('notFound', l10n.t('The gateway has no {0} route: it may be an older version, or not a new-api / one-api gateway.', what), detail);
      case response.status >= 500:
        throw new GatewayError('server', l10n.t('The gateway had an internal error ({0}) on {1}. Try again later.', response.status, what), detail);
      case response.status < 200 || response.status >= 300:
        throw new GatewayError('notGateway', l10n.t('Unexpected HTTP {0} from {1}.', response.status, what), detail);
    }
    if (json === undefined) {
      const looksHtml = /^\s*</.test(response.text);
      throw new GatewayError(
        looksHtml ? 'notGateway' : 'badResponse',
        looksHtml
          ? l10n.t('{0} answered with a web page, not JSON: this address is not a new-api / one-api gateway (or a proxy is in between).', what)
          : l10n.t('{0} answered with malformed JSON. The gateway or a proxy in between may be broken; try again.', what),
        detail,
      );
    }
    const envelope = parseOrThrow(envelopeSchema, json, what);
    if (!envelope.success) {
      // UserAuth refuses an unknown access token with HTTP 200 (spec §1.3): the sign-in is gone, as after a 401.
      if (/access token 无效|未登录且未提供 access token/.test(envelope.message ?? '')) {
        throw new GatewayError('unauthorized', withServerMessage(l10n.t('The gateway did not accept the credentials for {0}.', what), serverMessage, 'server'), detail);
      }
      const reason = explainServerMessage(envelope.message ?? '');
      throw new GatewayError('rejected', reason ? l10n.t('The gateway refused {0}: {1}.', what, reason) : l10n.t('The gateway refused {0}: no reason given.', what), detail);
    }
    return { data: envelope.data, message: envelope.message ?? '', cookie: sessionCookie(response.headers['set-cookie']) };
  }
}


function messageOf(json: unknown): string | undefined {
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string' && json.message) return json.message;
  return undefined;
}

/** Keeps only `session=…` from Set-Cookie: the attributes are for browsers. */
export function sessionCookie(setCookie: string | undefined): string | undefined {
  const match = setCookie && /(?:^|[,;]\s*)(session=[^;,\s]+)/.exec(setCookie);
  return match ? match[1] : undefined;
}

