/**
 * Verify, second half: pure rules from Facts to Findings. Each rule is a small named check in the
 * RULES table; `diagnose` runs them all, masks secrets, sorts the result by severity and, when nothing
 * is wrong, says in one `ok` finding what was checked.
 *
 * Sources for the wording: the gateway seeds' FAQs (OpenCode, Codex, Claude Code, token management,
 * TokModel errors), console-api.md §6 (relay key errors of new-api and one-api) and client-configs.md
 * §1–§5 (where each tool reads its settings and what breaks it). The gateway's messages are matched
 * only to pick the explanation; the verbatim text is always shown as evidence, with an English gloss.
 */
import { AGENT_LABELS, type AgentId } from '../agents/types';
import type { CodexProviderSummary } from '../agents/codex';
import { normalizeBaseUrl } from '../baseUrl';
import { maskKey, redact } from '../redact';
import { explainServerMessage } from '../serverMessages';
import { FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type RequestFacts, type Severity } from './types';

export interface Rule {
  id: string;
  check(f: Facts): Finding | Finding[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, ok: 3 };

/** Finding ids use a short prefix per agent: `codex.*`, `claude.*`, `opencode.*`. */
const PREFIX: Record<AgentId, string> = { codex: 'codex', 'claude-code': 'claude', opencode: 'opencode' };

const CONFIGURE: Record<AgentId, string> = {
  codex: FIX_COMMANDS.configureCodex,
  'claude-code': FIX_COMMANDS.configureClaudeCode,
  opencode: FIX_COMMANDS.configureOpenCode,
};

/** The request each agent's test sends (agents/probe.ts). */
const PROBE_REQUEST: Record<AgentId, string> = {
  codex: 'POST /v1/responses',
  'claude-code': 'POST /v1/messages',
  opencode: 'POST /v1/chat/completions',
};

/** Codex's built-in provider ids: `model_provider` may name them without a `[model_providers.x]` table. */
const CODEX_BUILTIN_PROVIDERS = ['openai', 'ollama', 'lmstudio', 'amazon-bedrock']; // RESERVED_CODEX_PROVIDER_IDS minus the removed ollama-chat

/** What `opencode auth login` accepts as a provider id. */
const OPENCODE_PROVIDER_ID = /^[0-9a-z-]+$/;

/** Glosses for relay messages that serverMessages.ts does not cover (console-api.md §6.2, §6.3). */
const EXTRA_GLOSSES: [RegExp, string][] = [
  [/未提供令牌/, 'no API key was sent'],
  [/分组 .* 已被弃用/, 'this key\'s group has been removed'],
  [/该令牌只能在指定网段使用/, 'this key may only be used from its allowed network range'],
  [/无法解析客户端 IP 地址/, 'the gateway could not read your IP address'],
  [/预扣费额度失败/, 'the account balance is too low for this request'],
  [/订阅额度不足/, 'the subscription quota is used up or not set up'],
  [/普通用户不支持指定渠道/, 'only administrators may pick a channel'],
];

function gloss(message: string): string {
  const explained = explainServerMessage(message);
  if (explained !== message) return explained;
  const extra = EXTRA_GLOSSES.find(([pattern]) => pattern.test(message))?.[1];
  return extra ? `${message} (${extra})` : message;
}

function make(id: string, severity: Severity, title: string, detail: string, evidence: string[], fix?: Fix): Finding {
  return fix ? { id, severity, title, detail, evidence, fix } : { id, severity, title, detail, evidence };
}

function tokenIdOf(f: Facts): number | undefined {
  return f.tokenId ?? f.token?.id;
}

function configureFix(f: Facts, agent: AgentId, label: string, extra: Record<string, unknown> = {}): Fix {
  const arg: Record<string, unknown> = { accountId: f.accountId };
  const tokenId = tokenIdOf(f);
  if (tokenId !== undefined) arg.tokenId = tokenId;
  return { label, command: CONFIGURE[agent], args: [{ ...arg, ...extra }] };
}

/** A fix on the console token when we know which one it is, else the web console. */
function tokenFix(f: Facts, command: 'enableToken' | 'editToken', label: string): Fix {
  const tokenId = tokenIdOf(f);
  if (tokenId !== undefined && f.accountKind !== 'key') return { label, command: FIX_COMMANDS[command], args: [{ accountId: f.accountId, tokenId }] };
  return consoleFix(f, 'Open the gateway console');
}

function consoleFix(f: Facts, label: string): Fix {
  return { label, command: FIX_COMMANDS.openConsole, args: [f.accountId] };
}

function openFileFix(path: string, line = 1, column = 1): Fix {
  return { label: 'Open the file', command: FIX_COMMANDS.openFileAt, args: [path, line, column] };
}

/** A secret from the environment, shown enough to recognise (never enough to use). */
function maskSecret(value: string): string {
  if (value.startsWith('sk-')) return maskKey(value);
  return value.length > 12 ? `${value.slice(0, 4)}…${value.slice(-4)}` : '…';
}

/** Whether an environment value is the key being verified (compared through its mask, as that is all Facts holds). */
function isOurKey(f: Facts, value: string): boolean {
  return maskKey(value.trim()) === f.keyLabel;
}

function list(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// URLs

/** The gateway an address belongs to: normalised root (no /v1, no console path), lower case. */
function gatewayOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const result = normalizeBaseUrl(url);
  return result.ok ? result.value.baseUrl.toLowerCase() : undefined;
}

function isThisGateway(f: Facts, url: string | undefined): boolean {
  const mine = gatewayOf(f.gatewayRoot);
  return mine !== undefined && gatewayOf(url) === mine;
}

/** How many `/v1` segments the address ends with. */
function v1Count(url: string): number {
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const match = /(\/v1)+$/i.exec(path);
  return match ? match[0].length / 3 : 0;
}

function openAiBaseOf(f: Facts): string {
  return `${f.gatewayRoot}/v1`;
}

// ---------------------------------------------------------------------------------------------
// Requests: what the gateway answered, and what kind of refusal it was

interface Source {
  /** e.g. `GET /v1/models`, `POST /v1/responses (Codex CLI test request)`. */
  label: string;
  req: RequestFacts;
  agent?: AgentId;
}

type Refusal =
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
function refusal(req: RequestFacts): Refusal | undefined {
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
function describe(source: Source): string[] {
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

function gatewaySource(f: Facts): Source {
  return { label: 'GET /api/status', req: f.gateway };
}

function relaySource(f: Facts): Source {
  return { label: 'GET /v1/models', req: f.relay };
}

function probeSource(agent: AgentFacts): Source | undefined {
  return agent.probe ? { label: `${PROBE_REQUEST[agent.agent]} (${AGENT_LABELS[agent.agent]} test request)`, req: agent.probe, agent: agent.agent } : undefined;
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

function firstRefusal(f: Facts, ...kinds: Refusal[]): Source | undefined {
  return keyedSources(f).find((s) => {
    const kind = refusal(s.req);
    return kind !== undefined && kinds.includes(kind);
  });
}

/** A request that got no HTTP answer (DNS, refused, TLS, timeout): the gateway's own first, then the relay's. */
function networkFailure(f: Facts): Source | undefined {
  return [gatewaySource(f), relaySource(f)].find((s) => !s.req.ok && s.req.status === undefined);
}

function serverFailure(f: Facts): Source | undefined {
  return [gatewaySource(f), relaySource(f)].find((s) => s.req.status !== undefined && s.req.status >= 500 && refusal(s.req) === undefined);
}

/** The gateway answered /api/status, but not like new-api / one-api. */
function notGateway(f: Facts): boolean {
  return !f.gateway.isGateway && f.gateway.status !== undefined && f.gateway.status < 500;
}

// ---------------------------------------------------------------------------------------------
// The console token

type TokenState = 'disabled' | 'expired' | 'exhausted';

/** What the console says stops the token, when it was listed. */
function tokenState(f: Facts): TokenState | undefined {
  const t = f.token;
  if (!t) return undefined;
  if (t.status !== 'enabled') return t.status;
  if (!t.unlimited && t.remainQuota <= 0) return 'exhausted';
  return undefined;
}

function tokenLine(f: Facts): string | undefined {
  const t = f.token;
  if (!t) return undefined;
  const quota = t.unlimited ? 'unlimited quota' : `remaining quota ${t.remainQuota}`;
  const expires = t.expiredTime === -1 ? 'never expires' : `expires ${new Date(t.expiredTime * 1000).toISOString().replace('.000Z', 'Z')}`;
  return `Console: token "${t.name}" (#${t.id}) is ${t.status}, ${quota}, ${expires}, group "${t.group || 'default'}"`;
}

// ---------------------------------------------------------------------------------------------
// Agents

/** Agents to report on: configured by Tokaify, or with files that point at this gateway. */
function reportedAgents(f: Facts): AgentFacts[] {
  return f.agents.filter((a) => a.configured || (a.files.some((file) => file.exists) && mentionsGateway(f, a)));
}

function mentionsGateway(f: Facts, a: AgentFacts): boolean {
  const urls: (string | undefined)[] = [];
  if (a.codex?.config) urls.push(...Object.values(a.codex.config.providers).map((p) => p.baseUrl));
  if (a.claude) urls.push(a.claude.baseUrl);
  if (a.opencode?.config) urls.push(...Object.values(a.opencode.config.providers).map((p) => p.baseUrl));
  return urls.some((url) => isThisGateway(f, url));
}

function agentOf(f: Facts, agent: AgentId): AgentFacts | undefined {
  return reportedAgents(f).find((a) => a.agent === agent);
}

/** The path of an agent's file whose path matches, else its first file, else a label. */
function fileOf(a: AgentFacts, pattern: RegExp, fallback: string): string {
  return a.files.find((file) => pattern.test(file.path))?.path ?? a.files[0]?.path ?? fallback;
}

function missingFiles(a: AgentFacts): string[] {
  return a.files.filter((file) => !file.exists).map((file) => `${file.path} does not exist`);
}

function envValue(f: Facts, name: string): string | undefined {
  return f.environment.terminalEnv[name] ?? f.environment.processEnv[name];
}

interface CodexSelection {
  id: string;
  provider: CodexProviderSummary;
  file: string;
}

/** The provider Codex will use, when its config selects a table that exists. */
function codexSelection(a: AgentFacts): CodexSelection | undefined {
  const config = a.codex?.config;
  const id = config?.modelProvider;
  if (!config || id === undefined) return undefined;
  const provider = config.providers[id];
  return provider ? { id, provider, file: fileOf(a, /config\.toml$/i, 'config.toml') } : undefined;
}

interface OpencodeSelection {
  id: string;
  provider: NonNullable<NonNullable<AgentFacts['opencode']>['config']>['providers'][string];
  file: string;
}

/** Our OpenCode provider: the expected id, else the first provider that points at this gateway. */
function opencodeSelection(f: Facts, a: AgentFacts): OpencodeSelection | undefined {
  const oc = a.opencode;
  const providers = oc?.config?.providers;
  if (!oc || !providers) return undefined;
  const file = fileOf(a, /opencode\.jsonc?$|\.jsonc?$/i, 'opencode.json');
  const expected = providers[oc.providerId];
  if (expected) return { id: oc.providerId, provider: expected, file };
  const here = Object.entries(providers).find(([, p]) => isThisGateway(f, p.baseUrl));
  return here ? { id: here[0], provider: here[1], file } : undefined;
}

/** The model the agent will ask this gateway for, and where it comes from. */
function modelInUse(f: Facts, a: AgentFacts): { model: string; where: string } | undefined {
  switch (a.agent) {
    case 'codex': {
      const selection = codexSelection(a);
      if (a.codex?.config && (!selection || !isThisGateway(f, selection.provider.baseUrl))) return undefined;
      if (a.codex?.config?.model) return { model: a.codex.config.model, where: `${fileOf(a, /config\.toml$/i, 'config.toml')}: model` };
      break;
    }
    case 'claude-code': {
      if (a.claude?.baseUrl !== undefined && !isThisGateway(f, a.claude.baseUrl)) return undefined;
      if (a.claude?.model) return { model: a.claude.model, where: `${fileOf(a, /settings\.json$/i, 'settings.json')}: env.ANTHROPIC_MODEL` };
      break;
    }
    case 'opencode': {
      const selection = opencodeSelection(f, a);
      const model = a.opencode?.config?.model;
      if (selection && model?.startsWith(`${selection.id}/`)) return { model: model.slice(selection.id.length + 1), where: `${selection.file}: model` };
      break;
    }
  }
  return a.expectedModel ? { model: a.expectedModel, where: 'configured by Tokaify' } : undefined;
}

/** Why the agent's model will be refused, if it will. */
function modelProblem(f: Facts, a: AgentFacts): Finding | undefined {
  const label = AGENT_LABELS[a.agent];
  const probe = a.probe && !a.probe.ok ? probeSource(a) : undefined;
  const probeKind = probe ? refusal(probe.req) : undefined;
  const inUse = modelInUse(f, a);
  if (!inUse && !probe) return undefined;
  const evidence: string[] = inUse ? [`${label} model: ${inUse.model} (${inUse.where})`] : [];
  const limits = f.token?.modelLimits ?? [];
  if (inUse && limits.length && !limits.includes(inUse.model)) {
    return make(
      'model.not-allowed',
      'error',
      `${label} uses ${inUse.model}, which this token is not allowed to use`,
      `The token's model limits do not include ${inUse.model}, so the gateway answers 403 "This token has no access to model ${inUse.model}". Add the model to the token's allowed models, or configure ${label} with one of the allowed models.`,
      [...evidence, `Token model limits: ${list(limits)}`],
      tokenFix(f, 'editToken', 'Edit the token\'s allowed models'),
    );
  }
  if (inUse && f.relay.models && !f.relay.models.includes(inUse.model)) {
    return make(
      'model.not-allowed',
      'error',
      `${label} uses ${inUse.model}, which this gateway does not offer to this key`,
      `GET /v1/models lists the models this key may use, and ${inUse.model} is not among them, so ${label}'s requests will be refused (403 or 503 "no available channel"). Pick a model from the list.`,
      [...evidence, `GET /v1/models: ${f.relay.models.length} models (${list(f.relay.models)})`],
      configureFix(f, a.agent, `Configure ${label} with another model`),
    );
  }
  if (probe && (probeKind === 'model-denied' || probeKind === 'no-channel')) {
    const name = inUse?.model ?? 'the model';
    return make(
      'model.not-allowed',
      'error',
      probeKind === 'model-denied' ? `${label}'s model ${name} is refused for this token` : `The gateway has no channel serving ${name} for this key's group`,
      probeKind === 'model-denied'
        ? `The test request in ${label}'s shape was refused because the token may not use ${name}. Allow the model on the token, or configure ${label} with another model.`
        : `The gateway lists ${name} but has no working upstream channel for it in this key's group. Pick another model, or ask the gateway's operator.`,
      [...evidence, ...describe(probe)],
      probeKind === 'model-denied' ? tokenFix(f, 'editToken', 'Edit the token\'s allowed models') : configureFix(f, a.agent, `Configure ${label} with another model`),
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Rules: the gateway

function networkRule(id: string, codes: RegExp, title: (host: string) => string, detail: string, fix?: (f: Facts) => Fix): Rule {
  return {
    id,
    check(f) {
      const failed = networkFailure(f);
      if (!failed || !codes.test(failed.req.code ?? '')) return undefined;
      const host = hostOf(f.gatewayRoot);
      return make(id, 'error', title(host), detail, describe(failed), fix?.(f));
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const addGatewayFix = (f: Facts): Fix => ({ label: 'Correct the gateway address', command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] });

const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO/;
const TIMEOUT_CODES = /^(TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/;
const KNOWN_NETWORK_CODES = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET)$/;

const GATEWAY_RULES: Rule[] = [
  networkRule(
    'gateway.dns',
    /^(ENOTFOUND|EAI_AGAIN)$/,
    (host) => `The gateway's host name ${host} could not be resolved`,
    'DNS has no address for this host: the address may be misspelt, the machine offline, or a VPN / company DNS required. Check the address in a browser; if it is wrong, add the gateway again with the right one.',
    addGatewayFix,
  ),
  networkRule(
    'gateway.refused',
    /^ECONNREFUSED$/,
    (host) => `Nothing answers at ${host}: the connection was refused`,
    'The host exists but nothing listens on that port. The gateway may be down or restarting, or the address has the wrong port or scheme (http vs https). Try again in a minute, then check the address.',
  ),
  networkRule(
    'gateway.reset',
    /^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/,
    (host) => `The connection to ${host} was cut off`,
    'The connection was reset before the gateway answered. This is usually a proxy, firewall or VPN in between, or the gateway restarting. Try again; if it persists, check the proxy settings (http.proxy) and the network.',
  ),
  {
    id: 'gateway.tls',
    check(f) {
      const failed = networkFailure(f);
      if (!failed || !TLS_CODES.test(failed.req.code ?? '')) return undefined;
      return make(
        'gateway.tls',
        'error',
        `The TLS certificate of ${hostOf(f.gatewayRoot)} is not trusted`,
        'The secure connection could not be verified (expired, self-signed, or issued for another host name). A company proxy that inspects HTTPS causes this too: its root certificate must be trusted by VS Code. Do not turn off certificate checks for a gateway that receives your API key.',
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.timeout',
    check(f) {
      const failed = [gatewaySource(f), relaySource(f)].find((s) => !s.req.ok && (s.req.errorKind === 'timeout' || TIMEOUT_CODES.test(s.req.code ?? '')));
      if (!failed) return undefined;
      return make(
        'gateway.timeout',
        'error',
        `${hostOf(f.gatewayRoot)} did not answer in time`,
        'The gateway took too long to answer. It may be overloaded or unreachable from this network (firewall, VPN, proxy). Try again; if it keeps timing out, open the address in a browser.',
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.unreachable',
    check(f) {
      const failed = networkFailure(f);
      if (!failed || failed.req.errorKind === 'timeout') return undefined;
      const code = failed.req.code ?? '';
      if (KNOWN_NETWORK_CODES.test(code) || TLS_CODES.test(code) || TIMEOUT_CODES.test(code)) return undefined;
      return make(
        'gateway.unreachable',
        'error',
        `${hostOf(f.gatewayRoot)} could not be reached`,
        'No answer came back from the gateway. Check the network connection, VPN and proxy settings, then try again.',
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.not-gateway',
    check(f) {
      if (!notGateway(f)) return undefined;
      return make(
        'gateway.not-gateway',
        'error',
        `${f.gatewayRoot} answers, but not like a new-api / one-api gateway`,
        'GET /api/status did not return the gateway\'s status. The address probably points at a web page, a console sub-path or another service. Use the API address shown in the gateway\'s console (for example https://api.tokaify.com, without /v1).',
        describe(gatewaySource(f)),
        addGatewayFix(f),
      );
    },
  },
  {
    id: 'gateway.server-error',
    check(f) {
      const failed = serverFailure(f);
      if (!failed) return undefined;
      return make(
        'gateway.server-error',
        'error',
        `The gateway failed with HTTP ${failed.req.status ?? '5xx'}`,
        'This is a fault on the gateway\'s side (or the proxy in front of it), not in your configuration. Try again in a few minutes; if it persists, tell the gateway\'s operator and quote the request id from the message.',
        describe(failed),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Rules: the key on the relay (GET /v1/models and the agents' test requests)

function keyEvidence(f: Facts, source: Source | undefined): string[] {
  const lines = source ? describe(source) : [];
  const token = tokenLine(f);
  if (token) lines.push(token);
  lines.push(`Key under test: ${f.keyLabel}`);
  return lines;
}

/**
 * The request that shows a token state: its own message, or, when the console says the token is in that
 * state, a generic 401 (newer new-api answers one "invalid token" for disabled, expired and used-up keys).
 */
function tokenStateSource(f: Facts, state: TokenState): Source | undefined {
  return firstRefusal(f, state) ?? (tokenState(f) === state ? firstRefusal(f, 'invalid') : undefined);
}

const GENERIC_401 = ' The gateway\'s 401 does not name the reason (newer new-api versions answer one generic "invalid token" for every key problem), but the console shows it.';

function stateDetail(f: Facts, state: TokenState, detail: string): string {
  return firstRefusal(f, state) === undefined && tokenStateSource(f, state) !== undefined ? detail + GENERIC_401 : detail;
}

const RELAY_RULES: Rule[] = [
  {
    id: 'relay.key-invalid',
    check(f) {
      const source = firstRefusal(f, 'invalid');
      if (!source || tokenState(f)) return undefined;
      const enabled = f.token?.status === 'enabled';
      // Without a tokenId the configure flow asks which token to use.
      const fix: Fix =
        f.accountKind === 'key'
          ? { label: 'Sign in again with a valid key', command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] }
          : { label: 'Pick another token', command: CONFIGURE[reportedAgents(f)[0]?.agent ?? 'codex'], args: [{ accountId: f.accountId }] };
      return make(
        'relay.key-invalid',
        'error',
        'The gateway does not accept this API key (401)',
        (enabled
          ? 'The console lists the token as enabled, so the key Tokaify holds is not (or no longer) that token\'s key: it may have been regenerated, or the token deleted and created again. '
          : 'The key is unknown to the gateway, incomplete (it must be the full sk-… secret), or was deleted. Newer new-api versions also answer this single 401 for disabled, expired and used-up keys. ') +
          'Sign in again, or pick another token and configure the agents with it.',
        keyEvidence(f, source),
        fix,
      );
    },
  },
  {
    id: 'relay.token-disabled',
    check(f) {
      const source = tokenStateSource(f, 'disabled');
      if (!source && tokenState(f) !== 'disabled') return undefined;
      return make(
        'relay.token-disabled',
        'error',
        `The token${f.token ? ` "${f.token.name}"` : ''} is disabled`,
        stateDetail(f, 'disabled', 'A disabled token is refused on every request (401 该令牌状态不可用, "this key is disabled"). Enable it in the token list; nothing else needs to change.'),
        keyEvidence(f, source),
        tokenFix(f, 'enableToken', 'Enable the token'),
      );
    },
  },
  {
    id: 'relay.token-expired',
    check(f) {
      const source = tokenStateSource(f, 'expired');
      if (!source && tokenState(f) !== 'expired') return undefined;
      return make(
        'relay.token-expired',
        'error',
        `The token${f.token ? ` "${f.token.name}"` : ''} has expired`,
        stateDetail(f, 'expired', 'The token\'s expiry time has passed, so the gateway refuses it (401 该令牌已过期, "this key has expired"). Edit the token and set a later expiry, or "never expires".'),
        keyEvidence(f, source),
        tokenFix(f, 'editToken', 'Extend the token\'s expiry'),
      );
    },
  },
  {
    id: 'relay.token-exhausted',
    check(f) {
      const source = tokenStateSource(f, 'exhausted');
      if (!source && tokenState(f) !== 'exhausted') return undefined;
      return make(
        'relay.token-exhausted',
        'error',
        `The token${f.token ? ` "${f.token.name}"` : ''} has used up its quota`,
        stateDetail(f, 'exhausted', 'The token\'s own quota is spent (401 额度已用尽, "this key has used up its quota"), even if the account still has balance. Edit the token: raise its quota or make it unlimited.'),
        keyEvidence(f, source),
        tokenFix(f, 'editToken', 'Raise the token\'s quota'),
      );
    },
  },
  {
    id: 'relay.no-credit',
    check(f) {
      const source = firstRefusal(f, 'no-credit');
      const broke = f.user !== undefined && f.user.quota <= 0;
      if (!source && !broke) return undefined;
      const evidence = source ? describe(source) : [];
      if (f.user) evidence.push(`Account balance: ${f.user.formatted}`);
      return make(
        'relay.no-credit',
        'error',
        'The account has no balance left',
        'The key is valid, but the account cannot pay for requests: the gateway answers 403 (insufficient_user_quota / 用户额度不足, "Insufficient credits"). Listing models still works, which is why this can look like a configuration problem. Top up the balance in the console.',
        evidence,
        consoleFix(f, 'Open the console to top up'),
      );
    },
  },
  {
    id: 'relay.ip-denied',
    check(f) {
      const source = firstRefusal(f, 'ip-denied');
      if (!source) return undefined;
      const evidence = describe(source);
      if (f.token?.allowIps.length) evidence.push(`Token IP allowlist: ${list(f.token.allowIps)}`);
      return make(
        'relay.ip-denied',
        'error',
        'The token does not allow requests from this IP address',
        'The token has an IP allowlist and this machine\'s public address is not on it (403 您的 IP 不在令牌允许访问的列表中). A VPN or changing home IP causes this. Add your current address to the token\'s allowlist, or clear the list.',
        evidence,
        tokenFix(f, 'editToken', 'Edit the token\'s IP allowlist'),
      );
    },
  },
  {
    id: 'relay.group',
    check(f) {
      const source = firstRefusal(f, 'group');
      if (!source) return undefined;
      const evidence = describe(source);
      if (f.token) evidence.push(`Token group: "${f.token.group || 'default'}"`);
      return make(
        'relay.group',
        'error',
        'The token\'s group is not available to this account',
        'The token belongs to a group the user may not use, or the gateway removed that group (403 无权访问 … 分组 / 分组 … 已被弃用). Edit the token and choose one of the groups the console offers.',
        evidence,
        tokenFix(f, 'editToken', 'Change the token\'s group'),
      );
    },
  },
  {
    id: 'relay.user-banned',
    check(f) {
      const source = firstRefusal(f, 'banned');
      if (!source) return undefined;
      return make(
        'relay.user-banned',
        'error',
        'The gateway account is banned',
        'The gateway refuses every key of this user (403 用户已被封禁, "this user is banned"). Only the gateway\'s operator can lift this; contact them.',
        describe(source),
      );
    },
  },
  {
    id: 'relay.rate-limited',
    check(f) {
      const source = firstRefusal(f, 'rate-limited');
      if (!source) return undefined;
      return make(
        'relay.rate-limited',
        'warning',
        'The gateway is rate-limiting this key (429)',
        'Too many requests in a short time. Wait a minute and verify again; if it happens in normal use, ask the gateway\'s operator about the limits.',
        describe(source),
      );
    },
  },
  {
    id: 'relay.failed',
    check(f) {
      const req = f.relay;
      if (req.ok || req.status === undefined || req.status >= 500 || refusal(req) !== undefined || notGateway(f) || !f.gateway.ok) return undefined;
      return make(
        'relay.failed',
        'error',
        `The model list request failed with HTTP ${req.status}`,
        req.status === 404
          ? `${openAiBaseOf(f)}/models does not exist: this gateway serves its OpenAI-compatible API somewhere else. Check the gateway address.`
          : 'The gateway refused to list models for this key. The message below says why.',
        keyEvidence(f, relaySource(f)),
      );
    },
  },
  {
    id: 'relay.no-models',
    check(f) {
      if (!f.relay.ok || !f.relay.models || f.relay.models.length > 0) return undefined;
      return make(
        'relay.no-models',
        'warning',
        'The gateway offers no models to this key',
        'GET /v1/models answered with an empty list: the token\'s group has no model with a price, or the token\'s model limits are empty. Check the token\'s group and allowed models in the console.',
        keyEvidence(f, relaySource(f)),
        tokenFix(f, 'editToken', 'Edit the token'),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Rules: models

const MODEL_RULES: Rule[] = [
  {
    id: 'model.not-allowed',
    check(f) {
      return reportedAgents(f).map((a) => modelProblem(f, a)).filter((x): x is Finding => x !== undefined);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Rules: every agent (parse problems, missing config, failed test request)

const PARSE_DETAIL: Record<AgentId, (path: string) => string> = {
  codex: (path) =>
    /auth\.json$/i.test(path)
      ? 'Codex reads auth.json as strict JSON; when it does not parse, Codex reports "not logged in" and sends no key. Fix the file or configure Codex again.'
      : 'Codex refuses to start when config.toml is not valid TOML (a duplicate key or table, an unclosed string…). Fix the line shown, then start Codex again.',
  'claude-code': () =>
    'Claude Code reads settings.json as strict JSON: a comment or a trailing comma makes it discard the whole file, so none of the gateway settings (base URL, key, model) apply. Remove the comment or comma at the line shown.',
  opencode: (path) =>
    /auth\.json$/i.test(path)
      ? 'OpenCode\'s auth.json is strict JSON written by OpenCode itself; when it does not parse, the stored keys are ignored.'
      : 'OpenCode stops with a configuration error when its config does not parse. Fix the line shown.',
};

const AGENTS: readonly AgentId[] = ['codex', 'claude-code', 'opencode'];

const PARSE_RULES: Rule[] = AGENTS.map(
  (agent): Rule => ({
    id: `${PREFIX[agent]}.parse`,
    check(f) {
      const a = agentOf(f, agent);
      if (!a) return undefined;
      return a.parseProblems.map((p) =>
        make(
          `${PREFIX[agent]}.parse`,
          'error',
          `${AGENT_LABELS[agent]} cannot read ${p.path.split(/[\\/]/).pop() ?? p.path}: ${p.reason}`,
          PARSE_DETAIL[agent](p.path),
          [`${p.path}:${p.line}:${p.column}: ${p.reason}`],
          openFileFix(p.path, p.line, p.column),
        ),
      );
    },
  }),
);

const CONFIG_MISSING_RULES: Rule[] = AGENTS.map(
  (agent): Rule => ({
    id: `${PREFIX[agent]}.config-missing`,
    check(f) {
      const a = agentOf(f, agent);
      if (!a || !a.configured) return undefined;
      const configProblems = a.parseProblems.filter((p) => !/auth\.json$/i.test(p.path));
      if (configProblems.length) return undefined;
      const missing = agent === 'codex' ? !a.codex?.config : agent === 'claude-code' ? !a.claude : !a.opencode?.config;
      if (!missing) return undefined;
      const label = AGENT_LABELS[agent];
      return make(
        `${PREFIX[agent]}.config-missing`,
        'error',
        `${label}'s configuration is gone`,
        `Tokaify configured ${label}, but its settings file is missing now (deleted, or the tool's folder moved). Configure ${label} again.`,
        missingFiles(a),
        configureFix(f, agent, `Configure ${label} again`),
      );
    },
  }),
);

const PROBE_RULES: Rule[] = AGENTS.map(
  (agent): Rule => ({
    id: `${PREFIX[agent]}.probe-failed`,
    check(f) {
      const a = agentOf(f, agent);
      const source = a ? probeSource(a) : undefined;
      if (!a || !source || source.req.ok || probeExplained(f, a)) return undefined;
      const label = AGENT_LABELS[agent];
      const notFound = source.req.status === 404;
      return make(
        `${PREFIX[agent]}.probe-failed`,
        'error',
        `A test request in ${label}'s shape failed${source.req.status !== undefined ? ` (HTTP ${source.req.status})` : ''}`,
        notFound
          ? `The gateway has no ${PROBE_REQUEST[agent].slice(5)} route, so ${label} cannot work through it (one-api has no /v1/messages; older gateways have no /v1/responses). Use a gateway that serves this API, or another tool.`
          : `The key and the model list are fine, but the request ${label} sends was refused: ${source.req.message ?? 'see the gateway\'s message below'}`,
        describe(source),
      );
    },
  }),
);

/** A failed test request that another finding already explains. */
function probeExplained(f: Facts, a: AgentFacts): boolean {
  const probe = a.probe;
  if (!probe) return true;
  if (probe.contextManagementRejected) return true;
  if (refusal(probe) !== undefined) return true;
  if (probe.status === undefined && networkFailure(f)) return true;
  if (probe.status !== undefined && probe.status >= 500 && serverFailure(f)) return true;
  return modelProblem(f, a) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Rules: Codex

function codexRule(id: string, check: (f: Facts, a: AgentFacts, codex: NonNullable<AgentFacts['codex']>) => Finding | undefined): Rule {
  return {
    id,
    check(f) {
      const a = agentOf(f, 'codex');
      return a?.codex ? check(f, a, a.codex) : undefined;
    },
  };
}

/** Codex's selected provider, when it points at this gateway (the key checks only make sense then). */
function codexHere(f: Facts, a: AgentFacts): CodexSelection | undefined {
  const selection = codexSelection(a);
  return selection && isThisGateway(f, selection.provider.baseUrl) ? selection : undefined;
}

const CODEX_RULES: Rule[] = [
  codexRule('codex.provider-missing', (f, a, codex) => {
    const id = codex.config?.modelProvider;
    if (!codex.config || id === undefined || codex.config.providers[id] || CODEX_BUILTIN_PROVIDERS.includes(id)) return undefined;
    const file = fileOf(a, /config\.toml$/i, 'config.toml');
    const defined = Object.keys(codex.config.providers);
    return make(
      'codex.provider-missing',
      'error',
      `Codex's model_provider "${id}" has no [model_providers.${id}] table`,
      'Codex looks the provider up by exact, case-sensitive id and refuses to start when it is not defined. Configure Codex again to write the provider table, or correct model_provider.',
      [`${file}: model_provider = "${id}"`, defined.length ? `Defined providers: ${defined.join(', ')}` : 'No [model_providers.*] table is defined'],
      configureFix(f, 'codex', 'Configure Codex again'),
    );
  }),
  codexRule('codex.wire-api', (f, a) => {
    const selection = codexSelection(a);
    const wire = selection?.provider.wireApi;
    if (!selection || wire === undefined || wire === 'responses') return undefined;
    return make(
      'codex.wire-api',
      'error',
      `Codex's provider "${selection.id}" sets wire_api = "${wire}"; Codex only accepts "responses"`,
      wire === 'chat'
        ? 'Current Codex no longer supports wire_api = "chat" and refuses to start ("wire_api = \\"chat\\" is no longer supported"). Set wire_api = "responses": the gateway serves /v1/responses.'
        : `"${wire}" is not a wire API Codex knows; it refuses to start. Set wire_api = "responses".`,
      [`${selection.file}: [model_providers.${selection.id}] wire_api = "${wire}"`],
      configureFix(f, 'codex', 'Configure Codex again'),
    );
  }),
  codexRule('codex.base-url', (f, a) => {
    const selection = codexSelection(a);
    if (!selection) return undefined;
    const url = selection.provider.baseUrl;
    const evidenceLine = `${selection.file}: [model_providers.${selection.id}] base_url = ${url === undefined ? '(not set)' : `"${url}"`}`;
    if (url === undefined) {
      if (!a.configured) return undefined;
      return make(
        'codex.base-url',
        'error',
        `Codex's provider "${selection.id}" has no base_url`,
        `Without base_url Codex sends requests to OpenAI instead of the gateway. It should be ${openAiBaseOf(f)}.`,
        [evidenceLine],
        configureFix(f, 'codex', 'Configure Codex again'),
      );
    }
    if (!isThisGateway(f, url)) return undefined;
    const count = v1Count(url);
    if (count === 1) return undefined;
    return make(
      'codex.base-url',
      'error',
      count === 0 ? 'Codex\'s base_url is missing /v1' : 'Codex\'s base_url ends in /v1/v1',
      count === 0
        ? `Codex appends /responses to base_url, so requests go to ${url.replace(/\/+$/, '')}/responses, which the gateway does not serve (404). Use ${openAiBaseOf(f)}.`
        : `Codex appends /responses to base_url, so requests go to …/v1/v1/responses (404). Use ${openAiBaseOf(f)}.`,
      [evidenceLine],
      configureFix(f, 'codex', 'Configure Codex again'),
    );
  }),
  codexRule('codex.other-gateway', (f, a, codex) => {
    if (!codex.config) return undefined;
    const id = codex.config.modelProvider;
    const file = fileOf(a, /config\.toml$/i, 'config.toml');
    const selection = codexSelection(a);
    const builtin = id === undefined || (!selection && CODEX_BUILTIN_PROVIDERS.includes(id));
    if (builtin) {
      if (!a.configured) return undefined;
      return make(
        'codex.other-gateway',
        'warning',
        `Codex uses its built-in "${id ?? 'openai'}" provider, not this gateway`,
        'config.toml does not select the gateway\'s provider, so Codex talks to OpenAI (or its local provider). Configure Codex again to select it.',
        [`${file}: model_provider = ${id === undefined ? '(not set)' : `"${id}"`}`],
        configureFix(f, 'codex', 'Point Codex at this gateway'),
      );
    }
    const url = selection?.provider.baseUrl;
    if (!selection || url === undefined || isThisGateway(f, url)) return undefined;
    return make(
      'codex.other-gateway',
      a.configured ? 'warning' : 'info',
      `Codex now uses ${hostOf(url)}, not this gateway`,
      `The provider Codex selects ("${selection.id}") points at another address, so the key being verified is not used by Codex. If that is intended, nothing is wrong; otherwise configure Codex again.`,
      [`${selection.file}: model_provider = "${selection.id}", base_url = "${url}"`, `This gateway: ${openAiBaseOf(f)}`],
      configureFix(f, 'codex', 'Point Codex at this gateway'),
    );
  }),
  codexRule('codex.key-missing', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection) return undefined;
    const p = selection.provider;
    const file = selection.file;
    if (p.envKey) {
      if (f.environment.processEnv[p.envKey] !== undefined || f.environment.terminalEnv[p.envKey] !== undefined) return undefined;
      return make(
        'codex.key-missing',
        'error',
        `Codex reads its key from ${p.envKey}, which is not set`,
        `The provider sets env_key = "${p.envKey}"; Codex stops with an error when that variable is missing or empty. VS Code and its terminals do not have it. Set it in your shell profile and restart VS Code, or let Tokaify store the key in auth.json instead.`,
        [`${file}: [model_providers.${selection.id}] env_key = "${p.envKey}"`, `${p.envKey} is not set in VS Code's environment or terminal.integrated.env`],
        configureFix(f, 'codex', 'Configure Codex to store the key'),
      );
    }
    if (p.hasBearerToken) return undefined;
    if (a.parseProblems.some((x) => /auth\.json$/i.test(x.path))) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    if (codex.authMode === 'chatgpt') return undefined; // codex.chatgpt-mode
    if (codex.authHasKey && codex.authMode === 'apikey') return undefined;
    return make(
      'codex.key-missing',
      'error',
      'Codex has no API key for this gateway',
      codex.authMode === 'other'
        ? 'auth.json is in a login mode Codex does not send an API key from (a personal access token, Bedrock or an unknown auth_mode). Configure Codex again to store the key.'
        : 'The provider takes its key from auth.json, but auth.json has no OPENAI_API_KEY, so Codex asks you to log in or sends nothing. Configure Codex again to store the key.',
      [`${file}: [model_providers.${selection.id}]${p.requiresOpenaiAuth ? ' requires_openai_auth = true' : ''} (no env_key, no experimental_bearer_token)`, `${auth}: auth mode ${codex.authMode}, ${codex.authHasKey ? 'has' : 'no'} OPENAI_API_KEY`],
      configureFix(f, 'codex', 'Configure Codex to store the key'),
    );
  }),
  codexRule('codex.chatgpt-mode', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection || selection.provider.envKey || selection.provider.hasBearerToken || codex.authMode !== 'chatgpt') return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'codex.chatgpt-mode',
      'error',
      'Codex sends your ChatGPT login token to the gateway, not the API key',
      'auth.json is in ChatGPT mode (auth_mode "chatgpt"); in that mode an OPENAI_API_KEY in the same file is ignored, and Codex sends the ChatGPT access token to this gateway, which rejects it. Configure Codex again: either switch auth.json to API-key mode, or keep the ChatGPT login and put the key in config.toml.',
      [`${auth}: auth mode chatgpt${codex.authHasKey ? ' (its OPENAI_API_KEY is ignored)' : ''}`, `${selection.file}: [model_providers.${selection.id}] has no env_key or experimental_bearer_token`],
      configureFix(f, 'codex', 'Configure Codex again'),
    );
  }),
  codexRule('codex.key-mismatch', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection || selection.provider.envKey) return undefined;
    const bearer = selection.provider.hasBearerToken;
    if (bearer ? codex.bearerKeyMatches : !(codex.authMode === 'apikey' && codex.authHasKey && !codex.authKeyMatches)) return undefined;
    const where = bearer ? `${selection.file}: [model_providers.${selection.id}] experimental_bearer_token` : `${fileOf(a, /auth\.json$/i, 'auth.json')}: OPENAI_API_KEY`;
    return make(
      'codex.key-mismatch',
      'error',
      'Codex sends a different key than the one verified here',
      `The key in ${bearer ? 'config.toml (experimental_bearer_token)' : 'auth.json (OPENAI_API_KEY)'} is not ${f.keyLabel}: it may be an older or deleted key. Configure Codex again to write this one.`,
      [`${where} is not ${f.keyLabel}`],
      configureFix(f, 'codex', 'Configure Codex with this key'),
    );
  }),
];

// ---------------------------------------------------------------------------------------------
// Rules: Claude Code

function claudeRule(id: string, check: (f: Facts, a: AgentFacts, claude: NonNullable<AgentFacts['claude']>, file: string) => Finding | undefined): Rule {
  return {
    id,
    check(f) {
      const a = agentOf(f, 'claude-code');
      return a?.claude ? check(f, a, a.claude, fileOf(a, /settings\.json$/i, 'settings.json')) : undefined;
    },
  };
}

/** A key variable for Claude Code from the environment (shell or terminal setting). */
function claudeEnvKey(f: Facts): string | undefined {
  return envValue(f, 'ANTHROPIC_AUTH_TOKEN') ?? envValue(f, 'ANTHROPIC_API_KEY');
}

const CLAUDE_RULES: Rule[] = [
  claudeRule('claude.base-url', (f, _a, claude, file) => {
    const url = claude.baseUrl;
    if (url === undefined || !isThisGateway(f, url) || v1Count(url) === 0) return undefined;
    return make(
      'claude.base-url',
      'error',
      'Claude Code\'s ANTHROPIC_BASE_URL ends in /v1',
      `Claude Code appends /v1/messages itself, so requests go to …/v1/v1/messages, which the gateway does not serve (404). Use the gateway root, ${f.gatewayRoot}.`,
      [`${file}: env.ANTHROPIC_BASE_URL = "${url}"`],
      configureFix(f, 'claude-code', 'Configure Claude Code again'),
    );
  }),
  claudeRule('claude.other-gateway', (f, a, claude, file) => {
    const url = claude.baseUrl;
    if (url === undefined) {
      const fromEnv = envValue(f, 'ANTHROPIC_BASE_URL');
      if (!a.configured || (fromEnv !== undefined && isThisGateway(f, fromEnv))) return undefined;
      return make(
        'claude.other-gateway',
        'warning',
        'Claude Code has no ANTHROPIC_BASE_URL, so it talks to Anthropic, not this gateway',
        'settings.json does not set ANTHROPIC_BASE_URL. Configure Claude Code again to point it at the gateway.',
        [`${file}: env.ANTHROPIC_BASE_URL is not set`],
        configureFix(f, 'claude-code', 'Point Claude Code at this gateway'),
      );
    }
    if (isThisGateway(f, url)) return undefined;
    return make(
      'claude.other-gateway',
      a.configured ? 'warning' : 'info',
      `Claude Code now uses ${hostOf(url)}, not this gateway`,
      'ANTHROPIC_BASE_URL points at another address, so the key being verified is not used by Claude Code. If that is intended, nothing is wrong; otherwise configure Claude Code again.',
      [`${file}: env.ANTHROPIC_BASE_URL = "${url}"`, `This gateway: ${f.gatewayRoot}`],
      configureFix(f, 'claude-code', 'Point Claude Code at this gateway'),
    );
  }),
  claudeRule('claude.both-keys', (f, _a, claude, file) => {
    if (claude.keyVariables.length < 2) return undefined;
    return make(
      'claude.both-keys',
      'warning',
      'Claude Code\'s settings set both ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY',
      'Claude Code then sends two credentials (Authorization and X-Api-Key), asks you to approve the API key (the dialog defaults to No, which leaves you "Not logged in"), and warns about an auth conflict. Keep only ANTHROPIC_AUTH_TOKEN: configure Claude Code again.',
      [`${file}: env.ANTHROPIC_AUTH_TOKEN and env.ANTHROPIC_API_KEY are both set`],
      configureFix(f, 'claude-code', 'Configure Claude Code with one key variable'),
    );
  }),
  claudeRule('claude.key-missing', (f, a, claude, file) => {
    if (claude.keyVariables.length || (claude.baseUrl !== undefined && !isThisGateway(f, claude.baseUrl))) return undefined;
    if (claude.baseUrl === undefined && !a.configured) return undefined;
    const fromEnv = claudeEnvKey(f);
    if (fromEnv !== undefined && isOurKey(f, fromEnv)) return undefined;
    return make(
      'claude.key-missing',
      fromEnv !== undefined ? 'warning' : 'error',
      'Claude Code has no API key for this gateway in its settings',
      fromEnv !== undefined
        ? 'settings.json sets no ANTHROPIC_AUTH_TOKEN, so Claude Code uses the key from the environment, which is not the key verified here. Configure Claude Code again to store this key in settings.json.'
        : 'settings.json sets neither ANTHROPIC_AUTH_TOKEN nor ANTHROPIC_API_KEY, so Claude Code asks you to log in to Anthropic. Configure Claude Code again to store the key.',
      [`${file}: env has no ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY`],
      configureFix(f, 'claude-code', 'Configure Claude Code to store the key'),
    );
  }),
  claudeRule('claude.key-mismatch', (f, _a, claude, file) => {
    if (!claude.keyVariables.length || claude.keyMatches || (claude.baseUrl !== undefined && !isThisGateway(f, claude.baseUrl))) return undefined;
    return make(
      'claude.key-mismatch',
      'error',
      'Claude Code sends a different key than the one verified here',
      `The key in settings.json (${claude.keyVariables[0]}) is not ${f.keyLabel}: it may be an older or deleted key. Configure Claude Code again to write this one.`,
      [`${file}: env.${claude.keyVariables[0]} is not ${f.keyLabel}`],
      configureFix(f, 'claude-code', 'Configure Claude Code with this key'),
    );
  }),
  {
    id: 'claude.context-management',
    check(f) {
      const a = agentOf(f, 'claude-code');
      const source = a ? probeSource(a) : undefined;
      if (!a || !source || !a.probe?.contextManagementRejected) return undefined;
      const already = a.claude?.disableExperimentalBetas === true;
      const evidence = describe(source);
      if (a.claude) evidence.push(`${fileOf(a, /settings\.json$/i, 'settings.json')}: CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS ${already ? 'is on' : 'is not set'}`);
      return make(
        'claude.context-management',
        'error',
        'The gateway rejects Claude Code\'s context_management field (400 "Extra inputs are not permitted")',
        'This usually does not mean the key is wrong. Claude Code\'s experimental betas add a context_management field to each request, and this gateway (or its upstream) does not accept it. In Claude Code you see "Unable to connect to Anthropic services / Failed to connect to api.anthropic.com: ERR_BAD_REQUEST" at the top; that is generic wording, not a network problem: the 400 at the bottom is the real error. ' +
          (already
            ? 'CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS is already on; some Claude Code versions still send the field. Try DISABLE_PROMPT_CACHING=1 as well, update Claude Code, or ask the gateway\'s operator to accept context_management.'
            : 'Fix: set CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 in settings.json (one click below), then open a new terminal and start claude again.'),
        evidence,
        configureFix(f, 'claude-code', 'Disable experimental betas', { claude: { disableExperimentalBetas: true } }),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Rules: OpenCode

function opencodeRule(id: string, check: (f: Facts, a: AgentFacts, oc: NonNullable<AgentFacts['opencode']>) => Finding | Finding[] | undefined): Rule {
  return {
    id,
    check(f) {
      const a = agentOf(f, 'opencode');
      return a?.opencode?.config ? check(f, a, a.opencode) : undefined;
    },
  };
}

const OPENCODE_RULES: Rule[] = [
  opencodeRule('opencode.provider-missing', (f, a, oc) => {
    if (!a.configured || opencodeSelection(f, a)) return undefined;
    const file = fileOf(a, /\.jsonc?$/i, 'opencode.json');
    const ids = Object.keys(oc.config?.providers ?? {});
    return make(
      'opencode.provider-missing',
      'error',
      `OpenCode's config has no "${oc.providerId}" provider for this gateway`,
      'The provider entry Tokaify wrote is gone, so OpenCode does not list the gateway\'s models. Configure OpenCode again.',
      [`${file}: provider.${oc.providerId} is not defined${ids.length ? ` (defined: ${ids.join(', ')})` : ''}`],
      configureFix(f, 'opencode', 'Configure OpenCode again'),
    );
  }),
  opencodeRule('opencode.provider-id', (f, a, oc) => {
    const providers = oc.config?.providers ?? {};
    const file = fileOf(a, /\.jsonc?$/i, 'opencode.json');
    const ids = new Set<string>([oc.providerId, ...Object.keys(providers).filter((id) => isThisGateway(f, providers[id]?.baseUrl))]);
    return [...ids]
      .filter((id) => !OPENCODE_PROVIDER_ID.test(id) && (providers[id] !== undefined || id === oc.providerId))
      .map((id) =>
        make(
          'opencode.provider-id',
          'warning',
          /[A-Z]/.test(id) ? `OpenCode provider id "${id}" has capital letters` : `OpenCode provider id "${id}" has characters OpenCode does not accept`,
          `OpenCode expects provider ids of lowercase letters, digits and hyphens (\`opencode auth login\` rejects anything else), and the key in auth.json must be stored under exactly the same id. Use "${id.toLowerCase().replace(/[^0-9a-z-]+/g, '-')}" as the id; the display name can still be "${id}".`,
          [`${file}: provider."${id}"`],
          configureFix(f, 'opencode', 'Configure OpenCode with a lowercase id'),
        ),
      );
  }),
  opencodeRule('opencode.base-url', (f, a) => {
    const selection = opencodeSelection(f, a);
    if (!selection) return undefined;
    const url = selection.provider.baseUrl;
    const line = `${selection.file}: provider.${selection.id}.options.baseURL = ${url === undefined ? '(not set)' : `"${url}"`}`;
    if (url === undefined) {
      return make(
        'opencode.base-url',
        'error',
        `OpenCode's provider "${selection.id}" has no baseURL`,
        `An OpenAI-compatible provider needs options.baseURL; it should be ${openAiBaseOf(f)}.`,
        [line],
        configureFix(f, 'opencode', 'Configure OpenCode again'),
      );
    }
    if (!isThisGateway(f, url)) return undefined;
    const count = v1Count(url);
    if (count === 1) return undefined;
    return make(
      'opencode.base-url',
      'error',
      count === 0 ? 'OpenCode\'s baseURL is missing /v1' : 'OpenCode\'s baseURL ends in /v1/v1',
      count === 0
        ? `OpenCode appends /chat/completions to baseURL, so requests go to ${url.replace(/\/+$/, '')}/chat/completions, which the gateway does not serve (404). Use ${openAiBaseOf(f)}.`
        : `OpenCode appends /chat/completions to baseURL, so requests go to …/v1/v1/chat/completions (404). Use ${openAiBaseOf(f)}.`,
      [line],
      configureFix(f, 'opencode', 'Configure OpenCode again'),
    );
  }),
  opencodeRule('opencode.other-gateway', (f, a) => {
    const selection = opencodeSelection(f, a);
    const url = selection?.provider.baseUrl;
    if (!selection || url === undefined || isThisGateway(f, url)) return undefined;
    return make(
      'opencode.other-gateway',
      a.configured ? 'warning' : 'info',
      `OpenCode's provider "${selection.id}" now uses ${hostOf(url)}, not this gateway`,
      'The provider points at another address, so the key being verified is not used by OpenCode. If that is intended, nothing is wrong; otherwise configure OpenCode again.',
      [`${selection.file}: provider.${selection.id}.options.baseURL = "${url}"`, `This gateway: ${openAiBaseOf(f)}`],
      configureFix(f, 'opencode', 'Point OpenCode at this gateway'),
    );
  }),
  opencodeRule('opencode.model', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection) return undefined;
    const config = oc.config!;
    const file = selection.file;
    const model = config.model;
    const fix = configureFix(f, 'opencode', 'Configure OpenCode\'s default model');
    if (model === undefined) {
      if (!a.configured) return undefined;
      return make(
        'opencode.model',
        'warning',
        'OpenCode has no default model',
        `Without a top-level "model", OpenCode starts with a model of another provider. Pick a ${selection.id}/… model with /models, or configure OpenCode to set it.`,
        [`${file}: "model" is not set`],
        fix,
      );
    }
    const slash = model.indexOf('/');
    if (slash <= 0) {
      return make(
        'opencode.model',
        'error',
        `OpenCode's default model "${model}" does not name a provider`,
        `OpenCode models are written provider/model, for example "${selection.id}/${selection.provider.models[0] ?? 'gpt-5.4'}".`,
        [`${file}: "model": "${model}"`],
        fix,
      );
    }
    const providerId = model.slice(0, slash);
    const modelId = model.slice(slash + 1);
    const provider = config.providers[providerId];
    if (!provider) {
      return make(
        'opencode.model',
        'warning',
        `OpenCode's default model "${model}" names provider "${providerId}", which the config does not define`,
        `So OpenCode does not start with this gateway. Unless "${providerId}" is a built-in provider you are logged in to, OpenCode fails to load it. Use "${selection.id}/…".`,
        [`${file}: "model": "${model}"`, `Defined providers: ${Object.keys(config.providers).join(', ') || 'none'}`],
        fix,
      );
    }
    if (providerId !== selection.id) {
      if (isThisGateway(f, provider.baseUrl)) return undefined;
      return make(
        'opencode.model',
        'info',
        `OpenCode starts with ${model}, which does not go through this gateway`,
        `The default model belongs to provider "${providerId}". The gateway's models are still available under ${selection.id}/… in /models.`,
        [`${file}: "model": "${model}"`],
        fix,
      );
    }
    if (provider.models.includes(modelId)) return undefined;
    return make(
      'opencode.model',
      'error',
      `OpenCode's default model "${model}" is not defined under provider "${providerId}"`,
      `OpenCode only knows the models listed in provider.${providerId}.models, so it cannot start with ${modelId}. Add it there, or pick one of the listed models.`,
      [`${file}: "model": "${model}"`, `provider.${providerId}.models: ${list(provider.models) || 'none'}`],
      fix,
    );
  }),
  opencodeRule('opencode.key-missing', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection || !isThisGateway(f, selection.provider.baseUrl) || oc.authHasKey || selection.provider.hasApiKey) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'opencode.key-missing',
      'error',
      `OpenCode has no API key for provider "${selection.id}"`,
      `OpenCode looks for the key in auth.json under "${selection.id}" (or in options.apiKey) and finds none, so the gateway answers 401. Configure OpenCode again to store the key.`,
      [`${auth}: no "${selection.id}" entry of type "api"`, `${selection.file}: provider.${selection.id}.options.apiKey is not set`],
      configureFix(f, 'opencode', 'Configure OpenCode to store the key'),
    );
  }),
  opencodeRule('opencode.key-mismatch', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection || !isThisGateway(f, selection.provider.baseUrl) || !oc.authHasKey || oc.authKeyMatches || selection.provider.hasApiKey) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'opencode.key-mismatch',
      'error',
      'OpenCode sends a different key than the one verified here',
      `The key stored in auth.json for "${selection.id}" is not ${f.keyLabel}: it may be an older or deleted key. Configure OpenCode again to write this one.`,
      [`${auth}: "${selection.id}".key is not ${f.keyLabel}`],
      configureFix(f, 'opencode', 'Configure OpenCode with this key'),
    );
  }),
];

// ---------------------------------------------------------------------------------------------
// Rules: environment variables and project files

type EnvWhere = 'process' | 'terminal';

const WHERE_LABEL: Record<EnvWhere, string> = {
  process: 'your shell environment',
  terminal: 'terminal.integrated.env',
};

const SECRET_VARIABLES = new Set(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN']);

interface EnvCase {
  where: EnvWhere;
  value: string;
}

function envCases(f: Facts, name: string): EnvCase[] {
  const out: EnvCase[] = [];
  const process = f.environment.processEnv[name];
  const terminal = f.environment.terminalEnv[name];
  if (terminal !== undefined) out.push({ where: 'terminal', value: terminal });
  if (process !== undefined && process !== terminal) out.push({ where: 'process', value: process });
  return out;
}

function shown(name: string, value: string): string {
  return SECRET_VARIABLES.has(name) ? maskSecret(value) : value;
}

function envEvidence(name: string, c: EnvCase): string {
  return `${c.where === 'terminal' ? 'terminal.integrated.env' : 'Environment'}: ${name}=${shown(name, c.value)}`;
}

function envFix(c: EnvCase): Fix | undefined {
  return c.where === 'terminal' ? { label: 'Open terminal.integrated.env settings', command: FIX_COMMANDS.openTerminalEnvSettings, args: [] } : undefined;
}

const REMEDY: Record<EnvWhere, string> = {
  process: 'Remove it from your shell profile (~/.zshrc, ~/.bashrc, or the Windows user variables) and restart VS Code.',
  terminal: 'Remove it from the terminal.integrated.env setting.',
};

/** A rule over one variable: `decide` says, for each place it is set, whether (and how badly) it matters. */
function envRule(
  id: string,
  name: string,
  agents: AgentId[],
  decide: (f: Facts, c: EnvCase) => { severity: Severity; title: string; detail: string } | undefined,
): Rule {
  return {
    id,
    check(f) {
      const reported = reportedAgents(f).map((a) => a.agent);
      if (!agents.some((agent) => reported.includes(agent))) return undefined;
      const out: Finding[] = [];
      for (const c of envCases(f, name)) {
        const verdict = decide(f, c);
        if (!verdict) continue;
        out.push(make(id, verdict.severity, verdict.title, `${verdict.detail} ${REMEDY[c.where]}`, [envEvidence(name, c)], envFix(c)));
      }
      return out;
    },
  };
}

/** CODEX_HOME & co.: Tokaify wrote where VS Code's environment says; terminals that see another value read another folder. */
function folderRule(id: string, name: string, agent: AgentId, what: string): Rule {
  return envRule(id, name, [agent], (f, c) => {
    if (c.where !== 'terminal') return undefined;
    const written = f.environment.processEnv[name];
    if (written === c.value) return undefined;
    const label = AGENT_LABELS[agent];
    const files = agentOf(f, agent)?.files.map((file) => file.path) ?? [];
    return {
      severity: 'warning',
      title: `${label} in VS Code terminals reads ${c.value}, not the ${what} Tokaify wrote`,
      detail: `${name} is set only for terminals, so ${label} started there uses another ${what} than the one Tokaify configured${files.length ? ` (${files[0]})` : ''}${written ? `, which follows ${name}=${written}` : ''}.`,
    };
  });
}

function claudeSettings(f: Facts): NonNullable<AgentFacts['claude']> | undefined {
  return agentOf(f, 'claude-code')?.claude;
}

const ENV_RULES: Rule[] = [
  envRule('env.openai-api-key', 'OPENAI_API_KEY', ['codex', 'opencode'], (f, c) => {
    if (isOurKey(f, c.value)) return undefined;
    const codex = agentOf(f, 'codex');
    const viaEnvKey = codex ? codexSelection(codex)?.provider.envKey === 'OPENAI_API_KEY' : false;
    return {
      severity: codex ? 'warning' : 'info',
      title: `OPENAI_API_KEY in ${WHERE_LABEL[c.where]} holds a different key`,
      detail: viaEnvKey
        ? 'Codex\'s provider reads its key from OPENAI_API_KEY (env_key), so Codex sends this other key, not the one verified here.'
        : 'Some Codex versions prefer OPENAI_API_KEY from the environment over auth.json, and OpenAI-based tools (OpenCode\'s built-in openai provider, SDK scripts) use it, so requests may go out with this other key.',
    };
  }),
  envRule('env.openai-base-url', 'OPENAI_BASE_URL', ['codex', 'opencode'], (f, c) => {
    if (isThisGateway(f, c.value) && v1Count(c.value) === 1) return undefined;
    return {
      severity: 'info',
      title: `OPENAI_BASE_URL in ${WHERE_LABEL[c.where]} points at ${hostOf(c.value)}`,
      detail: 'The providers Tokaify writes set their own base URL, so this does not change them; but older Codex versions and OpenAI-based tools send requests there instead of this gateway.',
    };
  }),
  envRule('env.anthropic-base-url', 'ANTHROPIC_BASE_URL', ['claude-code'], (f, c) => {
    const settings = claudeSettings(f);
    if (settings?.baseUrl !== undefined) return undefined; // settings.json env wins over the shell
    if (isThisGateway(f, c.value) && v1Count(c.value) === 0) return undefined;
    return {
      severity: 'warning',
      title: `Claude Code uses ANTHROPIC_BASE_URL=${c.value} from ${WHERE_LABEL[c.where]}`,
      detail: isThisGateway(f, c.value)
        ? 'settings.json does not set ANTHROPIC_BASE_URL, so this value applies, and it ends in /v1: requests go to …/v1/v1/messages (404).'
        : 'settings.json does not set ANTHROPIC_BASE_URL, so this value applies and Claude Code talks to another service than this gateway.',
    };
  }),
  envRule('env.anthropic-api-key', 'ANTHROPIC_API_KEY', ['claude-code'], (f, c) => {
    const settings = claudeSettings(f);
    if (settings?.keyVariables.includes('ANTHROPIC_API_KEY')) return undefined; // overridden by settings.json
    const ours = isOurKey(f, c.value);
    return {
      severity: 'warning',
      title: `ANTHROPIC_API_KEY is set in ${WHERE_LABEL[c.where]}`,
      detail:
        'settings.json does not override it, so Claude Code still sees this key: it asks you to approve it (the dialog defaults to No, which leaves you "Not logged in")' +
        (settings?.keyVariables.includes('ANTHROPIC_AUTH_TOKEN') ? ' and sends it next to ANTHROPIC_AUTH_TOKEN, an auth conflict' : '') +
        (ours ? '.' : `, and it is not ${f.keyLabel}.`),
    };
  }),
  envRule('env.anthropic-auth-token', 'ANTHROPIC_AUTH_TOKEN', ['claude-code'], (f, c) => {
    const settings = claudeSettings(f);
    if (settings?.keyVariables.includes('ANTHROPIC_AUTH_TOKEN')) return undefined; // overridden by settings.json
    const conflict = settings?.keyVariables.includes('ANTHROPIC_API_KEY') === true;
    if (!conflict && isOurKey(f, c.value)) return undefined;
    return {
      severity: 'warning',
      title: `ANTHROPIC_AUTH_TOKEN is set in ${WHERE_LABEL[c.where]}`,
      detail: conflict
        ? 'settings.json sets ANTHROPIC_API_KEY, so Claude Code sends both credentials (Authorization and X-Api-Key) and warns about an auth conflict.'
        : `settings.json sets no ANTHROPIC_AUTH_TOKEN, so Claude Code sends this one, and it is not ${f.keyLabel}.`,
    };
  }),
  envRule('env.anthropic-model', 'ANTHROPIC_MODEL', ['claude-code'], (f, c) => {
    const settings = claudeSettings(f);
    if (settings?.model !== undefined) return undefined; // settings.json env wins
    const unknown = f.relay.models !== undefined && !f.relay.models.includes(c.value);
    return {
      severity: unknown ? 'warning' : 'info',
      title: `Claude Code starts with ANTHROPIC_MODEL=${c.value} from ${WHERE_LABEL[c.where]}`,
      detail: unknown
        ? 'settings.json does not set ANTHROPIC_MODEL, so this one applies, and the gateway does not offer it to this key.'
        : 'settings.json does not set ANTHROPIC_MODEL, so this one applies.',
    };
  }),
  folderRule('env.codex-home', 'CODEX_HOME', 'codex', 'folder'),
  folderRule('env.claude-config-dir', 'CLAUDE_CONFIG_DIR', 'claude-code', 'folder'),
  folderRule('env.opencode-config', 'OPENCODE_CONFIG', 'opencode', 'config file'),
];

const PROJECT_DETAIL: Record<AgentId, string> = {
  codex: 'Codex applies a trusted project\'s .codex/config.toml over your user config (and refuses model_provider / model_providers there).',
  'claude-code': 'Claude Code gives project settings priority over your user settings, key by key, so these values replace what Tokaify wrote while you work in this folder.',
  opencode: 'OpenCode merges the project\'s opencode.json[c] over your global config, so these values replace what Tokaify wrote while you work in this folder.',
};

const PROJECT_RULES: Rule[] = [
  {
    id: 'project.override',
    check(f) {
      return f.environment.projectOverrides.map((o) =>
        make(
          'project.override',
          'warning',
          `${o.path.split(/[\\/]/).slice(-2).join('/')} overrides ${AGENT_LABELS[o.agent]}'s ${o.keys.length === 1 ? 'setting' : 'settings'} in this workspace`,
          `${PROJECT_DETAIL[o.agent]} Remove ${o.keys.length === 1 ? 'that key' : 'those keys'} from the project file if you want the gateway configuration to apply here.`,
          [`${o.path}: ${o.keys.join(', ')}`],
          openFileFix(o.path),
        ),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The table and the entry point

export const RULES: readonly Rule[] = [
  ...GATEWAY_RULES,
  ...RELAY_RULES,
  ...MODEL_RULES,
  ...PARSE_RULES,
  ...CONFIG_MISSING_RULES,
  ...CODEX_RULES,
  ...CLAUDE_RULES,
  ...OPENCODE_RULES,
  ...PROBE_RULES,
  ...ENV_RULES,
  ...PROJECT_RULES,
];

/** One `ok` finding saying what was checked, for when nothing is wrong. */
function allGood(f: Facts, infos: Finding[]): Finding {
  const agents = reportedAgents(f);
  const models = f.relay.models?.length;
  const parts = [
    f.gateway.latencyMs !== undefined ? `gateway reachable in ${f.gateway.latencyMs} ms` : 'gateway reachable',
    'key accepted',
    ...(models !== undefined ? [`${models} model${models === 1 ? '' : 's'}`] : []),
    agents.length ? `${joinAnd(agents.map((a) => AGENT_LABELS[a.agent]))} OK` : 'no agent configured yet',
  ];
  const evidence = [...describe(gatewaySource(f)), ...describe(relaySource(f)).slice(0, 1)];
  if (f.relay.models?.length) evidence.push(`Models: ${list(f.relay.models)}`);
  const token = tokenLine(f);
  if (token) evidence.push(token);
  if (f.user) evidence.push(`Account balance: ${f.user.formatted}`);
  for (const a of agents) {
    const model = modelInUse(f, a);
    const probe = a.probe?.ok ? `, test request OK${a.probe.latencyMs !== undefined ? ` in ${a.probe.latencyMs} ms` : ''}` : '';
    evidence.push(`${AGENT_LABELS[a.agent]}: points at this gateway${model ? `, model ${model.model}` : ''}${probe}`);
  }
  return make(
    'ok',
    'ok',
    `All good: ${parts.join(', ')}`,
    infos.length ? 'Nothing needs fixing; the notes below are for information.' : `Everything Tokaify checks for ${hostOf(f.gatewayRoot)} is in order.`,
    evidence,
  );
}

function scrub(finding: Finding): Finding {
  return { ...finding, title: redact(finding.title), detail: redact(finding.detail), evidence: finding.evidence.map(redact) };
}

export function diagnose(facts: Facts): Finding[] {
  const found: Finding[] = [];
  for (const rule of RULES) {
    const result = rule.check(facts);
    if (result === undefined) continue;
    found.push(...(Array.isArray(result) ? result : [result]));
  }
  if (!found.some((x) => x.severity === 'error' || x.severity === 'warning')) found.push(allGood(facts, found));
  return found
    .map(scrub)
    .map((x, i) => ({ x, i }))
    .sort((a, b) => SEVERITY_ORDER[a.x.severity] - SEVERITY_ORDER[b.x.severity] || a.i - b.i)
    .map(({ x }) => x);
}
