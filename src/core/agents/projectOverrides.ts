/**
 * Project files that take precedence over the user config Tokaify writes (client-configs.md §1.1, §2.1,
 * §3.1): Claude Code's `.claude/settings.json` and `.claude/settings.local.json`, a trusted project's
 * `.codex/config.toml`, OpenCode's `opencode.json[c]`. One detection for Verify and Configure (the
 * workspace folders) and the CLI (its working directory).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tryJsonObject } from '../json';
import { readText } from './fileWriter';
import { AGENT_IDS, type AgentId } from './types';

export interface ProjectOverride {
  agent: AgentId;
  /** The project file that overrides the user's config. */
  path: string;
  /** What it overrides, e.g. `env.ANTHROPIC_BASE_URL`, `model_provider`, `provider`. */
  keys: string[];
}

export interface ProjectOverrideOptions {
  /** Only these agents' project files (default: all three). */
  agents?: readonly AgentId[];
  /**
   * The user files Tokaify writes. A folder that is the home directory has `~/.claude/settings.json`
   * as its "project" file: that is the user's own file, not an override of it.
   */
  userFiles?: readonly string[];
}

export async function findProjectOverrides(folders: readonly string[], options: ProjectOverrideOptions = {}): Promise<ProjectOverride[]> {
  const agents = options.agents ?? AGENT_IDS;
  const own = new Set(await Promise.all((options.userFiles ?? []).map(canonical)));
  const found: ProjectOverride[] = [];
  const add = async (agent: AgentId, file: string, keys: string[]) => {
    if (keys.length && !own.has(await canonical(file))) found.push({ agent, path: file, keys });
  };
  for (const folder of folders) {
    if (agents.includes('claude-code')) {
      for (const name of ['.claude/settings.json', '.claude/settings.local.json']) {
        const file = path.join(folder, name);
        const env = tryJsonObject(await readText(file))?.env;
        const names = typeof env === 'object' && env !== null ? Object.keys(env) : [];
        await add('claude-code', file, names.filter((k) => k.startsWith('ANTHROPIC_')).map((k) => `env.${k}`));
      }
    }
    if (agents.includes('codex')) {
      const file = path.join(folder, '.codex', 'config.toml');
      const text = await readText(file);
      if (text !== undefined) {
        await add('codex', file, ['model', 'model_provider', 'model_providers', 'openai_base_url'].filter((k) => new RegExp(`^\\s*(\\[\\s*)?${k}\\b`, 'm').test(text)));
      }
    }
    if (agents.includes('opencode')) {
      for (const name of ['opencode.json', 'opencode.jsonc']) {
        const file = path.join(folder, name);
        const text = await readText(file);
        if (text !== undefined) await add('opencode', file, ['provider', 'model', 'enabled_providers', 'disabled_providers'].filter((k) => text.includes(`"${k}"`)));
      }
    }
  }
  return found;
}

/** The real path when it exists (symlinks, `..`), else the resolved one. */
async function canonical(file: string): Promise<string> {
  return fs.realpath(file).catch(() => path.resolve(file));
}
