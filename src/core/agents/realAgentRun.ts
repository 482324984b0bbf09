/**
 * One real turn of an installed agent (Verify's "Run the real agent"): the invocation from realAgent.ts,
 * run in a fresh temporary folder that is removed afterwards (never the workspace), and what its output
 * says (realAgentOutput.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInvocation, type ProcessResult } from './processRun';
import { describeInvocation, turnInvocation, type TurnOptions } from './realAgent';
import { readRun, type RunReading } from './realAgentOutput';
import type { AgentId } from './types';

export interface RealRun extends ProcessResult {
  agent: AgentId;
  /** The command line, as a person would type it. */
  command: string;
  reading: RunReading;
}

export interface RealRunOptions extends TurnOptions {
  /** Only the tests pass one (a project folder of theirs); the product always runs in a fresh temporary folder. */
  cwd?: string;
}

/** A fresh, empty folder for one run. */
export function runFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tokaify-agent-run-'));
}

export async function runRealAgent(agent: AgentId, options: RealRunOptions): Promise<RealRun> {
  const invocation = turnInvocation(agent, options);
  const cwd = options.cwd ?? runFolder();
  try {
    const result = await runInvocation(invocation, cwd);
    return { ...result, agent, command: describeInvocation(agent, invocation), reading: readRun(agent, result) };
  } finally {
    if (options.cwd === undefined) rmSync(cwd, { recursive: true, force: true });
  }
}
