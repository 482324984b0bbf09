/** Judges what overrides the agents' files: environment variables (shell, shell profiles, terminal.integrated.env) and project-level config files. */
import * as l10n from '@vscode/l10n';
import type { ClaudeKeyVariable } from '../../agents/claudeCode';
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import { FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type ProjectOverride, type Severity } from '../types';
import { agentOf, codexSelection, configureFix, hostOf, isOurKey, isThisGateway, make, maskSecret, openFileFix, reportedAgents, sentences, v1Count, type Rule } from './common';

// Where a variable is set changes the wording of whole sentences, so each title below has one message per place.
type EnvWhere = 'process' | 'terminal';

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
  return c.where === 'terminal' ? `terminal.integrated.env: ${name}=${shown(name, c.value)}` : l10n.t('Environment: {0}={1}', name, shown(name, c.value));
}

function envFix(c: EnvCase): Fix | undefined {
  return c.where === 'terminal' ? { label: l10n.t('Open terminal.integrated.env settings'), command: FIX_COMMANDS.openTerminalEnvSettings, args: [] } : undefined;
}

function remedy(where: EnvWhere): string {
  return where === 'process'
    ? l10n.t('Remove it from your shell profile (~/.zshrc, ~/.bashrc, or the Windows user variables) and restart VS Code.')
    : l10n.t('Remove it from the terminal.integrated.env setting.');
}

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
        out.push(make(id, verdict.severity, verdict.title, sentences(verdict.detail, remedy(c.where)), [envEvidence(name, c)], envFix(c)));
      }
      return out;
    },
  };
}

type Written = 'folder' | 'config file';

/** Why terminals read another folder or file: one whole sentence for each thing Tokaify knows about it. */
function folderDetail(what: Written, name: string, label: string, file: string | undefined, written: string | undefined): string {
  if (what === 'folder') {
    if (file !== undefined) {
      return written
        ? l10n.t('{0} is set only for terminals, so {1} started there uses another folder than the one Tokaify configured ({2}), which follows {0}={3}.', name, label, file, written)
        : l10n.t('{0} is set only for terminals, so {1} started there uses another folder than the one Tokaify configured ({2}).', name, label, file);
    }
    return written
      ? l10n.t('{0} is set only for terminals, so {1} started there uses another folder than the one Tokaify configured, which follows {0}={2}.', name, label, written)
      : l10n.t('{0} is set only for terminals, so {1} started there uses another folder than the one Tokaify configured.', name, label);
  }
  if (file !== undefined) {
    return written
      ? l10n.t('{0} is set only for terminals, so {1} started there uses another config file than the one Tokaify configured ({2}), which follows {0}={3}.', name, label, file, written)
      : l10n.t('{0} is set only for terminals, so {1} started there uses another config file than the one Tokaify configured ({2}).', name, label, file);
  }
  return written
    ? l10n.t('{0} is set only for terminals, so {1} started there uses another config file than the one Tokaify configured, which follows {0}={2}.', name, label, written)
    : l10n.t('{0} is set only for terminals, so {1} started there uses another config file than the one Tokaify configured.', name, label);
}

/** CODEX_HOME & co.: Tokaify wrote where VS Code's environment says; terminals that see another value read another folder. */
function folderRule(id: string, name: string, agent: AgentId, what: Written): Rule {
  return envRule(id, name, [agent], (f, c) => {
    if (c.where !== 'terminal') return undefined;
    const written = f.environment.processEnv[name];
    if (written === c.value) return undefined;
    const label = AGENT_LABELS[agent];
    const file = agentOf(f, agent)?.files[0]?.path;
    return {
      severity: 'warning',
      title: what === 'folder'
        ? l10n.t('{0} in VS Code terminals reads {1}, not the folder Tokaify wrote', label, c.value)
        : l10n.t('{0} in VS Code terminals reads {1}, not the config file Tokaify wrote', label, c.value),
      detail: folderDetail(what, name, label, file, written),
    };
  });
}

function claudeSettings(f: Facts): NonNullable<AgentFacts['claude']> | undefined {
  return agentOf(f, 'claude-code')?.claude;
}

const OTHER_KEY: Record<ClaudeKeyVariable, ClaudeKeyVariable> = { ANTHROPIC_API_KEY: 'ANTHROPIC_AUTH_TOKEN', ANTHROPIC_AUTH_TOKEN: 'ANTHROPIC_API_KEY' };
// Header names only: `Authorization: Bearer …` would read as a credential to redact().
const HEADER: Record<ClaudeKeyVariable, string> = { ANTHROPIC_AUTH_TOKEN: 'Authorization', ANTHROPIC_API_KEY: 'x-api-key' };

/** Where a Claude Code key variable is set outside settings.json: as envCases, plus the shell profiles that export it (no value known). */
type KeyCase = EnvCase | { where: 'profile'; file: string; line: number };

function keyCases(f: Facts, name: ClaudeKeyVariable): { c: KeyCase; evidence: string[] }[] {
  const profiles = f.environment.shellProfiles.filter((p) => p.name === name);
  const profileLine = (p: { file: string; line: number }) => l10n.t('{0}:{1}: exports {2}', p.file, p.line, name);
  const out: { c: KeyCase; evidence: string[] }[] = envCases(f, name).map((c) => ({
    c,
    // The profile lines say where the shell's value comes from.
    evidence: [envEvidence(name, c), ...(c.where === 'process' ? profiles.map(profileLine) : [])],
  }));
  const first = profiles[0];
  // Not in VS Code's environment (started from the dock, say), but every terminal will have it.
  if (first && f.environment.processEnv[name] === undefined) out.push({ c: { where: 'profile', file: first.file, line: first.line }, evidence: profiles.map(profileLine) });
  return out;
}

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** `Claude Code sends the X from <where> to this gateway too`, for each place. */
function alongsideTitle(name: string, c: KeyCase): string {
  if (c.where === 'profile') return l10n.t('Claude Code sends the {0} from your {1} (line {2}) to this gateway too', name, fileName(c.file), c.line);
  return c.where === 'process'
    ? l10n.t('Claude Code sends the {0} from your shell environment to this gateway too', name)
    : l10n.t('Claude Code sends the {0} from terminal.integrated.env to this gateway too', name);
}

/** `X is set in <where>`, for each place. */
function setInTitle(name: string, c: KeyCase): string {
  if (c.where === 'profile') return l10n.t('{0} is set in your {1} (line {2})', name, fileName(c.file), c.line);
  return c.where === 'process' ? l10n.t('{0} is set in your shell environment', name) : l10n.t('{0} is set in terminal.integrated.env', name);
}

/** Why a key variable from outside settings.json matters when settings.json sets no key variable of its own. */
function aloneDetail(f: Facts, name: ClaudeKeyVariable, c: KeyCase, ours: boolean): string {
  if (name === 'ANTHROPIC_API_KEY') {
    if (ours) return l10n.t('settings.json does not override it, so Claude Code still sees this key: it asks you to approve it (the dialog defaults to No, which leaves you "Not logged in").');
    return c.where === 'profile'
      ? l10n.t('settings.json does not override it, so Claude Code still sees this key: it asks you to approve it (the dialog defaults to No, which leaves you "Not logged in"), and it may not be {0}.', f.keyLabel)
      : l10n.t('settings.json does not override it, so Claude Code still sees this key: it asks you to approve it (the dialog defaults to No, which leaves you "Not logged in"), and it is not {0}.', f.keyLabel);
  }
  return c.where === 'profile'
    ? l10n.t('settings.json sets no ANTHROPIC_AUTH_TOKEN, so Claude Code sends this one, and it may not be {0}.', f.keyLabel)
    : l10n.t('settings.json sets no ANTHROPIC_AUTH_TOKEN, so Claude Code sends this one, and it is not {0}.', f.keyLabel);
}

/**
 * ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN set outside settings.json, which does not override it. Next to
 * the other variable in settings.json, Claude Code sends both headers: the shell's key (often the user's
 * own Anthropic key) reaches the gateway. The fix that works is a blank `""` for it in settings.json.
 */
function claudeKeyRule(id: string, name: ClaudeKeyVariable): Rule {
  return {
    id,
    check(f) {
      if (!reportedAgents(f).some((a) => a.agent === 'claude-code')) return undefined;
      const settings = claudeSettings(f);
      if (settings?.keyVariables.includes(name) || settings?.clearedKeyVariables.includes(name)) return undefined; // settings.json env wins
      const other = OTHER_KEY[name];
      const alongside = settings?.keyVariables.includes(other) === true;
      const out: Finding[] = [];
      for (const { c, evidence } of keyCases(f, name)) {
        const ours = c.where !== 'profile' && isOurKey(f, c.value);
        if (name === 'ANTHROPIC_AUTH_TOKEN' && !alongside && ours) continue; // Claude Code sends the right key, from the shell
        if (alongside) {
          out.push(make(
            id,
            'warning',
            alongsideTitle(name, c),
            sentences(
              ours
                ? l10n.t('settings.json sets {0} but not {1}, so Claude Code sends both: the gateway key in the {2} header and this same key in the {3} header.', other, name, HEADER[other], HEADER[name])
                : l10n.t('settings.json sets {0} but not {1}, so Claude Code sends both: the gateway key in the {2} header and this other one, often your own Anthropic key, which then reaches the gateway, in the {3} header.', other, name, HEADER[other], HEADER[name]),
              name === 'ANTHROPIC_API_KEY' ? l10n.t('It also asks you to approve that key and warns about an auth conflict.') : l10n.t('It also warns about an auth conflict.'),
              l10n.t('Fix: write "{0}": "" in settings.json (below); Claude Code then ignores the shell\'s value and other programs keep it.', name),
            ),
            evidence,
            configureFix(f, 'claude-code', l10n.t('Write "{0}": "" in settings.json', name), { claude: { keyVariable: other, clearShellKey: true } }),
          ));
          continue;
        }
        const fix = c.where === 'profile' ? l10n.t('Remove it from {0} and open a new terminal.', c.file) : remedy(c.where);
        out.push(make(id, 'warning', setInTitle(name, c), sentences(aloneDetail(f, name, c, ours), fix), evidence, c.where === 'profile' ? openFileFix(c.file, c.line) : envFix(c)));
      }
      return out;
    },
  };
}

export const ENV_RULES: readonly Rule[] = [
  envRule('env.openai-api-key', 'OPENAI_API_KEY', ['codex', 'opencode'], (f, c) => {
    if (isOurKey(f, c.value)) return undefined;
    const codex = agentOf(f, 'codex');
    const viaEnvKey = codex ? codexSelection(codex)?.provider.envKey === 'OPENAI_API_KEY' : false;
    return {
      severity: codex ? 'warning' : 'info',
      title: c.where === 'process'
        ? l10n.t('OPENAI_API_KEY in your shell environment holds a different key')
        : l10n.t('OPENAI_API_KEY in terminal.integrated.env holds a different key'),
      detail: viaEnvKey
        ? l10n.t('Codex\'s provider reads its key from OPENAI_API_KEY (env_key), so Codex sends this other key, not the one verified here.')
        : l10n.t('Some Codex versions prefer OPENAI_API_KEY from the environment over auth.json, and OpenAI-based tools (OpenCode\'s built-in openai provider, SDK scripts) use it, so requests may go out with this other key.'),
    };
  }),
  envRule('env.openai-base-url', 'OPENAI_BASE_URL', ['codex', 'opencode'], (f, c) => {
    if (isThisGateway(f, c.value) && v1Count(c.value) === 1) return undefined;
    return {
      severity: 'info',
      title: c.where === 'process'
        ? l10n.t('OPENAI_BASE_URL in your shell environment points at {0}', hostOf(c.value))
        : l10n.t('OPENAI_BASE_URL in terminal.integrated.env points at {0}', hostOf(c.value)),
      detail: l10n.t('The providers Tokaify writes set their own base URL, so this does not change them; but older Codex versions and OpenAI-based tools send requests there instead of this gateway.'),
    };
  }),
  envRule('env.anthropic-base-url', 'ANTHROPIC_BASE_URL', ['claude-code'], (f, c) => {
    const settings = claudeSettings(f);
    if (settings?.baseUrl !== undefined) return undefined; // settings.json env wins over the shell
    if (isThisGateway(f, c.value) && v1Count(c.value) === 0) return undefined;
    return {
      severity: 'warning',
      title: c.where === 'process'
        ? l10n.t('Claude Code uses ANTHROPIC_BASE_URL={0} from your shell environment', c.value)
        : l10n.t('Claude Code uses ANTHROPIC_BASE_URL={0} from terminal.integrated.env', c.value),
      detail: isThisGateway(f, c.value)
        ? l10n.t('settings.json does not set ANTHROPIC_BASE_URL, so this value applies, and it ends in /v1: requests go to …/v1/v1/messages (404).')
        : l10n.t('settings.json does not set ANTHROPIC_BASE_URL, so this value applies and Claude Code talks to another service than this gateway.'),
    };
  }),
  claudeKeyRule('env.anthropic-api-key', 'ANTHROPIC_API_KEY'),
  claudeKeyRule('env.anthropic-auth-token', 'ANTHROPIC_AUTH_TOKEN'),
  envRule('env.anthropic-model', 'ANTHROPIC_MODEL', ['claude-code'], (f, c) => {
    const settings = claudeSettings(f);
    if (settings?.model !== undefined) return undefined; // settings.json env wins
    const unknown = f.relay.models !== undefined && !f.relay.models.includes(c.value);
    return {
      severity: unknown ? 'warning' : 'info',
      title: c.where === 'process'
        ? l10n.t('Claude Code starts with ANTHROPIC_MODEL={0} from your shell environment', c.value)
        : l10n.t('Claude Code starts with ANTHROPIC_MODEL={0} from terminal.integrated.env', c.value),
      detail: unknown
        ? l10n.t('settings.json does not set ANTHROPIC_MODEL, so this one applies, and the gateway does not offer it to this key.')
        : l10n.t('settings.json does not set ANTHROPIC_MODEL, so this one applies.'),
    };
  }),
  folderRule('env.codex-home', 'CODEX_HOME', 'codex', 'folder'),
  folderRule('env.claude-config-dir', 'CLAUDE_CONFIG_DIR', 'claude-code', 'folder'),
  folderRule('env.opencode-config', 'OPENCODE_CONFIG', 'opencode', 'config file'),
];

function projectDetail(agent: AgentId): string {
  switch (agent) {
    case 'codex':
      return l10n.t('Codex applies a trusted project\'s .codex/config.toml over your user config (and refuses model_provider / model_providers there).');
    case 'claude-code':
      return l10n.t('Claude Code gives project settings priority over your user settings, key by key, so these values replace what Tokaify wrote while you work in this folder.');
    case 'opencode':
      return l10n.t('OpenCode merges the project\'s opencode.json[c] over your global config, so these values replace what Tokaify wrote while you work in this folder.');
  }
}

/**
 * Project keys a workspace profile wins over in this window's terminals, checked with the real agents
 * (test/agents/workspaceProfile.test.ts): Claude Code ignores settings-sourced provider and model variables
 * under CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST; OpenCode merges OPENCODE_CONFIG_CONTENT last. Not Codex: a
 * project's .codex/config.toml is a layer above the profile file.
 */
const PROFILE_BEATS: Partial<Record<AgentId, readonly string[]>> = {
  'claude-code': ['env.ANTHROPIC_BASE_URL', 'env.ANTHROPIC_AUTH_TOKEN', 'env.ANTHROPIC_API_KEY', 'env.ANTHROPIC_MODEL'],
  opencode: ['provider', 'model'],
};

function profileWins(f: Facts, o: ProjectOverride): boolean {
  const beaten = PROFILE_BEATS[o.agent];
  return f.workspaceProfile?.models[o.agent] !== undefined && beaten !== undefined && o.keys.every((k) => beaten.some((b) => k === b || k.startsWith(`${b}.`)));
}

export const PROJECT_RULES: readonly Rule[] = [
  {
    id: 'project.override',
    check(f) {
      return f.environment.projectOverrides.map((o) => {
        const file = o.path.split(/[\\/]/).slice(-2).join('/');
        const one = o.keys.length === 1;
        const intended = profileWins(f, o);
        return make(
          'project.override',
          intended ? 'info' : 'warning',
          one
            ? l10n.t('{0} overrides {1}\'s setting in this workspace', file, AGENT_LABELS[o.agent])
            : l10n.t('{0} overrides {1}\'s settings in this workspace', file, AGENT_LABELS[o.agent]),
          sentences(
            projectDetail(o.agent),
            intended
              ? l10n.t('In this window\'s terminals the workspace profile takes precedence over it; {0} started elsewhere in this folder still follows it.', AGENT_LABELS[o.agent])
              : one
                ? l10n.t('Remove that key from the project file if you want the gateway configuration to apply here.')
                : l10n.t('Remove those keys from the project file if you want the gateway configuration to apply here.'),
          ),
          [`${o.path}: ${o.keys.join(', ')}`],
          openFileFix(o.path),
        );
      });
    },
  },
];
