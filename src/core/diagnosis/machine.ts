/**
 * Verify's facts about this machine, beside the files and the gateway: which agents are installed (and
 * their versions), and, when the user asked for it, one real turn of one of them. The turn's outcome
 * becomes that agent's request facts (`probe`, marked as sent by the real agent), so the same rules judge
 * the agent's own error as they judge Tokaify's test request.
 */
import { rmSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { detectAgent, type InstalledAgent } from '../agents/installedAgents';
import type { HostEnvironment } from '../agents/paths';
import { stripAnsi } from '../agents/realAgentOutput';
import { runFolder, runRealAgent, type RealRun } from '../agents/realAgentRun';
import { AGENT_IDS, AGENT_LABELS, type AgentId } from '../agents/types';
import { redact } from '../redact';
import type { Facts, RealRunFacts } from './types';

const AGENTS = AGENT_IDS;
/** Lines of each stream kept as evidence, and characters of each line. */
const OUTPUT_LINES = 12;
const LINE_CHARS = 400;

export interface MachineFacts {
  installed: InstalledAgent[];
  requested?: AgentId;
  run?: RealRun & { version?: string };
}

/** The installed agents (their `--version` run in a temporary folder), then the asked-for turn. */
export async function readMachine(host: HostEnvironment, requested?: AgentId): Promise<MachineFacts> {
  const dir = runFolder();
  let installed: InstalledAgent[];
  try {
    installed = (await Promise.all(AGENTS.map((agent) => detectAgent(agent, host, dir)))).filter((a): a is InstalledAgent => a !== undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const target = requested ? installed.find((a) => a.agent === requested) : undefined;
  if (!target) return { installed, ...(requested ? { requested } : {}) };
  const run = await runRealAgent(target.agent, { binary: target.path, baseEnv: host.env });
  return { installed, requested, run: { ...run, ...(target.version ? { version: target.version } : {}) } };
}

function lastLines(name: string, text: string): string[] {
  const lines = redact(stripAnsi(text)).split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  if (!lines.length) return [];
  const kept = lines.slice(-OUTPUT_LINES).map((l) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}…` : l));
  const heading = lines.length > kept.length ? l10n.t('{0} (last {1} of {2} lines):', name, kept.length, lines.length) : `${name}:`;
  return [heading, ...kept];
}

export function runFacts(run: MachineFacts['run'] & object): RealRunFacts {
  const { reading } = run;
  return {
    command: redact(run.command), exitCode: run.code, timedOut: run.timedOut, ms: run.ms, outcome: reading.outcome,
    output: [...lastLines('stdout', run.stdout), ...lastLines('stderr', run.stderr)],
    ...(run.version ? { version: run.version } : {}),
    ...(run.startError ? { startError: run.startError } : {}),
    ...(reading.errorLine ? { errorLine: redact(reading.errorLine) } : {}),
    ...(reading.legacyProfile !== undefined ? { legacyProfile: reading.legacyProfile } : {}),
  };
}

/** Puts the machine's facts on each agent; the run's answer becomes that agent's request facts. */
export function attachMachineFacts(facts: Facts, machine: MachineFacts): void {
  if (machine.requested) facts.realRunRequested = machine.requested;
  for (const a of facts.agents) {
    const found = machine.installed.find((i) => i.agent === a.agent);
    if (found) a.installed = { path: found.path, ...(found.version ? { version: found.version } : {}), ...(found.versionProblem ? { versionProblem: found.versionProblem } : {}) };
    const run = machine.run?.agent === a.agent ? machine.run : undefined;
    if (!run) continue;
    a.run = runFacts(run);
    // The agent and its version; the evidence line says "sent by the real …" around it.
    const by = `${AGENT_LABELS[a.agent]}${run.version ? ` ${run.version}` : ''}`;
    const { reading } = run;
    if (reading.outcome === 'ok') a.probe = { ok: true, latencyMs: run.ms, contextManagementRejected: false, by };
    else if (reading.outcome === 'refused') {
      a.probe = {
        ok: false, latencyMs: run.ms, contextManagementRejected: reading.contextManagementRejected, by,
        ...(reading.status !== undefined ? { status: reading.status } : {}),
        ...(reading.serverMessage !== undefined ? { serverMessage: redact(reading.serverMessage) } : {}),
        ...(reading.errorLine !== undefined ? { message: redact(reading.errorLine) } : {}),
      };
    }
  }
}
