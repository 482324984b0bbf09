/** What the gateway answered: the request behind each finding, the kind of refusal, evidence lines, and the console token's state. */
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import type { AgentFacts, ConsoleRead, Facts, RequestFacts } from '../types';
import { amount, gloss, PROBE_REQUEST, reportedAgents } from './common';

export interface Source {
  /** e.g. `GET /v1/models`, `POST /v1/responses (Codex CLI test request)`. */
  label: string;
  req: RequestFacts;
  agent?: AgentId;
}

export type Refusal =
  | 'banned'
  | 'disabled'
  | 'expired'
  | 'exhausted'
  | 'no-credit'
  | 'ip-denied'
  | 'group'
  | 'model-denied'
  | 'no-channel'
  | 'invalid'
  | 'rate-limited';

/** Why the gateway refused a request, from its status, error code and message (console-api.md §6.2, §6.3; seed 004). */
export function refusal(req: RequestFacts): Refusal | undefined {
  if (req.ok || req.status === undefined) return undefined;
  const text = `${req.serverMessage ?? ''}\n${req.message ?? ''}`;
  const code = req.code ?? '';
  if (/用户已被封禁/.test(text)) return 'banned';
  if (/该令牌状态不可用/.test(text)) return 'disabled';
  if (/该令牌已过期/.test(text)) return 'expired';
  if (/额度已用尽|token quota is not enough/i.test(text) || code === 'pre_consume_token_quota_failed') return 'exhausted';
  if (code === 'insufficient_user_quota' || /用户额度不足|预扣费额度失败|订阅额度不足|insufficient credits|insufficient_user_quota/i.test(text)) return 'no-credit';
  if (code === 'access_denied' || /不在令牌允许访问的列表中|无法解析客户端 IP|只能在指定网段使用/.test(text)) return 'ip-denied';
  if (/无权访问 .* 分组|分组 .* 已被弃用/.test(text)) return 'group';
  if (/该令牌无权(访问|使用)模型|no access to (model|any models)/i.test(text)) return 'model-denied';
  if (code === 'model_not_found' || /no available channel for model/i.test(text)) return 'no-channel';
  if (req.status === 401) return 'invalid';
  if (req.status === 429) return 'rate-limited';
  return undefined;
}

/** Evidence lines for one request: status (or network code), latency, the gateway's message with its gloss. */
export function describe(source: Source): string[] {
  const { req, label } = source;
  let head: string;
  if (req.status !== undefined) head = `${label} → HTTP ${req.status}`;
  else if (req.code) head = `${label} → ${req.code}`;
  else if (req.errorKind) head = `${label} → ${req.errorKind}`;
  else head = `${label} → no answer`;
  if (req.latencyMs !== undefined) head += ` in ${req.latencyMs} ms`;
  if (req.code && req.status !== undefined) head += ` (code ${req.code})`;
  const lines = [head];
  if (req.serverMessage) lines.push(`Gateway said: "${gloss(req.serverMessage)}"`);
  else if (req.message && !req.ok) lines.push(req.message);
  return lines;
}

export function gatewaySource(f: Facts): Source {
  return { label: 'GET /api/status', req: f.gateway };
}

export function relaySource(f: Facts): Source {
  return { label: 'GET /v1/models', req: f.relay };
}

export function probeSource(agent: AgentFacts): Source | undefined {
  if (!agent.probe) return undefined;
  const by = agent.probe.by ? `sent by ${agent.probe.by}` : `${AGENT_LABELS[agent.agent]} test request`;
  return { label: `${PROBE_REQUEST[agent.agent]} (${by})`, req: agent.probe, agent: agent.agent };
}

/** Every keyed request: the model list, then each reported agent's test request. */
function keyedSources(f: Facts): Source[] {
  const out = [relaySource(f)];
  for (const agent of reportedAgents(f)) {
    const probe = probeSource(agent);
    if (probe) out.push(probe);
  }
  return out;
}

export function firstRefusal(f: Facts, ...kinds: Refusal[]): Source | undefined {
  return keyedSources(f).find((s) => {
    const kind = refusal(s.req);
    return kind !== undefined && kinds.includes(kind);
  });
}

/** A request that got no HTTP answer (DNS, refused, TLS, timeout): the gateway's own first, then the relay's. */
export function networkFailure(f: Facts): Source | undefined {
  // A reply of the wrong shape has no status either, but it did come back.
  return [gatewaySource(f), relaySource(f)].find((s) => !s.req.ok && s.req.status === undefined && s.req.errorKind !== 'badResponse');
}

/** A reply Tokaify could not read (cut short, not JSON, too large, of an unknown shape): the gateway's own first, then the relay's. */
export function brokenReply(f: Facts): Source | undefined {
  return [gatewaySource(f), relaySource(f)].find((s) => !s.req.ok && s.req.errorKind === 'badResponse');
}

export function serverFailure(f: Facts): Source | undefined {
  return [gatewaySource(f), relaySource(f)].find((s) => s.req.status !== undefined && s.req.status >= 500 && refusal(s.req) === undefined);
}

/** The gateway answered /api/status, but not like new-api / one-api (a broken body is a fault of the right server, not a wrong address). */
export function notGateway(f: Facts): boolean {
  return !f.gateway.isGateway && f.gateway.status !== undefined && f.gateway.status < 500 && f.gateway.errorKind !== 'badResponse';
}

// ---------------------------------------------------------------------------------------------
// The console reads

export function consoleSource(read: ConsoleRead): Source {
  return { label: read.label, req: read };
}

/**
 * The console no longer accepts the account's sign-in: a 401, or new-api's HTTP 200 refusals of its auth
 * middleware ("无权进行此操作，…": unknown access token, user id mismatch; console-api.md §1.3).
 */
export function signInRefused(read: ConsoleRead): boolean {
  if (read.ok) return false;
  if (read.errorKind === 'unauthorized') return true;
  return read.errorKind === 'rejected' && /无权进行此操作(?!，权限不足)|未登录|access token|New-Api-User|会话已过期/i.test(read.serverMessage ?? '');
}

function time(at: number): string {
  return `${new Date(at).toISOString().slice(11, 19)} UTC`;
}

/** Why a fresh read failed, in a few words for an evidence line. */
function failedRead(read: ConsoleRead): string {
  const answer = read.status !== undefined ? `HTTP ${read.status}` : read.code ?? read.errorKind ?? 'no answer';
  return `${signInRefused(read) ? 'the gateway refused a fresh read' : 'a fresh read failed'} (${read.label} → ${answer})`;
}

/** Where the token facts came from and how old they are. */
function tokenOrigin(f: Facts): string {
  const origin = f.token?.origin;
  if (!origin || origin.source === 'gateway') return 'from the gateway, just now';
  const read = f.consoleReads.find((r) => r.fact === 'token' && !r.ok);
  const when = origin.at !== undefined ? `from the token list loaded at ${time(origin.at)}` : 'from Tokaify\'s earlier copy';
  return read ? `${when}; ${failedRead(read)}` : when;
}

// ---------------------------------------------------------------------------------------------
// The console token

export type TokenState = 'disabled' | 'expired' | 'exhausted';

/** What the console says stops the token, when it was listed. */
export function tokenState(f: Facts): TokenState | undefined {
  const t = f.token;
  if (!t) return undefined;
  if (t.status !== 'enabled') return t.status;
  if (!t.unlimited && t.remainQuota <= 0) return 'exhausted';
  return undefined;
}

export function tokenLine(f: Facts): string | undefined {
  const t = f.token;
  if (!t) return undefined;
  const quota = t.unlimited ? 'unlimited quota' : `${amount(f, t.remainQuota)} left`;
  const expires = t.expiredTime === -1 ? 'never expires' : `expires ${new Date(t.expiredTime * 1000).toISOString().replace('.000Z', 'Z')}`;
  return `Console: token "${t.name}" (#${t.id}) is ${t.status}, ${quota}, ${expires}, group "${t.group || 'default'}" (token facts: ${tokenOrigin(f)})`;
}

/** The account's balance with where it came from, or why it is unknown; undefined for key accounts. */
export function balanceLine(f: Facts): string | undefined {
  if (f.user) return `Account balance: ${amount(f, f.user.quota)} (from the gateway, just now)`;
  const read = f.consoleReads.find((r) => r.fact === 'balance' && !r.ok);
  return read ? `Account balance: unknown; ${failedRead(read)}` : undefined;
}
