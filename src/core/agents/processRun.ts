/**
 * Runs an Invocation: argv spawned directly (never through a shell string), stdin closed, the output
 * kept up to a limit, and everything the agent started ended when the time limit passes. Windows npm
 * shims (`codex.cmd`) cannot be spawned directly; they go through cmd.exe with each argument quoted, and
 * an argument cmd.exe could still expand is refused rather than passed.
 */
import { spawn } from 'node:child_process';
import * as l10n from '@vscode/l10n';
import { REAL_AGENT_LIMITS, type Invocation } from './realAgent';

export interface ProcessResult {
  /** Exit code; null when killed or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of each stream, at most REAL_AGENT_LIMITS.outputChars. */
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  /** Why it could not be started (ENOENT, EACCES, a refused argument). */
  startError?: string;
}

export interface SpawnPlan {
  file: string;
  args: string[];
  windowsVerbatimArguments: boolean;
}

/** Characters cmd.exe expands even inside double quotes. */
const CMD_UNSAFE = /[%!\r\n]/;

/** How to start argv on `platform`: directly, or (a .cmd/.bat shim on Windows) through cmd.exe with quoted arguments. */
export function spawnPlan(argv: readonly string[], platform: NodeJS.Platform, comspec = 'cmd.exe'): SpawnPlan {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error(l10n.t('nothing to run'));
  if (platform !== 'win32' || !/\.(cmd|bat)$/i.test(file)) return { file, args: [...args], windowsVerbatimArguments: false };
  const unsafe = argv.find((arg) => CMD_UNSAFE.test(arg));
  if (unsafe !== undefined) throw new Error(l10n.t('cannot pass {0} to a .cmd program safely', JSON.stringify(unsafe)));
  const quoted = argv.map((arg) => `"${arg.replace(/"/g, '""')}"`).join(' ');
  return { file: comspec, args: ['/d', '/s', '/c', `"${quoted}"`], windowsVerbatimArguments: true };
}

function keepTail(text: string, max: number): string {
  return text.length > max ? text.slice(text.length - max) : text;
}

export function runInvocation(invocation: Invocation, cwd: string, platform: NodeJS.Platform = process.platform): Promise<ProcessResult> {
  const started = Date.now();
  const max = REAL_AGENT_LIMITS.outputChars;
  let plan: SpawnPlan;
  try {
    plan = spawnPlan(invocation.argv, platform, invocation.env.ComSpec ?? invocation.env.COMSPEC);
  } catch (error) {
    return Promise.resolve({ code: null, signal: null, stdout: '', stderr: '', ms: 0, timedOut: false, startError: String((error as Error).message) });
  }
  return new Promise((resolve) => {
    // Its own process group (POSIX), so the time limit ends whatever the agent started too.
    const child = spawn(plan.file, plan.args, {
      cwd, env: invocation.env, stdio: ['ignore', 'pipe', 'pipe'], detached: platform !== 'win32', windowsHide: true,
      windowsVerbatimArguments: plan.windowsVerbatimArguments,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = keepTail(stdout + chunk, max)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = keepTail(stderr + chunk, max)));
    let timedOut = false;
    const kill = () => {
      try {
        if (platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, invocation.timeoutMs);
    let startError: string | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      startError = error.code ?? error.message;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // A turn that ended may leave a helper behind (an LSP, a sandbox): its group goes with it.
      if (platform !== 'win32') kill();
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut, ...(startError ? { startError } : {}) });
    });
  });
}
