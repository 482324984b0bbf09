/**
 * What the relay saw of each request, for tests that run a real agent and must prove what it sent: the
 * route, which headers carried a key (an agent can send two, e.g. a shell ANTHROPIC_API_KEY riding along
 * with the ANTHROPIC_AUTH_TOKEN we wrote), the keys themselves, the model and the fields that decide the
 * Claude Code faults. Keys are kept as sent: the simulator's keys are fake and it only listens on loopback.
 */
import { isRecord, type Ctx } from './http-util';

export type KeyHeader = 'authorization' | 'x-api-key';

export interface RelayRecord {
  method: string;
  path: string;
  /** The query string as sent, without `?` (Claude Code adds `beta=true`). */
  query: string;
  status: number;
  /** The headers that carried a key, in this order, each only when present and not empty. */
  keyHeaders: KeyHeader[];
  /** The raw `Authorization` value (e.g. `Bearer sk-…`). */
  authorization?: string;
  /** The raw `x-api-key` value. */
  xApiKey?: string;
  /** `model` of a JSON body. */
  model?: string;
  /** `stream: true` in the body. */
  stream: boolean;
  /** The `anthropic-beta` header, as sent (comma-separated). */
  anthropicBeta?: string;
  anthropicVersion?: string;
  /** The body has a `context_management` field (the seed-002 fault's trigger). */
  contextManagement: boolean;
  userAgent?: string;
}

/** Requests the relay log keeps: everything but the console API and the control routes. */
export const isRelayPath = (path: string): boolean => !path.startsWith('/api/') && !path.startsWith('/__simulator/');

/** Everything but the status, read before the route answers (the body is parsed once and shared with it). */
export async function describeRelayRequest(ctx: Ctx, query: string): Promise<Omit<RelayRecord, 'status'>> {
  const body = ctx.method === 'GET' || ctx.method === 'HEAD' ? undefined : await ctx.body();
  const authorization = ctx.header('authorization') || undefined;
  const xApiKey = ctx.header('x-api-key') || undefined;
  const keyHeaders: KeyHeader[] = [];
  if (authorization) keyHeaders.push('authorization');
  if (xApiKey) keyHeaders.push('x-api-key');
  const record: Omit<RelayRecord, 'status'> = {
    method: ctx.method,
    path: ctx.path,
    query: query.replace(/^\?/, ''),
    keyHeaders,
    stream: isRecord(body) && body.stream === true,
    contextManagement: isRecord(body) && 'context_management' in body,
  };
  if (authorization) record.authorization = authorization;
  if (xApiKey) record.xApiKey = xApiKey;
  if (isRecord(body) && typeof body.model === 'string') record.model = body.model;
  const beta = ctx.header('anthropic-beta');
  if (beta !== undefined) record.anthropicBeta = beta;
  const version = ctx.header('anthropic-version');
  if (version !== undefined) record.anthropicVersion = version;
  const userAgent = ctx.header('user-agent');
  if (userAgent !== undefined) record.userAgent = userAgent;
  return record;
}
