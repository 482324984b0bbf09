/**
 * In-memory data of one simulated gateway: users, tokens (the §2.1 shape, new-api field names),
 * sessions and logs. Tests read and change these directly, so lookups scan the arrays instead of
 * keeping indexes that a direct `push` or `splice` would leave stale; a scan of 10,000 rows is cheap.
 */
import { randomBytes, randomInt } from 'node:crypto';

export interface User {
  id: number;
  username: string;
  password: string;
  display_name: string;
  role: number;
  /** 1 enabled, 2 banned. */
  status: number;
  email: string;
  group: string;
  /** Remaining balance in quota units (500,000 = $1). */
  quota: number;
  used_quota: number;
  request_count: number;
  aff_code: string;
  access_token: string;
  /** Set when the user has 2FA on; the only accepted code. */
  twoFactorCode?: string;
}

/** A token as new-api stores it: key without `sk-`. one-api's `models`/`subnet` map to `model_limits`/`allow_ips`. */
export interface Token {
  id: number;
  user_id: number;
  key: string;
  /** 1 enabled, 2 disabled, 3 expired, 4 exhausted. */
  status: number;
  name: string;
  created_time: number;
  accessed_time: number;
  /** Unix seconds, -1 = never. */
  expired_time: number;
  remain_quota: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  model_limits: string;
  allow_ips: string;
  used_quota: number;
  group: string;
  cross_group_retry: boolean;
  DeletedAt: null;
}

export interface LogRow {
  id: number;
  user_id: number;
  created_at: number;
  /** 1 top-up, 2 consume, 3 manage, 4 system, 5 error. */
  type: number;
  content: string;
  username: string;
  token_name: string;
  model_name: string;
  quota: number;
  prompt_tokens: number;
  completion_tokens: number;
  use_time: number;
  is_stream: boolean;
  channel: number;
  token_id: number;
  group: string;
  request_id: string;
  /** new-api's `other`, a JSON string (ratios; for error rows status_code, error_code, error_type). */
  other?: string;
}

/**
 * One row of new-api's `quota_data` table (model/usedata.go), what `/api/data/self` serves: consumption per
 * user, model and hour (`created_at` is the hour's first second, UTC-aligned as `t - t % 3600`).
 */
export interface QuotaDataRow {
  id: number;
  user_id: number;
  username: string;
  model_name: string;
  created_at: number;
  token_used: number;
  count: number;
  quota: number;
}

/** Optional fields of a log row that `addLog` leaves at the relay's defaults. */
export type LogExtra = Partial<Pick<LogRow, 'is_stream' | 'use_time' | 'content' | 'other'>>;

export interface Session {
  userId: number;
  /** Password accepted, 2FA code still owed: the cookie does not authenticate yet. */
  pending2fa: boolean;
}

export interface GroupInfo {
  ratio: number | string;
  desc: string;
}

export const QUOTA_PER_UNIT = 500_000;
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A fixed point in time so seeded rows are identical on every run (2025-04-09). */
const SEED_TIME = 1_744_185_600;

export const DEMO_STORED_KEY = `demo${'DemoKey0'.repeat(5)}Sim1`;
export const DEMO = {
  username: 'demo',
  password: 'demo-password',
  userId: 1,
  accessToken: 'demo-access-token',
  key: `sk-${DEMO_STORED_KEY}`,
  twoFactorUser: 'demo2fa',
  twoFactorCode: '123456',
} as const;

export function randomKey(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** Deterministic 48-char key for seeded token n, so `--tokens N` gives the same keys every run. */
function seededKey(n: number): string {
  let x = (n * 2654435761) >>> 0 || 1;
  let out = `sim${String(n).padStart(5, '0')}`;
  while (out.length < 48) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out += ALNUM[x % ALNUM.length];
  }
  return out;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export class GatewayState {
  users: User[] = [];
  tokens: Token[] = [];
  /** Cookie value → session. */
  sessions = new Map<string, Session>();
  logs: LogRow[] = [];
  /** The group ratio table: a token group missing here is "removed" (弃用). */
  groups: Record<string, GroupInfo> = {
    default: { ratio: 1, desc: '默认分组' },
    vip: { ratio: 0.8, desc: 'vip分组' },
    auto: { ratio: '自动', desc: '自动选择' },
  };
  /** Groups a user may pick for a token; anything else is "无权访问 <g> 分组". */
  usableGroups: string[] = ['default', 'vip', 'auto'];
  models: string[] = ['gpt-4o', 'gpt-4o-mini', 'gpt-5.4', 'claude-sonnet-4-5', 'claude-opus-4-1'];
  maxUserTokens = 1000;
  /** new-api's QuotaDisplayType setting, which an admin can change at any time (`/api/status`). */
  displayType: 'USD' | 'CNY' | 'TOKENS' | 'CUSTOM' = 'USD';
  /**
   * new-api's DataExportEnabled (on by default): consumption is also counted per hour in `quotaData`, and
   * `/api/status` says `enable_data_export`. Off, the route still answers, with whatever was counted before.
   */
  dataExportEnabled = true;
  /** new-api's ERROR_LOG_ENABLED (off by default): a failed upstream call writes a type-5 log row. */
  errorLogEnabled = false;
  /** `/api/data/self`'s table; key `user_id/model_name/created_at`. */
  quotaData = new Map<string, QuotaDataRow>();
  private nextId = 1;

  constructor(seedTokens = 0) {
    const base = { role: 1, status: 1, group: 'default', quota: 5_000_000, used_quota: 500_000, request_count: 42 };
    this.users.push(
      { ...base, id: 1, username: DEMO.username, password: DEMO.password, display_name: 'Demo User', email: 'demo@example.com', aff_code: 'Dm01', access_token: DEMO.accessToken },
      { ...base, id: 2, username: DEMO.twoFactorUser, password: DEMO.password, display_name: 'Demo 2FA', email: 'demo2fa@example.com', aff_code: 'Dm02', access_token: 'demo2fa-access-token', twoFactorCode: DEMO.twoFactorCode },
    );
    const seeded = { user_id: 1, created_time: SEED_TIME, accessed_time: SEED_TIME };
    this.addToken({ ...seeded, name: 'demo', key: DEMO_STORED_KEY, unlimited_quota: true, remain_quota: 0 });
    this.addToken({ ...seeded, name: 'demo-disabled', key: `demoDisabled${'0'.repeat(36)}`, status: 2, remain_quota: 1_000_000 });
    this.addToken({ ...seeded, name: 'demo-expired', key: `demoExpired${'1'.repeat(37)}`, status: 3, expired_time: SEED_TIME + 86_400, remain_quota: 500_000 });
    this.addToken({ ...seeded, name: 'demo-limited', key: `demoLimited${'2'.repeat(37)}`, remain_quota: 250_000, model_limits_enabled: true, model_limits: 'gpt-4o-mini' });
    this.addToken({ ...seeded, user_id: 2, name: 'demo2fa', key: `demoTwoFactor${'3'.repeat(35)}`, unlimited_quota: true });
    for (let n = 1; n <= seedTokens; n++) {
      this.addToken({ ...seeded, created_time: SEED_TIME + n, name: `token-${String(n).padStart(5, '0')}`, key: seededKey(n), remain_quota: 500_000 * (n % 5), unlimited_quota: n % 5 === 0 });
    }
    const demoToken = this.tokens[0]!;
    for (const [i, model] of ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'].entries()) {
      this.addLog(this.users[0]!, demoToken, model, 120 + i * 10, 30, 1500 + i * 100, SEED_TIME + 3600 * (i + 1));
    }
  }

  /** Adds a token with new-api's defaults for every omitted field; returns it. */
  addToken(partial: Partial<Token>): Token {
    const now = nowSeconds();
    this.nextId = Math.max(this.nextId, (this.tokens.at(-1)?.id ?? 0) + 1, partial.id !== undefined ? partial.id + 1 : 0);
    const token: Token = {
      id: partial.id ?? this.nextId, user_id: DEMO.userId, key: randomKey(48), status: 1, name: '', created_time: now, accessed_time: now,
      expired_time: -1, remain_quota: 0, unlimited_quota: false, model_limits_enabled: false, model_limits: '', allow_ips: '',
      used_quota: 0, group: '', cross_group_retry: false, ...partial, DeletedAt: null,
    };
    this.nextId = Math.max(this.nextId, token.id + 1);
    this.tokens.push(token);
    return token;
  }

  /** Accepts the key with or without `sk-`. */
  findTokenByKey(key: string): Token | undefined {
    const bare = key.startsWith('sk-') ? key.slice(3) : key;
    return bare ? this.tokens.find((t) => t.key === bare) : undefined;
  }

  tokenOf(userId: number, id: number): Token | undefined {
    return this.tokens.find((t) => t.id === id && t.user_id === userId);
  }

  /** The user's tokens, newest (highest id) first, as new-api orders them. */
  tokensOf(userId: number): Token[] {
    return this.tokens.filter((t) => t.user_id === userId).sort((a, b) => b.id - a.id);
  }

  deleteTokens(userId: number, ids: number[]): number {
    const doomed = new Set(ids);
    const before = this.tokens.length;
    this.tokens = this.tokens.filter((t) => !(t.user_id === userId && doomed.has(t.id)));
    return before - this.tokens.length;
  }

  user(id: number): User | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByAccessToken(accessToken: string): User | undefined {
    return accessToken ? this.users.find((u) => u.access_token === accessToken) : undefined;
  }

  newSession(session: Session): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, session);
    return id;
  }

  /** Every cookie stops working, as after a server restart with a random SESSION_SECRET. */
  expireSessions(): void {
    this.sessions.clear();
  }

  addLog(user: User, token: Token, model: string, prompt: number, completion: number, quota: number, at = nowSeconds(), requestId = '', extra: LogExtra = {}): LogRow {
    const row: LogRow = {
      id: this.logs.length + 1, user_id: user.id, created_at: at, type: 2, content: '模型倍率 1.00，分组倍率 1.00', username: user.username,
      token_name: token.name, model_name: model, quota, prompt_tokens: prompt, completion_tokens: completion, use_time: 1, is_stream: false,
      channel: 1, token_id: token.id, group: token.group || user.group, request_id: requestId, ...extra,
    };
    this.logs.push(row);
    // RecordConsumeLog: the dashboard table counts it too while DataExportEnabled is on.
    if (this.dataExportEnabled) this.countQuotaData(user, model, quota, at, prompt + completion);
    return row;
  }

  /** `RecordErrorLog` (only while `errorLogEnabled`): type 5, no tokens, no quota, the error in `content` and `other`. */
  addErrorLog(user: User, token: Token, model: string, status: number, message: string, code: string, path: string, at = nowSeconds(), requestId = ''): LogRow | undefined {
    if (!this.errorLogEnabled) return undefined;
    const other = JSON.stringify({ request_path: path, error_type: 'upstream_error', error_code: code, status_code: status, channel_id: 1, channel_name: '', channel_type: 1 });
    const row: LogRow = {
      id: this.logs.length + 1, user_id: user.id, created_at: at, type: 5, content: `status_code=${status}, ${message}`, username: user.username,
      token_name: token.name, model_name: model, quota: 0, prompt_tokens: 0, completion_tokens: 0, use_time: 0, is_stream: false,
      channel: 1, token_id: token.id, group: token.group || user.group, request_id: requestId, other,
    };
    this.logs.push(row);
    return row;
  }

  /** `LogQuotaData`: adds one request to its user/model/hour row. */
  countQuotaData(user: User, model: string, quota: number, at: number, tokens: number): void {
    const hour = at - (at % 3600);
    const key = `${user.id}/${model}/${hour}`;
    const row = this.quotaData.get(key);
    if (row) {
      row.count += 1;
      row.quota += quota;
      row.token_used += tokens;
      return;
    }
    this.quotaData.set(key, { id: this.quotaData.size + 1, user_id: user.id, username: user.username, model_name: model, created_at: hour, token_used: tokens, count: 1, quota });
  }
}
