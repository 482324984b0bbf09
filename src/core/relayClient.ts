/** Client for the OpenAI-compatible relay (`/v1/*`) authenticated by an `sk-` key. */
import { GatewayError } from './errors';
import { tryJson } from './json';
import type { HttpClient } from './http';
import * as z from 'zod/mini';
import { MAX_MODELS, parseOrThrow, refuseLongList, relayErrorSchema, relayModelsSchema } from './schemas';
import { explainServerMessage } from './serverMessages';

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
    refuseLongList(json !== null && typeof json === 'object' && 'data' in json ? json.data : undefined, MAX_MODELS, 'GET /v1/models', 'data', 'models');
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
        `GET ${path} did not answer with JSON: ${page ? 'this address is not an OpenAI-compatible gateway' : 'the reply is malformed'}.`,
        { status: 200, url });
    }
    const refused = envelopeMessage(json);
    if (refused !== undefined) {
      throw new GatewayError('rejected', `GET ${path} was refused: ${explainServerMessage(refused)}.`, { status: 200, url, serverMessage: refused });
    }
    const failed = relayErrorSchema.safeParse(json);
    if (failed.success) {
      const message = failed.data.error.message;
      throw new GatewayError('server', `GET ${path} failed on the gateway: ${explainServerMessage(message)}.`, { status: 200, url, serverMessage: message });
    }
    return parseOrThrow(schema, json, `GET ${path}`);
  }
}

/** The message of a `{success:false,message}` envelope (new-api's console and read-only routes). */
function envelopeMessage(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object' || !('success' in json) || json.success !== false) return undefined;
  const message = 'message' in json && typeof json.message === 'string' ? json.message : '';
  return message || 'no reason given';
}

export function relayError(status: number, json: unknown, url: string): GatewayError {
  const parsed = relayErrorSchema.safeParse(json);
  const serverMessage = parsed.success ? parsed.data.error.message : envelopeMessage(json);
  const said = serverMessage ? ` The gateway said: "${explainServerMessage(serverMessage)}".` : '';
  // The body's error code (insufficient_user_quota, access_denied…) or else its type (TokModel's authentication_error has a numeric code).
  const body = parsed.success ? parsed.data.error : undefined;
  const code = typeof body?.code === 'string' && body.code !== '' ? body.code : body?.type ?? undefined;
  const detail = { status, url, serverMessage, code };
  if (status === 401) return new GatewayError('unauthorized', `The API key was not accepted (401).${said}`, detail);
  if (status === 403) return new GatewayError('forbidden', `The API key is not allowed to do this (403).${said}`, detail);
  if (status === 429) return new GatewayError('rateLimited', `The gateway is rate-limiting this key (429).${said}`, detail);
  if (status === 404) return new GatewayError('notFound', `${url} does not exist on this gateway (404).${said}`, detail);
  if (status >= 500) return new GatewayError('server', `The gateway failed with HTTP ${status}.${said}`, detail);
  return new GatewayError('rejected', `The gateway answered HTTP ${status}.${said}`, detail);
}

