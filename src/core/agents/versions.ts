/**
 * Which version of each agent understands what our writers write. KEY_REQUIREMENTS lists every key a
 * writer relies on with the oldest version known to read it, and where that comes from:
 *
 * - `since`: a source names the release that introduced the key (or made it do what we write it for);
 *   an older version is told, as a warning, that the key will not work.
 * - `atMost`: no source names the release; the key is known to work in that version (the pinned one the
 *   agents layer runs, or one a source shows using it), so it came then or earlier. An older version gets
 *   a note that Tokaify has not confirmed the key there, never a claim that it fails.
 *
 * The agents layer checks the table against the pinned versions (test/agents/versions.test.ts).
 */
import * as l10n from '@vscode/l10n';
import { listComma } from './lists';
import type { CodexCredential, ConfigureRequest } from './plan';
import { AGENT_LABELS, type AgentId } from './types';

/** The versions the agents layer installs (scripts/agents-install.sh) and proves every key with. */
export const PINNED_AGENT_VERSIONS: Record<AgentId, string> = { codex: '0.171.0', 'claude-code': '2.1.332', opencode: '1.18.33' };

export interface KeyRequirement {
  agent: AgentId;
  /** As a person finds it in the file, e.g. `model_providers.<id>.wire_api`, `env.ANTHROPIC_MODEL`. */
  key: string;
  minimum: { version: string; kind: 'since' | 'atMost'; source: string };
}

const CC_CHANGELOG = 'anthropics/claude-code CHANGELOG.md';
const pinnedTurn = () => l10n.t('a turn finishes with it in the agents layer (pinned version); no source read names the release that added it');
/** A citation appended to pinnedTurn(), in the language's parentheses. */
const pinnedTurnAnd = (citation: string) => l10n.t('{0} ({1})', pinnedTurn(), citation);

/** Verify shows `source`: a getter, so it is translated when read (the table is built at module load). */
function minimum(version: string, kind: 'since' | 'atMost', source: () => string): KeyRequirement['minimum'] {
  return { version, kind, get source() { return source(); } };
}
const codex = (key: string, version: string, source: () => string): KeyRequirement => ({ agent: 'codex', key, minimum: minimum(version, 'atMost', source) });
const claude = (key: string, version: string, kind: 'since' | 'atMost', source: () => string): KeyRequirement => ({ agent: 'claude-code', key, minimum: minimum(version, kind, source) });
const opencode = (key: string): KeyRequirement => ({ agent: 'opencode', key, minimum: minimum(PINNED_AGENT_VERSIONS.opencode, 'atMost', pinnedTurn) });

export const KEY_REQUIREMENTS: readonly KeyRequirement[] = [
  codex('model_provider', PINNED_AGENT_VERSIONS.codex, () => l10n.t('{0} (openai/codex PR #853, merged 2025-05-07, added model_provider/model_providers to the Rust CLI)', pinnedTurn())),
  codex('model', PINNED_AGENT_VERSIONS.codex, pinnedTurn),
  codex('model_providers.<id>.name', PINNED_AGENT_VERSIONS.codex, () => pinnedTurnAnd('openai/codex PR #853')),
  codex('model_providers.<id>.base_url', PINNED_AGENT_VERSIONS.codex, () => pinnedTurnAnd('openai/codex PR #853')),
  codex('model_providers.<id>.wire_api', PINNED_AGENT_VERSIONS.codex, pinnedTurn),
  codex('model_providers.<id>.requires_openai_auth', PINNED_AGENT_VERSIONS.codex, pinnedTurn),
  codex('model_providers.<id>.experimental_bearer_token', '0.149.0', () => l10n.t('farion1231/cc-switch PR #6746: Codex 0.149 honours a provider\'s experimental_bearer_token')),
  codex('model_reasoning_effort', PINNED_AGENT_VERSIONS.codex, pinnedTurn),
  codex('model_reasoning_effort = "xhigh"', PINNED_AGENT_VERSIONS.codex, () => l10n.t('{0}; an effort an older Codex does not know stops it at start-up', pinnedTurn())),
  codex('review_model', PINNED_AGENT_VERSIONS.codex, pinnedTurn),
  codex('auth.json auth_mode = "apikey"', '0.153.2', () => l10n.t('cc-switch src-tauri/src/codex_config.rs, on AuthDotJson::resolved_mode in Codex 0.153.2 (client-configs.md §1.3)')),
  codex('auth.json OPENAI_API_KEY', PINNED_AGENT_VERSIONS.codex, pinnedTurn),
  claude('settings.json env', '2.0.8', 'atMost', () => l10n.t('{0} 2.0.8: env moves from .claude.json to settings.json', CC_CHANGELOG)),
  claude('env.ANTHROPIC_BASE_URL', '2.1.70', 'atMost', () => l10n.t('{0} 2.1.70 fixes gateways set with ANTHROPIC_BASE_URL', CC_CHANGELOG)),
  claude('env.ANTHROPIC_AUTH_TOKEN', '1.0.37', 'atMost', () => l10n.t('{0} 1.0.37 changes what ANTHROPIC_AUTH_TOKEN may set', CC_CHANGELOG)),
  claude('env.ANTHROPIC_API_KEY', '2.1.81', 'atMost', () => l10n.t('{0} 2.1.81: --bare requires ANTHROPIC_API_KEY', CC_CHANGELOG)),
  claude('env.ANTHROPIC_MODEL', '0.2.125', 'atMost', () => l10n.t('{0} 0.2.125 changes what ANTHROPIC_MODEL accepts', CC_CHANGELOG)),
  claude('env.ANTHROPIC_CUSTOM_MODEL_OPTION', '2.1.78', 'since', () => l10n.t('{0} 2.1.78: "Added ANTHROPIC_CUSTOM_MODEL_OPTION"', CC_CHANGELOG)),
  claude('env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS', '2.1.27', 'since', () => l10n.t('{0} 2.1.27: from then on it avoids the context_management error (the variable itself is older)', CC_CHANGELOG)),
  opencode('provider.<id>.npm = "@ai-sdk/openai-compatible"'),
  opencode('provider.<id>.name'),
  opencode('provider.<id>.options.baseURL'),
  opencode('provider.<id>.models'),
  opencode('model'),
  opencode('auth.json <id> = { type: "api", key }'),
];

/** The keys one Configure writes for `agent` (Codex's credential as planAgent resolves it). */
export function keysWritten(agent: AgentId, request: Pick<ConfigureRequest, 'codex' | 'claude' | 'opencode'>, codexCredential: CodexCredential = 'auth-json'): string[] {
  switch (agent) {
    case 'codex': {
      const keys = ['model_provider', 'model', 'model_providers.<id>.name', 'model_providers.<id>.base_url', 'model_providers.<id>.wire_api'];
      if (codexCredential === 'config-token') keys.push('model_providers.<id>.experimental_bearer_token');
      else keys.push('model_providers.<id>.requires_openai_auth', 'auth.json auth_mode = "apikey"', 'auth.json OPENAI_API_KEY');
      const effort = request.codex?.reasoningEffort;
      if (effort) keys.push(effort === 'xhigh' ? 'model_reasoning_effort = "xhigh"' : 'model_reasoning_effort');
      if (request.codex?.reviewModel) keys.push('review_model');
      return keys;
    }
    case 'claude-code': {
      const keys = ['settings.json env', 'env.ANTHROPIC_BASE_URL', `env.${request.claude?.keyVariable ?? 'ANTHROPIC_AUTH_TOKEN'}`, 'env.ANTHROPIC_MODEL'];
      if (request.claude?.customModelOption) keys.push('env.ANTHROPIC_CUSTOM_MODEL_OPTION');
      if (request.claude?.disableExperimentalBetas) keys.push('env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS');
      return keys;
    }
    case 'opencode': {
      const keys = ['provider.<id>.npm = "@ai-sdk/openai-compatible"', 'provider.<id>.name', 'provider.<id>.options.baseURL', 'provider.<id>.models', 'auth.json <id> = { type: "api", key }'];
      if (request.opencode?.setDefaultModel !== false) keys.push('model');
      return keys;
    }
  }
}

const SEMVER = /\bv?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z][0-9A-Za-z.-]*))?/;
const VERSION_LINE: Record<AgentId, RegExp> = {
  codex: /\bcodex(?:-cli)?\s+v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?)/i,
  'claude-code': /\bv?(\d+\.\d+\.\d+(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?)\s*\(Claude Code\)/i,
  opencode: /^\s*v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?)\s*$/m,
};

/** The version in `<agent> --version` output (`codex-cli 0.171.0`, `2.1.332 (Claude Code)`, `1.18.33`), ignoring warnings around it. */
export function parseAgentVersion(agent: AgentId, output: string): string | undefined {
  const text = output.slice(0, 4096);
  const own = VERSION_LINE[agent].exec(text)?.[1];
  if (own) return own;
  // Otherwise the first line that is little more than a version.
  for (const line of text.split(/\r?\n/)) {
    const match = SEMVER.exec(line);
    if (match && line.trim().length <= match[0].length + 24) return match[0].replace(/^v/, '');
  }
  return undefined;
}

/** <0, 0, >0 like a sort comparator; a pre-release sorts before its release. Unparseable input compares equal. */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) return 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  if (pa[4] === pb[4]) return 0;
  if (pa[4] === undefined) return 1;
  if (pb[4] === undefined) return -1;
  return pa[4] < pb[4] ? -1 : 1;
}

export interface VersionConcern {
  agent: AgentId;
  installed: string;
  /** `since`: the key will not work; `atMost`: not confirmed for this version. */
  kind: 'since' | 'atMost';
  keys: KeyRequirement[];
}

/** What the installed version may not understand of `keys`, worst first; empty when all is known to work. */
export function versionConcerns(agent: AgentId, installed: string, keys: readonly string[]): VersionConcern[] {
  const older = KEY_REQUIREMENTS.filter((r) => r.agent === agent && keys.includes(r.key) && compareVersions(installed, r.minimum.version) < 0);
  const out: VersionConcern[] = [];
  for (const kind of ['since', 'atMost'] as const) {
    const hit = older.filter((r) => r.minimum.kind === kind);
    if (hit.length) out.push({ agent, installed, kind, keys: hit });
  }
  return out;
}

/** One sentence for a concern, for Configure's warnings and Verify's findings. */
export function concernText(concern: VersionConcern): string {
  const label = AGENT_LABELS[concern.agent];
  const list = listComma(concern.keys.map((r) => (r.minimum.kind === 'since' ? l10n.t('{0} (since {1})', r.key, r.minimum.version) : l10n.t('{0} (confirmed in {1})', r.key, r.minimum.version))));
  return concern.kind === 'since'
    ? l10n.t('{0} {1} is older than what Tokaify writes needs: {2}. Update {0}, or those settings will not take effect.', label, concern.installed, list)
    : l10n.t('{0} {1} is older than the versions Tokaify has confirmed for: {2}. If {0} does not pick the settings up, update it.', label, concern.installed, list);
}
