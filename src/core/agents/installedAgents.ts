/**
 * Which agents are installed on this machine, found the way a terminal finds them: the PATH of the
 * environment given (PATHEXT's .exe/.cmd names on Windows), then `<agent> --version`, time-limited.
 * A version read once is kept for that binary until the file changes.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { HostEnvironment } from './paths';
import { runInvocation } from './processRun';
import { AGENT_COMMANDS, versionInvocation } from './realAgent';
import type { AgentId } from './types';
import { parseAgentVersion } from './versions';

export interface InstalledAgent {
  agent: AgentId;
  /** The binary a terminal would start. */
  path: string;
  /** Parsed from `--version`; undefined when it could not be read. */
  version?: string;
  /** Why the version is unknown. */
  versionProblem?: string;
}

/** Windows' default PATHEXT, for an environment that lacks one. */
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** An executable regular file (on Windows, any file: the extension says it runs). */
function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `command` on PATH, as a shell would pick it; undefined when there is none. */
export function findOnPath(command: string, env: HostEnvironment['env'], platform: NodeJS.Platform, executable = (file: string) => isExecutable(file, platform)): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const pathValue = platform === 'win32' ? env.Path ?? env.PATH ?? env.path : env.PATH;
  const dirs = (pathValue ?? '').split(platform === 'win32' ? ';' : ':').map((d) => d.trim().replace(/^"(.*)"$/, '$1')).filter((d) => d !== '' && p.isAbsolute(d));
  const names = platform === 'win32'
    ? (env.PATHEXT ?? DEFAULT_PATHEXT).split(';').filter(Boolean).map((ext) => `${command}${ext.toLowerCase()}`)
    : [command];
  for (const dir of dirs) {
    for (const name of names) {
      const file = p.join(dir, name);
      if (executable(file)) return file;
    }
  }
  return undefined;
}

const versions = new Map<string, { stamp: string; version?: string; problem?: string }>();

function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

/** `<binary> --version`, parsed, in a temporary folder of the caller's choosing. */
export async function readAgentVersion(agent: AgentId, binary: string, env: HostEnvironment['env'], cwd: string): Promise<{ version?: string; problem?: string }> {
  const stamp = stampOf(binary);
  const known = versions.get(binary);
  if (known && known.stamp === stamp) return { ...(known.version ? { version: known.version } : {}) };
  const result = await runInvocation(versionInvocation(agent, binary, env), cwd);
  const version = parseAgentVersion(agent, `${result.stdout}\n${result.stderr}`);
  const problem = version ? undefined
    : result.startError ? l10n.t('it could not be started ({0})', result.startError)
    : result.timedOut ? l10n.t('it did not answer --version in time')
    : l10n.t('its --version output has no version number');
  const entry = { stamp, ...(version ? { version } : {}), ...(problem ? { problem } : {}) };
  // Only a clear answer is kept: a slow start may be a busy machine.
  if (version) versions.set(binary, entry);
  return entry;
}

export async function detectAgent(agent: AgentId, host: HostEnvironment, cwd: string): Promise<InstalledAgent | undefined> {
  const binary = findOnPath(AGENT_COMMANDS[agent], host.env, host.platform);
  if (!binary) return undefined;
  const { version, problem } = await readAgentVersion(agent, binary, host.env, cwd);
  return { agent, path: binary, ...(version ? { version } : {}), ...(problem ? { versionProblem: problem } : {}) };
}
