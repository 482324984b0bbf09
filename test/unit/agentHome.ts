/**
 * A temporary HOME holding agent files at their default paths, for the key scan, rotation and CLI
 * tests. Not a `*.test.ts` file: bundled into each test that imports it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostEnvironment } from '../../src/core/agents/paths';
import { fixtureReader } from './jsonFixtures';

export const OLD_KEY = 'sk-test-old000000000000000000000000';
export const NEW_KEY = 'sk-test-new111111111111111111111111';
/** The key in the fixtures' Codex auth.json: a key that is not rotated. */
export const OTHER_KEY = 'sk-test-other0000000000000000000000';

export const rotateFixture = fixtureReader('rotate');

/** Where each agent file lives under a HOME with no environment overrides. */
export const AGENT_FILES = {
  codexConfig: '.codex/config.toml',
  codexAuth: '.codex/auth.json',
  claudeSettings: '.claude/settings.json',
  openCodeConfig: '.config/opencode/opencode.jsonc',
  openCodeAuth: '.local/share/opencode/auth.json',
} as const;

export type AgentFileName = keyof typeof AGENT_FILES;

/** The rotate fixtures, one per agent file. */
export const FIXTURE_OF: Record<AgentFileName, string> = {
  codexConfig: 'codex-config.toml',
  codexAuth: 'codex-auth.json',
  claudeSettings: 'claude-settings.json',
  openCodeConfig: 'opencode.jsonc',
  openCodeAuth: 'opencode-auth.json',
};

export function tempHome(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tokaify-home-'));
}

export function hostFor(home: string, env: Record<string, string> = {}): HostEnvironment {
  return { env, home, platform: process.platform };
}

/** Writes the given files (text per name) under `home`; returns their absolute paths. */
export function layFiles(home: string, files: Partial<Record<AgentFileName, string>>): Record<AgentFileName, string> {
  const paths = Object.fromEntries(Object.entries(AGENT_FILES).map(([name, rel]) => [name, path.join(home, rel)])) as Record<AgentFileName, string>;
  for (const [name, text] of Object.entries(files) as Array<[AgentFileName, string]>) {
    mkdirSync(path.dirname(paths[name]), { recursive: true });
    writeFileSync(paths[name], text);
  }
  return paths;
}

/** Every rotate fixture in place. */
export function layFixtures(home: string): Record<AgentFileName, string> {
  return layFiles(home, Object.fromEntries(Object.entries(FIXTURE_OF).map(([name, fixture]) => [name, rotateFixture(fixture)])));
}
