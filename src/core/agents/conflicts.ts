/**
 * What outside the planned files would defeat them, found before anything is written so the CLI and
 * Configure can say it next to the diff and offer the fix (issue 11, "What the real agents showed"):
 *
 * - a key variable exported in the shell that the planned settings.json does not override: Claude
 *   Code sends it to the gateway next to ours (`Authorization` and `x-api-key` both);
 * - a project's `.claude/settings.json` (or `.codex/config.toml`, `opencode.json[c]`) that wins over
 *   the user file in that folder;
 * - a root `profile = "…"` in config.toml, with which Codex 0.171 does not start at all.
 *
 * Judged on the planned text, so a fix the user chose (clearShellKey, removeLegacyProfile) makes its
 * conflict disappear. Variable values are only tested for being non-empty, never kept.
 */
import path from 'node:path';
import { hostLabel } from '../baseUrl';
import { readClaudeSettings, type ClaudeKeyVariable } from './claudeCode';
import { readCodexConfig } from './codex';
import type { HostEnvironment } from './paths';
import type { AgentPlan, ConfigureRequest } from './plan';
import { findProjectOverrides } from './projectOverrides';
import { findProfileExports } from './shellProfiles';
import { AGENT_LABELS, type AgentId } from './types';

export interface ConflictContext {
  host: HostEnvironment;
  /** How to name `host.env` to the user: the CLI's shell, or VS Code's environment (what its terminals inherit). */
  environmentLabel?: string;
  /** VS Code's `terminal.integrated.env.<platform>`; absent in the CLI. */
  terminalEnv?: Readonly<Record<string, string | null | undefined>>;
  /** Where the agent will be started: the CLI's working directory, VS Code's workspace folders. */
  projectFolders: readonly string[];
}

/** The request option that applies a fix (ConfigureRequest.claude.clearShellKey, .codex.removeLegacyProfile). */
export type ConflictFixOption = 'claude.clearShellKey' | 'codex.removeLegacyProfile';

export interface Conflict {
  id: 'claude.shell-key' | 'codex.legacy-profile' | 'project-override';
  agent: AgentId;
  /** What goes wrong, in a few words (a picker's title). */
  title: string;
  /** What goes wrong and why, in plain words. */
  message: string;
  /** Where it was seen (a file and line, an environment); never a value. */
  where: string[];
  /** The fix the user may opt into; none for a project file (that file is not ours to edit). `decline`: what happens without it. */
  fix?: { option: ConflictFixOption; label: string; detail: string; decline: string };
}

const KEY_VARIABLES: readonly ClaudeKeyVariable[] = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'];
// Header names only: `Authorization: Bearer …` would read as a credential to redact().
const HEADER: Record<ClaudeKeyVariable, string> = { ANTHROPIC_AUTH_TOKEN: 'the Authorization header', ANTHROPIC_API_KEY: 'the x-api-key header' };

export async function findConflicts(plan: AgentPlan, request: ConfigureRequest, context: ConflictContext): Promise<Conflict[]> {
  const conflicts: Conflict[] = [];
  if (plan.agent === 'claude-code') conflicts.push(...(await shellKeyConflicts(plan, request, context)));
  if (plan.agent === 'codex') conflicts.push(...legacyProfileConflicts(plan));
  conflicts.push(...(await projectConflicts(plan, context)));
  return conflicts;
}

/** Whether the user already answered this fix (true: apply, false: leave it); undefined: not asked yet. */
export function fixAnswer(request: ConfigureRequest, option: ConflictFixOption): boolean | undefined {
  return option === 'claude.clearShellKey' ? request.claude?.clearShellKey : request.codex?.removeLegacyProfile;
}

/** The request with the user's answer to a fix. */
export function answerFix(request: ConfigureRequest, option: ConflictFixOption, apply: boolean): ConfigureRequest {
  return option === 'claude.clearShellKey'
    ? { ...request, claude: { ...request.claude, clearShellKey: apply } }
    : { ...request, codex: { ...request.codex, removeLegacyProfile: apply } };
}

async function shellKeyConflicts(plan: AgentPlan, request: ConfigureRequest, context: ConflictContext): Promise<Conflict[]> {
  const settings = plan.changes[0];
  if (settings?.after === undefined) return [];
  const planned = readClaudeSettings(settings.after, settings.path);
  // settings.json env overrides the shell, whether with our key or with a blank.
  const open = KEY_VARIABLES.filter((name) => !planned.keyVariables.includes(name) && !planned.clearedKeyVariables.includes(name));
  if (!open.length) return [];
  const profiles = await findProfileExports(context.host, open);
  const conflicts: Conflict[] = [];
  for (const name of open) {
    const where: string[] = [];
    if (nonEmpty(context.host.env[name])) where.push(context.environmentLabel ?? 'your shell environment');
    if (nonEmpty(context.terminalEnv?.[name])) where.push('terminal.integrated.env');
    for (const p of profiles) if (p.name === name) where.push(`${tilde(p.file, context.host)} line ${p.line}`);
    if (!where.length) continue;
    const ours = planned.keyVariables[0];
    const host = hostLabel(request.gatewayRoot);
    conflicts.push({
      id: 'claude.shell-key',
      agent: 'claude-code',
      title: `The ${name} from ${where.length === 1 ? where[0] : 'your shell'} would reach ${host}`,
      message: `${name} is set in ${joinAnd(where)}: Claude Code would send it in ${HEADER[name]} to ${host}${ours ? ` next to the gateway key in ${ours}` : ''}, so that key, often your own Anthropic one, reaches the gateway.`,
      where,
      fix: {
        option: 'claude.clearShellKey',
        label: `Write "${name}": "" in settings.json`,
        detail: `Claude Code then ignores the ${name} from your shell (settings.json wins over the shell); other programs still see it.`,
        decline: `Claude Code sends both keys to ${host}.`,
      },
    });
  }
  return conflicts;
}

function legacyProfileConflicts(plan: AgentPlan): Conflict[] {
  const config = plan.changes.find((c) => /config\.toml$/i.test(c.path));
  if (config?.after === undefined) return [];
  const profile = readCodexConfig(config.after, config.path).legacyProfile;
  if (!profile) return [];
  return [{
    id: 'codex.legacy-profile',
    agent: 'codex',
    title: `Codex will not start: config.toml has a root profile = "${profile.name}"`,
    message: `config.toml line ${profile.line} selects a profile at its root (profile = "${profile.name}"): Codex 0.171 and later refuse to start with it ("legacy profile config is no longer supported"), with or without this change.`,
    where: [`${config.path}:${profile.line}`],
    fix: {
      option: 'codex.removeLegacyProfile',
      label: 'Remove the root profile line',
      detail: `A comment in config.toml records what was removed; [profiles.*] tables stay. To use that profile, put its settings in ${profile.name}.config.toml and run codex --profile ${profile.name}.`,
      decline: 'Codex keeps refusing to start until the line is removed.',
    },
  }];
}

const PROJECT_EFFECT: Record<AgentId, string> = {
  'claude-code': 'project settings take precedence over your user settings',
  codex: 'Codex applies a trusted project\'s config over your user config',
  opencode: 'OpenCode merges the project\'s config over your global config',
};

async function projectConflicts(plan: AgentPlan, context: ConflictContext): Promise<Conflict[]> {
  const overrides = await findProjectOverrides(context.projectFolders, { agents: [plan.agent], userFiles: plan.changes.map((c) => c.path) });
  return overrides.map((o) => {
    const folder = path.dirname(o.agent === 'opencode' ? o.path : path.dirname(o.path));
    return {
      id: 'project-override' as const,
      agent: o.agent,
      title: `${tilde(o.path, context.host)} overrides ${o.keys.length === 1 ? o.keys[0] : `${o.keys.length} settings`}`,
      message: `${tilde(o.path, context.host)} sets ${o.keys.join(', ')}: ${AGENT_LABELS[o.agent]} started in ${tilde(folder, context.host)} uses ${o.keys.length === 1 ? 'that value' : 'those values'}, not what is written here (${PROJECT_EFFECT[o.agent]}).`,
      where: [o.path],
    };
  });
}

function nonEmpty(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** `~/.zshrc` rather than the full home path: shorter, and how people name these files. */
function tilde(file: string, host: HostEnvironment): string {
  const p = host.platform === 'win32' ? path.win32 : path.posix;
  const rel = p.relative(host.home, file);
  if (rel === '') return '~';
  return !rel.startsWith('..') && !p.isAbsolute(rel) ? `~${p.sep}${rel}` : file;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
