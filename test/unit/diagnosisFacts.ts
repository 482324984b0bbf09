/** The facts Verify's rule tests start from (everything fine), shared by the English and the zh-CN suites. */
import assert from 'node:assert/strict';
import type { AgentId } from '../../src/core/agents/types';
import type { AgentFacts, Facts } from '../../src/core/diagnosis/types';
import { quotaDisplayOf } from '../../src/core/quota';
import { maskKey } from '../../src/core/redact';

export const KEY = 'sk-test' + 'x'.repeat(40);
export const OTHER_KEY = 'sk-othr' + 'y'.repeat(40);
export const ROOT = 'https://api.tokaify.com';
export const HOME = '/home/dev';
export const CODEX_CONFIG = `${HOME}/.codex/config.toml`;
export const CODEX_AUTH = `${HOME}/.codex/auth.json`;
export const CLAUDE_SETTINGS = `${HOME}/.claude/settings.json`;
export const OPENCODE_CONFIG = `${HOME}/.config/opencode/opencode.json`;
export const OPENCODE_AUTH = `${HOME}/.local/share/opencode/auth.json`;

/** Everything fine: gateway ok in 120 ms, key accepted, token enabled, three agents configured and pointing here. */
export function healthy(): Facts {
  return {
    accountId: 'acc-1',
    tokenId: 7,
    gatewayRoot: ROOT,
    accountKind: 'accessToken',
    keyLabel: maskKey(KEY),
    gateway: { ok: true, status: 200, latencyMs: 120, isGateway: true },
    relay: { ok: true, status: 200, latencyMs: 80, models: ['gpt-5.4', 'gpt-4o', 'claude-sonnet-4-5'] },
    token: { id: 7, name: 'vscode', status: 'enabled', unlimited: false, remainQuota: 500000, modelLimits: [], allowIps: [], group: 'default', expiredTime: -1, origin: { source: 'gateway' } },
    user: { quota: 1000000 },
    consoleReads: [
      { label: 'GET /api/token/7', fact: 'token', ok: true, status: 200, latencyMs: 40 },
      { label: 'GET /api/user/self', fact: 'balance', ok: true, status: 200, latencyMs: 30 },
    ],
    display: quotaDisplayOf(undefined),
    agents: [
      {
        agent: 'codex',
        configured: true,
        expectedModel: 'gpt-5.4',
        files: [
          { label: 'Codex config.toml', path: CODEX_CONFIG, exists: true },
          { label: 'Codex auth.json', path: CODEX_AUTH, exists: true },
        ],
        parseProblems: [],
        codex: {
          config: {
            modelProvider: 'tokaify',
            model: 'gpt-5.4',
            providers: { tokaify: { name: 'Tokaify', baseUrl: `${ROOT}/v1`, wireApi: 'responses', hasBearerToken: false, requiresOpenaiAuth: true } },
          },
          authMode: 'apikey',
          authHasKey: true,
          authKeyMatches: true,
          bearerKeyMatches: false,
        },
        probe: { ok: true, status: 200, latencyMs: 900, contextManagementRejected: false },
      },
      {
        agent: 'claude-code',
        configured: true,
        expectedModel: 'claude-sonnet-4-5',
        files: [{ label: 'Claude Code settings.json', path: CLAUDE_SETTINGS, exists: true }],
        parseProblems: [],
        claude: { baseUrl: ROOT, keyVariables: ['ANTHROPIC_AUTH_TOKEN'], clearedKeyVariables: [], model: 'claude-sonnet-4-5', disableExperimentalBetas: false, keyMatches: true },
        probe: { ok: true, status: 200, latencyMs: 700, contextManagementRejected: false },
      },
      {
        agent: 'opencode',
        configured: true,
        expectedModel: 'gpt-4o',
        files: [
          { label: 'OpenCode opencode.json', path: OPENCODE_CONFIG, exists: true },
          { label: 'OpenCode auth.json', path: OPENCODE_AUTH, exists: true },
        ],
        parseProblems: [],
        opencode: {
          config: {
            model: 'tokaify/gpt-4o',
            providers: { tokaify: { npm: '@ai-sdk/openai-compatible', baseUrl: `${ROOT}/v1`, models: ['gpt-4o'], hasApiKey: false } },
          },
          providerId: 'tokaify',
          authHasKey: true,
          authKeyMatches: true,
        },
        probe: { ok: true, status: 200, latencyMs: 600, contextManagementRejected: false },
      },
    ],
    environment: { processEnv: {}, terminalEnv: {}, shellProfiles: [], projectOverrides: [] },
  };
}

export function agent(f: Facts, id: AgentId): AgentFacts {
  const found = f.agents.find((a) => a.agent === id);
  assert.ok(found, `no ${id} in facts`);
  return found;
}
