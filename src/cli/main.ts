/**
 * `node dist/cli.js write <codex|claude-code|opencode> --base-url <url> --model <id> [options]`:
 * the agent config writers without VS Code, for servers and scripts. The key comes from the
 * TOKAIFY_API_KEY environment variable only (argv is visible to every user of the machine).
 * `rotate --from-key-env OLD --to-key-env NEW` (rotate.ts) swaps a key in every agent file.
 * Exit codes: 0 written (or planned, with --dry-run), 1 refused or failed, 2 usage (including a bad or
 * plain-http --base-url without --allow-http).
 */
import os from 'node:os';
import * as l10n from '@vscode/l10n';
import { normalizeBaseUrl } from '../core/baseUrl';
import { useShellLanguage } from './language';
import { rotateCommand } from './rotate';
import { BACKUPS_KEPT, confirmWrite, reportWritten, UsageError, type Io } from './shared';
import { registerSecret } from '../core/redact';
import { normalizeApiKey } from '../core/signIn';
import { unifiedDiff } from '../core/agents/diff';
import { findConflicts, type Conflict, type ConflictFixOption } from '../core/agents/conflicts';
import { listComma } from '../core/agents/lists';
import { applyChanges } from '../core/agents/fileWriter';
import { defaultBackupDir, type HostEnvironment } from '../core/agents/paths';
import { planAgent, type ConfigureRequest } from '../core/agents/plan';
import { AGENT_IDS, AGENT_LABELS, type AgentId } from '../core/agents/types';

const AGENTS = AGENT_IDS;
const EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;

/**
 * The usage text in the shell's language: a function, as the bundle is only configured once main() runs.
 * Flags, values and paths stay literal; only the descriptions are translated.
 */
function usage(): string {
  const option = (flags: string, text: string) => `  ${flags.padEnd(29)}${text}`;
  const sub = (flags: string, text: string) => `               ${flags.padEnd(29)}${text}`;
  return [
    l10n.t('usage: tokaify write <{0}> --base-url <url> --model <id> [options]', AGENTS.join('|')),
    `  ${l10n.t('The API key is read from the environment variable TOKAIFY_API_KEY.')}`,
    option('--provider-id <id>', l10n.t('Codex/OpenCode provider id (default tokaify)')),
    option('--dry-run', l10n.t('print the planned diff, write nothing')),
    option('--yes', l10n.t('write without asking')),
    option('--allow-http', l10n.t('accept a plain http:// gateway on another machine (the key travels unencrypted)')),
    `  Codex:       --codex-auth auth-json|config-token   --reasoning-effort ${EFFORTS.join('|')}   --review-model <id>`,
    sub('--remove-legacy-profile', l10n.t('remove a root `profile = "…"` (Codex 0.171+ refuses to start with one)')),
    '  Claude Code: --key-variable ANTHROPIC_AUTH_TOKEN|ANTHROPIC_API_KEY   --custom-model-option   --disable-experimental-betas',
    sub('--clear-shell-key', l10n.t('write the other key variable as "" so one exported in your shell is not sent too')),
    '  OpenCode:    --no-default-model',
    // One paragraph, wrapped by the translation itself (each language breaks its lines where it reads well).
    `  ${l10n.t("Before writing, what would defeat the files is said (a key variable in your shell or profile, a project's\n  .claude/settings.json in this folder, a root profile in config.toml), with the option that fixes it.")}`,
    `  ${l10n.t('Paths follow CODEX_HOME, CLAUDE_CONFIG_DIR, XDG_CONFIG_HOME, OPENCODE_CONFIG, XDG_DATA_HOME as the tools do.')}`,
    '',
    l10n.t('usage: tokaify rotate --from-key-env <VAR> --to-key-env <VAR> [--dry-run] [--yes]'),
    `  ${l10n.t('Replaces the old key with the new one in every agent file that holds it: all files or none, one backup for all.')}`,
    `  ${l10n.t('The two keys are read from the named environment variables, never from the command line.')}`,
    '',
  ].join('\n');
}

interface Parsed {
  agent: AgentId;
  baseUrl: string;
  model: string;
  dryRun: boolean;
  yes: boolean;
  allowHttp: boolean;
  request: Omit<ConfigureRequest, 'gatewayRoot' | 'key' | 'model'>;
}

function parse(argv: string[]): Parsed {
  const [command, agent, ...rest] = argv;
  if (command !== 'write') throw new UsageError(command ? l10n.t('unknown command {0}', command) : l10n.t('no command'));
  if (!AGENTS.includes(agent as AgentId)) {
    throw new UsageError(agent === undefined ? l10n.t('unknown agent (none): one of {0}', listComma(AGENTS)) : l10n.t('unknown agent {0}: one of {1}', agent, listComma(AGENTS)));
  }
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const takesValue = new Set(['--base-url', '--model', '--provider-id', '--codex-auth', '--reasoning-effort', '--review-model', '--key-variable']);
  const switches = new Set(['--dry-run', '--yes', '--allow-http', '--custom-model-option', '--disable-experimental-betas', '--no-default-model', '--clear-shell-key', '--remove-legacy-profile']);
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (takesValue.has(flag)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value === '') throw new UsageError(l10n.t('{0} needs a value', flag));
      values.set(flag, value);
    } else if (switches.has(flag)) flags.add(flag);
    else if (flag === '--key' || flag === '--api-key') throw new UsageError(l10n.t('the key is read from TOKAIFY_API_KEY, never from the command line (other users can see it)'));
    else throw new UsageError(l10n.t('unknown option {0}', flag));
  }
  const need = (flag: string) => values.get(flag) ?? (() => { throw new UsageError(l10n.t('{0} is required', flag)); })();
  const oneOf = <T extends string>(flag: string, allowed: readonly T[]): T | undefined => {
    const value = values.get(flag);
    if (value !== undefined && !allowed.includes(value as T)) throw new UsageError(l10n.t('{0} must be one of {1}', flag, listComma(allowed)));
    return value as T | undefined;
  };
  const providerId = values.get('--provider-id');
  // Unset rather than false: the fix was not asked for, which is not the same as declined.
  const optIn = (flag: string) => (flags.has(flag) ? true : undefined);
  return {
    agent: agent as AgentId,
    baseUrl: need('--base-url'),
    model: need('--model'),
    dryRun: flags.has('--dry-run'),
    yes: flags.has('--yes'),
    allowHttp: flags.has('--allow-http'),
    request: {
      codex: {
        credential: oneOf('--codex-auth', ['auth-json', 'config-token'] as const) ?? 'auto', reasoningEffort: oneOf('--reasoning-effort', EFFORTS), reviewModel: values.get('--review-model'), providerId,
        removeLegacyProfile: optIn('--remove-legacy-profile'),
      },
      claude: {
        keyVariable: oneOf('--key-variable', ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'] as const), customModelOption: flags.has('--custom-model-option'),
        disableExperimentalBetas: flags.has('--disable-experimental-betas'), clearShellKey: optIn('--clear-shell-key'),
      },
      opencode: { providerId, setDefaultModel: !flags.has('--no-default-model') },
    },
  };
}

const FIX_FLAGS: Record<ConflictFixOption, string> = { 'claude.clearShellKey': '--clear-shell-key', 'codex.removeLegacyProfile': '--remove-legacy-profile' };

/**
 * A conflict as the CLI says it: the problem, then the option that fixes it (if any). The fix's label is
 * an imperative ("Write …", 在 … 中写入 …) that reads as the purpose of the re-run in both languages.
 */
function describeConflict(conflict: Conflict): string {
  const label = conflict.fix ? `${conflict.fix.label.charAt(0).toLowerCase()}${conflict.fix.label.slice(1)}` : '';
  const fix = conflict.fix ? `  ${l10n.t('fix: re-run with {0} to {1}. {2}', FIX_FLAGS[conflict.fix.option], label, conflict.fix.detail)}\n` : '';
  return `${l10n.t('warning: {0}', conflict.message)}\n${fix}`;
}

const note = (text: string) => `${l10n.t('note: {0}', text)}\n`;

/** The question asked before writing: one sentence per number of changes and of warnings. */
function writeQuestion(changes: number, warnings: number): string {
  if (changes === 1) {
    if (warnings === 0) return l10n.t('Write this change?');
    return warnings === 1 ? l10n.t('Write this change (a warning above)?') : l10n.t('Write this change ({0} warnings above)?', warnings);
  }
  if (warnings === 0) return l10n.t('Write these changes?');
  return warnings === 1 ? l10n.t('Write these changes (a warning above)?') : l10n.t('Write these changes ({0} warnings above)?', warnings);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const io: Io = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
  const { out, err } = io;
  useShellLanguage(env);
  let parsed: Parsed;
  try {
    if (argv[0] === 'rotate') return await rotateCommand(argv.slice(1), env, io);
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`tokaify: ${error.message}\n${usage()}`);
    return 2;
  }
  if (!env.TOKAIFY_API_KEY) {
    err(`tokaify: ${l10n.t('set TOKAIFY_API_KEY to the sk- key to write (e.g. `read -rs TOKAIFY_API_KEY && export TOKAIFY_API_KEY`).')}\n`);
    return 2;
  }
  const normalized = normalizeApiKey(env.TOKAIFY_API_KEY);
  if (!normalized.ok) {
    err(`tokaify: TOKAIFY_API_KEY: ${normalized.error}\n`);
    return 2;
  }
  const key = normalized.key;
  registerSecret(key);
  const url = normalizeBaseUrl(parsed.baseUrl);
  if (!url.ok) {
    err(`tokaify: ${url.error}\n`);
    return 2;
  }
  // The extension asks before it accepts such an address; a script has to say so up front.
  if (url.value.insecure && !parsed.allowHttp) {
    err(`tokaify: ${l10n.t('{0} is plain http to another machine: the key would cross the network unencrypted. Use https, or pass --allow-http if you trust this network.', url.value.baseUrl)}\n`);
    return 2;
  }
  for (const text of url.value.notes) err(note(text));
  if (url.value.insecure) err(note(l10n.t('{0} is plain http (--allow-http): the key crosses the network unencrypted.', url.value.baseUrl)));
  const host: HostEnvironment = { env, home: os.homedir(), platform: process.platform };
  try {
    const request = { ...parsed.request, gatewayRoot: url.value.baseUrl, key, model: parsed.model };
    const plan = await planAgent(parsed.agent, request, host);
    for (const text of plan.notes) err(note(text));
    // The shell this runs in is the one the agent will run in; its folder is the project it would read.
    const conflicts = await findConflicts(plan, request, { host, projectFolders: [process.cwd()] });
    for (const conflict of conflicts) err(describeConflict(conflict));
    const diffs = plan.changes.map(unifiedDiff).filter(Boolean);
    if (!diffs.length) {
      out(`${l10n.t('{0} is already configured this way; nothing to write.', AGENT_LABELS[parsed.agent])}\n`);
      return 0;
    }
    out(diffs.join('\n'));
    if (parsed.dryRun) {
      err(`${l10n.t('dry run: nothing was written.')}\n`);
      return 0;
    }
    if (!(await confirmWrite(parsed.yes, writeQuestion(plan.changes.length, conflicts.length), io))) return 1;
    const store = { dir: defaultBackupDir(host), keep: BACKUPS_KEPT };
    reportWritten(plan.changes, await applyChanges(plan.changes, store), store, io);
    return 0;
  } catch (error) {
    err(`tokaify: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
    process.stderr.write(`tokaify: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
