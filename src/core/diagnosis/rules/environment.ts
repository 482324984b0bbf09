/** Judges what overrides the agents' files: environment variables (shell, shell profiles, terminal.integrated.env) and project-level config files. */
import type { ClaudeKeyVariable } from '../../agents/claudeCode';
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import { FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type Severity } from '../types';
import { agentOf, codexSelection, configureFix, hostOf, isOurKey, isThisGateway, make, maskSecret, openFileFix, reportedAgents, v1Count, type Rule } from './common';

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

const OTHER_KEY: Record<ClaudeKeyVariable, ClaudeKeyVariable> = { ANTHROPIC_API_KEY: 'ANTHROPIC_AUTH_TOKEN', ANTHROPIC_AUTH_TOKEN: 'ANTHROPIC_API_KEY' };
// Header names only: `Authorization: Bearer …` would read as a credential to redact().
const HEADER: Record<ClaudeKeyVariable, string> = { ANTHROPIC_AUTH_TOKEN: 'the Authorization header', ANTHROPIC_API_KEY: 'the x-api-key header' };

/** Where a Claude Code key variable is set outside settings.json: as envCases, plus the shell profiles that export it (no value known). */
type KeyCase = EnvCase | { where: 'profile'; file: string; line: number };

function keyCases(f: Facts, name: ClaudeKeyVariable): { c: KeyCase; evidence: string[] }[] {
  const profiles = f.environment.shellProfiles.filter((p) => p.name === name);
  const profileLine = (p: { file: string; line: number }) => `${p.file}:${p.line}: exports ${name}`;
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

function keyWhere(c: KeyCase): string {
  return c.where === 'profile' ? `your ${c.file.split(/[\\/]/).pop()} (line ${c.line})` : WHERE_LABEL[c.where];
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
        const where = keyWhere(c);
        if (alongside) {
          out.push(make(
            id,
            'warning',
            `Claude Code sends the ${name} from ${where} to this gateway too`,
            `settings.json sets ${other} but not ${name}, so Claude Code sends both: the gateway key in ${HEADER[other]} and ` +
              (ours ? 'this same key' : 'this other one, often your own Anthropic key, which then reaches the gateway,') + ` in ${HEADER[name]}` +
              `. ${name === 'ANTHROPIC_API_KEY' ? 'It also asks you to approve that key and warns about an auth conflict.' : 'It also warns about an auth conflict.'} ` +
              `Fix: write "${name}": "" in settings.json (below); Claude Code then ignores the shell's value and other programs keep it.`,
            evidence,
            configureFix(f, 'claude-code', `Write "${name}": "" in settings.json`, { claude: { keyVariable: other, clearShellKey: true } }),
          ));
          continue;
        }
        const remedy = c.where === 'profile' ? `Remove it from ${c.file} and open a new terminal.` : REMEDY[c.where];
        const detail = name === 'ANTHROPIC_API_KEY'
          ? 'settings.json does not override it, so Claude Code still sees this key: it asks you to approve it (the dialog defaults to No, which leaves you "Not logged in")' +
            (ours ? '.' : c.where === 'profile' ? `, and it may not be ${f.keyLabel}.` : `, and it is not ${f.keyLabel}.`)
          : `settings.json sets no ANTHROPIC_AUTH_TOKEN, so Claude Code sends this one, and it ${c.where === 'profile' ? 'may not be' : 'is not'} ${f.keyLabel}.`;
        out.push(make(id, 'warning', `${name} is set in ${where}`, `${detail} ${remedy}`, evidence, c.where === 'profile' ? openFileFix(c.file, c.line) : envFix(c)));
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
  claudeKeyRule('env.anthropic-api-key', 'ANTHROPIC_API_KEY'),
  claudeKeyRule('env.anthropic-auth-token', 'ANTHROPIC_AUTH_TOKEN'),
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
