/** Client for the OpenAI-compatible relay (`/v1/*`) authenticated by an `sk-` key. */
import * as l10n from '@vscode/l10n';
import { GatewayError } from './errors';
import { tryJson } from './json';
import type { HttpClient } from './http';
import * as z from 'zod/mini';
import { MAX_MODELS, parseOrThrow, refuseLongList, relayErrorSchema, relayModelsSchema } from './schemas';
import { explainServerMessage, withServerMessage } from './serverMessages';

export class RelayClient {
  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** The cheapest check that a key works: costs no quota. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const json = await this.getJson('/v1/models', z.unknown(), signal);
    // Counted before the per-item parse, which is what a million-entry list would make expensive.
    refuseLongList(json !== null && typeof json === 'object' && 'data' in json ? json.data : undefined, MAX_MODELS, 'GET /v1/models', 'data', l10n.t('models'));
    return parseOrThrow(relayModelsSchema, json, 'GET /v1/models').data.map((m) => m.id);
  }

  /**
   * GET a JSON route with the key: a non-2xx answer is the gateway's reason (relayError), a web page is
   * "not a gateway", a body of the wrong shape names the field. Two refusals come with a 200: new-api's
   * read-only routes answer `{success:false,message}`, and its billing routes put a database error in an
   * OpenAI error body.
   */
  async getJson<T>(path: string, schema: z.ZodMiniType<T>, signal?: AbortSignal): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const response = await this.http.send({ method: 'GET', url, headers: { authorization: `Bearer ${this.key}` }, signal });
    const json = tryJson(response.text);
    if (response.status !== 200) throw relayError(response.status, json, url);
    if (json === undefined) {
      const page = /^\s*</.test(response.text);
      throw new GatewayError(page ? 'notGateway' : 'badResponse',
        page
          ? l10n.t('GET {0} did not answer with JSON: this address is not an OpenAI-compatible gateway.', path)
          : l10n.t('GET {0} did not answer with JSON: the reply is malformed.', path),
        { status: 200, url });
    }
    const refused = envelopeMessage(json);
    if (refused !== undefined) {
      throw new GatewayError('rejected', l10n.t('GET {0} was refused: {1}.', path, explainServerMessage(refused)), { status: 200, url, serverMessage: refused });
    }
    const failed = relayErrorSchema.safeParse(json);
    if (failed.success) {
      const message = failed.data.error.message;
      throw new GatewayError('server', l10n.t('GET {0} failed on the gateway: {1}.', path, explainServerMessage(message)), { status: 200, url, serverMessage: message });
    }
    return parseOrThrow(schema, json, `GET ${path}`);
  }
}

/** The message of a `{success:false,message}` envelope (new-api's console and read-only routes). */
function envelopeMessage(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object' || !('success' in json) || json.success !== false) return undefined;
  const message = 'message' in json && typeof json.message === 'string' ? json.message : '';
  return message || l10n.t('no reason given');
}

export function relayError(status: number, json: unknown, url: string): GatewayError {
  const parsed = relayErrorSchema.safeParse(json);
  const serverMessage = parsed.success ? parsed.data.error.message : envelopeMessage(json);
  const said = (sentence: string) => withServerMessage(sentence, serverMessage);
  // The body's error code (insufficient_user_quota, access_denied…) or else its type (TokModel's authentication_error has a numeric code).
  const body = parsed.success ? parsed.data.error : undefined;
  const code = typeof body?.code === 'string' && body.code !== '' ? body.code : body?.type ?? undefined;
  const detail = { status, url, serverMessage, code };
  if (status === 401) return new GatewayError('unauthorized', said(l10n.t('The API key was not accepted (401).')), detail);
  if (status === 403) return new GatewayError('forbidden', said(l10n.t('The API key is not allowed to do this (403).')), detail);
  if (status === 429) return new GatewayError('rateLimited', said(l10n.t('The gateway is rate-limiting this key (429).')), detail);
  if (status === 404) return new GatewayError('notFound', said(l10n.t('{0} does not exist on this gateway (404).', url)), detail);
  if (status >= 500) return new GatewayError('server', said(l10n.t('The gateway failed with HTTP {0}.', status)), detail);
  return new GatewayError('rejected', said(l10n.t('The gateway answered HTTP {0}.', status)), detail);
}

