/** Judges what overrides the agents' files: environment variables (shell and terminal.integrated.env) and project-level config files. */
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import { FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type Severity } from '../types';
import { agentOf, codexSelection, hostOf, isOurKey, isThisGateway, make, maskSecret, openFileFix, reportedAgents, v1Count, type Rule } from './common';

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

export const ENV_RULES: readonly Rule[] = [
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

export const PROJECT_RULES: readonly Rule[] = [
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
