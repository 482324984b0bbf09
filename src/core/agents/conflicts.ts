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
import * as l10n from '@vscode/l10n';
import { hostLabel } from '../baseUrl';
import { readClaudeSettings, type ClaudeKeyVariable } from './claudeCode';
import { readCodexConfig } from './codex';
import type { HostEnvironment } from './paths';
import type { AgentPlan, ConfigureRequest } from './plan';
import { listAnd, listComma } from './lists';
import { findProjectOverrides, type ProjectOverride } from './projectOverrides';
import { findProfileExports } from './shellProfiles';
import type { AgentId } from './types';

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
    // Each place with the title it gets when it is the only one (whole sentences, for word order).
    const places: { where: string; title: (host: string) => string }[] = [];
    if (nonEmpty(context.host.env[name])) {
      const label = context.environmentLabel ?? l10n.t('your shell environment');
      places.push({ where: label, title: (host) => l10n.t('The {0} from {1} would reach {2}', name, label, host) });
    }
    if (nonEmpty(context.terminalEnv?.[name])) {
      places.push({ where: 'terminal.integrated.env', title: (host) => l10n.t('The {0} from terminal.integrated.env would reach {1}', name, host) });
    }
    for (const p of profiles) {
      if (p.name !== name) continue;
      const file = tilde(p.file, context.host);
      places.push({ where: l10n.t('{0} line {1}', file, p.line), title: (host) => l10n.t('The {0} from {1} line {2} would reach {3}', name, file, p.line, host) });
    }
    if (!places.length) continue;
    const where = places.map((p) => p.where);
    const ours = planned.keyVariables[0];
    const host = hostLabel(request.gatewayRoot);
    conflicts.push({
      id: 'claude.shell-key',
      agent: 'claude-code',
      title: places.length === 1 ? places[0]!.title(host) : l10n.t('The {0} from your shell would reach {1}', name, host),
      message: shellKeyMessage(name, listAnd(where), host, ours),
      where,
      fix: {
        option: 'claude.clearShellKey',
        label: l10n.t('Write "{0}": "" in settings.json', name),
        detail: l10n.t('Claude Code then ignores the {0} from your shell (settings.json wins over the shell); other programs still see it.', name),
        decline: l10n.t('Claude Code sends both keys to {0}.', host),
      },
    });
  }
  return conflicts;
}

/**
 * One sentence per header and per "next to our key" (Claude Code sends ANTHROPIC_AUTH_TOKEN as
 * Authorization, ANTHROPIC_API_KEY as x-api-key). Header names only: `Authorization: Bearer …` would
 * read as a credential to redact().
 */
function shellKeyMessage(name: ClaudeKeyVariable, where: string, host: string, ours: ClaudeKeyVariable | undefined): string {
  if (name === 'ANTHROPIC_AUTH_TOKEN') {
    return ours
      ? l10n.t('{0} is set in {1}: Claude Code would send it in the Authorization header to {2} next to the gateway key in {3}, so that key, often your own Anthropic one, reaches the gateway.', name, where, host, ours)
      : l10n.t('{0} is set in {1}: Claude Code would send it in the Authorization header to {2}, so that key, often your own Anthropic one, reaches the gateway.', name, where, host);
  }
  return ours
    ? l10n.t('{0} is set in {1}: Claude Code would send it in the x-api-key header to {2} next to the gateway key in {3}, so that key, often your own Anthropic one, reaches the gateway.', name, where, host, ours)
    : l10n.t('{0} is set in {1}: Claude Code would send it in the x-api-key header to {2}, so that key, often your own Anthropic one, reaches the gateway.', name, where, host);
}

function legacyProfileConflicts(plan: AgentPlan): Conflict[] {
  const config = plan.changes.find((c) => /config\.toml$/i.test(c.path));
  if (config?.after === undefined) return [];
  const profile = readCodexConfig(config.after, config.path).legacyProfile;
  if (!profile) return [];
  return [{
    id: 'codex.legacy-profile',
    agent: 'codex',
    title: l10n.t('Codex will not start: config.toml has a root profile = "{0}"', profile.name),
    message: l10n.t('config.toml line {0} selects a profile at its root (profile = "{1}"): Codex 0.171 and later refuse to start with it ("legacy profile config is no longer supported"), with or without this change.', profile.line, profile.name),
    where: [`${config.path}:${profile.line}`],
    fix: {
      option: 'codex.removeLegacyProfile',
      label: l10n.t('Remove the root profile line'),
      detail: l10n.t('A comment in config.toml records what was removed; [profiles.*] tables stay. To use that profile, put its settings in {0}.config.toml and run codex --profile {0}.', profile.name),
      decline: l10n.t('Codex keeps refusing to start until the line is removed.'),
    },
  }];
}

async function projectConflicts(plan: AgentPlan, context: ConflictContext): Promise<Conflict[]> {
  const overrides = await findProjectOverrides(context.projectFolders, { agents: [plan.agent], userFiles: plan.changes.map((c) => c.path) });
  return overrides.map((o) => {
    const folder = path.dirname(o.agent === 'opencode' ? o.path : path.dirname(o.path));
    const file = tilde(o.path, context.host);
    return {
      id: 'project-override' as const,
      agent: o.agent,
      title: o.keys.length === 1 ? l10n.t('{0} overrides {1}', file, o.keys[0]!) : l10n.t('{0} overrides {1} settings', file, o.keys.length),
      message: projectMessage(o, file, tilde(folder, context.host)),
      where: [o.path],
    };
  });
}

/** One sentence per agent (each says why the project wins) and per number of keys. */
function projectMessage(o: ProjectOverride, file: string, folder: string): string {
  const keys = listComma(o.keys);
  const one = o.keys.length === 1;
  switch (o.agent) {
    case 'claude-code':
      return one
        ? l10n.t('{0} sets {1}: Claude Code started in {2} uses that value, not what is written here (project settings take precedence over your user settings).', file, keys, folder)
        : l10n.t('{0} sets {1}: Claude Code started in {2} uses those values, not what is written here (project settings take precedence over your user settings).', file, keys, folder);
    case 'codex':
      return one
        ? l10n.t('{0} sets {1}: Codex CLI started in {2} uses that value, not what is written here (Codex applies a trusted project\'s config over your user config).', file, keys, folder)
        : l10n.t('{0} sets {1}: Codex CLI started in {2} uses those values, not what is written here (Codex applies a trusted project\'s config over your user config).', file, keys, folder);
    case 'opencode':
      return one
        ? l10n.t('{0} sets {1}: OpenCode started in {2} uses that value, not what is written here (OpenCode merges the project\'s config over your global config).', file, keys, folder)
        : l10n.t('{0} sets {1}: OpenCode started in {2} uses those values, not what is written here (OpenCode merges the project\'s config over your global config).', file, keys, folder);
  }
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
