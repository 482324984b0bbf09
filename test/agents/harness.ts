/**
 * The real agents (Codex CLI, Claude Code, OpenCode; installed by scripts/agents-install.sh) against the
 * gateway simulator: a temporary HOME, the config written by our CLI, one headless turn, and what the
 * simulator's relay log saw. test/agents/run.mjs starts mocha inside `unshare -n` (a network namespace
 * with only loopback), so the simulator, started in this process, and every agent share a network that
 * reaches nothing else; isolationProblem() makes sure no agent ever runs outside one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessResult } from '../../src/core/agents/processRun';
import { runRealAgent } from '../../src/core/agents/realAgentRun';
import type { AgentId } from '../../src/core/agents/types';
import { randomKey } from '../../src/simulator/state';
import { SIM_REPLY_MARKER, startGateway, type RelayRecord, type RunningGateway } from '../../src/simulator';

export type AgentName = 'codex' | 'claude' | 'opencode';

/** This file runs as dist/test/agents/<suite>.test.js. */
const CLI = path.resolve(__dirname, '../../cli.js');
export const CACHE = process.env.TOKAIFY_VSHOST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tokaify-vshost');
/** How long one agent turn may take (the agents start slowly on a busy 2-core machine; OpenCode most). */
export const TURN_LIMIT_MS = Number(process.env.TOKAIFY_AGENT_TURN_MS ?? 120_000);

/** Why no agent may run here, or undefined: the only network interface must be loopback. */
export function isolationProblem(): string | undefined {
  const names = Object.keys(os.networkInterfaces());
  if (names.length === 1 && names[0] === 'lo') return undefined;
  return `this process sees network interfaces ${names.join(', ') || '(none)'}; the real agents only run inside a loopback-only namespace: use node test/agents/run.mjs`;
}

/** The linked binary of an installed agent, or a failure that says how to install it. */
export function agentBinary(name: AgentName): string {
  const file = path.join(CACHE, 'agents-bin', name);
  assert.ok(existsSync(file), `${name} is not installed (${file} is missing): run bash scripts/agents-install.sh`);
  return file;
}

/** Our names for the agents, as the product knows them. */
export const AGENT_ID: Record<AgentName, AgentId> = { codex: 'codex', claude: 'claude-code', opencode: 'opencode' };

/** A user with nothing but a HOME: no variable of the developer's shell reaches the agents or the CLI. */
export class TempUser {
  readonly home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-agent-'));
  /** An empty folder that is not a repository, to run the agents in. */
  readonly work = path.join(this.home, 'work');
  readonly env: Record<string, string>;

  constructor(extraEnv: Record<string, string> = {}) {
    mkdirSync(this.work);
    this.env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.home,
      USER: os.userInfo().username,
      LANG: 'C.UTF-8',
      TERM: 'dumb',
      NO_COLOR: '1',
      XDG_CONFIG_HOME: path.join(this.home, '.config'),
      XDG_DATA_HOME: path.join(this.home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(this.home, '.cache'),
      XDG_STATE_HOME: path.join(this.home, '.local', 'state'),
      ...extraEnv,
    };
  }

  file(relative: string): string {
    return path.join(this.home, relative);
  }

  read(relative: string): string {
    return readFileSync(this.file(relative), 'utf8');
  }

  /** Writes a file the user already had before Tokaify. */
  seed(relative: string, text: string, mode = 0o600): void {
    mkdirSync(path.dirname(this.file(relative)), { recursive: true });
    writeFileSync(this.file(relative), text, { mode });
  }

  remove(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

export interface Written {
  stdout: string;
  stderr: string;
  /** The files the CLI says it wrote. */
  files: string[];
}

/**
 * `node dist/cli.js write <agent> --base-url <gateway> --model <model> --yes …` as this user, the key in
 * TOKAIFY_API_KEY. With TOKAIFY_AGENTS_BREAK=key (to show the suite can fail) the key in every written
 * file is then swapped for one the gateway does not know.
 */
export function writeConfig(user: TempUser, agent: 'codex' | 'claude-code' | 'opencode', gatewayUrl: string, model: string, key: string, options: string[] = []): Written {
  const result = spawnSync(process.execPath, [CLI, 'write', agent, '--base-url', gatewayUrl, '--model', model, '--yes', ...options], {
    cwd: user.work, env: { ...user.env, TOKAIFY_API_KEY: key }, encoding: 'utf8', input: '',
  });
  assert.equal(result.status, 0, `tokaify write ${agent} failed:\n${result.stderr}`);
  const files = [...result.stdout.matchAll(/^wrote (.+?)(?: \(mode 0600\))?$/gm)].map((m) => m[1]!);
  assert.ok(files.length > 0, `tokaify write ${agent} wrote nothing:\n${result.stdout}`);
  if (process.env.TOKAIFY_AGENTS_BREAK === 'key') {
    for (const file of files) writeFileSync(file, readFileSync(file, 'utf8').split(key).join(`sk-${'broken'.repeat(8)}`));
  }
  return { stdout: result.stdout, stderr: result.stderr, files };
}

/** How the agent's process ended (as the product's run reports it), and what the relay saw meanwhile. */
export interface Turn extends Pick<ProcessResult, 'code' | 'signal' | 'stdout' | 'stderr' | 'ms' | 'timedOut'> {
  /** What the relay saw during the turn. */
  relay: RelayRecord[];
}

export interface TurnOptions {
  /** Extra arguments before the prompt. */
  args?: string[];
  /** Extra environment, on top of the user's and the quiet switches (e.g. a shell ANTHROPIC_API_KEY). */
  env?: Record<string, string>;
  /** Default: the user's empty work folder. */
  cwd?: string;
  /** Default: the installed agent itself (a workspace profile runs Codex through its shim). */
  binary?: string;
}

/**
 * Runs one agent turn exactly as Verify's "Run the real agent" does (src/core/agents/realAgentRun.ts:
 * the same argv, quiet switches, no tools, stdin closed, its own process group ended at the time limit),
 * as this user and in their work folder. Refuses outright outside a loopback-only namespace.
 */
export async function runTurn(gateway: RunningGateway, user: TempUser, name: AgentName, { args = [], env = {}, cwd = user.work, binary = agentBinary(name) }: TurnOptions = {}): Promise<Turn> {
  const problem = isolationProblem();
  if (problem) throw new Error(problem);
  const mark = gateway.relay.length;
  const run = await runRealAgent(AGENT_ID[name], { binary, baseEnv: user.env, extraArgs: args, extraEnv: env, timeoutMs: TURN_LIMIT_MS, cwd });
  if (run.startError) throw new Error(`${name} could not be started: ${run.startError}`);
  return { code: run.code, signal: run.signal, stdout: run.stdout, stderr: run.stderr, ms: run.ms, timedOut: run.timedOut, relay: gateway.relay.slice(mark) };
}

/** Everything a failed assertion should show about a turn (keys are fake; output is cut to its end). */
export function describeTurn(turn: Turn): string {
  const tail = (text: string) => (text.length > 3000 ? `…${text.slice(-3000)}` : text);
  const relay = turn.relay.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} → ${r.status} [${r.keyHeaders.join(', ')}] model=${r.model ?? '-'}`);
  return [
    `exit ${turn.code ?? turn.signal}${turn.timedOut ? ` (killed after ${TURN_LIMIT_MS} ms)` : ''} in ${turn.ms} ms`,
    `relay:\n  ${relay.join('\n  ') || '(no request)'}`,
    `stdout:\n${tail(turn.stdout)}`,
    `stderr:\n${tail(turn.stderr)}`,
  ].join('\n');
}

export interface Expected {
  route: string;
  model: string;
  /** The header the key must ride in, alone. */
  header: 'authorization' | 'x-api-key';
  key: string;
}

/**
 * The turn finished through our gateway: exit 0, the simulator's reply printed, and every generation
 * request on the expected route, with exactly our key in exactly the expected header, for our model.
 */
export function assertTurn(turn: Turn, expected: Expected): void {
  const why = describeTurn(turn);
  const generations = turn.relay.filter((r) => r.method === 'POST');
  assert.ok(generations.length > 0, `the agent sent no request to the gateway\n${why}`);
  for (const r of generations) {
    assert.equal(r.path, expected.route, `wrong route\n${why}`);
    assert.deepEqual(r.keyHeaders, [expected.header], `the key must travel in ${expected.header} only\n${why}`);
    if (expected.header === 'authorization') assert.equal(r.authorization, `Bearer ${expected.key}`, `not the key we wrote\n${why}`);
    else assert.equal(r.xApiKey, expected.key, `not the key we wrote\n${why}`);
    assert.equal(r.model, expected.model, `wrong model\n${why}`);
    assert.equal(r.status, 200, `the gateway refused a request\n${why}`);
  }
  assert.equal(turn.code, 0, `the agent failed\n${why}`);
  assert.ok(turn.stdout.includes(SIM_REPLY_MARKER), `the agent did not print the simulator's reply\n${why}`);
}

/** The simulator for one suite (serving `extraModels` too), and a fresh unlimited token (its own key) per test. */
export function useGateway(extraModels: string[] = []): { gateway(): RunningGateway; newKey(name: string): string } {
  let gw: RunningGateway | undefined;
  before(async function () {
    const problem = isolationProblem();
    // Never run a real agent with a way out to the internet.
    if (problem) {
      console.log(`  skipped: ${problem}`);
      this.skip();
    }
    gw = await startGateway();
    gw.state.models.push(...extraModels);
  });
  after(() => gw?.close());
  return {
    gateway: () => gw!,
    newKey: (name: string) => `sk-${gw!.state.addToken({ name, key: randomKey(48), unlimited_quota: true }).key}`,
  };
}
