/**
 * Before Configure writes: what the installed version of each chosen agent may not understand of the
 * keys this write puts in its files (versions.ts). `warnings`: keys that version is known not to read;
 * `notes`: keys Tokaify has not confirmed for a version that old. An agent not on PATH says nothing.
 */
import { rmSync } from 'node:fs';
import { detectAgent } from './installedAgents';
import type { HostEnvironment } from './paths';
import { chooseCodexCredential, type ConfigureRequest } from './plan';
import { runFolder } from './realAgentRun';
import type { AgentId } from './types';
import { concernText, keysWritten, versionConcerns } from './versions';

export interface VersionNotes {
  warnings: string[];
  notes: string[];
}

export async function configureVersionNotes(agents: readonly AgentId[], request: ConfigureRequest, host: HostEnvironment): Promise<VersionNotes> {
  const dir = runFolder();
  try {
    const perAgent = await Promise.all(agents.map(async (agent) => {
      const installed = await detectAgent(agent, host, dir);
      if (!installed?.version) return [];
      const credential = agent === 'codex' ? (await chooseCodexCredential(host, request.codex?.credential)).credential : undefined;
      return versionConcerns(agent, installed.version, keysWritten(agent, request, credential));
    }));
    const concerns = perAgent.flat();
    return {
      warnings: concerns.filter((c) => c.kind === 'since').map(concernText),
      notes: concerns.filter((c) => c.kind === 'atMost').map(concernText),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
