/**
 * How Tokaify runs a real agent for one headless turn (Verify's "Run the real agent", and the tests that
 * prove it): the argv and environment per agent, the prompt and the limits. Pure: the caller supplies the
 * binary it found and the environment to start from; processRun.ts spawns it.
 *
 * Every switch here is one the agents layer (test/agents) runs with, so a green layer proves this exact
 * invocation. Switches that only exist in newer versions are passed where an older version ignores them
 * (Codex's `-c features.x=false` warns, while `--disable x` refuses an unknown feature).
 */
import type { AgentId } from './types';

/** What each agent is called on PATH (a terminal's `codex`, `claude`, `opencode`). */
export const AGENT_COMMANDS: Record<AgentId, string> = { codex: 'codex', 'claude-code': 'claude', opencode: 'opencode' };

/** The one prompt: nothing to do, nothing to read, a handful of tokens. */
export const REAL_AGENT_PROMPT = 'Reply with one short greeting.';

export const REAL_AGENT_LIMITS = {
  /** One turn, start-up included (OpenCode starts slowly on a busy machine). */
  turnMs: 90_000,
  /** `--version`. */
  versionMs: 10_000,
  /** Kept of each output stream (the end: that is where the errors are). */
  outputChars: 64 * 1024,
} as const;

export interface Invocation {
  /** argv[0] is the binary; never a shell string. */
  argv: string[];
  env: Record<string, string>;
  timeoutMs: number;
}

/**
 * The switches that keep each agent to the turn (each found by logging the DNS queries of a run in the
 * agents layer): Codex's analytics, update check, curated-plugin sync and apps connector; Claude Code's
 * preflight, telemetry, error reports and update check (and no retries, so a refusal ends the turn at
 * once; the context_management self-heal is not a retry and still happens); OpenCode's update check,
 * models.dev catalogue, LSP downloads and sharing. Left on, failing at once where there is no network:
 * OpenCode's npm install of @opencode-ai/plugin into a fresh config folder (the turn does not need it)
 * and, with a ChatGPT login, one Codex look-up of chatgpt.com.
 */
export const QUIET_ENV: Record<AgentId, Readonly<Record<string, string>>> = {
  codex: {},
  'claude-code': {
    DISABLE_TELEMETRY: '1', DISABLE_AUTOUPDATER: '1', DISABLE_ERROR_REPORTING: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', CLAUDE_CODE_MAX_RETRIES: '0',
  },
  opencode: {
    OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1', OPENCODE_DISABLE_SHARE: '1',
  },
};

const CODEX_QUIET_ARGS = [
  '-c', 'check_for_update_on_startup=false', '-c', 'analytics.enabled=false',
  '-c', 'features.plugins=false', '-c', 'features.remote_plugin=false', '-c', 'features.apps=false',
];

/**
 * No tools: Codex without its shell tool in a read-only sandbox; Claude Code with no built-in tool, no
 * MCP server, one turn and no saved session; OpenCode with every permission denied.
 */
const NO_TOOLS_ARGS: Record<AgentId, readonly string[]> = {
  codex: ['-c', 'features.shell_tool=false', '--sandbox', 'read-only'],
  'claude-code': ['--max-turns', '1', '--tools', '', '--strict-mcp-config', '--no-session-persistence'],
  opencode: [],
};
const NO_TOOLS_ENV: Record<AgentId, Readonly<Record<string, string>>> = {
  codex: {},
  'claude-code': {},
  opencode: { OPENCODE_PERMISSION: '{"*":"deny"}' },
};

/** Keeps the output plain text for the report and the tests. */
const PLAIN_OUTPUT_ENV = { NO_COLOR: '1', TERM: 'dumb' };

export interface TurnOptions {
  /** The agent's binary as found on PATH (or the tests' pinned one). */
  binary: string;
  /** The environment the agent starts from: the user's (or the tests' temporary user's). */
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** Arguments before the prompt (e.g. OpenCode's `-m provider/model`). */
  extraArgs?: readonly string[];
  /** Set on top of everything (e.g. a test's shell key). */
  extraEnv?: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

function envOf(base: Readonly<Record<string, string | undefined>>, ...layers: Readonly<Record<string, string>>[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
  return Object.assign(env, ...layers);
}

/** One headless turn: `codex exec …`, `claude -p …`, `opencode run …`. */
export function turnInvocation(agent: AgentId, options: TurnOptions): Invocation {
  const extra = options.extraArgs ?? [];
  const args: Record<AgentId, string[]> = {
    codex: ['exec', '--skip-git-repo-check', '--ephemeral', '--color', 'never', ...CODEX_QUIET_ARGS, ...NO_TOOLS_ARGS.codex, ...extra, REAL_AGENT_PROMPT],
    'claude-code': ['-p', ...NO_TOOLS_ARGS['claude-code'], ...extra, REAL_AGENT_PROMPT],
    opencode: ['run', ...NO_TOOLS_ARGS.opencode, ...extra, REAL_AGENT_PROMPT],
  };
  return {
    argv: [options.binary, ...args[agent]],
    env: envOf(options.baseEnv, PLAIN_OUTPUT_ENV, QUIET_ENV[agent], NO_TOOLS_ENV[agent], options.extraEnv ?? {}),
    timeoutMs: options.timeoutMs ?? REAL_AGENT_LIMITS.turnMs,
  };
}

/** `<agent> --version`, as quiet as a turn. */
export function versionInvocation(agent: AgentId, binary: string, baseEnv: Readonly<Record<string, string | undefined>>): Invocation {
  return { argv: [binary, '--version'], env: envOf(baseEnv, PLAIN_OUTPUT_ENV, QUIET_ENV[agent]), timeoutMs: REAL_AGENT_LIMITS.versionMs };
}

/** The command line as a person would type it (for evidence; the binary shown by its name). */
export function describeInvocation(agent: AgentId, invocation: Invocation): string {
  const quote = (arg: string) => (arg === '' ? '""' : /[\s"'\\$`{}*]/.test(arg) ? `'${arg.replace(/'/g, `'\\''`)}'` : arg);
  return [AGENT_COMMANDS[agent], ...invocation.argv.slice(1)].map(quote).join(' ');
}
