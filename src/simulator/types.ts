/** Public option and fault types of the simulator; re-exported from index.ts. */

export type Flavor = 'new-api' | 'new-api-legacy' | 'one-api';

export interface GatewayOptions {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1: the simulator has no real security and must stay on loopback. */
  host?: string;
  flavor?: Flavor;
  /** Extra deterministic tokens for user 1 (`token-00001`…). */
  seedTokens?: number;
  /** `tokmodel` swaps the key and balance errors for TokModel's documented shapes (seed 004). */
  relayErrorStyle?: 'new-api' | 'tokmodel';
  /** The shared login / reveal / usage bucket, per IP per 20 minutes. Default 20, as on new-api. */
  criticalRateLimit?: number;
  /** PEM key and certificate: serve https (a gateway behind a private CA, for the certificate tests). */
  tls?: { key: string; cert: string };
  /** new-api's DataExportEnabled (default on): the hourly table behind `/api/data/self`, and `enable_data_export` in `/api/status`. */
  dataExport?: boolean;
  /** new-api's ERROR_LOG_ENABLED (default off): failed upstream calls write type-5 log rows. */
  errorLog?: boolean;
  /** Deterministic request history for the demo user: `days` before `until` (default now), `rows` log rows. */
  usageHistory?: import('./usage-seed').UsageHistory;
}

export interface Faults {
  latencyMs?: number;
  /** The next N requests answer 500; decremented per request. */
  serverErrors?: number;
  malformedJson?: boolean;
  /** Every /api request answers 429 with an empty body. */
  rateLimit?: boolean;
  turnstile?: boolean;
  /** /v1/messages with a `context_management` body field → 400 (Claude Code experimental betas, seed 002). */
  contextManagementRejected?: boolean;
  /**
   * The gateway turns hostile (hostile.ts): names, groups and models are rewritten once (resetFaults does
   * not undo that), and every message and the display settings carry link, icon, HTML, bidi and
   * 10,000-character payloads and an echo of the caller's credential.
   */
  hostile?: boolean;
  /**
   * Every answer (not the control routes) becomes HTTP 200 with a JSON body of exactly this many bytes,
   * `{"success":true,"message":"","data":[0,0,…]}`, streamed in 64 KiB chunks and never built in memory.
   * Chunked (no Content-Length) unless `hugeBodyLength`; stops writing when the client hangs up.
   */
  hugeBodyBytes?: number;
  /** With `hugeBodyBytes`: announce the size in Content-Length, so a client can refuse before reading. */
  hugeBodyLength?: boolean;
  /**
   * Generation requests (chat, responses, messages) that pass auth and billing fail as if the upstream
   * provider had answered this error (relay error shape, nothing charged); with the error log on, each
   * writes a type-5 log row, as new-api's processChannelError does.
   */
  upstreamFailure?: { status: number; message: string; code?: string };
  /**
   * Token list and search pages, and the model lists (/v1/models, /api/user/models, one-api's
   * /api/user/available_models), carry this many items: tokens of ~30 bytes ({id, key:"", status:1,
   * name}), model ids `model-1`…; on new-api the envelope's total says the same number.
   */
  hugePageItems?: number;
  /**
   * The token list (`GET /api/token/`) always claims another page: new-api reports a total past the
   * page asked for; one-api always sends a full page of 10. Pages past the real end wrap round to the
   * first tokens again, so they bring no new ids.
   */
  endlessPages?: boolean;
}

/** What every route module gets: the live state, the flavour and the shared rate-limit buckets. */
export interface Sim {
  flavor: Flavor;
  state: import('./state').GatewayState;
  faults: Faults;
  /** Own base URL, e.g. http://127.0.0.1:43123 (set once listening). */
  url: string;
  relayErrorStyle: 'new-api' | 'tokmodel';
  /** CriticalRateLimit: login, 2FA, reveal, batch keys, /api/usage/token/; per IP. */
  critical: import('./rate-limit').RateLimiter;
  /** SearchRateLimit: 10 per 60 s per user. */
  search: import('./rate-limit').RateLimiter;
}
