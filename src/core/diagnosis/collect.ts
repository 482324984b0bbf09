/**
 * Gathers the facts Verify's rules judge: requests to the gateway (status, models with the key, the
 * console's token and balance for signed-in accounts, one probe per configured agent in its own shape),
 * the agents' files, and what in the environment or the workspace overrides them. No judgement here:
 * rules/ does that.
 */
import { existsSync } from 'node:fs';
import { readClaudeSettings } from '../agents/claudeCode';
import { readCodexConfig } from '../agents/codex';
import { codexAuthMode } from '../agents/codexAuth';
import { readText } from '../agents/fileWriter';
import { readOpencodeConfig } from '../agents/opencode';
import { claudeCodeLocations, codexLocations, openCodeLocations, type HostEnvironment } from '../agents/paths';
import { findProjectOverrides } from '../agents/projectOverrides';
import { findProfileExports } from '../agents/shellProfiles';
import { probeAgent } from '../agents/probe';
import { AGENT_IDS, ConfigShapeError, ConfigSyntaxError, type AgentId } from '../agents/types';
import { ConsoleClient } from '../consoleClient';
import { errorMessage, GatewayError } from '../errors';
import type { HttpClient } from '../http';
import { tryJsonObject } from '../json';
import type { QuotaDisplay } from '../quota';
import { maskKey } from '../redact';
import { RelayClient } from '../relayClient';
import type { Token } from '../tokenModel';
import type { AgentFacts, ConsoleRead, EnvironmentFacts, Facts, FactOrigin, ParseProblem, RequestFacts, TokenFacts } from './types';

/** The console reads of a signed-in account, supplied by the caller (which holds the clients and the token list). */
export interface ConsoleSources {
  /** The token under test: a fresh read, and Tokaify's copy with when it was read (shown only when the fresh read fails). */
  token?: { cached: Token; cachedAt?: number; read: () => Promise<Token> };
  self: () => Promise<{ quota: number }>;
}

export interface CollectInput {
  http: HttpClient;
  accountId: string;
  accountKind: Facts['accountKind'];
  gatewayRoot: string;
  /** The key under test, with `sk-`. */
  key: string;
  /** Absent for key accounts: they have no console. */
  console?: ConsoleSources;
  display: QuotaDisplay;
  /** Agents Tokaify configured, with the model it wrote. */
  configured: { agent: AgentId; model: string }[];
  host: HostEnvironment;
  terminalEnv: Record<string, string>;
  workspaceFolders: string[];
  /** Send one request per configured agent in its own shape (costs a few tokens). */
  probe?: boolean;
  providerId?: string;
}

/** Environment variables that change where an agent looks or what it sends. */
export const WATCHED_ENV = [
  'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_MODEL',
  'CODEX_HOME', 'CLAUDE_CONFIG_DIR', 'OPENCODE_CONFIG', 'OPENCODE_CONFIG_CONTENT',
] as const;

export async function collectFacts(input: CollectInput): Promise<Facts> {
  const [gateway, relay, consoleFacts] = await Promise.all([checkGateway(input), checkRelay(input), readConsole(input.console)]);
  const { token, user, reads } = consoleFacts;
  const agents = await Promise.all(AGENT_IDS.map((agent) => agentFacts(agent, input)));
  // Codex may read its key from a variable named by env_key: whether it is set matters too.
  const codex = agents.find((a) => a.agent === 'codex')?.codex?.config;
  const envKey = codex?.modelProvider ? codex.providers[codex.modelProvider]?.envKey : undefined;
  return {
    accountId: input.accountId, tokenId: token?.id, gatewayRoot: input.gatewayRoot, accountKind: input.accountKind, keyLabel: maskKey(input.key),
    gateway, relay, token, user, consoleReads: reads, display: input.display, agents,
    environment: await environmentFacts(input, envKey ? [envKey] : []),
  };
}

function failure(error: unknown, started: number): RequestFacts {
  if (error instanceof GatewayError) {
    return {
      ok: false, status: error.detail.status, errorKind: error.kind, code: error.detail.code, serverMessage: error.detail.serverMessage,
      message: error.message, latencyMs: Date.now() - started,
    };
  }
  return { ok: false, message: errorMessage(error), latencyMs: Date.now() - started };
}

function tokenFacts(t: Token, origin: FactOrigin): TokenFacts {
  return {
    id: t.id, name: t.name, status: t.status, unlimited: t.unlimited, remainQuota: t.remainQuota, modelLimits: t.modelLimits,
    allowIps: t.allowIps, group: t.group, expiredTime: t.expiredTime, origin,
  };
}

/**
 * The token and the balance, read fresh. Every read is recorded, so a failure becomes a finding; the
 * token then falls back to Tokaify's copy, marked as such, and the balance stays unknown.
 */
export async function readConsole(sources: ConsoleSources | undefined): Promise<{ token?: TokenFacts; user?: Facts['user']; reads: ConsoleRead[] }> {
  if (!sources) return { reads: [] };
  const attempt = async <T>(label: string, fact: ConsoleRead['fact'], read: () => Promise<T>): Promise<{ value?: T; read: ConsoleRead }> => {
    const started = Date.now();
    try {
      const value = await read();
      return { value, read: { label, fact, ok: true, status: 200, latencyMs: Date.now() - started } };
    } catch (error) {
      return { read: { label, fact, ...failure(error, started) } };
    }
  };
  const cached = sources.token?.cached;
  const [token, self] = await Promise.all([
    sources.token && cached ? attempt(`GET /api/token/${cached.id}`, 'token', sources.token.read) : undefined,
    attempt('GET /api/user/self', 'balance', sources.self),
  ]);
  const reads = [...(token ? [token.read] : []), self.read];
  const fresh = token?.value;
  return {
    token: fresh ? tokenFacts(fresh, { source: 'gateway' }) : cached ? tokenFacts(cached, { source: 'cache', at: sources.token?.cachedAt }) : undefined,
    user: self.value ? { quota: self.value.quota } : undefined,
    reads,
  };
}

/** `/api/status` through the console client: answering it at all is what makes this a new-api/one-api gateway. */
async function checkGateway(input: CollectInput): Promise<Facts['gateway']> {
  const started = Date.now();
  try {
    await new ConsoleClient(input.http, input.gatewayRoot).status();
    return { ok: true, status: 200, latencyMs: Date.now() - started, isGateway: true };
  } catch (error) {
    // Unreachable, a web page, no such route, a 5xx: the rules tell these apart by errorKind and status.
    return { ...failure(error, started), isGateway: false };
  }
}

async function checkRelay(input: CollectInput): Promise<Facts['relay']> {
  const started = Date.now();
  try {
    const models = await new RelayClient(input.http, input.gatewayRoot, input.key).listModels();
    return { ok: true, status: 200, models, latencyMs: Date.now() - started };
  } catch (error) {
    return failure(error, started);
  }
}

function parseProblem(error: unknown): ParseProblem | undefined {
  if (error instanceof ConfigSyntaxError) return { path: error.file, line: error.line, column: error.column, reason: error.reason };
  if (error instanceof ConfigShapeError) return { path: error.file, line: 1, column: 1, reason: error.reason };
  return undefined;
}

/** Runs a reader; a parse problem is recorded instead of thrown. */
function read<T>(problems: ParseProblem[], reader: () => T): T | undefined {
  try {
    return reader();
  } catch (error) {
    const problem = parseProblem(error);
    if (!problem) throw error;
    problems.push(problem);
    return undefined;
  }
}


async function agentFacts(agent: AgentId, input: CollectInput): Promise<AgentFacts> {
  const problems: ParseProblem[] = [];
  const ours = input.configured.find((c) => c.agent === agent);
  const mentions = (text: string | undefined) => !!text && text.includes(input.gatewayRoot);
  const facts: AgentFacts = { agent, configured: !!ours, expectedModel: ours?.model, files: [], parseProblems: problems };
  const note = async (label: string, file: string) => {
    const text = await readText(file);
    facts.files.push({ label, path: file, exists: text !== undefined });
    return text;
  };
  let model = ours?.model;
  if (agent === 'codex') {
    const files = codexLocations(input.host, 'auth-json').files;
    const configText = await note(files.config!.label, files.config!.path);
    const authText = await note(files.auth!.label, files.auth!.path);
    const config = configText === undefined ? undefined : read(problems, () => readCodexConfig(configText, files.config!.path));
    const auth = tryJsonObject(authText);
    facts.configured ||= mentions(configText);
    facts.codex = {
      config, authMode: codexAuthMode(authText), authHasKey: typeof auth?.OPENAI_API_KEY === 'string' && auth.OPENAI_API_KEY !== '',
      authKeyMatches: auth?.OPENAI_API_KEY === input.key, bearerKeyMatches: !!configText && configText.includes(`"${input.key}"`),
    };
    model ??= config?.model;
  } else if (agent === 'claude-code') {
    const file = claudeCodeLocations(input.host).files.settings!;
    const text = await note(file.label, file.path);
    const summary = text === undefined ? undefined : read(problems, () => readClaudeSettings(text, file.path));
    const env = tryJsonObject(text)?.env as Record<string, unknown> | undefined;
    facts.configured ||= mentions(text);
    if (summary) {
      const variable = summary.keyVariables[0];
      facts.claude = { ...summary, keyMatches: !!variable && env?.[variable] === input.key };
    }
    model ??= summary?.model;
  } else {
    const files = openCodeLocations(input.host, existsSync).files;
    const configText = await note(files.config!.label, files.config!.path);
    const authText = await note(files.auth!.label, files.auth!.path);
    const config = configText === undefined ? undefined : read(problems, () => readOpencodeConfig(configText, files.config!.path));
    const providerId = input.providerId ?? 'tokaify';
    const entry = tryJsonObject(authText)?.[providerId] as { key?: unknown } | undefined;
    facts.configured ||= mentions(configText);
    facts.opencode = { config, providerId, authHasKey: typeof entry?.key === 'string' && entry.key !== '', authKeyMatches: entry?.key === input.key };
    model ??= config?.model?.startsWith(`${providerId}/`) ? config.model.slice(providerId.length + 1) : undefined;
  }
  if (facts.configured && model && input.probe !== false && !problems.length) {
    const result = await probeAgent(input.http, input.gatewayRoot, input.key, agent, model, {
      claudeKeyVariable: facts.claude?.keyVariables[0], claudeBetasDisabled: facts.claude?.disableExperimentalBetas,
    });
    facts.probe = result.ok
      ? { ok: true, status: 200, latencyMs: result.ms, contextManagementRejected: false }
      : {
        ok: false, status: result.error.detail.status, errorKind: result.error.kind, code: result.error.detail.code, serverMessage: result.error.detail.serverMessage,
        message: result.message, contextManagementRejected: result.contextManagementRejected,
      };
  }
  return facts;
}

async function environmentFacts(input: CollectInput, extraNames: string[]): Promise<EnvironmentFacts> {
  const names = [...WATCHED_ENV, ...extraNames];
  const pick = (env: Readonly<Record<string, string | undefined>>) =>
    Object.fromEntries(names.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]!]));
  const userFiles = [
    ...Object.values(codexLocations(input.host, 'auth-json').files), ...Object.values(claudeCodeLocations(input.host).files),
    ...Object.values(openCodeLocations(input.host, existsSync).files),
  ].map((f) => f.path);
  const projectOverrides = await findProjectOverrides(input.workspaceFolders, { userFiles });
  const shellProfiles = await findProfileExports(input.host, ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN']);
  return { processEnv: pick(input.host.env), terminalEnv: pick(input.terminalEnv), shellProfiles, projectOverrides };
}
