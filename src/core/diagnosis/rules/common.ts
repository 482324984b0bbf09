/** Shared by every rule: the Rule shape, make(), glosses and masks, fix builders, URL checks and agent/file lookups. */
import * as l10n from '@vscode/l10n';
import type { AgentId } from '../../agents/types';
import type { CodexProviderSummary } from '../../agents/codex';
import { normalizeBaseUrl } from '../../baseUrl';
import { prefersChinese } from '../../locale';
import { formatQuota } from '../../quota';
import { maskKey } from '../../redact';
import { explainServerMessage } from '../../serverMessages';
import { CONFIGURE_COMMAND, FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type Severity } from '../types';

export interface Rule {
  id: string;
  check(f: Facts): Finding | Finding[] | undefined;
}

/** Finding ids use a short prefix per agent: `codex.*`, `claude.*`, `opencode.*`. */
export const PREFIX: Record<AgentId, string> = { codex: 'codex', 'claude-code': 'claude', opencode: 'opencode' };


/** The request each agent's test sends (agents/probe.ts). */
export const PROBE_REQUEST: Record<AgentId, string> = {
  codex: 'POST /v1/responses',
  'claude-code': 'POST /v1/messages',
  opencode: 'POST /v1/chat/completions',
};

/** English glosses for relay messages that serverMessages.ts does not cover (console-api.md §6.2, §6.3). */
const EXTRA_GLOSSES: [RegExp, string][] = [
  [/未提供令牌/, 'no API key was sent'],
  [/分组 .* 已被弃用/, 'this key\'s group has been removed'],
  [/该令牌只能在指定网段使用/, 'this key may only be used from its allowed network range'],
  [/无法解析客户端 IP 地址/, 'the gateway could not read your IP address'],
  [/预扣费额度失败/, 'the account balance is too low for this request'],
  [/订阅额度不足/, 'the subscription quota is used up or not set up'],
  [/普通用户不支持指定渠道/, 'only administrators may pick a channel'],
];

const CJK = /[\u3400-\u9fff]/;

export function gloss(message: string): string {
  // A Chinese reader needs no English gloss of the gateway's Chinese message.
  if (prefersChinese() && CJK.test(message)) return message;
  const explained = explainServerMessage(message);
  if (explained !== message) return explained;
  const extra = EXTRA_GLOSSES.find(([pattern]) => pattern.test(message))?.[1];
  return extra ? `${message} (${extra})` : message;
}

/** An amount in the gateway's display unit ($1.00, ¥7.30, 500,000 tokens), as everywhere else in Tokaify. */
export function amount(f: Facts, quota: number): string {
  return formatQuota(quota, f.display);
}

export function make(id: string, severity: Severity, title: string, detail: string, evidence: string[], fix?: Fix): Finding {
  return fix ? { id, severity, title, detail, evidence, fix } : { id, severity, title, detail, evidence };
}

function tokenIdOf(f: Facts): number | undefined {
  return f.tokenId ?? f.token?.id;
}

export function configureFix(f: Facts, agent: AgentId, label: string, extra: Record<string, unknown> = {}): Fix {
  const arg: Record<string, unknown> = { accountId: f.accountId };
  const tokenId = tokenIdOf(f);
  if (tokenId !== undefined) arg.tokenId = tokenId;
  return { label, command: CONFIGURE_COMMAND[agent], args: [{ ...arg, ...extra }] };
}

/** The console commands that act on one token. */
export type TokenFixCommand = 'enableToken' | 'editToken';

/** A fix on the console token when we know which one it is, else the web console. */
export function tokenFix(f: Facts, command: TokenFixCommand, label: string): Fix {
  const tokenId = tokenIdOf(f);
  if (tokenId !== undefined && f.accountKind !== 'key') return { label, command: FIX_COMMANDS[command], args: [{ accountId: f.accountId, tokenId }] };
  return consoleFix(f, l10n.t('Open the gateway console'));
}

export function consoleFix(f: Facts, label: string): Fix {
  return { label, command: FIX_COMMANDS.openConsole, args: [f.accountId] };
}

export function openFileFix(path: string, line = 1, column = 1): Fix {
  return { label: l10n.t('Open the file'), command: FIX_COMMANDS.openFileAt, args: [path, line, column] };
}

/** A secret from the environment, shown enough to recognise (never enough to use). */
export function maskSecret(value: string): string {
  if (value.startsWith('sk-')) return maskKey(value);
  return value.length > 12 ? `${value.slice(0, 4)}…${value.slice(-4)}` : '…';
}

/** Whether an environment value is the key being verified (compared through its mask, as that is all Facts holds). */
export function isOurKey(f: Facts, value: string): boolean {
  return maskKey(value.trim()) === f.keyLabel;
}

/** Identifiers (models, IP addresses), comma-separated in every language, the rest counted. */
export function list(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.join(', ');
  return l10n.t('{0} and {1} more', items.slice(0, max).join(', '), items.length - max);
}

/** Names joined as a sentence would: `A, B and C`, `A、B 和 C` (a list separator of its own, not joinParts' comma). */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  const head = items.slice(0, -1).reduce((line, item) => l10n.t({ message: '{0}, {1}', args: [line, item], comment: ['a list of names'] }));
  return l10n.t({ message: '{0} and {1}', args: [head, items[items.length - 1]!], comment: ['a list of names'] });
}

/** Items of a summary line (`gateway reachable, key accepted, …`), with the language's separator. */
export function joinParts(items: readonly string[]): string {
  return items.length ? items.reduce((line, item) => l10n.t('{0}, {1}', line, item)) : '';
}

/** Whole sentences one after the other: a space after Latin punctuation, none after a full-width one. */
export function sentences(...parts: string[]): string {
  return parts.filter((p) => p !== '').reduce((text, part) => (text === '' || /[\u3000-\u303f\uff00-\uffef]$/.test(text) ? `${text}${part}` : `${text} ${part}`), '');
}

// ---------------------------------------------------------------------------------------------
// URLs

/** The gateway an address belongs to: normalised root (no /v1, no console path), lower case. */
function gatewayOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const result = normalizeBaseUrl(url);
  return result.ok ? result.value.baseUrl.toLowerCase() : undefined;
}

export function isThisGateway(f: Facts, url: string | undefined): boolean {
  const mine = gatewayOf(f.gatewayRoot);
  return mine !== undefined && gatewayOf(url) === mine;
}

/** How many `/v1` segments the address ends with. */
export function v1Count(url: string): number {
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const match = /(\/v1)+$/i.exec(path);
  return match ? match[0].length / 3 : 0;
}

export function openAiBaseOf(f: Facts): string {
  return `${f.gatewayRoot}/v1`;
}

/** An OpenAI-style base URL on this gateway must end in exactly one /v1, as the tool appends its route to it. */
export function v1BaseUrlFinding(
  f: Facts,
  id: string,
  agent: AgentId,
  shape: { tool: string; field: string; route: string },
  url: string,
  evidence: string[],
): Finding | undefined {
  if (!isThisGateway(f, url)) return undefined;
  const count = v1Count(url);
  if (count === 1) return undefined;
  const { tool, field, route } = shape;
  return make(
    id,
    'error',
    count === 0 ? l10n.t('{0}\'s {1} is missing /v1', tool, field) : l10n.t('{0}\'s {1} ends in /v1/v1', tool, field),
    count === 0
      ? l10n.t('{0} appends {1} to {2}, so requests go to {3}, which the gateway does not serve (404). Use {4}.', tool, route, field, `${url.replace(/\/+$/, '')}${route}`, openAiBaseOf(f))
      : l10n.t('{0} appends {1} to {2}, so requests go to …/v1/v1{1} (404). Use {3}.', tool, route, field, openAiBaseOf(f)),
    evidence,
    configureFix(f, agent, l10n.t('Configure {0} again', tool)),
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// Agents and their files

/** Agents to report on: configured by Tokaify, or with files that point at this gateway. */
export function reportedAgents(f: Facts): AgentFacts[] {
  return f.agents.filter((a) => a.configured || (a.files.some((file) => file.exists) && mentionsGateway(f, a)));
}

function mentionsGateway(f: Facts, a: AgentFacts): boolean {
  const urls: (string | undefined)[] = [];
  if (a.codex?.config) urls.push(...Object.values(a.codex.config.providers).map((p) => p.baseUrl));
  if (a.claude) urls.push(a.claude.baseUrl);
  if (a.opencode?.config) urls.push(...Object.values(a.opencode.config.providers).map((p) => p.baseUrl));
  return urls.some((url) => isThisGateway(f, url));
}

export function agentOf(f: Facts, agent: AgentId): AgentFacts | undefined {
  return reportedAgents(f).find((a) => a.agent === agent);
}

/** The path of an agent's file whose path matches, else its first file, else a label. */
export function fileOf(a: AgentFacts, pattern: RegExp, fallback: string): string {
  return a.files.find((file) => pattern.test(file.path))?.path ?? a.files[0]?.path ?? fallback;
}

export function missingFiles(a: AgentFacts): string[] {
  return a.files.filter((file) => !file.exists).map((file) => l10n.t('{0} does not exist', file.path));
}

export function envValue(f: Facts, name: string): string | undefined {
  return f.environment.terminalEnv[name] ?? f.environment.processEnv[name];
}

export interface CodexSelection {
  id: string;
  provider: CodexProviderSummary;
  file: string;
}

/** The provider Codex will use, when its config selects a table that exists. */
export function codexSelection(a: AgentFacts): CodexSelection | undefined {
  const config = a.codex?.config;
  const id = config?.modelProvider;
  if (!config || id === undefined) return undefined;
  const provider = config.providers[id];
  return provider ? { id, provider, file: fileOf(a, /config\.toml$/i, 'config.toml') } : undefined;
}

export interface OpencodeSelection {
  id: string;
  provider: NonNullable<NonNullable<AgentFacts['opencode']>['config']>['providers'][string];
  file: string;
}

/** Our OpenCode provider: the expected id, else the first provider that points at this gateway. */
export function opencodeSelection(f: Facts, a: AgentFacts): OpencodeSelection | undefined {
  const oc = a.opencode;
  const providers = oc?.config?.providers;
  if (!oc || !providers) return undefined;
  const file = fileOf(a, /opencode\.jsonc?$|\.jsonc?$/i, 'opencode.json');
  const expected = providers[oc.providerId];
  if (expected) return { id: oc.providerId, provider: expected, file };
  const here = Object.entries(providers).find(([, p]) => isThisGateway(f, p.baseUrl));
  return here ? { id: here[0], provider: here[1], file } : undefined;
}
