import assert from 'node:assert/strict';
import { readConsole } from '../../src/core/diagnosis/collect';
import { diagnose, RULES } from '../../src/core/diagnosis/rules';
import { FIX_COMMANDS, type ConsoleRead, type Facts, type Finding, type Severity } from '../../src/core/diagnosis/types';
import type { AgentId } from '../../src/core/agents/types';
import type { ProcessResult } from '../../src/core/agents/processRun';
import { AGENT_COMMANDS } from '../../src/core/agents/realAgent';
import { readRun } from '../../src/core/agents/realAgentOutput';
import { attachMachineFacts } from '../../src/core/diagnosis/machine';
import { GatewayError } from '../../src/core/errors';
import { quotaDisplayOf } from '../../src/core/quota';
import { maskKey } from '../../src/core/redact';
import { SLOW_MS } from '../../src/core/statusView';
import type { Token } from '../../src/core/tokenModel';
import { agent, CLAUDE_SETTINGS, CODEX_CONFIG, healthy, HOME, KEY, OPENCODE_CONFIG, OTHER_KEY, ROOT } from './diagnosisFacts';

const codex = (f: Facts) => agent(f, 'codex').codex!;
const codexConfig = (f: Facts) => codex(f).config!;
const codexProvider = (f: Facts) => codexConfig(f).providers.tokaify!;
const claude = (f: Facts) => agent(f, 'claude-code').claude!;
const opencode = (f: Facts) => agent(f, 'opencode').opencode!;
const opencodeConfig = (f: Facts) => opencode(f).config!;
const opencodeProvider = (f: Facts) => opencodeConfig(f).providers.tokaify!;

/** The gateway answered nothing at all: both /api/status and /v1/models fail the same way. */
function unreachable(f: Facts, code: string, errorKind: 'network' | 'timeout' = 'network'): void {
  const failure = { ok: false, errorKind, code, message: `${ROOT} could not be reached: ${code}` } as const;
  f.gateway = { ...failure, isGateway: false };
  f.relay = { ...failure };
  for (const a of f.agents) a.probe = { ...failure, contextManagementRejected: false };
}

function relayRefuses(f: Facts, status: number, serverMessage: string, code?: string): void {
  f.relay = { ok: false, status, errorKind: status === 401 ? 'unauthorized' : 'forbidden', serverMessage, message: `The API key was not accepted (${status}).`, ...(code ? { code } : {}) };
}

function probeRefuses(f: Facts, id: AgentId, status: number, serverMessage: string, code?: string): void {
  agent(f, id).probe = { ok: false, status, serverMessage, message: `The gateway answered HTTP ${status}.`, contextManagementRejected: false, ...(code ? { code } : {}) };
}

/** The agent is installed here (at `version`), and, with `printed`, the user ran it for real and this is what it did. */
function realAgent(f: Facts, id: AgentId, version: string, printed?: Partial<ProcessResult>): void {
  const path = `/usr/local/bin/${AGENT_COMMANDS[id]}`;
  const installed = [{ agent: id, path, version }];
  if (!printed) return attachMachineFacts(f, { installed });
  for (const a of f.agents) delete a.probe; // a real run replaces Tokaify's own test requests
  const result: ProcessResult = { code: 1, signal: null, stdout: '', stderr: '', ms: 2500, timedOut: false, ...printed };
  attachMachineFacts(f, { installed, requested: id, run: { ...result, agent: id, command: `${AGENT_COMMANDS[id]} -p 'Reply with one short greeting.'`, reading: readRun(id, result), version } });
}

/** When the token list was loaded, for the "how old" evidence: 10:32:05 UTC. */
const LOADED_AT = Date.UTC(2026, 3, 9, 10, 32, 5);

/** The console stops accepting the sign-in: both reads refused, the token facts from the list, no balance. */
function consoleRefuses(f: Facts, how: 'accessToken' | 'session' = 'accessToken'): void {
  // new-api answers an unknown access token with HTTP 200 success:false, and a forgotten session with 401 (console-api.md §1.3).
  const refused: Omit<ConsoleRead, 'label' | 'fact'> = how === 'session'
    ? { ok: false, status: 401, errorKind: 'unauthorized', serverMessage: '无权进行此操作，未登录且未提供 access token', message: 'The gateway did not accept the credentials.' }
    : { ok: false, status: 200, errorKind: 'rejected', serverMessage: '无权进行此操作，access token 无效', message: 'The gateway refused the request.' };
  f.consoleReads = [{ label: 'GET /api/token/7', fact: 'token', ...refused }, { label: 'GET /api/user/self', fact: 'balance', ...refused }];
  f.token!.origin = { source: 'cache', at: LOADED_AT };
  delete f.user;
}

/** Every reply cut short (a proxy dropping the connection mid-body): HTTP 200, not JSON. */
function truncatedBodies(f: Facts): void {
  const broken = { ok: false, status: 200, errorKind: 'badResponse', message: 'answered with malformed JSON. The gateway or a proxy in between may be broken; try again.' } as const;
  f.gateway = { ...broken, message: `GET /api/status ${broken.message}`, isGateway: false };
  f.relay = { ...broken, message: 'GET /v1/models did not answer with JSON: the reply is malformed.' };
  f.consoleReads = f.consoleReads.map((r) => ({ label: r.label, fact: r.fact, ...broken }));
  f.token!.origin = { source: 'cache', at: LOADED_AT };
  delete f.user;
}

interface Case {
  name: string;
  change: (f: Facts) => void;
  expect: string;
  severity: Severity;
  /** The fix's command; null: the finding must have no fix. */
  fix?: string | null;
  args?: unknown[];
  /** Ids that must not be reported alongside. */
  absent?: string[];
}

const REQUEST_ID = ' (request id: 20260409123456abcdef12XyZ12345)';

const CASES: Case[] = [
  // --- the gateway ------------------------------------------------------------------------------
  { name: 'DNS: host not found', change: (f) => unreachable(f, 'ENOTFOUND'), expect: 'gateway.dns', severity: 'error', fix: FIX_COMMANDS.addGateway, absent: ['codex.probe-failed', 'relay.failed'] },
  { name: 'DNS: temporary failure', change: (f) => unreachable(f, 'EAI_AGAIN'), expect: 'gateway.dns', severity: 'error' },
  { name: 'connection refused', change: (f) => unreachable(f, 'ECONNREFUSED'), expect: 'gateway.refused', severity: 'error', absent: ['gateway.unreachable'] },
  { name: 'connection reset', change: (f) => unreachable(f, 'ECONNRESET'), expect: 'gateway.reset', severity: 'error' },
  { name: 'broken pipe', change: (f) => unreachable(f, 'EPIPE'), expect: 'gateway.reset', severity: 'error' },
  { name: 'TLS: expired certificate', change: (f) => unreachable(f, 'CERT_HAS_EXPIRED'), expect: 'gateway.tls', severity: 'error', absent: ['gateway.unreachable'] },
  { name: 'TLS: self-signed certificate', change: (f) => unreachable(f, 'DEPTH_ZERO_SELF_SIGNED_CERT'), expect: 'gateway.tls', severity: 'error' },
  { name: 'TLS: certificate for another host', change: (f) => unreachable(f, 'ERR_TLS_CERT_ALTNAME_INVALID'), expect: 'gateway.tls', severity: 'error' },
  { name: 'TLS spoken to a plain-HTTP port (https:// for an http:// gateway)', change: (f) => unreachable(f, 'ERR_SSL_WRONG_VERSION_NUMBER'), expect: 'gateway.tls', severity: 'error' },
  { name: 'timeout', change: (f) => unreachable(f, 'TIMEOUT', 'timeout'), expect: 'gateway.timeout', severity: 'error', absent: ['gateway.unreachable'] },
  { name: 'host unreachable', change: (f) => unreachable(f, 'EHOSTUNREACH'), expect: 'gateway.unreachable', severity: 'error' },
  {
    name: 'the address is a web page, not a gateway',
    change: (f) => {
      f.gateway = { ok: false, status: 200, errorKind: 'notGateway', latencyMs: 50, isGateway: false };
      f.relay = { ok: false, status: 404, errorKind: 'notFound' };
    },
    expect: 'gateway.not-gateway',
    severity: 'error',
    fix: FIX_COMMANDS.addGateway,
    absent: ['relay.failed'],
  },
  {
    name: 'the gateway fails with 502',
    change: (f) => {
      f.gateway = { ok: false, status: 502, errorKind: 'server', isGateway: false };
      f.relay = { ok: false, status: 502, errorKind: 'server' };
    },
    expect: 'gateway.server-error',
    severity: 'error',
    absent: ['gateway.not-gateway'],
  },
  { name: '/v1/models fails with 500', change: (f) => (f.relay = { ok: false, status: 500, errorKind: 'server' }), expect: 'gateway.server-error', severity: 'error' },
  {
    name: 'a truncated JSON body everywhere: a broken reply, not a wrong address',
    change: truncatedBodies,
    expect: 'gateway.bad-response',
    severity: 'error',
    fix: null,
    absent: ['gateway.not-gateway', 'gateway.unreachable', 'relay.failed', 'console.unreadable'],
  },
  {
    name: 'only /v1/models is cut short',
    change: (f) => (f.relay = { ok: false, status: 200, errorKind: 'badResponse', message: 'GET /v1/models did not answer with JSON: the reply is malformed.' }),
    expect: 'gateway.bad-response',
    severity: 'error',
    fix: null,
    absent: ['relay.failed'],
  },
  {
    name: '/api/status answers JSON of an unknown shape',
    change: (f) => (f.gateway = { ok: false, errorKind: 'badResponse', message: 'GET /api/status: the gateway\'s reply has an unexpected shape at "success".', isGateway: false }),
    expect: 'gateway.bad-response',
    severity: 'error',
    fix: null,
    absent: ['gateway.unreachable', 'gateway.not-gateway'],
  },
  { name: 'the gateway takes 2 s to answer', change: (f) => (f.gateway.latencyMs = 2000), expect: 'gateway.slow', severity: 'warning', fix: null },

  // --- the console ------------------------------------------------------------------------------
  {
    name: 'the console rejects the access token (reset in the web console): HTTP 200 无权进行此操作，access token 无效',
    change: (f) => consoleRefuses(f),
    expect: 'console.sign-in',
    severity: 'error',
    fix: FIX_COMMANDS.addGateway,
    args: [{ baseUrl: ROOT }],
    absent: ['console.unreadable'],
  },
  {
    name: 'the gateway forgot the password session: 401 on every console call',
    change: (f) => {
      f.accountKind = 'session';
      consoleRefuses(f, 'session');
    },
    expect: 'console.sign-in',
    severity: 'error',
    fix: FIX_COMMANDS.addGateway,
    args: [{ baseUrl: ROOT }],
  },
  {
    name: 'the token read fails with 502 while the rest of the gateway answers',
    change: (f) => {
      f.consoleReads[0] = { label: 'GET /api/token/7', fact: 'token', ok: false, status: 502, errorKind: 'server', message: 'The gateway had an internal error (502).' };
      f.token!.origin = { source: 'cache', at: LOADED_AT };
    },
    expect: 'console.unreadable',
    severity: 'warning',
    fix: null,
    absent: ['console.sign-in', 'gateway.server-error'],
  },

  // --- the key on the relay -----------------------------------------------------------------------
  {
    name: 'seed 004: 401 authentication_error',
    change: (f) => (f.relay = { ok: false, status: 401, errorKind: 'unauthorized', serverMessage: 'Invalid or missing API key.', message: `The API key was not accepted (401). Authorization: Bearer ${KEY}` }),
    expect: 'relay.key-invalid',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
    args: [{ accountId: 'acc-1' }],
  },
  { name: 'new-api 401 无效的令牌', change: (f) => relayRefuses(f, 401, `无效的令牌${REQUEST_ID}`), expect: 'relay.key-invalid', severity: 'error', fix: FIX_COMMANDS.configureCodex },
  { name: 'new-api 401 未提供令牌', change: (f) => relayRefuses(f, 401, `未提供令牌${REQUEST_ID}`), expect: 'relay.key-invalid', severity: 'error' },
  {
    name: 'key account: 401 means sign in again',
    change: (f) => {
      f.accountKind = 'key';
      delete f.tokenId;
      delete f.token;
      delete f.user;
      f.consoleReads = [];
      relayRefuses(f, 401, `无效的令牌${REQUEST_ID}`);
    },
    expect: 'relay.key-invalid',
    severity: 'error',
    fix: FIX_COMMANDS.addGateway,
    args: [{ baseUrl: ROOT }],
  },
  {
    name: 'new-api 401 该令牌状态不可用',
    change: (f) => relayRefuses(f, 401, `该令牌状态不可用${REQUEST_ID}`),
    expect: 'relay.token-disabled',
    severity: 'error',
    fix: FIX_COMMANDS.enableToken,
    args: [{ accountId: 'acc-1', tokenId: 7 }],
    absent: ['relay.key-invalid'],
  },
  {
    name: 'newer new-api: one generic 401, and the console says the token is disabled',
    change: (f) => {
      relayRefuses(f, 401, `Invalid token${REQUEST_ID}`);
      f.token!.status = 'disabled';
    },
    expect: 'relay.token-disabled',
    severity: 'error',
    fix: FIX_COMMANDS.enableToken,
    absent: ['relay.key-invalid'],
  },
  { name: 'the console lists the token as disabled', change: (f) => (f.token!.status = 'disabled'), expect: 'relay.token-disabled', severity: 'error', fix: FIX_COMMANDS.enableToken },
  { name: 'new-api 401 该令牌已过期', change: (f) => relayRefuses(f, 401, `该令牌已过期${REQUEST_ID}`), expect: 'relay.token-expired', severity: 'error', fix: FIX_COMMANDS.editToken, absent: ['relay.key-invalid'] },
  {
    name: 'newer new-api: generic 401, console says expired',
    change: (f) => {
      relayRefuses(f, 401, `无效的令牌${REQUEST_ID}`);
      f.token!.status = 'expired';
    },
    expect: 'relay.token-expired',
    severity: 'error',
    fix: FIX_COMMANDS.editToken,
    absent: ['relay.key-invalid'],
  },
  {
    name: 'new-api 401 额度已用尽 (masked key in the message)',
    change: (f) => relayRefuses(f, 401, `[sk-abc***xyz] 该令牌额度已用尽 !token.UnlimitedQuota && token.RemainQuota = 0${REQUEST_ID}`),
    expect: 'relay.token-exhausted',
    severity: 'error',
    fix: FIX_COMMANDS.editToken,
    absent: ['relay.key-invalid'],
  },
  { name: 'one-api 401 令牌（#id）额度已用尽', change: (f) => relayRefuses(f, 401, `令牌 vscode（#7）额度已用尽${REQUEST_ID}`), expect: 'relay.token-exhausted', severity: 'error' },
  {
    name: 'the console shows a limited token with no quota left',
    change: (f) => {
      f.token!.remainQuota = 0;
    },
    expect: 'relay.token-exhausted',
    severity: 'error',
    fix: FIX_COMMANDS.editToken,
  },
  {
    name: 'test request: 403 pre_consume_token_quota_failed',
    change: (f) => probeRefuses(f, 'codex', 403, 'token quota is not enough, token remain quota: 10, need quota: 500', 'pre_consume_token_quota_failed'),
    expect: 'relay.token-exhausted',
    severity: 'error',
    absent: ['codex.probe-failed'],
  },
  {
    name: 'seed 004: 403 insufficient credits',
    change: (f) => probeRefuses(f, 'codex', 403, 'Insufficient credits. Please top up your account balance.', 'authorization_error'),
    expect: 'relay.no-credit',
    severity: 'error',
    fix: FIX_COMMANDS.openConsole,
    args: ['acc-1'],
    absent: ['codex.probe-failed'],
  },
  {
    name: 'new-api 403 insufficient_user_quota on a test request',
    change: (f) => probeRefuses(f, 'opencode', 403, `用户额度不足, 剩余额度: $0.00${REQUEST_ID}`, 'insufficient_user_quota'),
    expect: 'relay.no-credit',
    severity: 'error',
    fix: FIX_COMMANDS.openConsole,
    absent: ['opencode.probe-failed'],
  },
  { name: 'the console says the balance is zero', change: (f) => (f.user = { quota: 0 }), expect: 'relay.no-credit', severity: 'error', fix: FIX_COMMANDS.openConsole },
  {
    name: 'new-api 403 access_denied (IP allowlist)',
    change: (f) => {
      relayRefuses(f, 403, `您的 IP 不在令牌允许访问的列表中${REQUEST_ID}`, 'access_denied');
      f.token!.allowIps = ['203.0.113.7'];
    },
    expect: 'relay.ip-denied',
    severity: 'error',
    fix: FIX_COMMANDS.editToken,
  },
  { name: 'one-api 403 该令牌只能在指定网段使用', change: (f) => relayRefuses(f, 403, `该令牌只能在指定网段使用：10.0.0.0/8${REQUEST_ID}`), expect: 'relay.ip-denied', severity: 'error', fix: FIX_COMMANDS.editToken },
  { name: 'new-api 403 无权访问 vip 分组', change: (f) => relayRefuses(f, 403, `无权访问 vip 分组${REQUEST_ID}`), expect: 'relay.group', severity: 'error', fix: FIX_COMMANDS.editToken },
  { name: 'new-api 403 分组 vip 已被弃用', change: (f) => relayRefuses(f, 403, `分组 vip 已被弃用${REQUEST_ID}`), expect: 'relay.group', severity: 'error', fix: FIX_COMMANDS.editToken },
  { name: 'new-api 403 用户已被封禁', change: (f) => relayRefuses(f, 403, `用户已被封禁${REQUEST_ID}`), expect: 'relay.user-banned', severity: 'error', fix: null },
  { name: '429 on /v1/models', change: (f) => (f.relay = { ok: false, status: 429, errorKind: 'rateLimited' }), expect: 'relay.rate-limited', severity: 'warning' },
  { name: '/v1/models answers 404', change: (f) => (f.relay = { ok: false, status: 404, errorKind: 'notFound' }), expect: 'relay.failed', severity: 'error' },
  { name: 'no models for this key', change: (f) => (f.relay.models = []), expect: 'relay.no-models', severity: 'warning', fix: FIX_COMMANDS.editToken },

  // --- models -----------------------------------------------------------------------------------
  { name: 'seed 001: a model the account cannot use', change: (f) => (codexConfig(f).model = 'gpt-9'), expect: 'model.not-allowed', severity: 'error', fix: FIX_COMMANDS.configureCodex },
  { name: 'Claude Code model not offered', change: (f) => (claude(f).model = 'claude-opus-9'), expect: 'model.not-allowed', severity: 'error', fix: FIX_COMMANDS.configureClaudeCode },
  {
    name: 'seed 003: the model is outside the token\'s allowed models',
    change: (f) => (f.token!.modelLimits = ['gpt-4o', 'claude-sonnet-4-5']),
    expect: 'model.not-allowed',
    severity: 'error',
    fix: FIX_COMMANDS.editToken,
    args: [{ accountId: 'acc-1', tokenId: 7 }],
  },
  {
    name: 'test request: 403 This token has no access to model',
    change: (f) => probeRefuses(f, 'opencode', 403, `This token has no access to model gpt-4o${REQUEST_ID}`),
    expect: 'model.not-allowed',
    severity: 'error',
    fix: FIX_COMMANDS.editToken,
    absent: ['opencode.probe-failed'],
  },
  {
    name: 'test request: 503 model_not_found (no channel)',
    change: (f) => probeRefuses(f, 'opencode', 503, `No available channel for model gpt-4o under group default (distributor)${REQUEST_ID}`, 'model_not_found'),
    expect: 'model.not-allowed',
    severity: 'error',
    fix: FIX_COMMANDS.configureOpenCode,
    absent: ['opencode.probe-failed', 'gateway.server-error'],
  },

  // --- Codex ------------------------------------------------------------------------------------
  {
    name: 'Codex config.toml does not parse',
    change: (f) => {
      agent(f, 'codex').parseProblems = [{ path: CODEX_CONFIG, line: 3, column: 1, reason: 'duplicate key "model"' }];
      delete codex(f).config;
    },
    expect: 'codex.parse',
    severity: 'error',
    fix: FIX_COMMANDS.openFileAt,
    args: [CODEX_CONFIG, 3, 1],
    absent: ['codex.config-missing'],
  },
  {
    name: 'Codex config.toml was deleted',
    change: (f) => {
      delete codex(f).config;
      agent(f, 'codex').files[0]!.exists = false;
    },
    expect: 'codex.config-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
  },
  {
    name: 'seed 001: model_provider = "OpenAI" with no [model_providers.OpenAI]',
    change: (f) => (codexConfig(f).modelProvider = 'OpenAI'),
    expect: 'codex.provider-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
  },
  { name: 'Codex wire_api = "chat"', change: (f) => (codexProvider(f).wireApi = 'chat'), expect: 'codex.wire-api', severity: 'error', fix: FIX_COMMANDS.configureCodex },
  { name: 'seed 001: base_url without /v1', change: (f) => (codexProvider(f).baseUrl = ROOT), expect: 'codex.base-url', severity: 'error', fix: FIX_COMMANDS.configureCodex },
  { name: 'seed 001: base_url with /v1/v1', change: (f) => (codexProvider(f).baseUrl = `${ROOT}/v1/v1`), expect: 'codex.base-url', severity: 'error', fix: FIX_COMMANDS.configureCodex },
  { name: 'Codex points at another gateway', change: (f) => (codexProvider(f).baseUrl = 'https://other.example.com/v1'), expect: 'codex.other-gateway', severity: 'warning', fix: FIX_COMMANDS.configureCodex, absent: ['codex.base-url', 'codex.key-mismatch'] },
  { name: 'Codex uses its built-in OpenAI provider', change: (f) => delete codexConfig(f).modelProvider, expect: 'codex.other-gateway', severity: 'warning', fix: FIX_COMMANDS.configureCodex },
  {
    name: 'Codex auth.json is a ChatGPT login',
    change: (f) => Object.assign(codex(f), { authMode: 'chatgpt', authHasKey: true, authKeyMatches: true }),
    expect: 'codex.chatgpt-mode',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
    absent: ['codex.key-missing'],
  },
  {
    name: 'Codex auth.json has no key',
    change: (f) => Object.assign(codex(f), { authMode: 'missing', authHasKey: false, authKeyMatches: false }),
    expect: 'codex.key-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
  },
  {
    name: 'Codex env_key names a variable that is not set',
    change: (f) => Object.assign(codexProvider(f), { envKey: 'TOKAIFY_API_KEY', requiresOpenaiAuth: undefined }),
    expect: 'codex.key-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
  },
  {
    name: 'Codex bearer token is another key',
    change: (f) => {
      Object.assign(codexProvider(f), { hasBearerToken: true, requiresOpenaiAuth: undefined });
      codex(f).bearerKeyMatches = false;
    },
    expect: 'codex.key-mismatch',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
  },
  { name: 'Codex auth.json holds another key', change: (f) => (codex(f).authKeyMatches = false), expect: 'codex.key-mismatch', severity: 'error', fix: FIX_COMMANDS.configureCodex },
  {
    name: 'Codex test request: /v1/responses is missing on this gateway',
    change: (f) => (agent(f, 'codex').probe = { ok: false, status: 404, errorKind: 'notFound', message: `${ROOT}/v1/responses does not exist on this gateway (404).`, contextManagementRejected: false }),
    expect: 'codex.probe-failed',
    severity: 'error',
    fix: null,
  },

  // --- Claude Code ------------------------------------------------------------------------------
  {
    name: 'seed 002: a comment in settings.json',
    change: (f) => {
      agent(f, 'claude-code').parseProblems = [{ path: CLAUDE_SETTINGS, line: 2, column: 3, reason: 'comments are not allowed (Claude Code discards a settings file that has one)' }];
      delete agent(f, 'claude-code').claude;
    },
    expect: 'claude.parse',
    severity: 'error',
    fix: FIX_COMMANDS.openFileAt,
    args: [CLAUDE_SETTINGS, 2, 3],
  },
  {
    name: 'Claude Code settings.json was deleted',
    change: (f) => {
      delete agent(f, 'claude-code').claude;
      agent(f, 'claude-code').files[0]!.exists = false;
    },
    expect: 'claude.config-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureClaudeCode,
  },
  { name: 'seed 002: ANTHROPIC_BASE_URL with /v1', change: (f) => (claude(f).baseUrl = `${ROOT}/v1`), expect: 'claude.base-url', severity: 'error', fix: FIX_COMMANDS.configureClaudeCode },
  { name: 'Claude Code points at Anthropic', change: (f) => (claude(f).baseUrl = 'https://api.anthropic.com'), expect: 'claude.other-gateway', severity: 'warning', fix: FIX_COMMANDS.configureClaudeCode },
  { name: 'Claude Code has no base URL', change: (f) => delete claude(f).baseUrl, expect: 'claude.other-gateway', severity: 'warning', fix: FIX_COMMANDS.configureClaudeCode },
  {
    name: 'seed 002: ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN both set',
    change: (f) => (claude(f).keyVariables = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY']),
    expect: 'claude.both-keys',
    severity: 'warning',
    fix: FIX_COMMANDS.configureClaudeCode,
  },
  { name: 'Claude Code has no key', change: (f) => (claude(f).keyVariables = []), expect: 'claude.key-missing', severity: 'error', fix: FIX_COMMANDS.configureClaudeCode },
  { name: 'Claude Code holds another key', change: (f) => (claude(f).keyMatches = false), expect: 'claude.key-mismatch', severity: 'error', fix: FIX_COMMANDS.configureClaudeCode },
  {
    name: 'seed 002: context_management: Extra inputs are not permitted',
    change: (f) =>
      (agent(f, 'claude-code').probe = {
        ok: false,
        status: 400,
        errorKind: 'rejected',
        serverMessage: 'context_management: Extra inputs are not permitted',
        message: 'The gateway rejects Claude Code\'s experimental context_management field.',
        contextManagementRejected: true,
      }),
    expect: 'claude.context-management',
    severity: 'error',
    fix: FIX_COMMANDS.configureClaudeCode,
    args: [{ accountId: 'acc-1', tokenId: 7, claude: { disableExperimentalBetas: true } }],
    absent: ['claude.probe-failed'],
  },
  {
    name: 'one-api has no /v1/messages: Claude Code\'s test request gets 404',
    change: (f) => (agent(f, 'claude-code').probe = { ok: false, status: 404, errorKind: 'notFound', contextManagementRejected: false }),
    expect: 'claude.probe-failed',
    severity: 'error',
  },

  // --- OpenCode ---------------------------------------------------------------------------------
  {
    name: 'OpenCode config does not parse',
    change: (f) => {
      agent(f, 'opencode').parseProblems = [{ path: OPENCODE_CONFIG, line: 9, column: 5, reason: 'property name expected' }];
      delete opencode(f).config;
    },
    expect: 'opencode.parse',
    severity: 'error',
    fix: FIX_COMMANDS.openFileAt,
    args: [OPENCODE_CONFIG, 9, 5],
  },
  {
    name: 'OpenCode config was deleted',
    change: (f) => {
      delete opencode(f).config;
      agent(f, 'opencode').files[0]!.exists = false;
    },
    expect: 'opencode.config-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureOpenCode,
  },
  {
    name: 'seed 000: provider id with capitals',
    change: (f) => {
      const config = opencodeConfig(f);
      config.providers = { Tokaify: opencodeProvider(f) };
      config.model = 'Tokaify/gpt-4o';
    },
    expect: 'opencode.provider-id',
    severity: 'warning',
    fix: FIX_COMMANDS.configureOpenCode,
  },
  { name: 'seed 000: baseURL without /v1', change: (f) => (opencodeProvider(f).baseUrl = ROOT), expect: 'opencode.base-url', severity: 'error', fix: FIX_COMMANDS.configureOpenCode },
  { name: 'seed 000: baseURL with /v1/v1', change: (f) => (opencodeProvider(f).baseUrl = `${ROOT}/v1/v1`), expect: 'opencode.base-url', severity: 'error', fix: FIX_COMMANDS.configureOpenCode },
  { name: 'OpenCode provider points at another gateway', change: (f) => (opencodeProvider(f).baseUrl = 'https://other.example.com/v1'), expect: 'opencode.other-gateway', severity: 'warning', fix: FIX_COMMANDS.configureOpenCode },
  { name: 'OpenCode provider entry is gone', change: (f) => (opencodeConfig(f).providers = {}), expect: 'opencode.provider-missing', severity: 'error', fix: FIX_COMMANDS.configureOpenCode },
  { name: 'OpenCode has no default model', change: (f) => delete opencodeConfig(f).model, expect: 'opencode.model', severity: 'warning', fix: FIX_COMMANDS.configureOpenCode },
  {
    name: 'seed 000: the model is not in the provider\'s models',
    change: (f) => (opencodeConfig(f).model = 'tokaify/gpt-5.4'),
    expect: 'opencode.model',
    severity: 'error',
    fix: FIX_COMMANDS.configureOpenCode,
  },
  { name: 'OpenCode default model names an undefined provider', change: (f) => (opencodeConfig(f).model = 'tokaify-old/gpt-4o'), expect: 'opencode.model', severity: 'warning' },
  {
    name: 'OpenCode has no key in auth.json and no options.apiKey',
    change: (f) => Object.assign(opencode(f), { authHasKey: false, authKeyMatches: false }),
    expect: 'opencode.key-missing',
    severity: 'error',
    fix: FIX_COMMANDS.configureOpenCode,
  },
  { name: 'OpenCode auth.json holds another key', change: (f) => (opencode(f).authKeyMatches = false), expect: 'opencode.key-mismatch', severity: 'error', fix: FIX_COMMANDS.configureOpenCode },
  {
    name: 'OpenCode test request fails for another reason',
    change: (f) => probeRefuses(f, 'opencode', 400, `Invalid request: messages must not be empty${REQUEST_ID}`),
    expect: 'opencode.probe-failed',
    severity: 'error',
  },

  {
    name: 'issue 11: a root profile = "work" in config.toml (Codex 0.171 does not start)',
    change: (f) => (codexConfig(f).legacyProfile = { name: 'work', line: 4 }),
    expect: 'codex.legacy-profile',
    severity: 'error',
    fix: FIX_COMMANDS.configureCodex,
    args: [{ accountId: 'acc-1', tokenId: 7, codex: { removeLegacyProfile: true } }],
  },

  // --- environment ------------------------------------------------------------------------------
  { name: 'shell OPENAI_API_KEY holds another key', change: (f) => (f.environment.processEnv.OPENAI_API_KEY = OTHER_KEY), expect: 'env.openai-api-key', severity: 'warning', fix: null },
  {
    name: 'terminal.integrated.env OPENAI_API_KEY holds another key',
    change: (f) => (f.environment.terminalEnv.OPENAI_API_KEY = OTHER_KEY),
    expect: 'env.openai-api-key',
    severity: 'warning',
    fix: FIX_COMMANDS.openTerminalEnvSettings,
    args: [],
  },
  { name: 'shell OPENAI_BASE_URL points elsewhere', change: (f) => (f.environment.processEnv.OPENAI_BASE_URL = 'https://api.openai.com/v1'), expect: 'env.openai-base-url', severity: 'info' },
  {
    name: 'terminal ANTHROPIC_BASE_URL applies when settings.json has none',
    change: (f) => {
      delete claude(f).baseUrl;
      f.environment.terminalEnv.ANTHROPIC_BASE_URL = 'https://proxy.example.com';
    },
    expect: 'env.anthropic-base-url',
    severity: 'warning',
    fix: FIX_COMMANDS.openTerminalEnvSettings,
  },
  {
    name: 'seed 002: shell ANTHROPIC_API_KEY next to our ANTHROPIC_AUTH_TOKEN: the fix writes "ANTHROPIC_API_KEY": ""',
    change: (f) => (f.environment.processEnv.ANTHROPIC_API_KEY = KEY),
    expect: 'env.anthropic-api-key',
    severity: 'warning',
    fix: FIX_COMMANDS.configureClaudeCode,
    args: [{ accountId: 'acc-1', tokenId: 7, claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN', clearShellKey: true } }],
  },
  {
    name: 'issue 11: ANTHROPIC_API_KEY exported only in ~/.zshrc (VS Code started from the dock); terminals send it next to ours',
    change: (f) => f.environment.shellProfiles.push({ name: 'ANTHROPIC_API_KEY', file: `${HOME}/.zshrc`, line: 12 }),
    expect: 'env.anthropic-api-key',
    severity: 'warning',
    fix: FIX_COMMANDS.configureClaudeCode,
  },
  {
    name: 'shell ANTHROPIC_API_KEY with no key in settings.json: approval prompt (the remedy is the shell)',
    change: (f) => {
      claude(f).keyVariables = [];
      f.environment.shellProfiles.push({ name: 'ANTHROPIC_API_KEY', file: `${HOME}/.bashrc`, line: 3 });
    },
    expect: 'env.anthropic-api-key',
    severity: 'warning',
    fix: FIX_COMMANDS.openFileAt,
    args: [`${HOME}/.bashrc`, 3, 1],
  },
  {
    name: 'terminal ANTHROPIC_AUTH_TOKEN while settings.json uses ANTHROPIC_API_KEY: the fix writes "ANTHROPIC_AUTH_TOKEN": ""',
    change: (f) => {
      claude(f).keyVariables = ['ANTHROPIC_API_KEY'];
      f.environment.terminalEnv.ANTHROPIC_AUTH_TOKEN = OTHER_KEY;
    },
    expect: 'env.anthropic-auth-token',
    severity: 'warning',
    fix: FIX_COMMANDS.configureClaudeCode,
    args: [{ accountId: 'acc-1', tokenId: 7, claude: { keyVariable: 'ANTHROPIC_API_KEY', clearShellKey: true } }],
  },
  {
    name: 'shell ANTHROPIC_AUTH_TOKEN holds another key and settings.json sets none',
    change: (f) => {
      claude(f).keyVariables = [];
      f.environment.terminalEnv.ANTHROPIC_AUTH_TOKEN = OTHER_KEY;
    },
    expect: 'env.anthropic-auth-token',
    severity: 'warning',
    fix: FIX_COMMANDS.openTerminalEnvSettings,
  },
  {
    name: 'shell ANTHROPIC_MODEL the gateway does not offer',
    change: (f) => {
      delete claude(f).model;
      f.environment.processEnv.ANTHROPIC_MODEL = 'claude-opus-9';
    },
    expect: 'env.anthropic-model',
    severity: 'warning',
  },
  {
    name: 'CODEX_HOME set only for terminals',
    change: (f) => (f.environment.terminalEnv.CODEX_HOME = '/work/.codex-alt'),
    expect: 'env.codex-home',
    severity: 'warning',
    fix: FIX_COMMANDS.openTerminalEnvSettings,
  },
  {
    name: 'CLAUDE_CONFIG_DIR differs between VS Code and its terminals',
    change: (f) => {
      f.environment.processEnv.CLAUDE_CONFIG_DIR = '/home/dev/.claude-a';
      f.environment.terminalEnv.CLAUDE_CONFIG_DIR = '/home/dev/.claude-b';
    },
    expect: 'env.claude-config-dir',
    severity: 'warning',
    fix: FIX_COMMANDS.openTerminalEnvSettings,
  },
  {
    name: 'OPENCODE_CONFIG set only for terminals',
    change: (f) => (f.environment.terminalEnv.OPENCODE_CONFIG = '/work/opencode.json'),
    expect: 'env.opencode-config',
    severity: 'warning',
    fix: FIX_COMMANDS.openTerminalEnvSettings,
  },

  // --- project files ----------------------------------------------------------------------------
  {
    name: 'workspace .claude/settings.json overrides the base URL',
    change: (f) => f.environment.projectOverrides.push({ agent: 'claude-code', path: '/work/app/.claude/settings.json', keys: ['env.ANTHROPIC_BASE_URL'] }),
    expect: 'project.override',
    severity: 'warning',
    fix: FIX_COMMANDS.openFileAt,
    args: ['/work/app/.claude/settings.json', 1, 1],
  },
  {
    name: 'workspace opencode.jsonc overrides the provider',
    change: (f) => f.environment.projectOverrides.push({ agent: 'opencode', path: '/work/app/opencode.jsonc', keys: ['provider.tokaify', 'model'] }),
    expect: 'project.override',
    severity: 'warning',
    fix: FIX_COMMANDS.openFileAt,
  },
  {
    name: 'a project .claude/settings.json under a workspace profile for Claude Code: the profile wins in this window, said as information',
    change: (f) => {
      f.environment.projectOverrides.push({ agent: 'claude-code', path: '/work/app/.claude/settings.json', keys: ['env.ANTHROPIC_MODEL', 'env.ANTHROPIC_BASE_URL'] });
      f.workspaceProfile = { name: 'tokaify-ws-0123abcd', token: 'work', models: { 'claude-code': 'claude-sonnet-4-5' }, variables: [], files: [] };
    },
    expect: 'project.override',
    severity: 'info',
    fix: FIX_COMMANDS.openFileAt,
  },
  {
    name: 'a project .codex/config.toml under a workspace profile for Codex: still a warning (a project layer is above the profile file)',
    change: (f) => {
      f.environment.projectOverrides.push({ agent: 'codex', path: '/work/app/.codex/config.toml', keys: ['model'] });
      f.workspaceProfile = { name: 'tokaify-ws-0123abcd', token: 'work', models: { codex: 'gpt-5.4' }, variables: [], files: [] };
    },
    expect: 'project.override',
    severity: 'warning',
  },
  // --- the real agents on this machine ----------------------------------------------------------------
  {
    name: 'Claude Code is installed: the offer to run it, saying what it costs',
    change: (f) => realAgent(f, 'claude-code', '2.1.332'),
    expect: 'claude.real-run-offer', severity: 'info', fix: FIX_COMMANDS.runRealAgent, args: [{ accountId: 'acc-1', agent: 'claude-code', tokenId: 7 }],
  },
  { name: 'Codex is installed', change: (f) => realAgent(f, 'codex', '0.171.0'), expect: 'codex.real-run-offer', severity: 'info', fix: FIX_COMMANDS.runRealAgent },
  { name: 'OpenCode is installed', change: (f) => realAgent(f, 'opencode', '1.18.33'), expect: 'opencode.real-run-offer', severity: 'info', fix: FIX_COMMANDS.runRealAgent },
  {
    name: 'the real Claude Code finished its turn',
    change: (f) => realAgent(f, 'claude-code', '2.1.332', { code: 0, stdout: 'Hello! TOKAIFY-SIM-REPLY' }),
    expect: 'claude.real-run', severity: 'ok', fix: null, absent: ['claude.real-run-offer'],
  },
  {
    name: 'the real Claude Code got new-api\'s 401: the same finding as a refused key, its words as evidence',
    change: (f) => realAgent(f, 'claude-code', '2.1.332', { stdout: `Failed to authenticate. API Error: 401 无效的令牌 (request id: 2026abc)\n` }),
    expect: 'relay.key-invalid', severity: 'error', absent: ['claude.probe-failed'],
  },
  {
    name: 'the real Claude Code\'s context_management 400',
    change: (f) => realAgent(f, 'claude-code', '2.0.1', { stdout: 'API Error: 400 context_management: Extra inputs are not permitted' }),
    expect: 'claude.context-management', severity: 'error', fix: FIX_COMMANDS.configureClaudeCode,
  },
  {
    name: 'what the real OpenCode printed beside the finding that explains it',
    change: (f) => realAgent(f, 'opencode', '1.18.33', { stderr: '\u001b[91mError: \u001b[0m无效的令牌 (request id: 9)' }),
    expect: 'opencode.real-run', severity: 'info', fix: FIX_COMMANDS.runRealAgent,
  },
  {
    name: 'the real OpenCode, set up for another gateway, refused there: its own error, not blamed on this gateway',
    change: (f) => {
      agent(f, 'opencode').configured = false;
      opencodeProvider(f).baseUrl = 'https://other.example/v1';
      realAgent(f, 'opencode', '1.18.33', { stderr: 'Error: 无效的令牌 (request id: 9)' });
    },
    expect: 'opencode.real-run', severity: 'error', absent: ['relay.key-invalid'],
  },
  {
    name: 'the real Codex stops on a root profile = "work"',
    change: (f) => realAgent(f, 'codex', '0.171.0', { stderr: 'Error: legacy `profile = "work"` config is no longer supported; use `--profile work` with `work.config.toml` instead' }),
    expect: 'codex.legacy-profile', severity: 'error', fix: FIX_COMMANDS.openFileAt,
  },
  {
    name: 'the real Codex fails in a way Tokaify does not know',
    change: (f) => realAgent(f, 'codex', '0.171.0', { code: 101, stderr: 'thread main panicked' }),
    expect: 'codex.real-run', severity: 'error',
  },
  {
    name: 'the real OpenCode does not finish in time',
    change: (f) => realAgent(f, 'opencode', '1.18.33', { code: null, timedOut: true, ms: 90_000 }),
    expect: 'opencode.real-run', severity: 'warning',
  },
  {
    name: 'a Claude Code older than CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS\'s fix',
    change: (f) => {
      claude(f).disableExperimentalBetas = true;
      realAgent(f, 'claude-code', '2.1.20');
    },
    expect: 'claude.version', severity: 'warning',
  },
  { name: 'a Codex older than the versions confirmed', change: (f) => realAgent(f, 'codex', '0.140.0'), expect: 'codex.version', severity: 'info' },
  { name: 'an OpenCode older than the versions confirmed', change: (f) => realAgent(f, 'opencode', '1.0.0'), expect: 'opencode.version', severity: 'info' },
  {
    name: 'asked to run an agent this machine does not have',
    change: (f) => attachMachineFacts(f, { installed: [], requested: 'opencode' }),
    expect: 'real-run.not-installed', severity: 'warning',
  },
  // --- a workspace profile (Use for This Workspace) ---------------------------------------------
  {
    name: 'a workspace profile applied: an intended override, said as information',
    change: (f) => (f.workspaceProfile = {
      name: 'tokaify-ws-0123abcd', token: 'work', models: { codex: 'gpt-5.4', 'claude-code': 'claude-sonnet-4-5' },
      variables: ['TOKAIFY_WORKSPACE_PROFILE', 'TOKAIFY_WORKSPACE_KEY', 'PATH'], files: [{ path: '/home/u/.codex/tokaify-ws-0123abcd.config.toml', exists: true }],
    }),
    expect: 'workspace.profile',
    severity: 'info',
    absent: ['workspace.profile-file-missing'],
  },
  {
    name: 'a workspace profile whose Codex profile file was deleted',
    change: (f) => (f.workspaceProfile = {
      name: 'tokaify-ws-0123abcd', token: 'work', models: { codex: 'gpt-5.4' },
      variables: ['TOKAIFY_WORKSPACE_PROFILE'], files: [{ path: '/home/u/.codex/tokaify-ws-0123abcd.config.toml', exists: false }],
    }),
    expect: 'workspace.profile-file-missing',
    severity: 'warning',
  },
];
function run(change: (f: Facts) => void): Finding[] {
  const facts = healthy();
  change(facts);
  return diagnose(facts);
}

function ids(findings: Finding[]): string[] {
  return findings.map((x) => `${x.id}:${x.severity}`);
}

const ALL_TEXT = (x: Finding) => [x.title, x.detail, ...x.evidence, JSON.stringify(x.fix ?? null)].join('\n');
const FIX_IDS = new Set<string>(Object.values(FIX_COMMANDS));

describe('diagnose', () => {
  it('healthy facts give exactly one ok finding that says what was checked', () => {
    const findings = diagnose(healthy());
    assert.equal(findings.length, 1, JSON.stringify(findings, null, 2));
    const [ok] = findings;
    assert.equal(ok!.severity, 'ok');
    assert.match(ok!.title, /reachable in 120 ms/);
    assert.match(ok!.title, /key accepted/);
    assert.match(ok!.title, /3 models/);
    assert.match(ok!.title, /Codex CLI, Claude Code and OpenCode OK/);
    assert.equal(ok!.fix, undefined);
  });

  it('the evidence of an all-good check says where the token and balance facts came from, in the display unit', () => {
    const [ok] = diagnose(healthy());
    assert.ok(ok!.evidence.includes('Console: token "vscode" (#7) is enabled, $1.00 left, never expires, group "default" (token facts: from the gateway, just now)'), ok!.evidence.join('\n'));
    assert.ok(ok!.evidence.includes('Account balance: $2.00 (from the gateway, just now)'), ok!.evidence.join('\n'));
  });

  it('a console that no longer accepts the sign-in is never "All good"; the token facts say they are from the list, and when it was loaded', () => {
    const findings = run((f) => consoleRefuses(f));
    assert.ok(!findings.some((x) => x.severity === 'ok'), ids(findings).join(', '));
    const hit = findings.find((x) => x.id === 'console.sign-in')!;
    assert.equal(hit.title, 'The console did not accept your sign-in: sign in again');
    assert.deepEqual(hit.fix, { label: 'Sign in again', command: FIX_COMMANDS.addGateway, args: [{ baseUrl: ROOT }] });
    const evidence = hit.evidence.join('\n');
    assert.match(evidence, /GET \/api\/token\/7 → HTTP 200/);
    assert.match(evidence, /access token 无效 \(the access token is not valid\)/);
    assert.match(evidence, /token facts: from the token list loaded at 10:32:05 UTC; the gateway refused a fresh read \(GET \/api\/token\/7 → HTTP 200\)/);
    assert.match(evidence, /Account balance: unknown; the gateway refused a fresh read \(GET \/api\/user\/self → HTTP 200\)/);
    assert.doesNotMatch(evidence, /from the gateway, just now/);
  });

  it('a token read that failed is never cited as fresh, wherever the token line appears', () => {
    const findings = run((f) => {
      consoleRefuses(f);
      f.token!.status = 'disabled';
    });
    const lines = findings.flatMap((x) => x.evidence).filter((line) => line.startsWith('Console: token'));
    assert.ok(lines.length >= 2, lines.join('\n'));
    for (const line of lines) assert.match(line, /from the token list loaded at 10:32:05 UTC; the gateway refused a fresh read/);
  });

  it('amounts in findings and evidence use the gateway\'s display unit, never raw quota units', () => {
    for (const [status, left, balance] of [
      [undefined, '$1.00 left', '$2.00'],
      [{ quota_display_type: 'CNY', usd_exchange_rate: 7.3 }, '¥7.30 left', '¥14.60'],
      [{ quota_display_type: 'TOKENS' }, '500,000 tokens left', '1,000,000 tokens'],
    ] as const) {
      for (const change of [(f: Facts) => (f.display = quotaDisplayOf(status)), (f: Facts) => {
        f.display = quotaDisplayOf(status);
        f.token!.status = 'disabled';
        f.user!.quota = 0;
      }]) {
        const findings = run(change);
        const text = findings.flatMap((x) => x.evidence).join('\n');
        assert.ok(text.includes(left), text);
        assert.doesNotMatch(text, /remaining quota|\b500000\b/, text);
        if (findings[0]!.id === 'ok') assert.ok(text.includes(`Account balance: ${balance}`), text);
      }
    }
    const broke = run((f) => (f.user!.quota = 0)).find((x) => x.id === 'relay.no-credit')!;
    assert.ok(broke.evidence.includes('Account balance: $0.00 (from the gateway, just now)'), broke.evidence.join('\n'));
  });

  it('a truncated body is named as one, with its own evidence, and no fix that changes the address', () => {
    const findings = run(truncatedBodies);
    const hit = findings.find((x) => x.id === 'gateway.bad-response')!;
    assert.equal(hit.title, 'The gateway answered with a broken (truncated) body');
    assert.match(hit.detail, /fault in the gateway or a proxy in between/);
    assert.match(hit.detail, /try again; if it persists, ask the gateway's operator/i);
    assert.match(hit.evidence.join('\n'), /malformed JSON/);
    for (const x of findings) {
      assert.doesNotMatch(x.title, /not like a new-api/, x.id);
      assert.notEqual(x.fix?.command, FIX_COMMANDS.addGateway, `${x.id} offers to change the address`);
    }
  });

  it('a slow gateway is a warning with the measured time, past the status bar\'s own "slow" mark', () => {
    const findings = run((f) => (f.gateway.latencyMs = 2000));
    const hit = findings.find((x) => x.id === 'gateway.slow');
    assert.ok(hit, ids(findings).join(', '));
    assert.equal(hit.title, 'The gateway is slow: 2.0 s to answer /api/status');
    assert.ok(hit.evidence.includes('GET /api/status → HTTP 200 in 2000 ms'), hit.evidence.join('\n'));
    assert.ok(!findings.some((x) => x.severity === 'ok'));
    assert.match(run((f) => (f.relay.latencyMs = 3456)).find((x) => x.id === 'gateway.slow')!.title, /3\.5 s to answer \/v1\/models/);
    assert.deepEqual(ids(run((f) => (f.gateway.latencyMs = SLOW_MS))), ['ok:ok'], 'at the mark is not slow, as in the status bar');
  });

  describe('a 404 on an agent\'s test request names that agent\'s route only', () => {
    const ROUTES: Record<AgentId, string> = { codex: '/v1/responses', 'claude-code': '/v1/messages', opencode: '/v1/chat/completions' };
    const PREFIXES: Record<AgentId, string> = { codex: 'codex', 'claude-code': 'claude', opencode: 'opencode' };
    for (const id of ['codex', 'claude-code', 'opencode'] as const) {
      for (const wireApi of id === 'codex' ? ['responses', 'chat'] : [undefined]) {
        it(`${id}${wireApi ? ` (wire_api = "${wireApi}")` : ''}`, () => {
          const findings = run((f) => {
            if (wireApi) codexProvider(f).wireApi = wireApi;
            agent(f, id).probe = { ok: false, status: 404, errorKind: 'notFound', message: `${ROOT}${ROUTES[id]} does not exist on this gateway (404).`, contextManagementRejected: false };
          });
          const hit = findings.find((x) => x.id === `${PREFIXES[id]}.probe-failed`);
          assert.ok(hit, ids(findings).join(', '));
          const text = ALL_TEXT(hit);
          assert.ok(text.includes(ROUTES[id]), text);
          for (const [other, route] of Object.entries(ROUTES)) if (other !== id) assert.ok(!text.includes(route), `${hit.id} mentions ${route}:\n${text}`);
        });
      }
    }
  });

  describe('one case per rule', () => {
    for (const c of CASES) {
      it(`${c.name} → ${c.expect} (${c.severity})`, () => {
        const findings = run(c.change);
        const hit = findings.find((x) => x.id === c.expect && x.severity === c.severity);
        assert.ok(hit, `expected ${c.expect}:${c.severity}, got ${ids(findings).join(', ')}`);
        if (c.fix === null) assert.equal(hit.fix, undefined, `${c.expect} should have no fix`);
        else if (c.fix !== undefined) assert.equal(hit.fix?.command, c.fix, `fix of ${c.expect}: ${JSON.stringify(hit.fix)}`);
        if (c.args) assert.deepEqual(hit.fix?.args, c.args);
        for (const id of c.absent ?? []) assert.ok(!findings.some((x) => x.id === id), `${id} should not be reported: ${ids(findings).join(', ')}`);
        if (c.severity === 'error' || c.severity === 'warning') assert.ok(!findings.some((x) => x.severity === 'ok'), 'no ok finding next to a problem');
        assert.ok(hit.evidence.length > 0, 'evidence is given');
      });
    }
  });

  it('a root profile read from config.toml and confirmed by the real Codex is one finding (with the removal), and the run a note', () => {
    const findings = run((f) => {
      codexConfig(f).legacyProfile = { name: 'work', line: 4 };
      realAgent(f, 'codex', '0.171.0', { stderr: 'Error: legacy `profile = "work"` config is no longer supported; use `--profile work` with `work.config.toml` instead' });
    });
    const legacy = findings.filter((x) => x.id === 'codex.legacy-profile');
    assert.equal(legacy.length, 1, ids(findings).join(', '));
    assert.equal(legacy[0]!.fix?.command, FIX_COMMANDS.configureCodex);
    assert.equal(findings.find((x) => x.id === 'codex.real-run')?.severity, 'info');
  });

  it('covers every rule in the table with at least one case', () => {
    const covered = new Set(CASES.map((c) => c.expect));
    const missing = RULES.map((r) => r.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, []);
  });

  it('every finding of every case: one-line title, redacted text, a known fix command', () => {
    for (const c of CASES) {
      for (const x of run(c.change)) {
        assert.ok(!/\n/.test(x.title), `${x.id}: title is one line`);
        assert.ok(x.title.length > 0 && x.detail.length > 0, `${x.id}: title and detail`);
        const text = ALL_TEXT(x);
        for (const key of [KEY, OTHER_KEY]) {
          assert.ok(!text.includes(key.slice(3, 20)), `${c.name}: ${x.id} shows a key:\n${text}`);
        }
        if (x.fix) assert.ok(FIX_IDS.has(x.fix.command), `${x.id}: unknown command ${x.fix.command}`);
      }
    }
  });

  it('never shows a full key, wherever the facts carry one', () => {
    const findings = run((f) => {
      f.relay = { ok: false, status: 401, errorKind: 'unauthorized', serverMessage: `无效的令牌 ${KEY}`, message: `Bearer ${KEY} was refused; x-api-key: ${KEY}` };
      agent(f, 'codex').probe = { ok: false, status: 400, serverMessage: `bad key ${OTHER_KEY}`, message: `sent ${OTHER_KEY}`, contextManagementRejected: false };
      f.environment.processEnv = { OPENAI_API_KEY: OTHER_KEY, ANTHROPIC_API_KEY: KEY, ANTHROPIC_AUTH_TOKEN: 'plain-secret-without-prefix-1234567890' };
      f.environment.terminalEnv = { OPENAI_API_KEY: KEY };
    });
    assert.ok(findings.length > 3, ids(findings).join(', '));
    for (const x of findings) {
      const text = ALL_TEXT(x);
      assert.ok(!text.includes(KEY) && !text.includes(OTHER_KEY), `${x.id} shows a key:\n${text}`);
      assert.ok(!text.includes('x'.repeat(12)) && !text.includes('y'.repeat(12)), `${x.id} shows part of a key:\n${text}`);
      assert.ok(!text.includes('plain-secret-without-prefix'), `${x.id} shows a secret:\n${text}`);
    }
  });

  it('sorts findings errors first, then warnings, info, ok', () => {
    const order: Record<Severity, number> = { error: 0, warning: 1, info: 2, ok: 3 };
    const findings = run((f) => {
      f.environment.processEnv.OPENAI_BASE_URL = 'https://api.openai.com/v1'; // info
      f.environment.projectOverrides.push({ agent: 'codex', path: '/work/app/.codex/config.toml', keys: ['model'] }); // warning
      codexProvider(f).wireApi = 'chat'; // error
      claude(f).keyVariables = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY']; // warning
      opencodeProvider(f).baseUrl = ROOT; // error
    });
    const severities = findings.map((x) => x.severity);
    assert.deepEqual(new Set(severities), new Set(['error', 'warning', 'info']));
    for (let i = 1; i < findings.length; i++) {
      assert.ok(order[severities[i - 1]!] <= order[severities[i]!], `out of order: ${ids(findings).join(', ')}`);
    }
  });

  it('infos alone still come with the ok summary', () => {
    const findings = run((f) => (f.environment.processEnv.OPENAI_BASE_URL = 'https://api.openai.com/v1'));
    assert.deepEqual(ids(findings), ['env.openai-base-url:info', 'ok:ok']);
  });

  it('ignores agents that were not configured and whose files do not mention this gateway', () => {
    const findings = run((f) => {
      const a = agent(f, 'codex');
      a.configured = false;
      a.parseProblems = [{ path: CODEX_CONFIG, line: 1, column: 1, reason: 'broken' }];
      delete a.codex!.config;
      a.probe = { ok: false, status: 404, contextManagementRejected: false };
      f.environment.terminalEnv.CODEX_HOME = '/elsewhere';
    });
    assert.deepEqual(ids(findings), ['ok:ok']);
    assert.match(findings[0]!.title, /Claude Code and OpenCode OK/);
  });

  it('reports an agent Tokaify did not configure when its files point at this gateway', () => {
    const findings = run((f) => {
      agent(f, 'codex').configured = false;
      codexProvider(f).wireApi = 'chat';
    });
    assert.ok(findings.some((x) => x.id === 'codex.wire-api'), ids(findings).join(', '));
  });

  it('an env_key variable that is set satisfies Codex', () => {
    const findings = run((f) => {
      Object.assign(codexProvider(f), { envKey: 'TOKAIFY_API_KEY', requiresOpenaiAuth: undefined });
      f.environment.processEnv.TOKAIFY_API_KEY = KEY;
    });
    assert.deepEqual(ids(findings), ['ok:ok']);
  });

  describe('a Claude Code key variable from the shell (issue 11: it rides along to the gateway)', () => {
    it('names the header, the gateway and where the value comes from, with the profile line; the value is masked', () => {
      const findings = run((f) => {
        f.environment.processEnv.ANTHROPIC_API_KEY = OTHER_KEY;
        f.environment.shellProfiles.push({ name: 'ANTHROPIC_API_KEY', file: `${HOME}/.zshrc`, line: 12 });
      });
      const hits = findings.filter((x) => x.id === 'env.anthropic-api-key');
      assert.equal(hits.length, 1, 'the profile explains the environment value: one finding');
      const [hit] = hits;
      assert.equal(hit!.title, 'Claude Code sends the ANTHROPIC_API_KEY from your shell environment to this gateway too');
      assert.match(hit!.detail, /sends both: the gateway key in the Authorization header and this other one, often your own Anthropic key, which then reaches the gateway, in the x-api-key header\./);
      assert.deepEqual(hit!.evidence, [`Environment: ANTHROPIC_API_KEY=${maskKey(OTHER_KEY)}`, `${HOME}/.zshrc:12: exports ANTHROPIC_API_KEY`]);
      assert.equal(hit!.fix?.label, 'Write "ANTHROPIC_API_KEY": "" in settings.json');
    });

    it('settings.json with "ANTHROPIC_API_KEY": "" (the fix) silences it, wherever the key is set', () => {
      const findings = run((f) => {
        claude(f).clearedKeyVariables = ['ANTHROPIC_API_KEY'];
        f.environment.processEnv.ANTHROPIC_API_KEY = OTHER_KEY;
        f.environment.terminalEnv.ANTHROPIC_API_KEY = OTHER_KEY;
        f.environment.shellProfiles.push({ name: 'ANTHROPIC_API_KEY', file: `${HOME}/.zshrc`, line: 12 });
      });
      assert.deepEqual(ids(findings), ['ok:ok']);
    });
  });

  it('settings.json env wins over the shell: a shell base URL or model is not reported when settings set them', () => {
    const findings = run((f) => {
      f.environment.processEnv.ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
      f.environment.processEnv.ANTHROPIC_MODEL = 'claude-opus-9';
      f.environment.processEnv.ANTHROPIC_AUTH_TOKEN = OTHER_KEY;
    });
    assert.deepEqual(ids(findings), ['ok:ok']);
  });

  it('shows the gateway\'s Chinese message with its English gloss', () => {
    const findings = run((f) => relayRefuses(f, 401, `该令牌状态不可用${REQUEST_ID}`));
    const hit = findings.find((x) => x.id === 'relay.token-disabled')!;
    assert.ok(hit.evidence.some((line) => line.includes('该令牌状态不可用') && line.includes('this key is disabled')), hit.evidence.join('\n'));
    assert.ok(hit.evidence.some((line) => line.startsWith('GET /v1/models → HTTP 401')), hit.evidence.join('\n'));
  });

  it('a generic 401 with a disabled token in the console: the 401 is evidence, and the detail says why it is generic', () => {
    const findings = run((f) => {
      relayRefuses(f, 401, `Invalid token${REQUEST_ID}`);
      f.token!.status = 'disabled';
    });
    const hit = findings.find((x) => x.id === 'relay.token-disabled')!;
    assert.ok(hit.evidence.some((line) => line.startsWith('GET /v1/models → HTTP 401')), hit.evidence.join('\n'));
    assert.ok(hit.evidence.some((line) => line.includes('is disabled')), hit.evidence.join('\n'));
    assert.match(hit.detail, /generic/);
  });

  it('a parse problem is cited as file:line:column', () => {
    const findings = run((f) => {
      agent(f, 'claude-code').parseProblems = [{ path: CLAUDE_SETTINGS, line: 4, column: 7, reason: 'trailing comma' }];
      delete agent(f, 'claude-code').claude;
    });
    const hit = findings.find((x) => x.id === 'claude.parse')!;
    assert.deepEqual(hit.evidence, [`${CLAUDE_SETTINGS}:4:7: trailing comma`]);
    assert.match(hit.detail, /discard the whole file/);
  });
});

describe('readConsole: every console fact is read fresh, and a failed read is recorded, never hidden', () => {
  const cached: Token = {
    id: 7, name: 'vscode', key: 'x'.repeat(48), keyMasked: false, status: 'enabled', unlimited: false, remainQuota: 500000, usedQuota: 0,
    createdTime: 0, accessedTime: 0, expiredTime: -1, modelLimits: [], allowIps: [], group: 'default', crossGroupRetry: false,
  };
  const refused = () => Promise.reject(new GatewayError('unauthorized', 'The gateway did not accept the credentials.', { status: 401, serverMessage: '无权进行此操作，未登录且未提供 access token' }));

  it('fresh reads: the token from the gateway, the balance, both reads ok', async () => {
    const result = await readConsole({ token: { cached, cachedAt: LOADED_AT, read: async () => ({ ...cached, status: 'disabled' }) }, self: async () => ({ quota: 42 }) });
    assert.equal(result.token?.status, 'disabled');
    assert.deepEqual(result.token?.origin, { source: 'gateway' });
    assert.deepEqual(result.user, { quota: 42 });
    assert.deepEqual(result.reads.map((r) => [r.label, r.fact, r.ok]), [['GET /api/token/7', 'token', true], ['GET /api/user/self', 'balance', true]]);
  });

  it('refused reads: the token is the cached copy marked with when it was read, the balance is unknown, both failures recorded', async () => {
    const result = await readConsole({ token: { cached, cachedAt: LOADED_AT, read: refused }, self: refused });
    assert.equal(result.token?.name, 'vscode');
    assert.deepEqual(result.token?.origin, { source: 'cache', at: LOADED_AT });
    assert.equal(result.user, undefined);
    assert.deepEqual(result.reads.map((r) => [r.label, r.ok, r.status, r.errorKind]), [['GET /api/token/7', false, 401, 'unauthorized'], ['GET /api/user/self', false, 401, 'unauthorized']]);
  });

  it('a key account has no console reads', async () => {
    assert.deepEqual(await readConsole(undefined), { reads: [] });
  });
});
