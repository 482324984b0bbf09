/**
 * The real agents, from the extension host, always inside a loopback-only network namespace. The host
 * itself is not in one, so each agent is reached through a wrapper script named like it (`codex`,
 * `claude`, `opencode`) that starts `unshare -n` (or `-r -n` when not root), a fresh simulator on the
 * test gateway's port (nsRunner.ts) and the real binary with the arguments it was given. Put the wrappers'
 * folder first on PATH and the product finds them as it would the real agents.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENT_COMMANDS } from '../../src/core/agents/realAgent';
import type { AgentId } from '../../src/core/agents/types';
import type { RelayRecord } from '../../src/simulator';

/** dist/test/exthost.js → dist/test/nsRunner.js */
const RUNNER = path.join(__dirname, 'nsRunner.js');

/** Why the real agents cannot run here (the suite is then skipped, counted pending), or the flags to unshare. */
export function cageProblem(): { problem: string } | { flags: string[]; bin: string } {
  const bin = process.env.TOKAIFY_AGENTS_BIN;
  if (!bin) return { problem: 'TOKAIFY_AGENTS_BIN is not set (test/host/run-exthost.mjs sets it)' };
  const missing = Object.values(AGENT_COMMANDS).filter((name) => !existsSync(path.join(bin, name)));
  if (missing.length) return { problem: `the real agents are not installed (${missing.join(', ')} missing in ${bin}): run bash scripts/agents-install.sh` };
  if (!existsSync(RUNNER)) return { problem: `${RUNNER} is missing: run node esbuild.mjs` };
  const problems: string[] = [];
  for (const flags of [['-n'], ['-r', '-n']]) {
    const probe = spawnSync('unshare', [...flags, '--', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
    if (probe.status === 0) return { flags, bin };
    problems.push(`unshare ${flags.join(' ')}: ${(probe.error?.message ?? probe.stderr.trim()) || `exit ${probe.status}`}`);
  }
  return { problem: `no loopback-only network namespace can be made here, and the real agents never run without one (${problems.join('; ')})` };
}

export interface CageRun {
  args: string[];
  code: number;
  relay: RelayRecord[];
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export class AgentCage {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-cage-'));
  readonly relayLog = path.join(this.dir, 'relay.jsonl');

  constructor(flags: string[], bin: string, port: number) {
    for (const name of Object.values(AGENT_COMMANDS)) {
      const inner = [process.execPath, RUNNER, String(port), this.relayLog, '--', path.join(bin, name)].map(quote).join(' ');
      const file = path.join(this.dir, 'bin', name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `#!/bin/sh\nexec unshare ${flags.join(' ')} -- sh -c 'ip link set lo up && exec "$@"' sh ${inner} "$@"\n`);
      chmodSync(file, 0o755);
    }
  }

  /** The wrapper a terminal would find as this agent. */
  binary(agent: AgentId): string {
    return path.join(this.dir, 'bin', AGENT_COMMANDS[agent]);
  }

  get binDir(): string {
    return path.join(this.dir, 'bin');
  }

  /** Every command run in the cage so far (--version ones too), oldest first. */
  runs(): CageRun[] {
    if (!existsSync(this.relayLog)) return [];
    return readFileSync(this.relayLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CageRun);
  }

  /** The last run that was a turn (not --version). */
  lastTurn(): CageRun | undefined {
    return this.runs().filter((r) => !r.args.includes('--version')).at(-1);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The environment an agent gets in these tests: the host's, with the agents' files in the temporary home
 * and no credential or override of the developer's shell.
 */
export function cleanEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(ANTHROPIC_|OPENAI_|OPENCODE_|CLAUDE_CODE_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, HOME: home, XDG_CACHE_HOME: path.join(home, 'cache') };
}
