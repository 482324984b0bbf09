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
