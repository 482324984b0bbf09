/** Every failure the core reports is a GatewayError: one kind a caller can branch on, and a sentence a person can act on. */
export type GatewayErrorKind =
  | 'network' // DNS, refused, reset, TLS
  | 'timeout'
  | 'cancelled'
  | 'unauthorized' // 401 on the console: not signed in, or the session expired
  | 'forbidden' // 403
  | 'rejected' // HTTP 200 with success:false: the server's own message says why
  | 'rateLimited' // 429 (empty body on new-api)
  | 'notFound' // 404 route: the server does not have this endpoint
  | 'server' // 5xx
  | 'badResponse' // not JSON, or JSON of a shape we do not know
  | 'notGateway'; // answered, but not like a new-api / one-api gateway

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    readonly detail: { status?: number; url?: string; code?: string; serverMessage?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export function isGatewayError(value: unknown, kind?: GatewayErrorKind): value is GatewayError {
  return value instanceof GatewayError && (kind === undefined || value.kind === kind);
}

export function errorMessage(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
