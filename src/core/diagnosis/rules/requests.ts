/** What the gateway answered: the request behind each finding, the kind of refusal, evidence lines, and the console token's state. */
import * as l10n from '@vscode/l10n';
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import type { TokenStatus } from '../../tokenModel';
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
  else head = l10n.t('{0} → no answer', label);
  if (req.latencyMs !== undefined) head = l10n.t('{0} in {1} ms', head, req.latencyMs);
  if (req.code && req.status !== undefined) head = l10n.t('{0} (code {1})', head, req.code);
  const lines = [head];
  if (req.serverMessage) lines.push(l10n.t('Gateway said: "{0}"', gloss(req.serverMessage)));
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
  const label = agent.probe.by
    ? l10n.t('{0} (sent by the real {1})', PROBE_REQUEST[agent.agent], agent.probe.by)
    : l10n.t('{0} ({1} test request)', PROBE_REQUEST[agent.agent], AGENT_LABELS[agent.agent]);
  return { label, req: agent.probe, agent: agent.agent };
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
  const answer = read.status !== undefined ? `HTTP ${read.status}` : read.code ?? read.errorKind ?? l10n.t('no answer');
  return signInRefused(read)
    ? l10n.t('the gateway refused a fresh read ({0} → {1})', read.label, answer)
    : l10n.t('a fresh read failed ({0} → {1})', read.label, answer);
}

/** Where the token facts came from and how old they are. */
function tokenOrigin(f: Facts): string {
  const origin = f.token?.origin;
  if (!origin || origin.source === 'gateway') return l10n.t('from the gateway, just now');
  const read = f.consoleReads.find((r) => r.fact === 'token' && !r.ok);
  const when = origin.at !== undefined ? l10n.t('from the token list loaded at {0}', time(origin.at)) : l10n.t('from Tokaify\'s earlier copy');
  return read ? l10n.t('{0}; {1}', when, failedRead(read)) : when;
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
  const quota = t.unlimited ? l10n.t('unlimited quota') : l10n.t('{0} left', amount(f, t.remainQuota));
  const expires = t.expiredTime === -1 ? l10n.t('never expires') : l10n.t('expires {0}', new Date(t.expiredTime * 1000).toISOString().replace('.000Z', 'Z'));
  return l10n.t('Console: token "{0}" (#{1}) {2}, {3}, {4}, group "{5}" (token facts: {6})', t.name, t.id, statusPhrase(t.status), quota, expires, t.group || 'default', tokenOrigin(f));
}

/** The token's status as the line above says it (`is enabled`), in the console's words. */
function statusPhrase(status: TokenStatus): string {
  switch (status) {
    case 'enabled': return l10n.t('is enabled');
    case 'disabled': return l10n.t('is disabled');
    case 'expired': return l10n.t('is expired');
    case 'exhausted': return l10n.t('is exhausted');
  }
}

/** The account's balance with where it came from, or why it is unknown; undefined for key accounts. */
export function balanceLine(f: Facts): string | undefined {
  if (f.user) return l10n.t('Account balance: {0} (from the gateway, just now)', amount(f, f.user.quota));
  const read = f.consoleReads.find((r) => r.fact === 'balance' && !r.ok);
  return read ? l10n.t('Account balance: unknown; {0}', failedRead(read)) : undefined;
}
